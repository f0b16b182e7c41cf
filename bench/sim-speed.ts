// Simulation speed: 16 idle sessions with keepalives on both ends (r1 tcp-keepalives-in, r2 -out,
// the IOS profile: a probe a minute each way) run for a simulated day: virtual seconds per wall
// second. Poll and deadline cost: ns inside r1's firmware per poll with nothing due (the deadline
// asked after each, as the simulator does) and per deadline() call, against the number of open
// sessions (0, 1, 4, 16 lines connected), timed as in bench/firmware-timer.ts.
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
  const { rows: idleRows, pollNs, deadlineNs } = measureIdleCost();
  rows.push(...idleRows);
  return { rows, figures: { dayWallMs: wallMs, virtualPerWall: speed, frames, firmwareCalls: calls, pollNs, deadlineNs } };
}

/**
 * Best and median firmware ns per call of `call` over BATCHES batches of POLLS calls; `between`
 * runs after each call, untimed (the deadline ask the simulator makes after every poll).
 */
function timeCalls(call: () => void, between: () => void): { best: number; median: number } {
  for (let i = 0; i < 2000; i++) {
    call(); // warm up
    between();
  }
  const batches: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    resetFirmwareTime();
    let ns = 0;
    for (let i = 0; i < POLLS; i++) {
      const before = firmwareTime("r1").ns;
      call();
      ns += firmwareTime("r1").ns - before;
      between();
    }
    batches.push(ns / POLLS);
  }
  batches.sort((a, b) => a - b);
  return { best: batches[0]!, median: batches[BATCHES >> 1]! };
}

/**
 * The fixed cost of an idle device: r1's poll with nothing due, and its deadline() (which the
 * simulator asks after nearly every call), against the number of open sessions.
 */
export function measureIdleCost(): { rows: Row[]; pollNs: Record<string, number>; deadlineNs: Record<string, number> } {
  installFirmwareTimer();
  const rows: Row[] = [];
  const pollNs: Record<string, number> = {};
  const deadlineNs: Record<string, number> = {};
  for (const lines of [0, 1, 4, 16]) {
    const w = new World();
    if (lines > 0) w.connect(lines);
    w.sim.runFor(1000);
    const now = w.sim.nowMs;
    const internals = w.r1 as unknown as { deadlineStale: boolean };
    const ask = (): void => {
      internals.deadlineStale = true;
      w.r1.nextDeadlineMs();
    };
    const poll = timeCalls(() => w.r1.pollAt(now), ask);
    const deadline = timeCalls(ask, () => {});
    pollNs[lines] = poll.best;
    deadlineNs[lines] = deadline.best;
    rows.push({ section: "sim speed", figure: `poll cost, ${lines} session(s) open`, value: `${poll.best.toFixed(0)} ns/poll`, reference: `median ${poll.median.toFixed(0)}; r1, nothing due, deadline asked after each; best of ${BATCHES} x ${POLLS}` });
    rows.push({ section: "sim speed", figure: `deadline cost, ${lines} session(s) open`, value: `${deadline.best.toFixed(0)} ns/call`, reference: `median ${deadline.median.toFixed(0)}; r1, nothing due; best of ${BATCHES} x ${POLLS}` });
  }
  return { rows, pollNs, deadlineNs };
}
