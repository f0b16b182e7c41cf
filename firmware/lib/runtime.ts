// The firmware's allocator: a bump allocator over the fixed memory that refuses to work after boot.
//
// DESIGN.md invariant 3: nothing is allocated after boot. Tables live in static memory
// (memory.data); anything that still allocates (a `new`, a string concatenation, an Array push)
// goes through AssemblyScript's `__new`/`__renew`, which the build aliases to fixedNew/fixedRenew
// (`--runtime stub --use __new=... --use __renew=...`). Once boot seals the heap, they panic, so a
// violation cannot go unnoticed. Nothing is freed. No global needs a start function: heapTop == 0
// stands for "nothing allocated yet", and the heap's start is a constant of the module.
import { AL_MASK, OBJECT, OBJECT_OVERHEAD, OBJECT_MAXSIZE, BLOCK, BLOCK_OVERHEAD } from "rt/common";

let heapTop: usize = 0;
let sealed: bool = false;

function heapStart(): usize {
  return ((__heap_base + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
}

/** Ends the boot phase: from now on every allocation is a fatal error. */
export function sealHeap(): void {
  sealed = true;
}

/** Bytes handed out since power-on (0 when all memory is static). */
export function heapUsed(): usize {
  return heapTop == 0 ? 0 : heapTop - heapStart();
}

function bumpBlock(size: usize): usize {
  assert(!sealed, "allocation after boot");
  if (heapTop == 0) heapTop = heapStart();
  const payload = ((size + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
  const ptr = heapTop + BLOCK_OVERHEAD;
  assert(ptr + payload <= (<usize>memory.size() << 16), "out of memory at boot");
  changetype<BLOCK>(heapTop).mmInfo = payload;
  heapTop = ptr + payload;
  return ptr;
}

export function fixedNew(size: usize, id: u32): usize {
  assert(size <= OBJECT_MAXSIZE, "object too large");
  const ptr = bumpBlock(OBJECT_OVERHEAD + size);
  const object = changetype<OBJECT>(ptr - BLOCK_OVERHEAD);
  object.gcInfo = 0;
  object.gcInfo2 = 0;
  object.rtId = id;
  object.rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

export function fixedRenew(oldPtr: usize, size: usize): usize {
  const old = changetype<OBJECT>(oldPtr - OBJECT_OVERHEAD - BLOCK_OVERHEAD);
  const moved = fixedNew(size, old.rtId);
  memory.copy(moved, oldPtr, min<usize>(<usize>old.rtSize, size));
  return moved;
}
