// Forwarding: 1, 4 and 16 TTY lines streaming serial -> reverse telnet (r1, port 2000+n) -> TCP ->
// r2's telnet client -> r2's tty n, then the other way, with unpaced UARTs (as fast as the
// firmware takes bytes). Figures: aggregate MB/s of wall time (runs without the firmware timer),
// ns per byte inside each firmware instance (bench/firmware-timer.ts, in separate timed runs), and
// the share of one core r1 needs to keep every line busy in both directions at 115200 and 921600
// baud (lines x baud/10 bytes/s each way x ns/byte).
import { firmwareTime, installFirmwareTimer, resetFirmwareTime, uninstallFirmwareTimer } from "./firmware-timer.ts";
import type { Row } from "./row.ts";
import { World } from "./world.ts";

/** Patterns already made, by length and salt: every run of a benchmark streams the same ones. */
const patterns = new Map<string, Buffer>();

/** Printable bytes only: no CR (2000+n maps it), no IAC, not the escape character. A Buffer, so
 * the checker compares received chunks with one native compare (Buffer.compare), not per byte. */
function pattern(length: number, salt: number): Buffer {
  const key = `${length}/${salt}`;
  let out = patterns.get(key);
  if (!out) {
    // (i * 7 + salt) % 94 repeats every 94 bytes: one period, then doubling copies.
    const bytes = new Uint8Array(length);
    for (let i = 0; i < Math.min(length, 94); i++) bytes[i] = 0x21 + ((i * 7 + salt) % 94);
    for (let done = 94; done < length; done *= 2) bytes.copyWithin(done, 0, Math.min(done, length - done));
    out = Buffer.from(bytes.buffer, 0, length);
    patterns.set(key, out);
  }
  return out;
}

export interface Transfer {
  bytes: number;
  wallMs: number;
  /** CPU time of this process (user + system) meanwhile: steadier than wall on a shared machine. */
  cpuMs: number;
  virtualMs: number;
  r1NsPerByte: number;
  r2NsPerByte: number;
}

/** Streams `perLine` bytes into each line's sending end, and waits until every byte arrived intact. */
export function stream(world: World, lines: number, perLine: number, upward: boolean): Transfer {
  const from = upward ? world.r2 : world.r1;
  const to = upward ? world.r1 : world.r2;
  const expected: Buffer[] = [];
  /** What each line received, compared with what was sent once the transfer is over: a copy per
   * chunk (TypedArray set) costs less than a compare per chunk (Buffer.compare's checks and native
   * call), and the check is as exact. */
  const received: Uint8Array[] = [];
  const got: number[] = new Array(lines + 1).fill(0);
  let overrun = 0;
  /** Lines that received all their bytes (done() reads this instead of scanning every line). */
  let complete = 0;
  const detach: (() => void)[] = [];
  for (let n = 1; n <= lines; n++) {
    expected[n] = pattern(perLine, n);
    const into = new Uint8Array(perLine);
    received[n] = into;
    detach.push(to.uart(n).attach({
      data: (bytes) => {
        const at = got[n]!;
        const fits = Math.min(bytes.length, perLine - at);
        if (fits === bytes.length) into.set(bytes, at);
        else {
          if (fits > 0) into.set(bytes.subarray(0, fits), at);
          overrun += bytes.length - Math.max(0, fits);
        }
        got[n] = at + bytes.length;
        if (at < perLine && at + bytes.length >= perLine) complete++;
      },
    }));
  }
  resetFirmwareTime();
  const startMs = world.sim.nowMs;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let n = 1; n <= lines; n++) from.uart(n).send(expected[n]!);
  const done = (): boolean => complete === lines;
  world.sim.runUntilTrue(() => done() || world.r1.state !== "running" || world.r2.state !== "running", 3_600_000);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  for (const d of detach) d();
  if (!done()) throw new Error(`transfer stopped: r1 ${world.r1.state} r2 ${world.r2.state}`);
  let mismatches = 0;
  for (let n = 1; n <= lines; n++) if (expected[n]!.compare(received[n]!) !== 0) mismatches++;
  if (mismatches > 0 || overrun > 0) throw new Error(`transfer corrupted: ${mismatches} lines differ, ${overrun} bytes too many`);
  const bytes = lines * perLine;
  return {
    bytes,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    virtualMs: world.sim.nowMs - startMs,
    r1NsPerByte: firmwareTime("r1").ns / bytes,
    r2NsPerByte: firmwareTime("r2").ns / bytes,
  };
}

/** Bytes per run (all lines together); each direction runs RUNS times and the fastest run (the
 * least disturbed by other load on the machine) is reported. */
const BYTES_TOTAL = 1 << 19;
const RUNS = 5;
/** Runs per direction with the firmware timer (bench/firmware-timer.ts), for ns/B: the timer costs
 * host time per call, so the wall-clock runs go without it, on devices powered on without it. */
const TIMED_RUNS = 3;

export function fastest(runs: Transfer[]): Transfer {
  return runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

function leastFirmwareTime(runs: Transfer[]): Transfer {
  return runs.reduce((a, b) => (b.r1NsPerByte + b.r2NsPerByte < a.r1NsPerByte + a.r2NsPerByte ? b : a));
}

/** A World with `lines` sessions open, warmed up (JIT and connections). */
function connectedWorld(lines: number): World {
  const world = new World();
  world.connect(lines);
  stream(world, lines, 4096, false);
  return world;
}

export function measureForwarding(): { rows: Row[]; figures: Record<string, unknown> } {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  for (const lines of [1, 4, 16]) {
    uninstallFirmwareTimer();
    let world = connectedWorld(lines);
    const downs: Transfer[] = [];
    const ups: Transfer[] = [];
    for (let r = 0; r < RUNS; r++) {
      downs.push(stream(world, lines, BYTES_TOTAL / lines, false));
      ups.push(stream(world, lines, BYTES_TOTAL / lines, true));
    }
    installFirmwareTimer();
    world = connectedWorld(lines);
    const timedDowns: Transfer[] = [];
    const timedUps: Transfer[] = [];
    for (let r = 0; r < TIMED_RUNS; r++) {
      timedDowns.push(stream(world, lines, BYTES_TOTAL / lines, false));
      timedUps.push(stream(world, lines, BYTES_TOTAL / lines, true));
    }
    uninstallFirmwareTimer();
    const timedDown = leastFirmwareTime(timedDowns);
    const timedUp = leastFirmwareTime(timedUps);
    const down: Transfer = { ...fastest(downs), r1NsPerByte: timedDown.r1NsPerByte, r2NsPerByte: timedDown.r2NsPerByte };
    const up: Transfer = { ...fastest(ups), r1NsPerByte: timedUp.r1NsPerByte, r2NsPerByte: timedUp.r2NsPerByte };
    const r1Ns = down.r1NsPerByte + up.r1NsPerByte; // one byte each way
    const share = (baud: number): string => `${((lines * (baud / 10) * r1Ns) / 1e7).toFixed(1)} %`;
    const mbs = (t: Transfer): string => (t.bytes / 1e6 / (t.wallMs / 1000)).toFixed(2);
    const cpuMbs = (t: Transfer): string => (t.bytes / 1e6 / (t.cpuMs / 1000)).toFixed(2);
    rows.push(
      { section: "forwarding", figure: `${lines} line(s) tty->2000+n->peer`, value: `${mbs(down)} MB/s wall (${cpuMbs(down)} cpu)`, reference: `r1 ${down.r1NsPerByte.toFixed(0)} ns/B, r2 ${down.r2NsPerByte.toFixed(0)} ns/B` },
      { section: "forwarding", figure: `${lines} line(s) peer->2000+n->tty`, value: `${mbs(up)} MB/s wall (${cpuMbs(up)} cpu)`, reference: `r1 ${up.r1NsPerByte.toFixed(0)} ns/B, r2 ${up.r2NsPerByte.toFixed(0)} ns/B` },
      { section: "forwarding", figure: `${lines} line(s) all busy, r1 core share`, value: `${share(115200)} at 115200`, reference: `${share(921600)} at 921600 (both ways)` },
    );
    figures[`lines${lines}`] = { down, up, coreShare115200: (lines * 11520 * r1Ns) / 1e9, coreShare921600: (lines * 92160 * r1Ns) / 1e9 };
  }
  return { rows, figures };
}
