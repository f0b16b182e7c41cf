// `npm start` on a real terminal (tmux): raw mode, Return reaches r2's tty1, Ctrl-] opens the menu,
// one key acts, attach moves the terminal to r1's console, Ctrl-] q leaves and the shell gets its
// terminal back. Skipped when tmux is missing, except in CI.
import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const HAVE_TMUX = spawnSync("tmux", ["-V"]).status === 0;
const SESSION = `story-cli-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}

function pane(): string {
  return tmux("capture-pane", "-p", "-J", "-t", SESSION, "-S", "-200");
}

async function waitForPane(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const screen = pane();
    if (typeof text === "string" ? screen.includes(text) : text.test(screen)) return screen;
    if (Date.now() > end) throw new Error(`pane never showed ${String(text)}:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!HAVE_TMUX && process.env["CI"] !== "true")("npm start in a terminal (tmux)", () => {
  it("Ctrl-] opens the menu, i shows the status, a moves to r1's console, Ctrl-] q quits", async () => {
    tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", `${process.execPath} --import tsx host-sim/cli/main.ts --fast; echo EXITED=$?; sleep 60`);
    try {
      await waitForPane("You are on r2 tty1: press Return. Ctrl-] opens the menu, Ctrl-] q quits.]");
      tmux("send-keys", "-t", SESSION, "C-]");
      await waitForPane("menu> ");
      tmux("send-keys", "-t", SESSION, "i");
      await waitForPane(/\| you: r2 tty1 \| r1 running, boot 1, keepalives \| r2 running, boot 1, keepalives\]/);
      tmux("send-keys", "-t", SESSION, "C-]", "a", "r1:0", "Enter");
      await waitForPane("[now on r1 con 0]");
      tmux("send-keys", "-t", SESSION, "Enter");
      await waitForPane(/\nr1>\s*$/);
      tmux("send-keys", "-t", SESSION, "show users", "Enter");
      await waitForPane(/\*  0 con 0 {16}idle/);
      tmux("send-keys", "-t", SESSION, "C-]", "q");
      const screen = await waitForPane("EXITED=");
      expect(screen).toContain("menu> q\n[quit]\n");
      expect(screen).toMatch(/EXITED=0/);
    } finally {
      spawnSync("tmux", ["kill-session", "-t", SESSION]);
    }
  });

  it("the story in real time: Return reaches the server, reload r2 from the menu, refused, x600, back in alone", async () => {
    tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", `${process.execPath} --import tsx host-sim/cli/main.ts --fast; echo EXITED=$?; sleep 60`);
    try {
      await waitForPane("press Return. Ctrl-] opens the menu");
      tmux("send-keys", "-t", SESSION, "Enter");
      await waitForPane("Trying 10.0.0.1, 2001 ... Open");
      tmux("send-keys", "-t", SESSION, "Enter");
      await waitForPane("server login: ");
      tmux("send-keys", "-t", SESSION, "C-]", "r", "Enter");
      await waitForPane(/\[r2 reloaded at [\d:.]+; boot 2\]/);
      tmux("send-keys", "-t", SESSION, "Enter");
      await waitForPane("% Connection refused by remote host");
      tmux("send-keys", "-t", SESSION, "C-]", "s", "600", "Enter");
      await waitForPane("[time runs x600]");
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // 10 virtual minutes: past idle + 4 x interval
      tmux("send-keys", "-t", SESSION, "Enter");
      const screen = await waitForPane(/Open\n[^]*Open\n/);
      expect(screen.match(/% Connection refused by remote host/g)).toHaveLength(1);
      tmux("send-keys", "-t", SESSION, "C-]", "q");
      expect(await waitForPane("EXITED=")).toMatch(/EXITED=0/);
    } finally {
      spawnSync("tmux", ["kill-session", "-t", SESSION]);
    }
  });
});
