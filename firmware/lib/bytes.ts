// Byte access in network order (big-endian) and small memory helpers. Wasm is little-endian, so
// every multi-byte protocol field goes through these (bswap once per access).
import { Text, textLen, textPtr } from "./text-table";

// @ts-ignore: decorator
@inline export function load16be(ptr: usize): u32 {
  return <u32>bswap<u16>(load<u16>(ptr));
}

// @ts-ignore: decorator
@inline export function load32be(ptr: usize): u32 {
  return bswap<u32>(load<u32>(ptr));
}

// @ts-ignore: decorator
@inline export function store16be(ptr: usize, value: u32): void {
  store<u16>(ptr, bswap<u16>(<u16>value));
}

// @ts-ignore: decorator
@inline export function store32be(ptr: usize, value: u32): void {
  store<u32>(ptr, bswap<u32>(value));
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
