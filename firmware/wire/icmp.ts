// ICMP for IPv4 (RFC 792), the echo messages only (RFC 1122 3.2.2.6: every host answers echo).
// Stateless field access.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Type      |     Code      |          Checksum             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Identifier          |        Sequence Number        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     Data ...
// +-+-+-+-+-
import { load16be, store16be } from "../lib/bytes";
import { checksum } from "./checksum";

// @ts-ignore: decorator
@inline export const ICMP_TYPE: u32 = 0;
// @ts-ignore: decorator
@inline export const ICMP_CODE: u32 = 1;
// @ts-ignore: decorator
@inline export const ICMP_CHECKSUM: u32 = 2;
// @ts-ignore: decorator
@inline export const ICMP_IDENT: u32 = 4;
// @ts-ignore: decorator
@inline export const ICMP_SEQ: u32 = 6;
// @ts-ignore: decorator
@inline export const ICMP_HEADER_LEN: u32 = 8;

// @ts-ignore: decorator
@inline export const ICMP_ECHO_REPLY: u32 = 0;
// @ts-ignore: decorator
@inline export const ICMP_DEST_UNREACHABLE: u32 = 3;
// @ts-ignore: decorator
@inline export const ICMP_ECHO_REQUEST: u32 = 8;

/** True when the message is long enough for a header and its checksum is right. */
export function icmpValid(ptr: usize, len: u32): bool {
  return len >= ICMP_HEADER_LEN && checksum(ptr, len) == 0;
}

export function icmpType(ptr: usize): u32 {
  return load<u8>(ptr + ICMP_TYPE);
}

export function icmpIdent(ptr: usize): u32 {
  return load16be(ptr + ICMP_IDENT);
}

export function icmpSeq(ptr: usize): u32 {
  return load16be(ptr + ICMP_SEQ);
}

/** Writes an echo header over `len` bytes (header + data already in place) and its checksum. */
export function icmpEmitEcho(ptr: usize, len: u32, type: u32, ident: u32, seq: u32): void {
  store<u8>(ptr + ICMP_TYPE, <u8>type);
  store<u8>(ptr + ICMP_CODE, 0);
  store16be(ptr + ICMP_CHECKSUM, 0);
  store16be(ptr + ICMP_IDENT, ident);
  store16be(ptr + ICMP_SEQ, seq);
  store16be(ptr + ICMP_CHECKSUM, checksum(ptr, len));
}
