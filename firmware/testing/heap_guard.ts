// Test entry: proves the allocator guard. Allocating before boot works; after boot it panics.
import "../hal/abort";
import { sealHeap, heapUsed } from "../lib/runtime";

// Template literals stay AssemblyScript strings (plain literals are text-table handles).
let kept: string = ``;

export function boot(): void {
  sealHeap();
}

/** Builds a string at run time, which allocates. */
export function allocate(n: i32): i32 {
  kept = `line ` + n.toString();
  return kept.length;
}

export function heap(): u32 {
  return <u32>heapUsed();
}
