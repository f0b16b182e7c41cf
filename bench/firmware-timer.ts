// Time spent inside the firmware, measured by wrapping the simulator's Device: every call into a
// firmware instance (Device.call and its copies for poll, deadline, serial, frame) is timed with
// process.hrtime, and every HAL function the firmware calls back (net-tx, uart-tx, log...) is timed
// too and subtracted, since that is host work. The wrappers' own cost (the timer reads, the BigInt
// sums, the calls through them) is calibrated on no-op functions wrapped the same way and taken
// off per call and per HAL callback. The patch is installed once per process, in the benchmark only.
import { Device } from "../host-sim/device.ts";

/** Device's private entry points into the firmware (host-sim/device.ts): `call` for any work, and
 * one each for the data path's calls (no closure per call). */
const CALLS = ["call", "callPoll", "callDeadline", "callSerial", "callFrame"] as const;

type Method = (...args: unknown[]) => unknown;
type Internals = Record<(typeof CALLS)[number], Method> & { makeHal(): Record<string, Method> };

export interface FirmwareTime {
  calls: number;
  /** Wall ns inside calls, HAL callbacks and the wrappers' calibrated cost excluded. */
  ns: number;
}

interface Tally {
  calls: number;
  halCalls: number;
  /** ns between a call's two timer reads, less its HAL callbacks' ns between their own reads. */
  rawNs: bigint;
}

const tallies = new Map<string, Tally>();
let installed = false;
/** Calibrated cost, ns, that a wrapped call and a wrapped HAL callback add to rawNs. */
let callBiasNs = 0;
let halBiasNs = 0;

// The state the wrappers share: nesting depth (a reload's boot runs inside a call), and the HAL's
// time and callbacks so far (a call subtracts what its callbacks added meanwhile).
let depth = 0;
let halNs = 0n;
let halCalls = 0;

function tallyOf(name: string): Tally {
  let t = tallies.get(name);
  if (!t) {
    t = { calls: 0, halCalls: 0, rawNs: 0n };
    tallies.set(name, t);
  }
  return t;
}

/** `call` timed into the tally of `this.name` (a Device's name). */
function timedCall(call: Method): Method {
  return function (this: { name: string }, ...args: unknown[]): unknown {
    if (depth > 0) return call.apply(this, args);
    depth++;
    const halNsBefore = halNs;
    const halCallsBefore = halCalls;
    const t0 = process.hrtime.bigint();
    try {
      return call.apply(this, args);
    } finally {
      const t1 = process.hrtime.bigint();
      depth--;
      const t = tallyOf(this.name);
      t.calls++;
      t.halCalls += halCalls - halCallsBefore;
      t.rawNs += t1 - t0 - (halNs - halNsBefore);
    }
  };
}

function timedHal(fn: Method): Method {
  return (...args: unknown[]) => {
    const t0 = process.hrtime.bigint();
    try {
      return fn(...args);
    } finally {
      halNs += process.hrtime.bigint() - t0;
      halCalls++;
    }
  };
}

/** The wrappers around no-ops: what one call, and one HAL callback within it, add (best of 9). */
function calibrate(): void {
  const name = "#calibration";
  const noHal = timedCall(() => undefined);
  const hal = timedHal(() => 0);
  const withHal = timedCall(() => hal());
  const self = { name };
  const perCall = (f: Method): number => {
    const rounds = 20_000;
    tallies.delete(name);
    for (let i = 0; i < rounds; i++) f.call(self);
    return Number(tallyOf(name).rawNs) / rounds;
  };
  let call = Infinity;
  let both = Infinity;
  for (let batch = 0; batch < 9; batch++) {
    call = Math.min(call, perCall(noHal));
    both = Math.min(both, perCall(withHal));
  }
  tallies.delete(name);
  callBiasNs = call;
  halBiasNs = Math.max(0, both - call);
}

/** Device's own methods, while the timer's wrappers replace them. */
let originals: Internals | undefined;

/**
 * Wraps Device's firmware calls (and the HAL of devices powered on from now) with timers, until
 * uninstallFirmwareTimer. The timers cost host time per call (two hrtime reads, BigInt sums), so
 * wall-clock figures are taken with the timer uninstalled and on devices powered on without it.
 */
export function installFirmwareTimer(): void {
  if (installed) return;
  installed = true;
  if (callBiasNs === 0) calibrate();
  const proto = Device.prototype as unknown as Internals;
  const makeHal = proto.makeHal;
  originals = { makeHal } as Internals;
  for (const name of CALLS) {
    const call = proto[name];
    if (typeof call !== "function") throw new Error(`Device has no ${name}: bench/firmware-timer.ts is out of date`);
    originals[name] = call;
    proto[name] = timedCall(call);
  }
  proto.makeHal = function (this: Device) {
    const timed: Record<string, Method> = {};
    for (const [name, fn] of Object.entries(makeHal.call(this))) timed[name] = timedHal(fn);
    return timed;
  };
}

/** Puts Device's own methods back. A device powered on while the timer was installed keeps its
 * timed HAL (cheap to leave: its wrappers only add time to a sum nobody reads). */
export function uninstallFirmwareTimer(): void {
  if (!installed || !originals) return;
  Object.assign(Device.prototype, originals);
  originals = undefined;
  installed = false;
}

/** Firmware time per device name since the last reset. */
export function firmwareTime(name: string): FirmwareTime {
  const t = tallies.get(name);
  if (!t) return { calls: 0, ns: 0 };
  return { calls: t.calls, ns: Math.max(0, Number(t.rawNs) - t.calls * callBiasNs - t.halCalls * halBiasNs) };
}

/** What the calibration takes off: ns per call and per HAL callback (for the docs and the JSON). */
export function timerBias(): { callNs: number; halNs: number } {
  return { callNs: callBiasNs, halNs: halBiasNs };
}

export function resetFirmwareTime(): void {
  tallies.clear();
}
