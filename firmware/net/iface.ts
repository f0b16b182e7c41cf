// The network interface: Ethernet in and out, ARP, IPv4, ICMP. (Placeholder until the TCP/IP work lands.)
import { NEVER } from "../lib/clock";

export function netBoot(): void {}
export function netPoll(): void {}
export function netDeadline(): u64 {
  return NEVER;
}
export function netInput(ptr: usize, len: u32): void {}
