// The firmware's exports (the world `firmware` in hal.wit) and nothing else: each one hands its
// input to the layer that owns it. See ../README.md, "Porting to a device".
import "./cli/exec-state"; // first: its `out` writer gets a low address (see there)
import "./hal/abort";
import { STAGING_BYTES } from "./lib/limits";
import { sealHeap, heapUsed } from "./lib/runtime";
import { setNow } from "./lib/clock";
import { netBoot, netPoll, netDeadline, netInput } from "./net/iface";
import { tcpBoot, tcpPoll, tcpDeadline, tcpOutputAll } from "./tcp/tcp";
import { ttyBoot, ttyPoll, ttyDeadline, ttyUartInput, ttyModem } from "./tty/lines";
import { configBoot } from "./config/startup";
import { sessionsBoot, sessionsPoll, sessionsListen, sessionsDeadline } from "./tty/termsrv";

/** The one buffer the host writes call arguments into (canonical ABI cabi_realloc). */
const staging = memory.data(STAGING_BYTES, 16);

export function boot(): void {
  netBoot();
  tcpBoot();
  ttyBoot();
  sessionsBoot();
  configBoot(); // replays the startup-config from NVRAM through the exec
  sealHeap();
}

export function poll(nowMs: u64): void {
  setNow(nowMs);
  netPoll();
  tcpPoll();
  sessionsPoll();
  ttyPoll();
  sessionsListen();
  tcpOutputAll();
}

export function deadline(): u64 {
  return min<u64>(min<u64>(netDeadline(), sessionsDeadline()), min<u64>(tcpDeadline(), ttyDeadline()));
}

export function frame(ptr: usize, len: usize): void {
  netInput(ptr, <u32>len);
}

export function serial(line: u32, ptr: usize, len: usize): u32 {
  return ttyUartInput(line, ptr, <u32>len);
}

export function modem(line: u32, state: u32): void {
  ttyModem(line, state);
}

export function heap(): u32 {
  return <u32>heapUsed();
}

/**
 * Canonical ABI allocator for the host: always the static staging buffer, because the host never
 * allocates in the guest. Arguments larger than the buffer are a host bug.
 */
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  assert(newSize <= <usize>STAGING_BYTES && oldPtr == 0, "cabi_realloc: argument larger than the staging buffer");
  return staging;
}
