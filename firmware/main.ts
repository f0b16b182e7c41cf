// The firmware's exports (the world `firmware` in hal.wit) and nothing else: each one hands its
// input to the layer that owns it. See ../README.md, "Porting to a device".
import "./hal/abort";
import { STAGING_BYTES } from "./lib/limits";
import { sealHeap, heapUsed } from "./lib/runtime";

/** The one buffer the host writes call arguments into (canonical ABI cabi_realloc). */
const staging = memory.data(STAGING_BYTES, 16);

export function boot(): void {
  sealHeap();
}

export function poll(nowMs: u64): void {}

export function deadline(): u64 {
  return u64.MAX_VALUE;
}

export function frame(ptr: usize, len: usize): void {}

export function serial(line: u32, ptr: usize, len: usize): u32 {
  return <u32>len;
}

export function modem(line: u32, state: u32): void {}

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

