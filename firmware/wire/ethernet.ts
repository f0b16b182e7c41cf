// Ethernet II frames (IEEE 802.3 with an EtherType): destination, source, type, payload; no FCS
// (the NIC strips and appends it). Stateless field access over a frame in memory.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                 destination MAC (6 octets) ...                |
// +                               +-------------------------------+
// |                               |    source MAC (6 octets) ...  |
// +-------------------------------+                               +
// |                                                               |
// +-------------------------------+-------------------------------+
// |           EtherType           |  payload ...
// +-------------------------------+
import { load16be, store16be } from "../lib/bytes";

// Field offsets (smoltcp's `mod field`).
// @ts-ignore: decorator
@inline export const ETH_DST: u32 = 0;
// @ts-ignore: decorator
@inline export const ETH_SRC: u32 = 6;
// @ts-ignore: decorator
@inline export const ETH_TYPE: u32 = 12;
// @ts-ignore: decorator
@inline export const ETH_HEADER_LEN: u32 = 14;

// @ts-ignore: decorator
@inline export const ETHERTYPE_IPV4: u32 = 0x0800;
// @ts-ignore: decorator
@inline export const ETHERTYPE_ARP: u32 = 0x0806;

/** The broadcast address ff:ff:ff:ff:ff:ff as a 48-bit value. */
// @ts-ignore: decorator
@inline export const MAC_BROADCAST: u64 = 0xffffffffffff;

/** Reads a 48-bit MAC address at `ptr` (first octet in bits 47..40). */
export function loadMac(ptr: usize): u64 {
  let mac: u64 = 0;
  for (let i: usize = 0; i < 6; i++) mac = (mac << 8) | <u64>load<u8>(ptr + i);
  return mac;
}

export function storeMac(ptr: usize, mac: u64): void {
  for (let i: usize = 0; i < 6; i++) store<u8>(ptr + i, <u8>(mac >> (<u64>(40 - 8 * i))));
}

export function ethDst(frame: usize): u64 {
  return loadMac(frame + ETH_DST);
}

export function ethSrc(frame: usize): u64 {
  return loadMac(frame + ETH_SRC);
}

export function ethType(frame: usize): u32 {
  return load16be(frame + ETH_TYPE);
}

/** Writes the 14-byte header; the payload follows at frame + ETH_HEADER_LEN. */
export function ethEmit(frame: usize, dst: u64, src: u64, etherType: u32): void {
  storeMac(frame + ETH_DST, dst);
  storeMac(frame + ETH_SRC, src);
  store16be(frame + ETH_TYPE, etherType);
}
