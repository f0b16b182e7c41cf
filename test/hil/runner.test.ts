// The device runner itself (host-sim/runner, `npm run device`): a line on a "real" serial port (one
// end of a socat pty pair, opened with `serialport` as /dev/ttyUSB0 would be), ptys, the status
// file, a namespace it adopts (kept) or makes (deleted), and a clean stop on SIGTERM and SIGINT that
// leaves no socat, TAP, pty link or namespace of its own behind.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { missingForTap, unavailable } from "../support/tools.ts";
import { SerialPeer } from "./serial-peer.ts";

const RUNNER_MAIN = fileURLToPath(new URL("../../host-sim/runner/main.ts", import.meta.url));
const skipReason = unavailable("the device runner test", missingForTap());

interface Runner {
  child: ChildProcess;
  events: (Record<string, unknown> & { event: string })[];
  ready: Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startRunner(args: string[]): Runner {
  const child = spawn(process.execPath, ["--import", "tsx", RUNNER_MAIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const events: Runner["events"] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    void exited.then((code) => reject(new Error(`runner exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const event = JSON.parse(line) as Runner["events"][number];
      events.push(event);
      if (event.event === "ready") resolve(event);
    });
  });
  return { child, events, ready, exited };
}

function namespaces(): string[] {
  return execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).split("\n").map((line) => line.split(" ")[0]!);
}

describe.skipIf(skipReason !== undefined).sequential("the device runner (npm run device)", () => {
  const dir = mkdtempSync(join(tmpdir(), "hil-runner-"));
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a line on a serial port and the console on a pty, writes its status, adopts an existing namespace and keeps it; SIGTERM stops it cleanly", async () => {
    // A pty pair stands in for a USB serial adapter wired to a terminal: the runner opens one end as
    // a serial port, the test is the terminal on the other.
    const pair = spawn("socat", [`pty,raw,echo=0,link=${join(dir, "usb0")}`, `pty,raw,echo=0,link=${join(dir, "term0")}`], { stdio: "ignore" });
    started.push(pair);
    await expect.poll(() => existsSync(join(dir, "usb0")) && existsSync(join(dir, "term0")), { timeout: 5_000 }).toBe(true);
    const netns = `tsim${process.pid}n91`;
    execFileSync("ip", ["netns", "add", netns]);
    const config = join(dir, "config");
    writeFileSync(config, "hostname bench\ninterface ethernet0\n ip address 192.0.2.2 255.255.255.0\n");
    const status = join(dir, "status.json");
    try {
      const runner = startRunner([
        "--lines-dir", join(dir, "lines"), "--lines", "0", "--serial", `1=${join(dir, "usb0")}@9600`,
        "--netns", netns, "--tap", `tsim${process.pid}h`, "--config", config, "--status", status,
      ]);
      started.push(runner.child);
      const ready = await runner.ready;
      expect(ready["lines"]).toEqual({ 0: join(dir, "lines", "tty0"), 1: join(dir, "usb0") });
      expect(ready["netns"]).toBe(netns);
      expect(ready["tap"]).toBe(`tsim${process.pid}h`);
      expect(execFileSync("ip", ["-n", netns, "-4", "addr", "show", `tsim${process.pid}h`], { encoding: "utf8" })).toContain("inet 192.0.2.1/24");
      const ping = execFileSync("ip", ["netns", "exec", netns, "ping", "-c", "1", "-W", "2", "192.0.2.2"], { encoding: "utf8" });
      expect(ping).toContain("1 received");
      const statusLines = JSON.parse(readFileSync(status, "utf8")) as { line: number; baud: number }[];
      expect(statusLines.map((s) => s.line)).toEqual(Array.from({ length: 18 }, (_, i) => i));

      const terminal = await SerialPeer.open(join(dir, "term0"), 9600);
      const con = await SerialPeer.open(join(dir, "lines", "tty0"), 9600);
      try {
        await terminal.write("\r");
        await terminal.expect(/bench>$/);
        await con.write("\r");
        await con.expect(/bench>$/);
        await con.write("show line\r");
        expect((await con.expect(/bench>$/)).before).toMatch(/\r\n\*\s+1 TTY/);
      } finally {
        await terminal.close();
        await con.close();
      }

      runner.child.kill("SIGTERM");
      expect(await runner.exited).toBe(0);
      expect(runner.events.at(-1)).toEqual({ event: "stopped", code: 0 });
      expect(existsSync(join(dir, "lines", "tty0"))).toBe(false);
      expect(namespaces()).toContain(netns); // not ours to delete
      expect(execFileSync("ip", ["-n", netns, "link", "show"], { encoding: "utf8" })).not.toContain(`tsim${process.pid}h`);
    } finally {
      pair.kill("SIGTERM");
      execFileSync("ip", ["netns", "delete", netns]);
    }
  });

  it("deletes a namespace it made, on SIGINT", async () => {
    const netns = `tsim${process.pid}n92`;
    const runner = startRunner(["--netns", netns]);
    started.push(runner.child);
    await runner.ready;
    expect(namespaces()).toContain(netns);
    runner.child.kill("SIGINT");
    expect(await runner.exited).toBe(0);
    expect(namespaces()).not.toContain(netns);
  });
});
