// Simulation speed: 16 idle sessions with keepalives on both ends (r1 tcp-keepalives-in, r2 -out,
// the IOS profile: a probe a minute each way) run for a simulated day: virtual seconds per wall
// second. Poll cost: ns inside r1's firmware per poll with nothing due, against the number of
// open sessions (0, 1, 4, 16 lines connected), timed as in bench/firmware-timer.ts.
import { firmwareTime, installFirmwareTimer, resetFirmwareTime } from "./firmware-timer.ts";
import type { Row } from "./row.ts";
import { World } from "./world.ts";

const DAY_MS = 86_400_000;
/** Polls per batch; the figure is the best batch of BATCHES (the least disturbed by other load). */
const POLLS = 250;
const BATCHES = 40;

export function measureSimSpeed(): { rows: Row[]; figures: Record<string, unknown> } {
  installFirmwareTimer();
  const world = new World({ r1Extra: "service tcp-keepalives-in\n", r2Extra: "service tcp-keepalives-out\n" });
  world.connect(16);
  resetFirmwareTime();
  const frames0 = world.r1.framesOut + world.r2.framesOut;
  const t0 = performance.now();
  world.sim.runFor(DAY_MS);
  const wallMs = performance.now() - t0;
  const frames = world.r1.framesOut + world.r2.framesOut - frames0;
  const calls = firmwareTime("r1").calls + firmwareTime("r2").calls;
  const speed = DAY_MS / wallMs;
  const rows: Row[] = [
    { section: "sim speed", figure: "16 idle keepalive sessions, 1 day", value: `${Math.round(speed)} virtual s / wall s`, reference: `${(wallMs / 1000).toFixed(2)} s wall; ${frames} frames, ${calls} firmware calls` },
  ];
  const pollNs: Record<string, number> = {};
  for (const lines of [0, 1, 4, 16]) {
    const w = new World();
    if (lines > 0) w.connect(lines);
    w.sim.runFor(1000);
    const now = w.sim.nowMs;
    for (let i = 0; i < 2000; i++) w.r1.pollAt(now); // warm up
    const batches: number[] = [];
    for (let b = 0; b < BATCHES; b++) {
      resetFirmwareTime();
      for (let i = 0; i < POLLS; i++) w.r1.pollAt(now);
      batches.push(firmwareTime("r1").ns / POLLS);
    }
    batches.sort((a, b) => a - b);
    const best = batches[0]!;
    const median = batches[BATCHES >> 1]!;
    pollNs[lines] = best;
    rows.push({ section: "sim speed", figure: `poll cost, ${lines} session(s) open`, value: `${best.toFixed(0)} ns/poll`, reference: `median ${median.toFixed(0)}; r1, nothing due; best of ${BATCHES} x ${POLLS}` });
  }
  return { rows, figures: { dayWallMs: wallMs, virtualPerWall: speed, frames, firmwareCalls: calls, pollNs } };
}
