// TCP segment headers (RFC 9293 3.1) and the options this stack reads (MSS, RFC 9293 3.7.1) or
// skips (SACK-permitted, timestamps, window scale: RFC 9293 3.1 "a TCP implementation MUST be able
// to receive a TCP option in any segment" and ignore those it does not implement). Stateless.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          Source Port          |       Destination Port        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                        Sequence Number                        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Acknowledgment Number                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Data |       |C|E|U|A|P|R|S|F|                               |
// | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
// |       |       |R|E|G|K|H|T|N|N|                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Checksum            |         Urgent Pointer        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Options (Data Offset > 5)                  |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import { load16be, load32be, store16be, store32be } from "../lib/bytes";
import { checksumAdd, checksumFinish, pseudoHeaderSum } from "./checksum";
import { IP_PROTO_TCP } from "./ipv4";

// @ts-ignore: decorator
@inline export const TCP_SRC_PORT: u32 = 0;
// @ts-ignore: decorator
@inline export const TCP_DST_PORT: u32 = 2;
// @ts-ignore: decorator
@inline export const TCP_SEQ: u32 = 4;
// @ts-ignore: decorator
@inline export const TCP_ACK: u32 = 8;
// @ts-ignore: decorator
@inline export const TCP_OFFSET: u32 = 12;
// @ts-ignore: decorator
@inline export const TCP_FLAGS: u32 = 13;
// @ts-ignore: decorator
@inline export const TCP_WINDOW: u32 = 14;
// @ts-ignore: decorator
@inline export const TCP_CHECKSUM: u32 = 16;
// @ts-ignore: decorator
@inline export const TCP_URGENT: u32 = 18;
// @ts-ignore: decorator
@inline export const TCP_HEADER_LEN: u32 = 20;

// Control bits (the low byte of the offset/flags word).
// @ts-ignore: decorator
@inline export const TCP_FIN: u32 = 0x01;
// @ts-ignore: decorator
@inline export const TCP_SYN: u32 = 0x02;
// @ts-ignore: decorator
@inline export const TCP_RST: u32 = 0x04;
// @ts-ignore: decorator
@inline export const TCP_PSH: u32 = 0x08;
// @ts-ignore: decorator
@inline export const TCP_ACK_FLAG: u32 = 0x10;
// @ts-ignore: decorator
@inline export const TCP_URG: u32 = 0x20;

// Option kinds (RFC 9293 3.2; IANA TCP parameters).
// @ts-ignore: decorator
@inline export const TCP_OPT_END: u32 = 0;
// @ts-ignore: decorator
@inline export const TCP_OPT_NOP: u32 = 1;
// @ts-ignore: decorator
@inline export const TCP_OPT_MSS: u32 = 2;
/** The MSS option we send: kind, length 4, 16-bit value. */
// @ts-ignore: decorator
@inline export const TCP_OPT_MSS_LEN: u32 = 4;

/** The parsed form of a segment (a fixed struct the caller owns). `mss` is 0 when absent. */
// @ts-ignore: decorator
@unmanaged export class TcpRepr {
  seq: u32;
  ack: u32;
  srcPort: u32;
  dstPort: u32;
  flags: u32;
  window: u32;
  mss: u32;
  payload: usize;
  payloadLen: u32;
}

/**
 * Checks and parses the segment of `len` bytes at `ptr` that came from `srcIp` to `dstIp`.
 * False when it is malformed or its checksum is wrong (`tcpChecksumOk` tells which).
 */
export function tcpParse(ptr: usize, len: u32, repr: TcpRepr): bool {
  if (len < TCP_HEADER_LEN) return false;
  const headerLen = (<u32>load<u8>(ptr + TCP_OFFSET) >> 4) << 2;
  if (headerLen < TCP_HEADER_LEN || headerLen > len) return false;
  repr.srcPort = load16be(ptr + TCP_SRC_PORT);
  repr.dstPort = load16be(ptr + TCP_DST_PORT);
  repr.seq = load32be(ptr + TCP_SEQ);
  repr.ack = load32be(ptr + TCP_ACK);
  repr.flags = <u32>load<u8>(ptr + TCP_FLAGS) & 0x3f;
  repr.window = load16be(ptr + TCP_WINDOW);
  repr.payload = ptr + headerLen;
  repr.payloadLen = len - headerLen;
  repr.mss = parseMss(ptr + TCP_HEADER_LEN, headerLen - TCP_HEADER_LEN);
  return true;
}

/**
 * The MSS option's value, 0 when absent. Unknown options are skipped by their length; a malformed
 * option list (a length below 2 or past the end) ends the scan: what was read so far stands.
 */
function parseMss(ptr: usize, len: u32): u32 {
  let mss: u32 = 0;
  let at: u32 = 0;
  // Bounded: every step advances `at` by at least one byte of a list of at most 40.
  while (at < len) {
    const kind = <u32>load<u8>(ptr + at);
    if (kind == TCP_OPT_END) break;
    if (kind == TCP_OPT_NOP) {
      at++;
      continue;
    }
    if (at + 1 >= len) break;
    const optLen = <u32>load<u8>(ptr + at + 1);
    if (optLen < 2 || at + optLen > len) break;
    if (kind == TCP_OPT_MSS && optLen == TCP_OPT_MSS_LEN) mss = load16be(ptr + at + 2);
    at += optLen;
  }
  return mss;
}

/** True when the checksum over the pseudo-header and the segment is right (RFC 9293 3.1). */
export function tcpChecksumOk(ptr: usize, len: u32, srcIp: u32, dstIp: u32): bool {
  return checksumFinish(checksumAdd(pseudoHeaderSum(srcIp, dstIp, IP_PROTO_TCP, len), ptr, len)) == 0;
}

/**
 * Writes a header (with an MSS option when `mss` is not 0) at `ptr`, whose payload of `payloadLen`
 * bytes is already in place at ptr + tcpHeaderLen(mss); fills in the checksum. Returns the
 * segment's length.
 */
export function tcpEmit(ptr: usize, repr: TcpRepr, srcIp: u32, dstIp: u32): u32 {
  const headerLen = tcpHeaderLen(repr.mss);
  // Paired fields in one network-order store, zeros as they are: fewer calls per segment sent.
  store32be(ptr + TCP_SRC_PORT, (repr.srcPort << 16) | (repr.dstPort & 0xffff));
  store32be(ptr + TCP_SEQ, repr.seq);
  store32be(ptr + TCP_ACK, repr.ack);
  store32be(ptr + TCP_OFFSET, (((headerLen >> 2) << 12) | (repr.flags & 0xff)) << 16 | (repr.window & 0xffff));
  store<u32>(ptr + TCP_CHECKSUM, 0); // checksum (until summed) and urgent pointer
  if (repr.mss != 0) {
    store<u8>(ptr + TCP_HEADER_LEN, <u8>TCP_OPT_MSS);
    store<u8>(ptr + TCP_HEADER_LEN + 1, <u8>TCP_OPT_MSS_LEN);
    store16be(ptr + TCP_HEADER_LEN + 2, repr.mss);
  }
  const len = headerLen + repr.payloadLen;
  const sum = checksumAdd(pseudoHeaderSum(srcIp, dstIp, IP_PROTO_TCP, len), ptr, len);
  store16be(ptr + TCP_CHECKSUM, checksumFinish(sum));
  return len;
}

/** Header length of an emitted segment: 20, or 24 with the MSS option. */
// @ts-ignore: decorator
@inline export function tcpHeaderLen(mss: u32): u32 {
  return mss != 0 ? TCP_HEADER_LEN + TCP_OPT_MSS_LEN : TCP_HEADER_LEN;
}
