// Corruption aimed where a receiver's checksum must catch it. Real Ethernet drops a damaged frame
// at the FCS; a damage that slips past it is what the IPv4 header checksum (RFC 791) and the ICMP
// (RFC 792) and TCP (RFC 9293 3.1) checksums exist for. So for an IPv4 frame the flipped byte lies
// inside the datagram as its total length gives it (never in the Ethernet padding, which no
// checksum covers). Any other frame is left whole: ARP has no checksum of its own, so only the FCS
// guards it, and a damaged ARP reply that slipped past it would poison a cache for hours, a fault
// no real cable produces at any useful rate. A single changed byte always changes a
// ones'-complement sum, so every flip this makes is detectable.
import type { Prng } from "../prng.ts";
import { ETHERNET_HEADER_BYTES, ETHERTYPE_IPV4, etherType } from "./ethernet.ts";

/** The byte range [start, end) a flip may hit. */
export function corruptibleRange(frame: Uint8Array): [start: number, end: number] {
  if (frame.length < ETHERNET_HEADER_BYTES + 4 || etherType(frame) !== ETHERTYPE_IPV4) return [0, 0];
  const totalLength = (frame[ETHERNET_HEADER_BYTES + 2]! << 8) | frame[ETHERNET_HEADER_BYTES + 3]!;
  const end = Math.min(frame.length, ETHERNET_HEADER_BYTES + Math.max(totalLength, 1));
  return [ETHERNET_HEADER_BYTES, end];
}

/** Flips one byte in place; returns its offset (or -1 when the frame is not corruptible). */
export function corruptFrame(frame: Uint8Array, prng: Prng): number {
  const [start, end] = corruptibleRange(frame);
  if (end <= start) return -1;
  const offset = prng.between(start, end - 1);
  frame[offset] = frame[offset]! ^ prng.between(1, 255);
  return offset;
}
