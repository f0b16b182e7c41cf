// Host-side frame builders for network tests: Ethernet II, ARP (RFC 826), IPv4 (RFC 791) and ICMP
// echo (RFC 792), with the Internet checksum (RFC 1071). Test scaffolding only: the firmware has its
// own wire layer; these let tests and the fake host speak to the kernel without it.
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, macToBytes } from "../../host-sim/network/ethernet.ts";

export function ethernet(destination: bigint, source: bigint, type: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(14 + payload.length);
  frame.set(macToBytes(destination), 0);
  frame.set(macToBytes(source), 6);
  frame[12] = type >> 8;
  frame[13] = type & 0xff;
  frame.set(payload, 14);
  return frame;
}

/** RFC 1071: the ones'-complement sum of 16-bit words, complemented. */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function ipv4Bytes(address: string): Uint8Array {
  return Uint8Array.from(address.split(".").map(Number));
}

export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return Array.from(bytes.subarray(offset, offset + 4)).join(".");
}

/*  ARP for Ethernet/IPv4 (RFC 826), 28 bytes:
 *  htype 1 | ptype 0800 | hlen 6 | plen 4 | oper | sha(6) | spa(4) | tha(6) | tpa(4)          */
export function arp(operation: 1 | 2, senderMac: bigint, senderIp: string, targetMac: bigint, targetIp: string): Uint8Array {
  const body = new Uint8Array(28);
  body.set([0, 1, 0x08, 0x00, 6, 4, 0, operation], 0);
  body.set(macToBytes(senderMac), 8);
  body.set(ipv4Bytes(senderIp), 14);
  body.set(macToBytes(targetMac), 18);
  body.set(ipv4Bytes(targetIp), 24);
  return body;
}

/*  IPv4 header without options (RFC 791), 20 bytes:
 *  ver/ihl 45 | tos | total length | id | flags/frag | ttl | protocol | checksum | src | dst     */
export function ipv4(protocol: number, source: string, destination: string, payload: Uint8Array, id = 0, ttl = 64): Uint8Array {
  const packet = new Uint8Array(20 + payload.length);
  packet.set([0x45, 0, packet.length >> 8, packet.length & 0xff, id >> 8, id & 0xff, 0x40, 0, ttl, protocol], 0);
  packet.set(ipv4Bytes(source), 12);
  packet.set(ipv4Bytes(destination), 16);
  const checksum = internetChecksum(packet.subarray(0, 20));
  packet[10] = checksum >> 8;
  packet[11] = checksum & 0xff;
  packet.set(payload, 20);
  return packet;
}

/*  ICMP echo (RFC 792): type | code | checksum | identifier | sequence | data                    */
export function icmpEcho(type: 0 | 8, identifier: number, sequence: number, data: Uint8Array): Uint8Array {
  const message = new Uint8Array(8 + data.length);
  message.set([type, 0, 0, 0, identifier >> 8, identifier & 0xff, sequence >> 8, sequence & 0xff], 0);
  message.set(data, 8);
  const checksum = internetChecksum(message);
  message[2] = checksum >> 8;
  message[3] = checksum & 0xff;
  return message;
}

export { ETHERTYPE_ARP, ETHERTYPE_IPV4 };
