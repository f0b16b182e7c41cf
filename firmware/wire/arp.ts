// ARP for IPv4 over Ethernet (RFC 826): the one packet format the cache needs. Stateless.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |     hardware type (1)         |     protocol type (0x0800)    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  hw len (6)   | proto len (4) |     operation (1 req, 2 rep)  |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            sender hardware address (SHA, 6 octets) ...        |
// +                               +-------------------------------+
// |                               | sender protocol address (SPA) |
// +-------------------------------+-------------------------------+
// |     ... SPA                   | target hardware address (THA) |
// +-------------------------------+                               +
// |                   ... THA (6 octets)                          |
// +-------------------------------+-------------------------------+
// |              target protocol address (TPA, 4 octets)          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import { load16be, load32be, store16be, store32be } from "../lib/bytes";
import { loadMac, storeMac } from "./ethernet";

// @ts-ignore: decorator
@inline export const ARP_HTYPE: u32 = 0;
// @ts-ignore: decorator
@inline export const ARP_PTYPE: u32 = 2;
// @ts-ignore: decorator
@inline export const ARP_HLEN: u32 = 4;
// @ts-ignore: decorator
@inline export const ARP_PLEN: u32 = 5;
// @ts-ignore: decorator
@inline export const ARP_OPER: u32 = 6;
// @ts-ignore: decorator
@inline export const ARP_SHA: u32 = 8;
// @ts-ignore: decorator
@inline export const ARP_SPA: u32 = 14;
// @ts-ignore: decorator
@inline export const ARP_THA: u32 = 18;
// @ts-ignore: decorator
@inline export const ARP_TPA: u32 = 24;
// @ts-ignore: decorator
@inline export const ARP_PACKET_LEN: u32 = 28;

// @ts-ignore: decorator
@inline export const ARP_OP_REQUEST: u32 = 1;
// @ts-ignore: decorator
@inline export const ARP_OP_REPLY: u32 = 2;

/** The parsed form of an ARP packet (a fixed struct the caller owns). */
// @ts-ignore: decorator
@unmanaged export class ArpRepr {
  senderMac: u64;
  targetMac: u64;
  senderIp: u32;
  targetIp: u32;
  operation: u32;
}

/** Parses an Ethernet/IPv4 ARP packet; false when it is too short or another kind of ARP. */
export function arpParse(ptr: usize, len: u32, repr: ArpRepr): bool {
  if (len < ARP_PACKET_LEN) return false;
  if (load16be(ptr + ARP_HTYPE) != 1 || load16be(ptr + ARP_PTYPE) != 0x0800) return false;
  if (load<u8>(ptr + ARP_HLEN) != 6 || load<u8>(ptr + ARP_PLEN) != 4) return false;
  repr.operation = load16be(ptr + ARP_OPER);
  repr.senderMac = loadMac(ptr + ARP_SHA);
  repr.senderIp = load32be(ptr + ARP_SPA);
  repr.targetMac = loadMac(ptr + ARP_THA);
  repr.targetIp = load32be(ptr + ARP_TPA);
  return true;
}

/** Writes the 28-byte packet. */
export function arpEmit(ptr: usize, repr: ArpRepr): void {
  store16be(ptr + ARP_HTYPE, 1);
  store16be(ptr + ARP_PTYPE, 0x0800);
  store<u8>(ptr + ARP_HLEN, 6);
  store<u8>(ptr + ARP_PLEN, 4);
  store16be(ptr + ARP_OPER, repr.operation);
  storeMac(ptr + ARP_SHA, repr.senderMac);
  store32be(ptr + ARP_SPA, repr.senderIp);
  storeMac(ptr + ARP_THA, repr.targetMac);
  store32be(ptr + ARP_TPA, repr.targetIp);
}
