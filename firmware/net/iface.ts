// The network interface: the firmware's entry points for frames (netInput, netPoll, netDeadline)
// and the configuration API the exec calls (`ip address`, `ip default-gateway`, `shutdown`).
//
// Received frames wait in a small FIFO between frame() and the next poll: a frame arrives without
// a timestamp, and only poll knows what time it is (the host polls at once after a frame). When a
// frame does not fit, the oldest waiting frames are handled there and then (the poll's work, with
// the clock of the last poll) until it does, so a burst of frames between two polls is never lost:
// the FIFO's size only sets how many frames a poll handles together. Each frame is kept contiguous
// (a record never wraps), so it is parsed where it lies.
import { halNetMac, halRandom } from "../hal/imports";
import { NET_RX_RING_BYTES, FRAME_BYTES_MAX } from "../lib/limits";
import { now } from "../lib/clock";
import { ETH_HEADER_LEN, ETHERTYPE_ARP, ETHERTYPE_IPV4, MAC_BROADCAST, ethDst, ethType } from "../wire/ethernet";
import {
  ifMac, ifIp, ifMask, ifGateway, ifShutdown, configSetMac, configSetAddress, configSetGateway, configSetShutdown, count, countBy,
  NET_RX_FRAMES, NET_RX_BYTES, NET_RX_BAD_LENGTH, NET_RX_BROADCASTS, NET_RX_IGNORED,
} from "./config";
import { arpBoot, arpInput, arpPoll, arpDeadline, arpAnnounce, arpFlush } from "./arp";
import { ipv4Boot, ipv4Input } from "./ipv4";
import { icmpBoot, icmpPoll, icmpDeadline } from "./icmp";

/** Most frames the FIFO can hold (the smallest record is 4 + ETH_HEADER_LEN bytes, rounded up):
 * a poll handles every waiting frame, so the bound on its work is the FIFO's size. */
// @ts-ignore: decorator
@inline const RX_FRAMES_MAX: i32 = NET_RX_RING_BYTES / 20;

// The receive FIFO: records of [length: u16][unused: u16][frame], each rounded up to 4 bytes.
// A record that does not fit before the end starts again at 0; a length of WRAP marks the gap.
const rxBuf = memory.data(NET_RX_RING_BYTES, 4);
let rxHead: u32 = 0;
let rxTail: u32 = 0;
let rxFrames: u32 = 0;
// @ts-ignore: decorator
@inline const WRAP: u32 = 0xffff;

// @ts-ignore: decorator
@inline function recordBytes(len: u32): u32 {
  return (4 + len + 3) & ~3;
}

export function netBoot(): void {
  configSetMac(halNetMac() & 0xffffffffffff);
  arpBoot();
  ipv4Boot(halRandom());
  icmpBoot(halRandom());
}

/** One received frame: kept for the next poll; when the FIFO has no room for it, the frames
 * ahead of it are handled first (in order) to make room. */
export function netInput(ptr: usize, len: u32): void {
  if (len < ETH_HEADER_LEN || len > <u32>FRAME_BYTES_MAX) {
    count(NET_RX_BAD_LENGTH);
    return;
  }
  // Bounded: each round handles one waiting frame, and an empty FIFO takes any frame.
  for (let i = 0; i < NET_RX_RING_BYTES / 64 && !enqueue(ptr, len); i++) handleOldest();
}

/** Appends one frame to the FIFO; false when it has no room for it. */
function enqueue(ptr: usize, len: u32): bool {
  const cap = <u32>NET_RX_RING_BYTES;
  const need = recordBytes(len);
  if (rxFrames == 0) {
    rxHead = 0;
    rxTail = 0;
  }
  let at = rxTail;
  if (rxFrames == 0 || rxTail > rxHead) {
    // Free space is [tail, cap) and then [0, head).
    if (cap - rxTail < need) {
      if (rxFrames != 0 && rxHead < need) return false;
      if (cap - rxTail >= 4) store<u16>(rxBuf + rxTail, <u16>WRAP);
      at = 0;
    }
  } else if (rxHead - rxTail < need) {
    return false;
  }
  store<u16>(rxBuf + at, <u16>len);
  memory.copy(rxBuf + at + 4, ptr, len);
  rxTail = at + need;
  rxFrames++;
  return true;
}

/** Handles the oldest waiting frame. */
function handleOldest(): void {
  if (rxHead + 4 > <u32>NET_RX_RING_BYTES || <u32>load<u16>(rxBuf + rxHead) == WRAP) rxHead = 0;
  const len = <u32>load<u16>(rxBuf + rxHead);
  // Taken off first: what dispatch sends may not come back into this FIFO, but keep it consistent.
  const at = rxBuf + rxHead + 4;
  rxHead += recordBytes(len);
  rxFrames--;
  dispatch(at, len);
}

export function netPoll(): void {
  // All of them, not a few per poll: each poll also walks every session and TCB, so splitting a
  // burst over several polls multiplies that walk (16 busy lines: 3 polls a millisecond for 1).
  for (let i = 0; i < RX_FRAMES_MAX && rxFrames > 0; i++) handleOldest();
  arpPoll();
  icmpPoll();
}

export function netDeadline(): u64 {
  if (rxFrames > 0) return now();
  return min<u64>(arpDeadline(), icmpDeadline());
}

function dispatch(frame: usize, len: u32): void {
  count(NET_RX_FRAMES);
  countBy(NET_RX_BYTES, len);
  const dst = ethDst(frame);
  if (dst == MAC_BROADCAST) count(NET_RX_BROADCASTS);
  else if (dst != ifMac) {
    count(NET_RX_IGNORED);
    return;
  }
  const type = ethType(frame);
  if (type == ETHERTYPE_ARP) arpInput(frame + ETH_HEADER_LEN, len - ETH_HEADER_LEN);
  else if (type == ETHERTYPE_IPV4 && dst != MAC_BROADCAST) ipv4Input(frame + ETH_HEADER_LEN, len - ETH_HEADER_LEN);
  else count(NET_RX_IGNORED);
}

// --- Configuration (the exec's interface commands) ---

/** `ip address IP MASK`: sets the address (0 removes it) and announces it with a gratuitous ARP. */
export function netSetAddress(ip: u32, mask: u32): void {
  if (ip != ifIp) arpFlush();
  configSetAddress(ip, mask);
  if (ip != 0) arpAnnounce();
}

/** `ip default-gateway IP` (0 removes it). */
export function netSetGateway(gateway: u32): void {
  configSetGateway(gateway);
}

/** `shutdown` / `no shutdown`: a shut interface sends and accepts nothing. */
export function netSetShutdown(down: bool): void {
  configSetShutdown(down);
  if (down) arpFlush();
  else if (ifIp != 0) arpAnnounce();
}

// --- Queries (`show interfaces`, `show running-config`) ---
export function netMacAddress(): u64 {
  return ifMac;
}
export function netAddress(): u32 {
  return ifIp;
}
export function netMask(): u32 {
  return ifMask;
}
export function netGateway(): u32 {
  return ifGateway;
}
export function netIsShutdown(): bool {
  return ifShutdown;
}
export { netCounter } from "./config";
