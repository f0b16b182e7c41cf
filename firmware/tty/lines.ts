// The line table: UART rings, line settings, and which exec or session each line runs.
// (Placeholder until the exec work lands: accepts and discards serial input.)
import { NEVER } from "../lib/clock";

export function ttyBoot(): void {}
export function ttyPoll(): void {}
export function ttyDeadline(): u64 {
  return NEVER;
}
export function ttyUartInput(line: u32, ptr: usize, len: u32): u32 {
  return len;
}
export function ttyModem(line: u32, state: u32): void {}
