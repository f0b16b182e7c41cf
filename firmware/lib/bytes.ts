// Byte access in network order (big-endian) and small memory helpers. Wasm is little-endian, so
// every multi-byte protocol field goes through these (bswap once per access).
import { Text, textLen, textPtr } from "./text-table";

// The swaps are written out, not bswap<T>(): that is a function of its own in the module, so each
// access cost two calls (these helpers are called, not inlined, to keep the module small).

export function load16be(ptr: usize): u32 {
  const v = <u32>load<u16>(ptr);
  return ((v & 0xff) << 8) | (v >> 8);
}

export function load32be(ptr: usize): u32 {
  const v = load<u32>(ptr);
  return rotl<u32>(v & 0xff00ff00, 8) | rotr<u32>(v & 0x00ff00ff, 8);
}

export function store16be(ptr: usize, value: u32): void {
  store<u16>(ptr, <u16>(((value & 0xff) << 8) | ((value >> 8) & 0xff)));
}

export function store32be(ptr: usize, value: u32): void {
  store<u32>(ptr, rotl<u32>(value & 0xff00ff00, 8) | rotr<u32>(value & 0x00ff00ff, 8));
}

/** True when `len` bytes at `a` and `b` are equal. */
export function bytesEqual(a: usize, b: usize, len: usize): bool {
  for (let i: usize = 0; i < len; i++) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
  }
  return true;
}

/** True when the `len` bytes at `ptr` spell the text `s` exactly. */
export function bytesEqualString(ptr: usize, len: usize, s: Text): bool {
  return <usize>textLen(s) == len && bytesEqual(ptr, textPtr(s), len);
}

// @ts-ignore: decorator
@inline const BYTES_ONES: u64 = 0x0101010101010101;
// @ts-ignore: decorator
@inline const BYTES_HIGHS: u64 = 0x8080808080808080;

/**
 * The index of the first byte in `len` bytes at `ptr` equal to `a` or `b` (pass a == b for one
 * value), or `len` when there is none. Eight bytes per step: a byte of x is zero where
 * (x - 0x01..01) & ~x & 0x80..80 has its high bit, and the lowest flagged byte is always a true
 * zero (a borrow only runs upward), so ctz finds the first match in memory order (little-endian).
 */
export function bytesFind2(ptr: usize, len: u32, a: u32, b: u32): u32 {
  const pa = <u64>(a & 0xff) * BYTES_ONES;
  const pb = <u64>(b & 0xff) * BYTES_ONES;
  let i: u32 = 0;
  for (; i + 8 <= len; i += 8) {
    const w = load<u64>(ptr + i);
    const xa = w ^ pa;
    const xb = w ^ pb;
    const m = ((xa - BYTES_ONES) & ~xa & BYTES_HIGHS) | ((xb - BYTES_ONES) & ~xb & BYTES_HIGHS);
    if (m != 0) return i + <u32>(ctz<u64>(m) >> 3);
  }
  for (; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    if (c == a || c == b) return i;
  }
  return len;
}
