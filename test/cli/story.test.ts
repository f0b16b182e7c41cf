// docs/story.md, run as written: `npm start` with a piped script on the tech note's topology. Return
// reaches the server console through r2 and r1; the menu reloads r2; the next Return is refused;
// time runs x600 past the keepalive bound; Return gets back in, with nobody clearing the line.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const MENU = "\x1d";

describe("the story through npm start (piped)", () => {
  it("reload r2 from the menu, be refused, get back in alone after the keepalive bound", () => {
    const script = [
      "\r", // (npm start typed the first Return: the autocommand opened the session) the server's login
      `${MENU}r r2\r`,
      "\r", // r2's autocommand again: r1's line is still busy
      `${MENU}s 600\r`,
      `${MENU}w 330\r`, // more than idle + 4 x interval = 300 s
      "\r",
      `${MENU}w 1\r`,
      "\r",
      `${MENU}q`,
    ].join("");
    const result = spawnSync(process.execPath, ["--import", "tsx", "host-sim/cli/main.ts", "--fast"], { input: script, encoding: "latin1", timeout: 50_000 });
    expect(result.status).toBe(0);
    const out = result.stdout;
    const steps = [
      "Trying 10.0.0.1, 2001 ... Open",
      "server login: ",
      "[r2 reloaded at ",
      "% Connection refused by remote host",
      "[time runs x600]",
      "Trying 10.0.0.1, 2001 ... Open",
      "server login: ",
      "[quit]",
    ];
    let at = 0;
    for (const step of steps) {
      const found = out.indexOf(step, at);
      expect(found, `"${step}" after offset ${at} in:\n${out}`).toBeGreaterThanOrEqual(0);
      at = found + step.length;
    }
  });
});
