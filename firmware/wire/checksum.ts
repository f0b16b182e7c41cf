// The internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the
// data taken as big-endian 16-bit words. IPv4 headers, ICMP and TCP (with its pseudo-header,
// RFC 9293 3.1) all use it. Stateless: callers accumulate with checksumAdd and finish with
// checksumFinish, so a header and a payload in different places sum without copying.

/**
 * Adds `len` bytes at `ptr` to the running 32-bit sum `sum` (an odd last byte is padded with zero).
 * The bytes are summed as little-endian 64-bit loads split into 32-bit halves in a 64-bit
 * accumulator (RFC 1071 2(C), "deferred carries": at most 2^13 loads per frame cannot overflow
 * 64 bits), folded once with end-around carries, and byte-swapped at the end (RFC 1071 2(B): the
 * one's complement sum is independent of byte order, so the sum of little-endian words is the
 * byte-swapped sum of the big-endian ones). Returns `sum` plus the chunk's folded 16-bit sum:
 * the same value modulo 0xffff as adding every big-endian word, so checksumFinish gives the same.
 */
export function checksumAdd(sum: u32, ptr: usize, len: u32): u32 {
  let acc: u64 = 0;
  let i: u32 = 0;
  for (; i + 16 <= len; i += 16) {
    const a = load<u64>(ptr + i);
    const b = load<u64>(ptr + i, 8);
    acc += (a & 0xffffffff) + (a >> 32) + (b & 0xffffffff) + (b >> 32);
  }
  if (i + 8 <= len) {
    const a = load<u64>(ptr + i);
    acc += (a & 0xffffffff) + (a >> 32);
    i += 8;
  }
  if (i + 4 <= len) {
    acc += <u64>load<u32>(ptr + i);
    i += 4;
  }
  if (i + 2 <= len) {
    acc += <u64>load<u16>(ptr + i);
    i += 2;
  }
  if (i < len) acc += <u64>load<u8>(ptr + i);
  // Fold 64 -> 32 -> 16 bits with end-around carries (three folds reach 32 bits for any acc).
  acc = (acc & 0xffffffff) + (acc >> 32);
  acc = (acc & 0xffffffff) + (acc >> 32);
  let x = <u32>((acc & 0xffffffff) + (acc >> 32));
  x = (x & 0xffff) + (x >>> 16);
  x = (x & 0xffff) + (x >>> 16);
  return sum + <u32>bswap<u16>(<u16>x);
}

/** Folds the carries and complements: the value to store in the checksum field. */
export function checksumFinish(sum: u32): u32 {
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The checksum of `len` bytes at `ptr`; 0 when the bytes include a correct checksum field. */
export function checksum(ptr: usize, len: u32): u32 {
  return checksumFinish(checksumAdd(0, ptr, len));
}

/** The start of the TCP/UDP pseudo-header sum (RFC 9293 3.1): source, destination (each as two
 * 16-bit words), protocol, length. */
export function pseudoHeaderSum(srcIp: u32, dstIp: u32, protocol: u32, len: u32): u32 {
  return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + len;
}
