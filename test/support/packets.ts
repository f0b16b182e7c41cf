// A host-side packet toolkit: build and parse Ethernet II, ARP, IPv4, ICMP echo and TCP, with
// correct checksums (or deliberately wrong ones). Independent of the firmware's own code, so the
// tests check the firmware against a second implementation. Used by the TCP/IP tests, the TAP
// bridge and the fuzzers.

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const MAC_BROADCAST = 0xffff_ffff_ffffn;
export const IP_PROTO_ICMP = 1;
export const IP_PROTO_TCP = 6;

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;

// --- Addresses ---

/** "10.0.0.1" -> 0x0a000001. */
export function ip(text: string): number {
  const parts = text.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`bad IPv4 address ${text}`);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function ipText(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

export function macText(mac: bigint): string {
  return Array.from({ length: 6 }, (_, i) => Number((mac >> BigInt(40 - 8 * i)) & 0xffn).toString(16).padStart(2, "0")).join(":");
}

function putMac(view: DataView, at: number, mac: bigint): void {
  for (let i = 0; i < 6; i++) view.setUint8(at + i, Number((mac >> BigInt(40 - 8 * i)) & 0xffn));
}

function getMac(view: DataView, at: number): bigint {
  let mac = 0n;
  for (let i = 0; i < 6; i++) mac = (mac << 8n) | BigInt(view.getUint8(at + i));
  return mac;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// --- The internet checksum (RFC 1071) ---

export function checksumSum(bytes: Uint8Array, sum = 0): number {
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1]! << 8;
  return sum;
}

export function checksumFinish(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

export function internetChecksum(bytes: Uint8Array): number {
  return checksumFinish(checksumSum(bytes));
}

function pseudoHeaderSum(srcIp: number, dstIp: number, protocol: number, length: number): number {
  return (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + protocol + length;
}

// --- Ethernet II ---

export interface EthernetFrame {
  dst: bigint;
  src: bigint;
  type: number;
  payload: Uint8Array;
}

export function buildEthernet(frame: EthernetFrame): Uint8Array {
  const bytes = new Uint8Array(14 + frame.payload.length);
  const view = viewOf(bytes);
  putMac(view, 0, frame.dst);
  putMac(view, 6, frame.src);
  view.setUint16(12, frame.type);
  bytes.set(frame.payload, 14);
  return bytes;
}

export function parseEthernet(bytes: Uint8Array): EthernetFrame {
  if (bytes.length < 14) throw new Error(`frame of ${bytes.length} bytes is shorter than an Ethernet header`);
  const view = viewOf(bytes);
  return { dst: getMac(view, 0), src: getMac(view, 6), type: view.getUint16(12), payload: bytes.subarray(14) };
}

// --- ARP (RFC 826, Ethernet/IPv4) ---

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export interface ArpPacket {
  op: number;
  senderMac: bigint;
  senderIp: number;
  targetMac: bigint;
  targetIp: number;
}

export function buildArp(arp: ArpPacket): Uint8Array {
  const bytes = new Uint8Array(28);
  const view = viewOf(bytes);
  view.setUint16(0, 1);
  view.setUint16(2, ETHERTYPE_IPV4);
  view.setUint8(4, 6);
  view.setUint8(5, 4);
  view.setUint16(6, arp.op);
  putMac(view, 8, arp.senderMac);
  view.setUint32(14, arp.senderIp);
  putMac(view, 18, arp.targetMac);
  view.setUint32(24, arp.targetIp);
  return bytes;
}

export function parseArp(bytes: Uint8Array): ArpPacket {
  if (bytes.length < 28) throw new Error("short ARP packet");
  const view = viewOf(bytes);
  return { op: view.getUint16(6), senderMac: getMac(view, 8), senderIp: view.getUint32(14), targetMac: getMac(view, 18), targetIp: view.getUint32(24) };
}

// --- IPv4 (RFC 791) ---

export interface Ipv4Packet {
  src: number;
  dst: number;
  protocol: number;
  payload: Uint8Array;
  ttl?: number;
  ident?: number;
  /** The flags/fragment-offset word: 0x2000 More Fragments, 0x4000 Don't Fragment, low 13 bits offset. */
  fragment?: number;
  /** Header options (a multiple of 4 bytes). */
  options?: Uint8Array;
  /** Set to a wrong value on purpose; computed when absent. */
  checksum?: number;
}

export interface ParsedIpv4 extends Required<Omit<Ipv4Packet, "options">> {
  options: Uint8Array;
  checksumOk: boolean;
  headerLength: number;
}

export function buildIpv4(packet: Ipv4Packet): Uint8Array {
  const options = packet.options ?? new Uint8Array(0);
  if (options.length % 4 !== 0) throw new Error("IPv4 options must fill whole 32-bit words");
  const headerLength = 20 + options.length;
  const bytes = new Uint8Array(headerLength + packet.payload.length);
  const view = viewOf(bytes);
  view.setUint8(0, 0x40 | (headerLength / 4));
  view.setUint16(2, bytes.length);
  view.setUint16(4, packet.ident ?? 0);
  view.setUint16(6, packet.fragment ?? 0);
  view.setUint8(8, packet.ttl ?? 64);
  view.setUint8(9, packet.protocol);
  view.setUint32(12, packet.src);
  view.setUint32(16, packet.dst);
  bytes.set(options, 20);
  view.setUint16(10, packet.checksum ?? internetChecksum(bytes.subarray(0, headerLength)));
  bytes.set(packet.payload, headerLength);
  return bytes;
}

export function parseIpv4(bytes: Uint8Array): ParsedIpv4 {
  const view = viewOf(bytes);
  const headerLength = (view.getUint8(0) & 15) * 4;
  const total = view.getUint16(2);
  if (view.getUint8(0) >> 4 !== 4 || headerLength < 20 || total > bytes.length) throw new Error("malformed IPv4 header");
  return {
    src: view.getUint32(12),
    dst: view.getUint32(16),
    protocol: view.getUint8(9),
    ttl: view.getUint8(8),
    ident: view.getUint16(4),
    fragment: view.getUint16(6),
    checksum: view.getUint16(10),
    options: bytes.slice(20, headerLength),
    payload: bytes.slice(headerLength, total),
    checksumOk: internetChecksum(bytes.subarray(0, headerLength)) === 0,
    headerLength,
  };
}

// --- ICMP echo (RFC 792) ---

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;

export interface IcmpEcho {
  type: number;
  ident: number;
  seq: number;
  data: Uint8Array;
  code?: number;
  checksum?: number;
}

export function buildIcmpEcho(echo: IcmpEcho): Uint8Array {
  const bytes = new Uint8Array(8 + echo.data.length);
  const view = viewOf(bytes);
  view.setUint8(0, echo.type);
  view.setUint8(1, echo.code ?? 0);
  view.setUint16(4, echo.ident);
  view.setUint16(6, echo.seq);
  bytes.set(echo.data, 8);
  view.setUint16(2, echo.checksum ?? internetChecksum(bytes));
  return bytes;
}

export function parseIcmpEcho(bytes: Uint8Array): IcmpEcho & { checksumOk: boolean } {
  const view = viewOf(bytes);
  return {
    type: view.getUint8(0),
    code: view.getUint8(1),
    checksum: view.getUint16(2),
    ident: view.getUint16(4),
    seq: view.getUint16(6),
    data: bytes.slice(8),
    checksumOk: internetChecksum(bytes) === 0,
  };
}

// --- TCP (RFC 9293) ---

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** Raw option bytes, padded to a multiple of 4 by buildTcp. */
  options?: Uint8Array;
  payload?: Uint8Array;
  urgent?: number;
  /** Set to a wrong value on purpose; computed when absent. */
  checksum?: number;
}

export interface ParsedTcp extends Required<Omit<TcpSegment, "checksum">> {
  checksumOk: boolean;
  /** The MSS option's value, undefined when absent. */
  mss: number | undefined;
}

export const TcpOption = {
  /** MSS option (kind 2, length 4). */
  mss: (value: number): number[] => [2, 4, value >> 8, value & 255],
  nop: (): number[] => [1],
  sackPermitted: (): number[] => [4, 2],
  timestamps: (value: number, echo: number): number[] => [8, 10, ...u32Bytes(value), ...u32Bytes(echo)],
  windowScale: (shift: number): number[] => [3, 3, shift],
};

function u32Bytes(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
}

/** The options of a Linux SYN: MSS 1460, SACK-permitted, timestamps, NOP, window scale 7. */
export function linuxSynOptions(): Uint8Array {
  return new Uint8Array([...TcpOption.mss(1460), ...TcpOption.sackPermitted(), ...TcpOption.timestamps(123456, 0), ...TcpOption.nop(), ...TcpOption.windowScale(7)]);
}

export function buildTcp(segment: TcpSegment, srcIp: number, dstIp: number): Uint8Array {
  const rawOptions = segment.options ?? new Uint8Array(0);
  const optionLength = Math.ceil(rawOptions.length / 4) * 4;
  const payload = segment.payload ?? new Uint8Array(0);
  const headerLength = 20 + optionLength;
  const bytes = new Uint8Array(headerLength + payload.length);
  const view = viewOf(bytes);
  view.setUint16(0, segment.srcPort);
  view.setUint16(2, segment.dstPort);
  view.setUint32(4, segment.seq >>> 0);
  view.setUint32(8, segment.ack >>> 0);
  view.setUint8(12, (headerLength / 4) << 4);
  view.setUint8(13, segment.flags);
  view.setUint16(14, segment.window);
  view.setUint16(18, segment.urgent ?? 0);
  bytes.set(rawOptions, 20);
  bytes.set(payload, headerLength);
  const sum = checksumSum(bytes, pseudoHeaderSum(srcIp, dstIp, IP_PROTO_TCP, bytes.length));
  view.setUint16(16, segment.checksum ?? checksumFinish(sum));
  return bytes;
}

export function parseTcp(bytes: Uint8Array, srcIp: number, dstIp: number): ParsedTcp {
  const view = viewOf(bytes);
  const headerLength = (view.getUint8(12) >> 4) * 4;
  if (bytes.length < 20 || headerLength < 20 || headerLength > bytes.length) throw new Error("malformed TCP header");
  const options = bytes.slice(20, headerLength);
  return {
    srcPort: view.getUint16(0),
    dstPort: view.getUint16(2),
    seq: view.getUint32(4),
    ack: view.getUint32(8),
    flags: view.getUint8(13) & 0x3f,
    window: view.getUint16(14),
    urgent: view.getUint16(18),
    options,
    payload: bytes.slice(headerLength),
    checksumOk: checksumFinish(checksumSum(bytes, pseudoHeaderSum(srcIp, dstIp, IP_PROTO_TCP, bytes.length))) === 0,
    mss: findMss(options),
  };
}

function findMss(options: Uint8Array): number | undefined {
  for (let at = 0; at < options.length;) {
    const kind = options[at]!;
    if (kind === 0) break;
    if (kind === 1) {
      at++;
      continue;
    }
    const length = options[at + 1] ?? 0;
    if (length < 2) break;
    if (kind === 2 && length === 4) return (options[at + 2]! << 8) | options[at + 3]!;
    at += length;
  }
  return undefined;
}

/** "SYN|ACK" for 0x12: readable flags in test failures. */
export function flagsText(flags: number): string {
  const names: [number, string][] = [[FIN, "FIN"], [SYN, "SYN"], [RST, "RST"], [PSH, "PSH"], [ACK, "ACK"], [URG, "URG"]];
  const set = names.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  return set.length > 0 ? set.join("|") : "none";
}

// --- Whole frames ---

export interface Endpoint {
  mac: bigint;
  ip: number;
}

/** An Ethernet frame carrying an IPv4 datagram from `from` to `to`. */
export function ipv4Frame(from: Endpoint, to: Endpoint, protocol: number, payload: Uint8Array, extra: Partial<Ipv4Packet> = {}): Uint8Array {
  return buildEthernet({ dst: to.mac, src: from.mac, type: ETHERTYPE_IPV4, payload: buildIpv4({ src: from.ip, dst: to.ip, protocol, payload, ...extra }) });
}

/** An Ethernet frame carrying a TCP segment from `from` to `to`. */
export function tcpFrame(from: Endpoint, to: Endpoint, segment: TcpSegment): Uint8Array {
  return ipv4Frame(from, to, IP_PROTO_TCP, buildTcp(segment, from.ip, to.ip));
}

/** An ARP packet in a frame (requests go to the broadcast address). */
export function arpFrame(arp: ArpPacket, dstMac?: bigint): Uint8Array {
  return buildEthernet({ dst: dstMac ?? (arp.op === ARP_REQUEST ? MAC_BROADCAST : arp.targetMac), src: arp.senderMac, type: ETHERTYPE_ARP, payload: buildArp(arp) });
}

/** What a frame is, in one parsed form (for captures). */
export type Decoded =
  | { kind: "arp"; eth: EthernetFrame; arp: ArpPacket }
  | { kind: "tcp"; eth: EthernetFrame; ip: ParsedIpv4; tcp: ParsedTcp }
  | { kind: "icmp"; eth: EthernetFrame; ip: ParsedIpv4; icmp: IcmpEcho & { checksumOk: boolean } }
  | { kind: "other"; eth: EthernetFrame };

export function decodeFrame(bytes: Uint8Array): Decoded {
  const eth = parseEthernet(bytes);
  if (eth.type === ETHERTYPE_ARP) return { kind: "arp", eth, arp: parseArp(eth.payload) };
  if (eth.type === ETHERTYPE_IPV4) {
    const packet = parseIpv4(eth.payload);
    if (packet.protocol === IP_PROTO_TCP) return { kind: "tcp", eth, ip: packet, tcp: parseTcp(packet.payload, packet.src, packet.dst) };
    if (packet.protocol === IP_PROTO_ICMP) return { kind: "icmp", eth, ip: packet, icmp: parseIcmpEcho(packet.payload) };
  }
  return { kind: "other", eth };
}
