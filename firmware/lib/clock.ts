// The firmware's notion of time: the instant of the current poll, given by the host (the firmware
// never reads a clock; smoltcp's poll(timestamp)). Deadlines are absolute instants in ms.

/** "No deadline": later than any instant. */
// @ts-ignore: decorator
@inline export const NEVER: u64 = u64.MAX_VALUE;

let currentMs: u64 = 0;

/** Set by poll; time never goes backwards (a host that steps back is ignored). */
export function setNow(nowMs: u64): void {
  if (nowMs > currentMs) currentMs = nowMs;
}

export function now(): u64 {
  return currentMs;
}
