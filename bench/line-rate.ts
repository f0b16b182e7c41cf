// Core share at line rate: every TTY line busy in both directions at its baud rate, with the UARTs
// paced (bytes arrive at 921600 baud, not as fast as the firmware takes them), for LINE_RATE_MS of
// virtual time. r1's time inside the firmware (bench/firmware-timer.ts) over that virtual time is
// the share of one core r1 needs. forwarding.ts's estimate (unpaced ns/B x the line rate) is an
// upper bound: unpaced, every few bytes cost a whole poll; paced, a poll carries what arrived
// since the last one. Also reported: the rate the lines achieved against their baud rate.
import { firmwareTime, installFirmwareTimer, resetFirmwareTime } from "./firmware-timer.ts";
import type { Row } from "./row.ts";
import { World } from "./world.ts";

/** Virtual time each line streams, both ways. */
const LINE_RATE_MS = 500;
const RUNS = 5;

/** Printable bytes (no CR, no IAC), different for each salt. */
function pattern(length: number, salt: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = 0x21 + ((i * 7 + salt) % 94);
  return out;
}

interface LineRate {
  /** Share of one core inside r1's firmware (0..1). */
  r1Share: number;
  r2Share: number;
  /** Bytes per second per line and direction achieved, over baud / 10. */
  rateRatio: number;
  virtualMs: number;
  wallMs: number;
}

/** Bytes each line streams per direction: LINE_RATE_MS of line time at `baud` (8N1). */
export function lineRateBytes(baud: number): number {
  return Math.round(((baud / 10) * LINE_RATE_MS) / 1000);
}

/**
 * Streams `perLine` bytes on each of lines 1..lines, one direction (`up`: r2's ttys to r1's) or
 * both at once, until every byte arrived; throws when one differs or the transfer stops. The sends
 * only queue bytes, so the firmware runs from the start of the virtual and wall times returned.
 */
export function streamPaced(world: World, lines: number, perLine: number, directions: "down" | "up" | "both"): { virtualMs: number; wallMs: number } {
  const got = new Map<string, number>();
  let mismatches = 0;
  const detach: (() => void)[] = [];
  for (let n = 1; n <= lines; n++) {
    const pairs = [[world.r1, world.r2], [world.r2, world.r1]] as const;
    for (const [from, to] of directions === "both" ? pairs : directions === "down" ? [pairs[0]] : [pairs[1]]) {
      const key = `${to.name}${n}`;
      const data = pattern(perLine, n + (to === world.r1 ? 100 : 0));
      got.set(key, 0);
      detach.push(to.uart(n).attach({
        data: (bytes) => {
          let at = got.get(key)!;
          for (let i = 0; i < bytes.length; i++) if (data[at++] !== bytes[i]) mismatches++;
          got.set(key, at);
        },
      }));
      from.uart(n).send(data);
    }
  }
  const startMs = world.sim.nowMs;
  const t0 = performance.now();
  const done = (): boolean => [...got.values()].every((g) => g >= perLine);
  world.sim.runUntilTrue(() => done() || world.r1.state !== "running" || world.r2.state !== "running", 60_000);
  const wallMs = performance.now() - t0;
  for (const d of detach) d();
  if (!done() || mismatches > 0) throw new Error(`line-rate transfer failed: ${mismatches} bytes differ, r1 ${world.r1.state}`);
  return { virtualMs: world.sim.nowMs - startMs, wallMs };
}

/** Streams one direction or both at once (streamPaced), with r1's and r2's firmware time. */
function run(world: World, lines: number, baud: number, directions: "down" | "up" | "both"): LineRate {
  const perLine = lineRateBytes(baud);
  resetFirmwareTime();
  const { virtualMs, wallMs } = streamPaced(world, lines, perLine, directions);
  return {
    r1Share: firmwareTime("r1").ns / (virtualMs * 1e6),
    r2Share: firmwareTime("r2").ns / (virtualMs * 1e6),
    rateRatio: (perLine / (virtualMs / 1000)) / (baud / 10),
    virtualMs,
    wallMs,
  };
}

function best(world: World, lines: number, baud: number, directions: "down" | "up" | "both"): LineRate {
  run(world, lines, baud, directions); // warm up
  const runs = Array.from({ length: RUNS }, () => run(world, lines, baud, directions));
  return runs.reduce((a, b) => (b.r1Share < a.r1Share ? b : a));
}

export function measureLineRate(): { rows: Row[]; figures: Record<string, unknown> } {
  installFirmwareTimer();
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const baud = 921600;
  const pct = (share: number): string => `${(share * 100).toFixed(1)} %`;
  for (const lines of [1, 16]) {
    const world = new World({ baud, paced: true });
    world.connect(lines);
    const down = best(world, lines, baud, "down");
    const up = best(world, lines, baud, "up");
    rows.push({
      section: "line rate",
      figure: `${lines} line(s) at ${baud} paced, each way`,
      value: `r1 ${pct(down.r1Share + up.r1Share)} of a core`,
      reference: `down ${pct(down.r1Share)} + up ${pct(up.r1Share)}; ${(Math.min(down.rateRatio, up.rateRatio) * 100).toFixed(0)} % of line rate; r2 ${pct(down.r2Share + up.r2Share)}`,
    });
    // Both directions at once, in a fresh world: the session pumps may stall when both send rings
    // fill (issue 6); reported as such rather than hidden.
    let both: LineRate | string;
    try {
      const fresh = new World({ baud, paced: true });
      fresh.connect(lines);
      both = best(fresh, lines, baud, "both");
      rows.push({ section: "line rate", figure: `${lines} line(s) at ${baud} paced, both at once`, value: `r1 ${pct(both.r1Share)} of a core`, reference: `${(both.rateRatio * 100).toFixed(0)} % of line rate; r2 ${pct(both.r2Share)}` });
    } catch (error) {
      both = error instanceof Error ? error.message : String(error);
      rows.push({ section: "line rate", figure: `${lines} line(s) at ${baud} paced, both at once`, value: "stalls", reference: both.slice(0, 60) });
    }
    figures[`lines${lines}`] = { down, up, both };
  }
  return { rows, figures };
}
