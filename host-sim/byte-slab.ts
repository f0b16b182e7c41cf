// Copies of small byte arrays (frames, UART chunks) without an ArrayBuffer each. `slice()` makes a
// new ArrayBuffer per copy, which V8 allocates outside its heap (over a microsecond for a few
// hundred bytes, and work for the GC later); here copies are carved out of a shared slab instead,
// one after the other, and a slab is never written again once a copy is cut from it. So a copy is
// still owned by whoever gets it: nothing else references or overwrites its bytes. A slab is freed
// when the last copy cut from it is; a consumer that keeps one copy keeps its whole slab, which
// bounds the cost at SLAB_BYTES per kept copy (captures keep every frame anyway).

const SLAB_BYTES = 64 * 1024;
/** Larger copies get their own buffer (slice): they are rare, and would waste slab space. */
const SLAB_COPY_MAX = 4096;

/** V8's typed_array_max_size_in_heap: arrays up to this many bytes are allocated in the JS heap
 * (about 0.1 us), larger ones get an ArrayBuffer outside it (about 1 us). */
const ON_HEAP_BYTES_MAX = 64;
const typedSlice = Uint8Array.prototype.slice;

let slab = new Uint8Array(SLAB_BYTES);
let slabBuffer = slab.buffer;
let used = 0;

/** A copy of `source[start, end)` that nothing else references. */
export function copyBytes(source: Uint8Array, start = 0, end = source.length): Uint8Array {
  const length = end - start;
  if (length > SLAB_COPY_MAX || length < 0) {
    // Not source.slice(): a Buffer's slice is a view, not a copy.
    const own = new Uint8Array(Math.max(0, length));
    own.set(source.subarray(start, end));
    return own;
  }
  // V8 keeps arrays this small inside its heap: an own array is cheaper than a slab view there.
  // Only from a plain Uint8Array: a Buffer's slice is a view, and its species would give a Buffer.
  if (length <= ON_HEAP_BYTES_MAX && source.constructor === Uint8Array) return typedSlice.call(source, start, end) as Uint8Array;
  if (used + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabBuffer = slab.buffer;
    used = 0;
  }
  slab.set(start === 0 && end === source.length ? source : source.subarray(start, end), used);
  const out = new Uint8Array(slabBuffer, used, length);
  used += length;
  return out;
}
