// IPv4 input and output for an end host (RFC 791; RFC 1122 3.2.1 and 3.3): header checksum
// checked, options skipped, fragments dropped and counted, datagrams for other addresses dropped.
// Output picks the next hop (on-link or the default gateway) and hands the frame to ARP.
//
// The transport above registers its input handler at boot (ipv4SetTcpInput) so that the layers
// import downward only: net never imports tcp.
import { ETHERTYPE_IPV4, ETH_HEADER_LEN, ethEmit } from "../wire/ethernet";
import {
  Ipv4Repr, ipv4Parse, ipv4Emit, IP_OK, IP_BAD_CHECKSUM, IP_FRAGMENT, IP_HEADER_LEN, IP_PROTO_ICMP, IP_PROTO_TCP,
} from "../wire/ipv4";
import {
  ifIp, ifMac, ifGateway, ifUp, onLink, count, IP_RX_PACKETS, IP_RX_BAD_CHECKSUM, IP_RX_MALFORMED, IP_RX_FRAGMENTS,
  IP_RX_NOT_FOR_US, IP_RX_UNKNOWN_PROTOCOL, IP_TX_PACKETS, IP_TX_NO_ROUTE, NET_DROPPED_DOWN,
} from "./config";
import { txFramePtr, txPayload, LINK_MTU } from "./link";
import { arpSend } from "./arp";
import { icmpInput } from "./icmp";

/** RFC 1700's default TTL of 64 is common; IOS sends 255. */
// @ts-ignore: decorator
@inline export const IP_TTL_DEFAULT: u32 = 255;
/** Largest payload in one datagram. */
// @ts-ignore: decorator
@inline export const IP_PAYLOAD_MAX: u32 = LINK_MTU - IP_HEADER_LEN;

const repr = changetype<Ipv4Repr>(memory.data(32, 8));
let ident: u32 = 0;

/** (srcIp, dstIp, segment, length): the TCP input, registered by the TCP layer at boot. */
type TransportInput = (srcIp: u32, dstIp: u32, ptr: usize, len: u32) => void;
let tcpInput: TransportInput | null = null;

export function ipv4SetTcpInput(handler: TransportInput): void {
  tcpInput = handler;
}

export function ipv4Boot(identStart: u32): void {
  ident = identStart & 0xffff;
}

/** Handles one received IPv4 datagram (the Ethernet payload). */
export function ipv4Input(ptr: usize, len: u32): void {
  count(IP_RX_PACKETS);
  const verdict = ipv4Parse(ptr, len, repr);
  if (verdict != IP_OK) {
    count(verdict == IP_BAD_CHECKSUM ? IP_RX_BAD_CHECKSUM : verdict == IP_FRAGMENT ? IP_RX_FRAGMENTS : IP_RX_MALFORMED);
    return;
  }
  if (!ifUp()) {
    count(NET_DROPPED_DOWN);
    return;
  }
  // An end host takes only datagrams for its own address (RFC 1122 3.3.4.2); broadcasts carry
  // nothing this firmware serves. A source that is a broadcast or our own address is bogus
  // (RFC 1122 3.2.1.3).
  if (repr.dstIp != ifIp || repr.srcIp == ifIp || repr.srcIp == 0xffffffff) {
    count(IP_RX_NOT_FOR_US);
    return;
  }
  const payload = ptr + repr.headerLen;
  if (repr.protocol == IP_PROTO_TCP) {
    const handler = tcpInput;
    if (handler !== null) handler(repr.srcIp, repr.dstIp, payload, repr.payloadLen);
  } else if (repr.protocol == IP_PROTO_ICMP) {
    icmpInput(repr.srcIp, payload, repr.payloadLen);
  } else {
    // RFC 1122 3.2.2.1 suggests a protocol-unreachable; counting is enough for a terminal server.
    count(IP_RX_UNKNOWN_PROTOCOL);
  }
}

/** Where the upper layer writes its payload before ipv4Send. */
export function ipv4Payload(): usize {
  return txPayload() + IP_HEADER_LEN;
}

/** The next hop for `dstIp`: itself when on-link, else the gateway; 0 when there is no route. */
export function ipv4NextHop(dstIp: u32): u32 {
  if (onLink(dstIp)) return dstIp;
  return ifGateway;
}

/**
 * Sends the `payloadLen` bytes at ipv4Payload() to `dstIp`. False when it cannot go out now
 * (interface down, no route); a datagram waiting for ARP counts as sent.
 */
export function ipv4Send(dstIp: u32, protocol: u32, payloadLen: u32): bool {
  if (!ifUp()) {
    count(NET_DROPPED_DOWN);
    return false;
  }
  const nextHop = ipv4NextHop(dstIp);
  if (nextHop == 0) {
    count(IP_TX_NO_ROUTE);
    return false;
  }
  ipv4Emit(txPayload(), ifIp, dstIp, protocol, payloadLen, ident, IP_TTL_DEFAULT);
  ident = (ident + 1) & 0xffff;
  ethEmit(txFramePtr(), 0, ifMac, ETHERTYPE_IPV4);
  count(IP_TX_PACKETS);
  arpSend(nextHop, txFramePtr(), ETH_HEADER_LEN + IP_HEADER_LEN + payloadLen);
  return true;
}
