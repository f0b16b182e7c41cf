// IPv4 headers (RFC 791; host requirements RFC 1122 3.2.1). Stateless: one length check in
// ipv4Parse, then plain field access. Options are skipped (IHL says where the payload starts).
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Version|  IHL  |    DSCP/ECN   |          Total Length         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |         Identification        |Flags|      Fragment Offset    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Time to Live |    Protocol   |         Header Checksum       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       Source Address                          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Destination Address                        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Options (IHL > 5) ...                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import { load16be, load32be, store16be, store32be } from "../lib/bytes";
import { checksum } from "./checksum";

// @ts-ignore: decorator
@inline export const IP_VER_IHL: u32 = 0;
// @ts-ignore: decorator
@inline export const IP_DSCP_ECN: u32 = 1;
// @ts-ignore: decorator
@inline export const IP_TOTAL_LEN: u32 = 2;
// @ts-ignore: decorator
@inline export const IP_IDENT: u32 = 4;
// @ts-ignore: decorator
@inline export const IP_FLAGS_FRAG: u32 = 6;
// @ts-ignore: decorator
@inline export const IP_TTL: u32 = 8;
// @ts-ignore: decorator
@inline export const IP_PROTOCOL: u32 = 9;
// @ts-ignore: decorator
@inline export const IP_CHECKSUM: u32 = 10;
// @ts-ignore: decorator
@inline export const IP_SRC: u32 = 12;
// @ts-ignore: decorator
@inline export const IP_DST: u32 = 16;
// @ts-ignore: decorator
@inline export const IP_HEADER_LEN: u32 = 20;

// @ts-ignore: decorator
@inline export const IP_PROTO_ICMP: u32 = 1;
// @ts-ignore: decorator
@inline export const IP_PROTO_TCP: u32 = 6;

/** Flags/fragment-offset word: More Fragments, and the 13-bit offset (RFC 791 3.1). */
// @ts-ignore: decorator
@inline export const IP_FLAG_MF: u32 = 0x2000;
// @ts-ignore: decorator
@inline export const IP_FLAG_DF: u32 = 0x4000;
// @ts-ignore: decorator
@inline export const IP_FRAG_OFFSET_MASK: u32 = 0x1fff;

// ipv4Parse verdicts: OK, or why the datagram is dropped (each is counted by the caller).
// @ts-ignore: decorator
@inline export const IP_OK: i32 = 0;
// @ts-ignore: decorator
@inline export const IP_MALFORMED: i32 = 1;
// @ts-ignore: decorator
@inline export const IP_BAD_CHECKSUM: i32 = 2;
// @ts-ignore: decorator
@inline export const IP_FRAGMENT: i32 = 3;

/** The parsed form of an IPv4 header (a fixed struct the caller owns). */
// @ts-ignore: decorator
@unmanaged export class Ipv4Repr {
  srcIp: u32;
  dstIp: u32;
  protocol: u32;
  ttl: u32;
  /** Offset of the payload from the header's start (IHL * 4). */
  headerLen: u32;
  /** Payload bytes (total length minus header; Ethernet padding excluded). */
  payloadLen: u32;
}

/** Checks and parses the header of the `len` bytes at `ptr`; returns IP_OK or a drop reason. */
export function ipv4Parse(ptr: usize, len: u32, repr: Ipv4Repr): i32 {
  if (len < IP_HEADER_LEN) return IP_MALFORMED;
  const verIhl = <u32>load<u8>(ptr + IP_VER_IHL);
  const headerLen = (verIhl & 15) << 2;
  const totalLen = load16be(ptr + IP_TOTAL_LEN);
  if (verIhl >> 4 != 4 || headerLen < IP_HEADER_LEN || totalLen < headerLen || totalLen > len) return IP_MALFORMED;
  if (checksum(ptr, headerLen) != 0) return IP_BAD_CHECKSUM;
  // RFC 1122 3.3.2 asks for reassembly; this firmware has no buffer for it and its own traffic
  // never fragments (TCP MSS fits the MTU), so fragments are dropped and counted.
  const frag = load16be(ptr + IP_FLAGS_FRAG);
  if ((frag & IP_FLAG_MF) != 0 || (frag & IP_FRAG_OFFSET_MASK) != 0) return IP_FRAGMENT;
  repr.srcIp = load32be(ptr + IP_SRC);
  repr.dstIp = load32be(ptr + IP_DST);
  repr.protocol = load<u8>(ptr + IP_PROTOCOL);
  repr.ttl = load<u8>(ptr + IP_TTL);
  repr.headerLen = headerLen;
  repr.payloadLen = totalLen - headerLen;
  return IP_OK;
}

/** Writes a 20-byte header (no options) with its checksum; the payload follows at ptr + 20. */
export function ipv4Emit(ptr: usize, srcIp: u32, dstIp: u32, protocol: u32, payloadLen: u32, ident: u32, ttl: u32): void {
  // Paired fields in one network-order store, zeros as they are: fewer calls per segment sent.
  store32be(ptr + IP_VER_IHL, (0x4500 << 16) | (IP_HEADER_LEN + payloadLen)); // DSCP/ECN 0, total length
  store32be(ptr + IP_IDENT, ident << 16); // identification, flags and fragment offset 0
  store32be(ptr + IP_TTL, ((ttl & 0xff) << 24) | ((protocol & 0xff) << 16)); // checksum 0 until summed
  store32be(ptr + IP_SRC, srcIp);
  store32be(ptr + IP_DST, dstIp);
  store16be(ptr + IP_CHECKSUM, checksum(ptr, IP_HEADER_LEN));
}
