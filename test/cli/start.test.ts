// `npm start` on the tech note's topology with a piped script: the menu keys in the script run in
// order, each after the output before it has settled, and what they print comes out on stdout
// between the lines' own output.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const MENU = "\x1d";

function runCli(input: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "host-sim/cli/main.ts", "--fast", ...args], {
    input,
    encoding: "latin1",
    timeout: 50_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe("npm start on the tech note's topology, piped", () => {
  it("starts on r2 tty1; the script's menu keys attach, configure by the console, reload, power, cut, capture and quit", () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-start-"));
    try {
      const script = [
        `${MENU}i`, // status
        `${MENU}a r1:0\r`, // your terminal on r1's console
        "\rshow users\r",
        `${MENU}k\r`, // keepalives off on r1 (the device you are on), typed into con 0
        `${MENU}r r2\r`,
        `${MENU}o r2\r`,
        `${MENU}c\r`, // r1's link
        `${MENU}p\r`,
        `${MENU}s 600\r`,
        `${MENU}w 60\r`,
        `${MENU}p\r`,
        `${MENU}i`,
        `${MENU}q`,
      ].join("");
      const { stdout, stderr, status } = runCli(script, ["--capture-dir", dir]);
      expect(status).toBe(0);
      expect(stderr).toContain("[technote: r1, r2 on lan0. You are on r2 tty1: press Return. Ctrl-] opens the menu, Ctrl-] q quits.]\n");
      expect(stderr).toContain("[r1 tty1: a server console (login admin / cisco)]\n");
      expect(stdout).toMatch(/menu> i\r\n\[00:00:0\d\.\d{3} x1 \| you: r2 tty1 \| r1 running, boot 1, keepalives \| r2 running, boot 1, keepalives\]\r\n/);
      expect(stdout).toContain("attach to (device:line, e.g. r1:0) [r2:0]:  r1:0\r\n[now on r1 con 0]\r\n");
      expect(stdout).toContain("r1>show users\r\n");
      // keepalives: typed into r1's console, answered by its own CLI
      expect(stdout).toContain("keepalives on/off on which device [r1]: \r\n[r1: keepalives off (typed on con 0)]\r\n");
      expect(stdout).toMatch(/r1\(config\)#no service tcp-keepalives-in\r\n[^]*r1\(config\)#no service tcp-keepalives-out\r\n[^]*r1\(config\)#end\r\nr1#disable\r\nr1>/);
      expect(stdout).toMatch(/\[r2 reloaded at 00:00:\d\d\.\d{3}; boot 2\]\r\n/);
      expect(stdout).toMatch(/\[r2 powered off at /);
      expect(stdout).toMatch(/\[r1 <-> lan0 cut at /);
      expect(stdout).toMatch(/\[capturing lan0 to .*\/technote-lan0-1\.pcap\]/);
      expect(stdout).toContain("[time runs x600]");
      expect(stdout).toMatch(/\[capture of lan0 stopped: \d+ frames in .*\/technote-lan0-1\.pcap\]/);
      expect(existsSync(join(dir, "technote-lan0-1.pcap"))).toBe(true);
      expect(stdout).toMatch(/\| you: r1 con 0 \| r1 running, boot 1, link cut \| r2 off, boot 2, keepalives\]\r\n/);
      expect(stdout).toMatch(/menu> q\r\n\[quit\]\r\n\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without menu keys a piped script is typed into the line and the program ends when the output settles", () => {
    const { stdout, status } = runCli("show version\r", ["--attach", "r1:0"]);
    expect(status).toBe(0);
    expect(stdout).toContain("r1>show version\r\nTerminal server firmware (WebAssembly), Version 0.1.0\r\n");
  });

  it("--nvram-dir keeps each device's NVRAM: a new file starts with the topology's config, a saved one wins", () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-nvram-"));
    try {
      const first = runCli("enable\rcisco\rconfigure terminal\rhostname saved\rend\rwrite memory\r", ["--attach", "r1:0", "--nvram-dir", dir]);
      expect(first.status).toBe(0);
      expect(first.stdout).toContain("r1>enable\r\nPassword: \r\nr1#configure terminal\r\n");
      expect(first.stdout).toContain("saved#write memory\r\nBuilding configuration...\r\n[OK]\r\n");
      expect(existsSync(join(dir, "r2.nvram"))).toBe(true);
      const second = runCli("", ["--attach", "r1:0", "--nvram-dir", dir]);
      expect(second.stdout).toMatch(/saved>\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a bad --attach and names the devices", () => {
    const { stderr, status } = runCli("", ["--attach", "r5:1"]);
    expect(status).toBe(1);
    expect(stderr).toContain('--attach r5:1: % No such line: "r5:1" (devices: r1, r2; say r1:0 or r2:1)');
  });
});
