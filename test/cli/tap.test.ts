// `npm start -- --tap lan0=10.0.0.9/24`: the tech note's segment bridged to a Linux TAP in a fresh
// namespace (no default route): the kernel there pings r1 and reaches its vty, and quitting
// removes the namespace. Needs root, /dev/net/tun and socat (skips, except under CI).
import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { missingForTap, missingTools, unavailable } from "../support/tools.ts";

const skip = unavailable("npm start --tap", [...missingForTap(), ...missingTools("ping")]);

function namespaces(): string[] {
  return spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout.split("\n").map((line) => line.split(" ")[0] ?? "");
}

async function until<T>(probe: () => T | undefined, limitMs: number, what: string): Promise<T> {
  const endAtMs = Date.now() + limitMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > endAtMs) throw new Error(`${what} not seen within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(skip !== undefined)("npm start --tap", () => {
  it("bridges lan0 to a namespace: the kernel pings r1 and reaches its vty; quit removes the namespace", async () => {
    const cli = spawn(process.execPath, ["--import", "tsx", "host-sim/cli/main.ts", "--fast", "--tap", "lan0=10.0.0.9/24"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    cli.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("latin1")));
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (code) => resolve(code)));
    try {
      const ns = await until(() => /in namespace (\S+):/.exec(stderr)?.[1], 20_000, "the bridge's note");
      expect(namespaces()).toContain(ns);
      expect(spawnSync("ip", ["netns", "exec", ns, "ip", "route"], { encoding: "utf8" }).stdout).not.toMatch(/default/);
      const ping = spawnSync("ip", ["netns", "exec", ns, "ping", "-c", "2", "-W", "2", "10.0.0.1"], { encoding: "utf8", timeout: 15_000 });
      expect(ping.stdout).toMatch(/2 packets transmitted, 2 received/);
      // r1's vty from the kernel (r2's autocommand already holds tty1: the piped Return): r1 greets
      // and, with no vty password configured, says so and closes, as IOS does.
      const telnet = spawnSync("ip", ["netns", "exec", ns, "socat", "-T", "5", "STDIO", "TCP:10.0.0.1:23,connect-timeout=5"], { input: "", encoding: "latin1", timeout: 15_000 });
      expect(telnet.stdout).toContain("Password required, but none set");
      cli.stdin.end("\x1dq");
      expect(await exited).toBe(0);
      expect(namespaces()).not.toContain(ns);
    } finally {
      if (cli.exitCode === null) cli.kill("SIGTERM");
    }
  });
});
