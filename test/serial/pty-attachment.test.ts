// PtyAttachment: a virtual UART becomes a real pseudo-terminal (socat) that real programs open by
// path. Real time: a RealTimeDriver paces the scheduler, and input wakes it at once.
import { execFile, spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterEach, expect, it } from "vitest";
import { RealTimeDriver, Scheduler } from "../../host-sim/scheduler.ts";
import { PtyAttachment } from "../../host-sim/serial-attach/pty-attachment.ts";
import { openPtyLines } from "../../host-sim/serial-attach/pty-lines.ts";
import { echoUart, upperCase } from "./fake-port.ts";
import { describeWithSocat, isAlive, tempDirForFile, waitFor } from "./real-world.ts";

/** Debian's pyserial (ENVIRONMENT.md: /usr/bin/python3, not the python3 on PATH). */
const PYTHON = "/usr/bin/python3";
const HAS_PYSERIAL = spawnSync(PYTHON, ["-c", "import serial"], { stdio: "ignore" }).status === 0;
const UNDER_CI = process.env["CI"] === "true";
if (!HAS_PYSERIAL && !UNDER_CI) console.warn("SKIP pyserial test: python3-serial is not installed; CI=true makes this a failure");

/** `cat PATH`: a real program reading the pty; collects what it prints. */
function catOf(path: string): { child: ChildProcessByStdio<null, Readable, null>; output: () => Buffer } {
  const child = spawn("cat", [path], { stdio: ["ignore", "pipe", "ignore"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { child, output: () => Buffer.concat(chunks) };
}

describeWithSocat("PtyAttachment", () => {
  const dir = tempDirForFile("pty-attach-");
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(transform = upperCase): Promise<{ pty: PtyAttachment; path: string; port: ReturnType<typeof echoUart>["port"] }> {
    const scheduler = new Scheduler();
    const driver = new RealTimeDriver(scheduler);
    const { uart, port } = echoUart(scheduler, transform);
    uart.paced = false;
    const path = join(dir(), `tty${cleanups.length}`);
    const pty = await PtyAttachment.open(uart, { path, wake: () => driver.tick() });
    driver.start();
    cleanups.push(() => driver.stop(), () => pty.close());
    return { pty, path, port };
  }

  it("links a real pty at the caller's path; bytes written there reach the device and its answer comes back", async () => {
    const { pty, path, port } = await setup();
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path)).toBe(pty.ptyName);
    expect(pty.ptyName).toMatch(/^\/dev\/pts\/\d+$/);
    expect(isAlive(pty.pid)).toBe(true);
    const cat = catOf(path);
    cleanups.push(() => cat.child.kill());
    await new Promise((resolve) => setTimeout(resolve, 50)); // let cat open the pty
    writeFileSync(path, "hello, tty1\r\n");
    await waitFor(() => cat.output().toString("latin1") === "HELLO, TTY1\r\n", 5_000, "the echo through the pty");
    expect(String.fromCharCode(...port.received)).toBe("hello, tty1\r\n");
    expect(pty.bytesToDevice).toBe(13);
    expect(pty.bytesFromDevice).toBe(13);
  });

  it("is 8-bit clean both ways: all 256 byte values, no echo, no line discipline", async () => {
    const { path, port } = await setup((b) => b);
    const cat = catOf(path);
    cleanups.push(() => cat.child.kill());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const fd = openSync(path, "w");
    writeSync(fd, all);
    closeSync(fd);
    await waitFor(() => cat.output().length >= 256, 5_000, "256 bytes back");
    expect([...cat.output()]).toEqual([...all]);
    expect(port.received).toEqual([...all]);
  });

  it("never holds up the device when nobody reads the pty; a reader that drains it gets the line back", async () => {
    const { pty, path, port } = await setup((b) => b);
    const total = 1024 * 1024;
    const chunk = new Uint8Array(4096).fill(0x2e);
    for (let sent = 0; sent < total; sent += chunk.length) port.transmit(chunk);
    await waitFor(() => pty.bytesFromDevice + pty.bytesDropped === total, 10_000, "all output handled");
    // The pty and the pipe hold some; socat then stalls (ENVIRONMENT.md), the rest is dropped here.
    expect(pty.bytesDropped).toBeGreaterThan(total / 2);
    expect(pty.closed).toBe(false);
    const cat = catOf(path);
    cleanups.push(() => cat.child.kill());
    await waitFor(() => cat.output().length === pty.bytesFromDevice, 10_000, "the reader to drain what was kept");
    writeFileSync(path, "ping");
    await waitFor(() => String.fromCharCode(...port.received.slice(-4)) === "ping", 5_000, "input after the flood");
    await waitFor(() => cat.output().subarray(-4).toString() === "ping", 5_000, "its echo");
  });

  it("close() stops its socat by pid, removes the link, ends readers, and detaches from the UART", async () => {
    const { pty, path, port } = await setup();
    const cat = catOf(path);
    const catExit = new Promise((resolve) => cat.child.once("exit", resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pty.close();
    expect(isAlive(pty.pid)).toBe(false);
    expect(existsSync(path)).toBe(false);
    await catExit; // the reader saw the pty hang up
    port.transmit(new Uint8Array([0x41]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pty.bytesFromDevice).toBe(0);
    await pty.close(); // twice is fine
  });

  it("reports socat ending on its own and closes itself", async () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler);
    const path = join(dir(), "killed");
    let reason = "";
    const pty = await PtyAttachment.open(uart, { path, onEnd: (why) => (reason = why) });
    cleanups.push(() => pty.close());
    process.kill(pty.pid, "SIGTERM"); // our own child, by pid
    await waitFor(() => pty.closed, 5_000, "the attachment to notice");
    expect(reason).toBe("socat ended (143)");
  });

  it("refuses a path socat would misread and never replaces a file that is not a link", async () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler);
    await expect(PtyAttachment.open(uart, { path: join(dir(), "a,b") })).rejects.toThrow(/use an absolute path/);
    await expect(PtyAttachment.open(uart, { path: "relative" })).rejects.toThrow(/use an absolute path/);
    const file = join(dir(), "plain-file");
    writeFileSync(file, "keep me");
    await expect(PtyAttachment.open(uart, { path: file })).rejects.toThrow(/is not a symbolic link/);
  });

  it.skipIf(!HAS_PYSERIAL && !UNDER_CI)("serves pyserial, as a Python HIL suite would open the line", async () => {
    expect(HAS_PYSERIAL, "python3-serial is not installed, and CI=true requires it").toBe(true);
    const { path } = await setup();
    const script = [
      "import serial, sys",
      "s = serial.Serial(sys.argv[1], 9600, timeout=5)",
      "s.write(b'show users\\r')",
      "sys.stdout.write(s.read(11).hex())",
    ].join("\n");
    const hex = await new Promise<string>((resolve, reject) =>
      execFile(PYTHON, ["-c", script, path], { timeout: 10_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(Buffer.from(hex, "hex").toString("latin1")).toBe("SHOW USERS\r");
  });

  it("openPtyLines: every line of a device as DIR/ttyN, each reaching its own line", async () => {
    const scheduler = new Scheduler();
    const driver = new RealTimeDriver(scheduler);
    const lines = [1, 2, 3].map((line) => echoUart(scheduler, (b) => b.map((x) => (x === 0x3f ? 0x30 + line : x)), line));
    const lineDir = join(dir(), "lines");
    mkdirSync(lineDir);
    const ptys = await openPtyLines(lines.map((l) => l.uart), { dir: lineDir, wake: () => driver.tick() });
    driver.start();
    cleanups.push(() => driver.stop(), () => ptys.close());
    expect([...ptys.paths]).toEqual([1, 2, 3].map((line) => [line, join(lineDir, `tty${line}`)]));
    const cats = [1, 2, 3].map((line) => catOf(join(lineDir, `tty${line}`)));
    cleanups.push(() => cats.forEach((c) => c.child.kill()));
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (const line of [1, 2, 3]) writeFileSync(join(lineDir, `tty${line}`), "line ?\n");
    await waitFor(() => cats.every((c, i) => c.output().toString() === `line ${i + 1}\n`), 5_000, "each line's answer");
    await ptys.close();
    expect(readdirSync(lineDir)).toEqual([]);
  });

  it("says clearly when socat is missing", async () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler);
    await expect(PtyAttachment.open(uart, { path: join(dir(), "x"), socatPath: "/nonexistent/socat" })).rejects.toThrow(
      "socat not found (/nonexistent/socat): install it, e.g. apt-get install socat",
    );
  });
});
