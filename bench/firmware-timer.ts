// Time spent inside the firmware, measured by wrapping the simulator's Device: every call into a
// firmware instance (Device.call and its copies for poll, deadline, serial, frame) is timed with
// process.hrtime, and every HAL function the firmware calls back (net-tx, uart-tx, log...) is timed
// too and subtracted, since that is host work. A calibrated cost of the timer pair itself is taken
// off each call. The patch is installed once per process and only in the benchmark.
import { Device } from "../host-sim/device.ts";

/** Device's private entry points into the firmware (host-sim/device.ts): `call` for any work, and
 * one each for the data path's calls (no closure per call). */
const CALLS = ["call", "callPoll", "callDeadline", "callSerial", "callFrame"] as const;

type Internals = Record<(typeof CALLS)[number], (...args: unknown[]) => unknown> & {
  makeHal(): Record<string, (...args: unknown[]) => unknown>;
};

export interface FirmwareTime {
  calls: number;
  /** Wall ns inside calls, HAL callbacks excluded. */
  ns: number;
}

const totals = new Map<string, FirmwareTime>();
let installed = false;
let timerPairNs = 0;

function calibrate(): number {
  const rounds = 200_000;
  const t0 = process.hrtime.bigint();
  let sink = 0n;
  for (let i = 0; i < rounds; i++) sink += process.hrtime.bigint() - process.hrtime.bigint();
  const t1 = process.hrtime.bigint();
  if (sink > 0n) throw new Error("clock went backwards");
  return Number(t1 - t0) / rounds / 2;
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
  timerPairNs ||= calibrate();
  const proto = Device.prototype as unknown as Internals;
  const makeHal = proto.makeHal;
  originals = { makeHal } as Internals;
  let depth = 0;
  let halNs = 0n;
  for (const name of CALLS) {
    const call = proto[name];
    originals[name] = call;
    if (typeof call !== "function") throw new Error(`Device has no ${name}: bench/firmware-timer.ts is out of date`);
    proto[name] = function (this: Device, ...args: unknown[]): unknown {
      if (depth > 0) return call.apply(this, args); // a reload's boot inside a call
      depth++;
      const halBefore = halNs;
      const t0 = process.hrtime.bigint();
      try {
        return call.apply(this, args);
      } finally {
        const spent = Number(process.hrtime.bigint() - t0 - (halNs - halBefore)) - timerPairNs;
        depth--;
        const t = totals.get(this.name) ?? { calls: 0, ns: 0 };
        t.calls++;
        t.ns += Math.max(0, spent);
        totals.set(this.name, t);
      }
    };
  }
  proto.makeHal = function (this: Device) {
    const hal = makeHal.call(this);
    const timed: Record<string, (...args: unknown[]) => unknown> = {};
    for (const [name, fn] of Object.entries(hal)) {
      timed[name] = (...args: unknown[]) => {
        const t0 = process.hrtime.bigint();
        try {
          return fn(...args);
        } finally {
          halNs += process.hrtime.bigint() - t0 + BigInt(Math.round(timerPairNs));
        }
      };
    }
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
  return { ...(totals.get(name) ?? { calls: 0, ns: 0 }) };
}

export function resetFirmwareTime(): void {
  totals.clear();
}
