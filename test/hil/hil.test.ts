// Hardware in the loop: a black-box suite that touches only serial paths and IP addresses, so it runs
// unchanged against a device runner on this machine (ptys + a TAP in a namespace, spawned here; what
// CI does) or against a real board (docs/hil.md: HIL_TARGET=FILE.json or HIL_* variables). Clients
// run inside the namespace that reaches the device (`ip netns exec`). One file, in order: the steps
// share the device's configuration, and a real board must not see two suites at once.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UartState } from "../../host-sim/runner/status.ts";
import { missingForTap, missingTools, unavailable } from "../support/tools.ts";
import { NsClient } from "./ns-client.ts";
import { SerialPeer } from "./serial-peer.ts";
import { openTarget, realTargetConfigured, type HilTarget } from "./target.ts";

const PYTHON = "/usr/bin/python3";
const CLIENT_SCRIPT = fileURLToPath(new URL("./rfc2217-client.py", import.meta.url));
/** Keepalive timers the suite configures: a vanished client is dropped 2 + 2 x 1 s after it was last heard. */
const KEEPALIVE = { idleS: 2, intervalS: 1, count: 2 };

function pyserialMissing(): string[] {
  try {
    execFileSync(PYTHON, ["-c", "import serial.rfc2217"], { stdio: "ignore" });
    return [];
  } catch {
    return ["python3-serial (/usr/bin/python3 -c 'import serial.rfc2217')"];
  }
}

const skipReason = unavailable(
  "the hardware-in-the-loop suite",
  realTargetConfigured() ? [...(process.getuid?.() === 0 ? [] : ["root"]), ...missingTools("ip", "socat")] : missingForTap(),
);
const comPortSkip = skipReason ?? unavailable("the RFC 2217 end-to-end test", pyserialMissing());

describe.skipIf(skipReason !== undefined).sequential("hardware in the loop (serial paths and an IP address only)", () => {
  let target: HilTarget;
  let con: SerialPeer;
  const peers: SerialPeer[] = [];
  const clients: NsClient[] = [];

  const client = (port: number): NsClient => {
    const c = new NsClient(target.netns, target.deviceIp, port);
    clients.push(c);
    return c;
  };
  const line = async (n: number): Promise<SerialPeer> => {
    const path = target.lines[n];
    if (path === undefined) throw new Error(`hil: line ${n} has no serial path configured (HIL_LINE${n})`);
    const peer = await SerialPeer.open(path, target.baudRate);
    peers.push(peer);
    return peer;
  };
  /** Types a command on the console, returns its output up to the next privileged prompt. */
  const exec = async (command: string, timeoutMs = 10_000): Promise<string> => {
    con.clear();
    await con.write(`${command}\r`);
    const { before } = await con.expect(/\r\n[\w.-]+(\([\w-]+\))?#$/, timeoutMs);
    return before;
  };
  const showLine = async (n: number): Promise<string> => exec(`show line ${n}`);
  const keepaliveDrops = (detail: string): number => Number(/Connections lost: (\d+) keepalive timeout/.exec(detail)?.[1] ?? NaN);
  const active = (detail: string, n: number): boolean => new RegExp(`\\r\\n\\*\\s+${n} TTY`).test(`\r\n${detail}`);

  beforeAll(async () => {
    target = await openTarget();
    con = await SerialPeer.open(target.console, target.baudRate);
    peers.push(con);
  });

  afterAll(async () => {
    for (const c of clients) c.kill("SIGKILL");
    for (const p of peers) await p.close();
    await target?.close();
  });

  it("logs in on the console and configures the lines and keepalives", async () => {
    await con.write("\r");
    const first = await con.expect(/(Password: |[\w.-]+>|[\w.-]+#)$/, 15_000);
    if (first.match === "Password: ") {
      await con.write(`${target.consolePassword ?? ""}\r`);
      await con.expect(/[\w.-]+[>#]$/);
    }
    await con.write("\r");
    const prompt = await con.expect(/[\w.-]+[>#]$/);
    if (prompt.match.endsWith(">")) {
      await con.write("enable\r");
      await con.expect("Password: ");
      await con.write(`${target.enableSecret}\r`);
      await con.expect(/\r\n[\w.-]+#$/);
    }
    const n = target.telnetLine;
    const m = target.comPortLine;
    const commands = [
      "configure terminal",
      "service tcp-keepalives-in",
      `ip tcp keepalive idle ${KEEPALIVE.idleS}`,
      `ip tcp keepalive interval ${KEEPALIVE.intervalS}`,
      `ip tcp keepalive count ${KEEPALIVE.count}`,
      `line ${Math.min(n, m)} ${Math.max(n, m)}`,
      "no exec",
      "transport input telnet",
      "end",
    ];
    for (const command of commands) expect(await exec(command)).not.toContain("%");
    const running = await exec("show running-config", 20_000);
    expect(running).toContain("service tcp-keepalives-in");
    expect(running).toMatch(/\r\n transport input telnet\r\n/);
    expect(await showLine(n)).toContain("Allowed input transports are telnet.");
  });

  it("reverse telnet to 2000+n from the namespace carries bytes both ways between the TCP client and line n", async () => {
    const n = target.telnetLine;
    const tty = await line(n);
    const c = client(2000 + n);
    await c.waitForRaw(6); // the greeting: WILL ECHO, WILL SGA
    expect(c.raw().slice(0, 6)).toBe("\xff\xfb\x01\xff\xfb\x03");
    expect(active(await showLine(n), n)).toBe(true);
    // Network to line: the telnet client's CR LF reaches the line as CR (2000+n is telnet).
    c.send("net-to-line 1\r\n");
    expect((await tty.expect("net-to-line 1\r")).before).toBe("");
    // Line to network: CR LF stays, 0xFF goes out doubled (IAC IAC).
    await tty.write("line-to-net \xff 2\r\n");
    await c.waitForData("line-to-net \xff 2\r\n");
    expect(c.raw()).toContain("line-to-net \xff\xff 2\r\n");
    expect(await exec(`show users`)).toMatch(new RegExp(`\\r\\n\\s+${n} tty ${n}\\s.*incoming`));
    tty.clear();
  });

  it("refuses a second client while the line is busy", async () => {
    const n = target.telnetLine;
    const second = client(2000 + n);
    expect(await second.ended()).not.toBe(0);
    expect(second.stderr).toContain("Connection refused");
    expect(clients[0]!.running).toBe(true);
  });

  it("clear line drops the client and frees the line", async () => {
    const n = target.telnetLine;
    con.clear();
    await con.write(`clear line ${n}\r`);
    await con.expect("[confirm]");
    await con.write("\r");
    await con.expect(" [OK]");
    await con.expect(/#$/);
    await clients[0]!.ended();
    expect(active(await showLine(n), n)).toBe(false);
    const again = client(2000 + n);
    await again.waitForRaw(6);
    expect(again.raw().slice(0, 6)).toBe("\xff\xfb\x01\xff\xfb\x03");
    again.kill("SIGTERM"); // a clean close (FIN)
    await again.ended();
  });

  it("keepalive frees the line after the client vanishes (its frames go nowhere)", async () => {
    const n = target.telnetLine;
    const tty = peers.find((p) => p.path === target.lines[n])!;
    await expect.poll(async () => active(await showLine(n), n), { timeout: 5_000, interval: 500 }).toBe(false);
    const dropsBefore = keepaliveDrops(await showLine(n));
    const c = client(2000 + n);
    c.send("still here\r\n");
    await tty.expect("still here\r");
    // The client's host vanishes: the namespace's frames toward the device go to a MAC nobody has
    // (no FIN, no RST, no ACK of a probe ever reaches the device); then the client process dies.
    const dev = /\bdev (\S+)/.exec(execFileSync("ip", ["-n", target.netns, "route", "get", target.deviceIp], { encoding: "utf8" }))?.[1];
    expect(dev).toBeDefined();
    execFileSync("ip", ["-n", target.netns, "neigh", "replace", target.deviceIp, "lladdr", "02:00:00:00:de:ad", "dev", dev!, "nud", "permanent"]);
    const vanishedAtMs = Date.now();
    try {
      c.kill("SIGKILL");
      const boundMs = (KEEPALIVE.idleS + KEEPALIVE.count * KEEPALIVE.intervalS) * 1000;
      await expect.poll(async () => keepaliveDrops(await showLine(n)), { timeout: boundMs + 6_000, interval: 500 }).toBe(dropsBefore + 1);
      const freedAfterMs = Date.now() - vanishedAtMs;
      console.log(`hil: line ${n} freed by keepalive ${freedAfterMs} ms after the client vanished (bound ${boundMs} ms + polling)`);
      expect(freedAfterMs).toBeGreaterThanOrEqual(boundMs - 1_000);
      expect(active(await showLine(n), n)).toBe(false);
    } finally {
      execFileSync("ip", ["-n", target.netns, "neigh", "del", target.deviceIp, "dev", dev!]);
    }
    const again = client(2000 + n);
    await again.waitForRaw(6);
    expect(again.raw().slice(0, 6)).toBe("\xff\xfb\x01\xff\xfb\x03");
    again.kill("SIGTERM");
    await again.ended();
  });

  describe.skipIf(comPortSkip !== undefined)("RFC 2217 end to end with pyserial's client", () => {
    interface Step {
      step: string;
      [field: string]: unknown;
    }

    /** Runs the client script inside the namespace; `onStep` may answer on its stdin. */
    const runScript = (mode: string, port: number, onStep: (step: Step, answer: (text: string) => void) => Promise<void> | void = () => undefined) =>
      new Promise<Step[]>((resolve, reject) => {
        const child = spawn("ip", ["netns", "exec", target.netns, PYTHON, CLIENT_SCRIPT, mode, target.deviceIp, String(port)], { stdio: ["pipe", "pipe", "pipe"] });
        const steps: Step[] = [];
        let stderr = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        createInterface({ input: child.stdout }).on("line", (text) => {
          const step = JSON.parse(text) as Step;
          steps.push(step);
          void Promise.resolve(onStep(step, (answer) => child.stdin.write(answer))).catch(reject);
        });
        child.once("close", (code) => {
          clearTimeout(timer);
          if (code === 0) resolve(steps);
          else reject(new Error(`${mode} client failed (${code}): ${JSON.stringify(steps)} ${stderr}`));
        });
      });

    /** The runner's UART states for line `n` from index `from`, checked in order against `wanted`. */
    const expectUartSequence = (n: number, from: number, wanted: [string, (s: UartState) => boolean][]): void => {
      const events = target.runner!.uartEvents.slice(from).filter((e) => e.line === n);
      let at = 0;
      for (const [label, holds] of wanted) {
        while (at < events.length && !holds(events[at]!)) at++;
        expect(at < events.length, `UART of line ${n} never showed ${label}; events ${JSON.stringify(events)}`).toBe(true);
        at++;
      }
    };

    it("pyserial opens 2000+n, exchanges data, changes baud, framing, DTR, RTS, sends BREAK; the UART sees each change", async () => {
      const m = target.comPortLine;
      const tty = await line(m);
      const from = target.runner?.uartEvents.length ?? 0;
      const steps = await runScript("pyserial", 2000 + m, async (step, answer) => {
        if (step.step !== "sent") return;
        await tty.expect("py-to-line\r");
        await tty.write("line-to-py\r\n");
        answer("go\n");
      });
      expect(steps.map((s) => s.step)).toEqual([
        "open", "sent", "read", "baudrate", "bytesize", "parity", "stopbits", "dtr-off", "rts-off", "dtr-on", "rts-on", "break", "settings", "closed",
      ]);
      expect(steps[2]!["data"]).toBe("line-to-py\r\n");
      expect(steps[12]).toEqual({ step: "settings", baudrate: 115200, bytesize: 7, parity: "E", stopbits: 2 });
      if (!target.runner) {
        console.log("hil: a real board: pyserial accepted every reply; the UART's settings are not observable from here");
        return;
      }
      await expect.poll(() => target.runner!.uartEvents.slice(from).some((e) => e.line === m && e.baud === 9600), { timeout: 5_000 }).toBe(true);
      expectUartSequence(m, from, [
        ["DTR and RTS up when the client connects", (s) => s.baud === 9600 && s.dtr && s.rts],
        ["115200 baud", (s) => s.baud === 115200],
        ["7 data bits", (s) => s.baud === 115200 && s.dataBits === 7],
        ["even parity", (s) => s.dataBits === 7 && s.parity === 3],
        ["2 stop bits", (s) => s.parity === 3 && s.stopBits === 2],
        ["DTR off, RTS on", (s) => s.stopBits === 2 && !s.dtr && s.rts],
        ["DTR off, RTS off", (s) => s.stopBits === 2 && !s.dtr && !s.rts],
        ["DTR on", (s) => s.stopBits === 2 && s.dtr && !s.rts],
        ["DTR on, RTS on", (s) => s.stopBits === 2 && s.dtr && s.rts],
        ["BREAK on", (s) => s.brk],
        ["BREAK off", (s) => !s.brk && s.dtr && s.rts],
        ["9600 8N1, DTR and RTS down after the client left", (s) => s.baud === 9600 && s.dataBits === 8 && s.parity === 1 && s.stopBits === 1 && !s.dtr && !s.rts],
      ]);
      const breakOn = target.runner.uartEvents.find((e, i) => i >= from && e.line === m && e.brk)!;
      const breakOff = target.runner.uartEvents.find((e, i) => i >= from && e.line === m && e.atMs > breakOn.atMs && !e.brk)!;
      console.log(`hil: BREAK held ${breakOff.atMs - breakOn.atMs} ms on the UART (pyserial asked for 300 ms)`);
      expect(breakOff.atMs - breakOn.atMs).toBeGreaterThanOrEqual(250);
    });

    it("Cisco's 1-byte SET-BAUDRATE is answered in the same form and reaches the UART", async () => {
      const m = target.comPortLine;
      const from = target.runner?.uartEvents.length ?? 0;
      const steps = await runScript("cisco", 2000 + m);
      expect(steps).toEqual([
        { step: "will", agreed: true },
        { step: "baud-index", index: 14, reply: [14] },
        { step: "baud-index", index: 10, reply: [10] },
        { step: "closed" },
      ]);
      if (!target.runner) return;
      await expect.poll(() => target.runner!.uartEvents.slice(from).some((e) => e.line === m && e.baud === 9600), { timeout: 5_000 }).toBe(true);
      expectUartSequence(m, from, [
        ["115200 baud", (s) => s.baud === 115200],
        ["19200 baud", (s) => s.baud === 19200],
        ["9600 restored", (s) => s.baud === 9600],
      ]);
    });
  });
});
