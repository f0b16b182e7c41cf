// The internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the
// data taken as big-endian 16-bit words. IPv4 headers, ICMP and TCP (with its pseudo-header,
// RFC 9293 3.1) all use it. Stateless: callers accumulate with checksumAdd and finish with
// checksumFinish, so a header and a payload in different places sum without copying.

/** Adds `len` bytes at `ptr` to the running 32-bit sum `sum` (an odd last byte is padded with zero). */
export function checksumAdd(sum: u32, ptr: usize, len: u32): u32 {
  let i: u32 = 0;
  // Two bytes at a time; a 32-bit sum of 16-bit words cannot overflow for any frame we handle
  // (at most 65535 words of 0xffff), and checksumFinish folds the carries.
  for (; i + 1 < len; i += 2) {
    sum += (<u32>load<u8>(ptr + i) << 8) | <u32>load<u8>(ptr + i + 1);
  }
  if (i < len) sum += <u32>load<u8>(ptr + i) << 8;
  return sum;
}

/** Adds a 32-bit value (an address in the pseudo-header) as two 16-bit words. */
// @ts-ignore: decorator
@inline export function checksumAddU32(sum: u32, value: u32): u32 {
  return sum + (value >>> 16) + (value & 0xffff);
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

/** The start of the TCP/UDP pseudo-header sum (RFC 9293 3.1): source, destination, protocol, length. */
export function pseudoHeaderSum(srcIp: u32, dstIp: u32, protocol: u32, len: u32): u32 {
  return checksumAddU32(checksumAddU32(0, srcIp), dstIp) + protocol + len;
}
