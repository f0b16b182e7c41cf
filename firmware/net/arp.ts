// The ARP cache (RFC 826; RFC 1122 2.3.2.1 and 2.3.2.2): a fixed table with states, aging,
// rate-limited requests, a one-frame queue per pending entry, and gratuitous ARP. lwIP's etharp.c
// is the model (EMPTY, PENDING, STABLE); IOS's `show arp` reads it through arpEntry* queries.
//
// RFC 826 merge rule: an ARP packet updates an existing entry for its sender; it creates one only
// when it is addressed to us. Requests are answered when their target is our address.
import { ARP_ENTRY_COUNT, ARP_QUEUE_COUNT, ARP_QUEUE_FRAME_BYTES } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { ETHERTYPE_ARP, ETH_DST, MAC_BROADCAST, storeMac } from "../wire/ethernet";
import { ArpRepr, arpParse, arpEmit, ARP_OP_REQUEST, ARP_OP_REPLY, ARP_PACKET_LEN } from "../wire/arp";
import {
  ifIp, ifMac, ifUp, count, ARP_RX_PACKETS, ARP_RX_BAD, ARP_TX_REQUESTS, ARP_TX_REPLIES, ARP_DROPPED,
  ARP_FAILED, ARP_EXPIRED, ARP_EVICTED,
} from "./config";
import { linkSend, linkSendRaw, txPayload } from "./link";

// Entry states (lwIP's etharp_state).
// @ts-ignore: decorator
@inline export const ARP_FREE: u8 = 0;
/** A request is out; the entry holds at most one frame waiting for the answer. */
// @ts-ignore: decorator
@inline export const ARP_PENDING: u8 = 1;
// @ts-ignore: decorator
@inline export const ARP_STABLE: u8 = 2;

/** IOS's ARP timeout: 4 hours (`arp timeout 14400`). */
// @ts-ignore: decorator
@inline export const ARP_ENTRY_LIFETIME_MS: u64 = 4 * 3600 * 1000;
/** RFC 1122 2.3.2.1: at most one request per second per destination. */
// @ts-ignore: decorator
@inline export const ARP_REQUEST_INTERVAL_MS: u64 = 1000;
/** Requests sent for one pending entry before it is given up (and its queued frame dropped). */
// @ts-ignore: decorator
@inline export const ARP_REQUEST_MAX: u32 = 3;

// Entry layout (32 bytes):
//   +0  mac: u64          the hardware address (STABLE)
//   +8  atMs: u64         STABLE: when learned or refreshed; PENDING: when the next request is due
//   +16 ip: u32
//   +20 state: u8
//   +21 requests: u8      requests sent while PENDING
//   +22 queued: i8        index of this entry's frame in the queue, -1 for none
// @ts-ignore: decorator
@unmanaged class ArpEntry {
  mac: u64;
  atMs: u64;
  ip: u32;
  state: u8;
  requests: u8;
  queued: i8;
}

// @ts-ignore: decorator
@inline export const ENTRY_BYTES: i32 = 32;
const table = memory.data(ARP_ENTRY_COUNT * ENTRY_BYTES, 8);

// The queue of frames waiting for resolution: owner entry (-1 free), length, bytes.
const queueOwner = memory.data(ARP_QUEUE_COUNT * 4, 4);
const queueLen = memory.data(ARP_QUEUE_COUNT * 4, 4);
const queueFrames = memory.data(ARP_QUEUE_COUNT * ARP_QUEUE_FRAME_BYTES, 4);

const repr = changetype<ArpRepr>(memory.data(32, 8));
let gratuitousDue: bool = false;
/** The earliest instant an entry's timer is due (NEVER: none), valid while !timersStale: every
 * change of an entry's state or atMs marks it stale, so an idle poll does not walk the table. */
let timersAtMs: u64 = NEVER;
let timersStale: bool = true;

function entry(i: i32): ArpEntry {
  return changetype<ArpEntry>(table + <usize>(i * ENTRY_BYTES));
}

export function arpBoot(): void {
  for (let i = 0; i < ARP_ENTRY_COUNT; i++) freeEntry(i);
  for (let q = 0; q < ARP_QUEUE_COUNT; q++) store<i32>(queueOwner + (<usize>q << 2), -1);
}

function freeEntry(i: i32): void {
  const e = entry(i);
  timersStale = true;
  if (e.queued >= 0) store<i32>(queueOwner + (<usize>e.queued << 2), -1);
  memory.fill(changetype<usize>(e), 0, ENTRY_BYTES); // ARP_FREE, no address, no requests
  e.queued = -1;
}

/** Has pending entry a asked longer than pending entry b (more requests, or as many and earlier)? */
function askedLonger(a: ArpEntry, b: ArpEntry): bool {
  return a.requests > b.requests || (a.requests == b.requests && a.atMs < b.atMs);
}

/** When an entry's timer is due: the next request of a PENDING one, the end of a STABLE one's life. */
function dueAtMs(e: ArpEntry): u64 {
  if (e.state == ARP_PENDING) return e.atMs;
  return e.state == ARP_STABLE ? e.atMs + ARP_ENTRY_LIFETIME_MS : NEVER;
}

function find(ip: u32): i32 {
  for (let i = 0; i < ARP_ENTRY_COUNT; i++) {
    const e = entry(i);
    if (e.state != ARP_FREE && e.ip == ip) return i;
  }
  return -1;
}

/**
 * A free entry, or else the oldest STABLE one, or else the PENDING one that has asked longest
 * (evicted and counted; its queued frame is dropped). Recycling pending entries is lwIP's
 * etharp_find_entry order: without it, SYNs from spoofed on-link addresses keep every entry
 * PENDING and no real peer can be resolved while the flood lasts.
 */
function allocate(): i32 {
  let oldest = -1;
  let asked = -1;
  for (let i = 0; i < ARP_ENTRY_COUNT; i++) {
    const e = entry(i);
    if (e.state == ARP_FREE) return i;
    if (e.state == ARP_STABLE && (oldest < 0 || e.atMs < entry(oldest).atMs)) oldest = i;
    if (e.state == ARP_PENDING && (asked < 0 || askedLonger(e, entry(asked)))) asked = i;
  }
  if (oldest < 0) oldest = asked;
  if (oldest >= 0) {
    count(ARP_EVICTED);
    freeEntry(oldest);
  }
  return oldest;
}

/** Records `ip` at `mac` as STABLE, and sends the frame that was waiting for it, if any. */
function learn(i: i32, ip: u32, mac: u64): void {
  const e = entry(i);
  e.ip = ip;
  e.mac = mac;
  e.state = ARP_STABLE;
  e.atMs = now();
  e.requests = 0;
  timersStale = true;
  if (e.queued >= 0) {
    const q = <usize>e.queued;
    const frame = queueFrames + q * <usize>ARP_QUEUE_FRAME_BYTES;
    storeMac(frame + ETH_DST, mac);
    linkSendRaw(frame, load<u32>(queueLen + (q << 2)));
    store<i32>(queueOwner + (q << 2), -1);
    e.queued = -1;
  }
}

/** Handles one received ARP packet (the Ethernet payload). */
export function arpInput(ptr: usize, len: u32): void {
  count(ARP_RX_PACKETS);
  if (!arpParse(ptr, len, repr) || repr.senderIp == 0 || repr.senderMac == MAC_BROADCAST) {
    count(ARP_RX_BAD);
    return;
  }
  if (!ifUp()) return;
  const forUs = repr.targetIp == ifIp;
  let i = find(repr.senderIp);
  if (i < 0 && forUs) i = allocate();
  if (i >= 0) learn(i, repr.senderIp, repr.senderMac);
  if (forUs && repr.operation == ARP_OP_REQUEST) {
    sendArp(ARP_OP_REPLY, repr.senderMac, repr.senderMac, repr.senderIp);
    count(ARP_TX_REPLIES);
  }
}

function sendArp(operation: u32, dstMac: u64, targetMac: u64, targetIp: u32): void {
  repr.operation = operation;
  repr.senderMac = ifMac;
  repr.senderIp = ifIp;
  repr.targetMac = targetMac;
  repr.targetIp = targetIp;
  arpEmit(txPayload(), repr);
  linkSend(dstMac, ETHERTYPE_ARP, ARP_PACKET_LEN);
}

/**
 * Sends the frame of `frameLen` bytes at `frame` (Ethernet header included; its source and type are
 * already written) to `nextHop`: at once when resolved, else queued on a pending entry (replacing
 * the frame already waiting there: the newest is the one worth sending) while a request goes out.
 */
export function arpSend(nextHop: u32, frame: usize, frameLen: u32): void {
  let i = find(nextHop);
  if (i >= 0 && entry(i).state == ARP_STABLE) {
    storeMac(frame + ETH_DST, entry(i).mac);
    linkSendRaw(frame, frameLen);
    return;
  }
  if (i < 0) {
    i = allocate();
    if (i < 0) {
      count(ARP_DROPPED);
      return;
    }
    const e = entry(i);
    e.ip = nextHop;
    e.state = ARP_PENDING;
    e.requests = 0;
    e.atMs = now();
    timersStale = true;
  }
  enqueue(i, frame, frameLen);
  // The request itself goes out from arpPoll (at once: atMs is now for a new entry), after the
  // frame is safely copied, since the request is built in the same transmit buffer.
  if (entry(i).requests == 0) pollEntry(i);
}

function enqueue(i: i32, frame: usize, frameLen: u32): void {
  const e = entry(i);
  if (frameLen > <u32>ARP_QUEUE_FRAME_BYTES) {
    count(ARP_DROPPED);
    return;
  }
  let q = <i32>e.queued;
  if (q < 0) {
    for (let k = 0; k < ARP_QUEUE_COUNT; k++) {
      if (load<i32>(queueOwner + (<usize>k << 2)) < 0) {
        q = k;
        break;
      }
    }
  } else {
    count(ARP_DROPPED); // the older frame waiting on this entry is replaced
  }
  if (q < 0) q = queueSlotToReplace();
  memory.copy(queueFrames + <usize>q * <usize>ARP_QUEUE_FRAME_BYTES, frame, frameLen);
  store<i32>(queueOwner + (<usize>q << 2), i);
  store<u32>(queueLen + (<usize>q << 2), frameLen);
  e.queued = <i8>q;
}

/**
 * The queue is full: the newest frame takes the slot of the one whose entry has asked longest
 * (counted as dropped). Keeping the oldest instead let frames for spoofed SYN sources, which never
 * resolve, hold the queue against every real peer's SYN+ACK.
 */
function queueSlotToReplace(): i32 {
  let q = 0;
  for (let k = 1; k < ARP_QUEUE_COUNT; k++) {
    if (askedLonger(entry(load<i32>(queueOwner + (<usize>k << 2))), entry(load<i32>(queueOwner + (<usize>q << 2))))) q = k;
  }
  count(ARP_DROPPED);
  entry(load<i32>(queueOwner + (<usize>q << 2))).queued = -1;
  store<i32>(queueOwner + (<usize>q << 2), -1);
  return q;
}

/** Timers of one entry: request retries and failure for PENDING, aging for STABLE. */
function pollEntry(i: i32): void {
  const e = entry(i);
  const t = now();
  if (t < dueAtMs(e)) return;
  if (e.state == ARP_PENDING) {
    if (<u32>e.requests >= ARP_REQUEST_MAX) {
      if (e.queued >= 0) count(ARP_DROPPED);
      count(ARP_FAILED);
      freeEntry(i);
      return;
    }
    e.requests++;
    e.atMs = t + ARP_REQUEST_INTERVAL_MS;
    timersStale = true;
    sendRequest(e.ip);
  } else {
    count(ARP_EXPIRED);
    freeEntry(i);
  }
}

export function arpPoll(): void {
  if (gratuitousDue) {
    gratuitousDue = false;
    sendRequest(ifIp); // RFC 5227 3: an ARP request with sender and target both our address announces it
  }
  if (now() >= timersDue()) {
    for (let i = 0; i < ARP_ENTRY_COUNT; i++) pollEntry(i);
  }
}

export function arpDeadline(): u64 {
  return gratuitousDue ? now() : timersDue();
}

/** The earliest timer of any entry: request retries for PENDING, aging for STABLE. */
function timersDue(): u64 {
  if (!timersStale) return timersAtMs;
  let next = NEVER;
  for (let i = 0; i < ARP_ENTRY_COUNT; i++) {
    next = min<u64>(next, dueAtMs(entry(i)));
  }
  timersAtMs = next;
  timersStale = false;
  return next;
}

/** Broadcasts a request for `ip` (not while the interface is down). */
function sendRequest(ip: u32): void {
  if (!ifUp()) return;
  sendArp(ARP_OP_REQUEST, MAC_BROADCAST, 0, ip);
  count(ARP_TX_REQUESTS);
}

/** Announces our address on the next poll (address set, interface brought up). */
export function arpAnnounce(): void {
  gratuitousDue = true;
}

/** Forgets every entry (address change, shutdown, `clear arp`). */
export function arpFlush(): void {
  for (let i = 0; i < ARP_ENTRY_COUNT; i++) freeEntry(i);
}

// --- Queries for `show arp` (i in 0..ARP_ENTRY_COUNT-1) ---
export function arpEntryState(i: i32): u32 {
  return i >= 0 && i < ARP_ENTRY_COUNT ? entry(i).state : ARP_FREE;
}
export function arpEntryIp(i: i32): u32 {
  return i >= 0 && i < ARP_ENTRY_COUNT ? entry(i).ip : 0;
}
export function arpEntryMac(i: i32): u64 {
  return i >= 0 && i < ARP_ENTRY_COUNT ? entry(i).mac : 0;
}
/** Milliseconds since the entry was learned or refreshed (STABLE), 0 otherwise. */
export function arpEntryAgeMs(i: i32): u64 {
  if (i < 0 || i >= ARP_ENTRY_COUNT || entry(i).state != ARP_STABLE) return 0;
  return now() - entry(i).atMs;
}
