// Ethernet II framing facts the virtual network needs (IEEE 802.3 clause 3, RFC 894). The switch
// reads only the two addresses; the fault model reads the EtherType and the IPv4 total length to
// aim corruption at checksummed bytes. Frames carry no FCS here: the simulator's wires do not
// corrupt frames unless told to, and then the IP, ICMP and TCP checksums must catch it.
//
//   0      6      12     14
//   +------+------+------+----------------+
//   | dst  | src  | type | payload ...    |
//   +------+------+------+----------------+

export const ETHERNET_HEADER_BYTES = 14;
/** Shortest frame on the wire without the FCS (IEEE 802.3 4.4.2: 64 bytes with the FCS). */
export const ETHERNET_FRAME_BYTES_MIN = 60;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const MAC_BROADCAST = 0xff_ff_ff_ff_ff_ffn;

export function macToBytes(mac: bigint): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = Number((mac >> BigInt(8 * (5 - i))) & 0xffn);
  return out;
}

export function macFromBytes(bytes: Uint8Array, offset = 0): bigint {
  let mac = 0n;
  for (let i = 0; i < 6; i++) mac = (mac << 8n) | BigInt(bytes[offset + i] ?? 0);
  return mac;
}

/** "02:00:00:00:00:01" */
export function formatMac(mac: bigint): string {
  return Array.from(macToBytes(mac), (b) => b.toString(16).padStart(2, "0")).join(":");
}

export function destinationMac(frame: Uint8Array): bigint {
  return macFromBytes(frame, 0);
}

export function sourceMac(frame: Uint8Array): bigint {
  return macFromBytes(frame, 6);
}

/** Broadcast and multicast destinations have the I/G bit (the first byte's low bit) set. */
export function isGroupMac(mac: bigint): boolean {
  return ((mac >> 40n) & 1n) === 1n;
}

/**
 * The 48-bit address at `offset` as a plain number (exact: below 2^53), for per-frame work such as
 * a switch's table: no BigInt per frame. Equal to Number(macFromBytes(bytes, offset)).
 */
export function macNumberAt(bytes: Uint8Array, offset: number): number {
  const high = (bytes[offset]! << 8) | bytes[offset + 1]!;
  const low = ((bytes[offset + 2]! << 24) | (bytes[offset + 3]! << 16) | (bytes[offset + 4]! << 8) | bytes[offset + 5]!) >>> 0;
  return high * 0x1_0000_0000 + low;
}

/** The I/G bit of the address at `offset` (isGroupMac without building the address). */
export function isGroupMacAt(bytes: Uint8Array, offset: number): boolean {
  return (bytes[offset]! & 1) === 1;
}

export function etherType(frame: Uint8Array): number {
  return frame.length < ETHERNET_HEADER_BYTES ? -1 : (frame[12]! << 8) | frame[13]!;
}
