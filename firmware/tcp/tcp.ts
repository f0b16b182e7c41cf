// TCP: the TCB table, state machine and timers. (Placeholder until the TCP work lands.)
import { NEVER } from "../lib/clock";

export function tcpBoot(): void {}
export function tcpPoll(): void {}
export function tcpDeadline(): u64 {
  return NEVER;
}
