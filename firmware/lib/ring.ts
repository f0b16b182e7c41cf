// A byte ring in static memory: the queue between every producer and consumer of bytes (UART
// receive and transmit, TCP send and receive). Bounded by construction; a full ring refuses bytes
// and says how many it took, so callers apply back-pressure instead of losing data.
//
// Layout (16 bytes, at a fixed address in a table):
//   +0 buf: usize   start of the storage
//   +4 cap: u32     storage size in bytes
//   +8 head: u32    index of the oldest byte
//   +12 count: u32  bytes stored

// @ts-ignore: decorator
@unmanaged export class Ring {
  buf: usize;
  cap: u32;
  head: u32;
  count: u32;
}

// @ts-ignore: decorator
@inline export const RING_HEADER_BYTES: i32 = 16;

export function ringInit(ring: Ring, buf: usize, cap: u32): void {
  ring.buf = buf;
  ring.cap = cap;
  ring.head = 0;
  ring.count = 0;
}

export function ringFree(ring: Ring): u32 {
  return ring.cap - ring.count;
}

export function ringClear(ring: Ring): void {
  ring.head = 0;
  ring.count = 0;
}

/** Appends up to `len` bytes from `src`; returns how many fit. */
export function ringWrite(ring: Ring, src: usize, len: u32): u32 {
  const n = min<u32>(len, ring.cap - ring.count);
  let tail = ring.head + ring.count;
  if (tail >= ring.cap) tail -= ring.cap;
  const first = min<u32>(n, ring.cap - tail);
  memory.copy(ring.buf + tail, src, first);
  memory.copy(ring.buf, src + first, n - first);
  ring.count += n;
  return n;
}

/** Appends one byte; false when full. */
export function ringPut(ring: Ring, byte: u32): bool {
  if (ring.count == ring.cap) return false;
  let tail = ring.head + ring.count;
  if (tail >= ring.cap) tail -= ring.cap;
  store<u8>(ring.buf + tail, <u8>byte);
  ring.count++;
  return true;
}

/** Appends two bytes (an escaped byte, a CR LF); the caller checked ringFree >= 2. */
export function ringPut2(ring: Ring, first: u32, second: u32): void {
  let tail = ring.head + ring.count;
  if (tail >= ring.cap) tail -= ring.cap;
  store<u8>(ring.buf + tail, <u8>first);
  tail++;
  if (tail == ring.cap) tail = 0;
  store<u8>(ring.buf + tail, <u8>second);
  ring.count += 2;
}

/** Copies up to `len` bytes starting `offset` bytes past the head, without consuming them. */
export function ringPeek(ring: Ring, offset: u32, dst: usize, len: u32): u32 {
  if (offset >= ring.count) return 0;
  const n = min<u32>(len, ring.count - offset);
  let start = ring.head + offset;
  if (start >= ring.cap) start -= ring.cap;
  const first = min<u32>(n, ring.cap - start);
  memory.copy(dst, ring.buf + start, first);
  memory.copy(dst + first, ring.buf, n - first);
  return n;
}

/** The byte `offset` past the head (offset < count). */
export function ringAt(ring: Ring, offset: u32): u32 {
  let at = ring.head + offset;
  if (at >= ring.cap) at -= ring.cap;
  return load<u8>(ring.buf + at);
}

/** Discards up to `len` bytes from the head; returns how many. */
export function ringDrop(ring: Ring, len: u32): u32 {
  const n = min<u32>(len, ring.count);
  ring.head += n;
  if (ring.head >= ring.cap) ring.head -= ring.cap;
  ring.count -= n;
  if (ring.count == 0) ring.head = 0;
  return n;
}

/** Moves up to `len` bytes out to `dst`; returns how many. */
export function ringRead(ring: Ring, dst: usize, len: u32): u32 {
  const n = ringPeek(ring, 0, dst, len);
  ringDrop(ring, n);
  return n;
}

/** Contiguous bytes readable at the head without wrapping (for zero-copy hand-off). */
export function ringContiguous(ring: Ring): u32 {
  return min<u32>(ring.count, ring.cap - ring.head);
}

/** Address of the head byte. */
export function ringHeadPtr(ring: Ring): usize {
  return ring.buf + ring.head;
}
