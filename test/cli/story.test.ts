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
    inOrder(result.stdout, [
      "Trying 10.0.0.1, 2001 ... Open",
      "server login: ",
      "[r2 reloaded at ",
      "% Connection refused by remote host",
      "[time runs x600]",
      "Trying 10.0.0.1, 2001 ... Open",
      "server login: ",
      "[quit]",
    ]);
  });

  it("without keepalives (turned off from the menu): still refused after the bound, until clear line 1 on r1's console", () => {
    const script = [
      `${MENU}k\r`, // on r1's console (npm start began there): no service tcp-keepalives-in/-out
      `${MENU}a r2:1\r`,
      "\r", // the autocommand: Open
      "\r", // the server's login
      `${MENU}r r2\r`,
      "\r",
      `${MENU}s 600\r`,
      `${MENU}w 400\r`,
      "\r", // still refused: nobody probes the dead connection
      `${MENU}a r1:0\r`,
      "\renable\rcisco\rclear line 1\r\r", // Return confirms
      `${MENU}a r2:1\r`,
      "\r",
      `${MENU}q`,
    ].join("");
    const result = spawnSync(process.execPath, ["--import", "tsx", "host-sim/cli/main.ts", "--fast", "--attach", "r1:0"], { input: script, encoding: "latin1", timeout: 50_000 });
    expect(result.status).toBe(0);
    inOrder(result.stdout, [
      "[r1: keepalives off (typed on con 0)]",
      "r1(config)#no service tcp-keepalives-in\r\n",
      "[now on r2 tty1]",
      "Trying 10.0.0.1, 2001 ... Open",
      "server login: ",
      "[r2 reloaded at ",
      "% Connection refused by remote host",
      "[time runs x600]",
      "% Connection refused by remote host",
      "[now on r1 con 0]",
      "r1#clear line 1\r\n[confirm]\r\n [OK]\r\nr1#",
      "[now on r2 tty1]",
      "Trying 10.0.0.1, 2001 ... Open",
      "[quit]",
    ]);
  });
});

function inOrder(out: string, steps: string[]): void {
  let at = 0;
  for (const step of steps) {
    const found = out.indexOf(step, at);
    expect(found, `"${step}" after offset ${at} in:\n${out}`).toBeGreaterThanOrEqual(0);
    at = found + step.length;
  }
}
