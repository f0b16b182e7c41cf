// ICMP echo (RFC 792; RFC 1122 3.2.2.6): replies to echo requests, and the sessions behind the
// exec's `ping`. A session sends one echo request at a time, waits for its reply or its timeout
// (IOS: 2 s), records the outcome, then sends the next; the exec drains the outcomes with
// pingNextResult and prints `!` or `.` for each, then the summary from pingReceived/pingRtt*.
import { PING_SESSION_COUNT } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { Ring, ringInit, ringPut, ringFree, ringClear } from "../lib/ring";
import {
  icmpValid, icmpType, icmpIdent, icmpSeq, icmpEmitEcho, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY, ICMP_HEADER_LEN,
} from "../wire/icmp";
import { IP_PROTO_ICMP, IP_HEADER_LEN } from "../wire/ipv4";
import {
  count, ICMP_RX_BAD, ICMP_RX_ECHO_REQUESTS, ICMP_RX_ECHO_REPLIES, ICMP_TX_ECHO_REQUESTS, ICMP_TX_ECHO_REPLIES,
} from "./config";
import { ipv4Send, ipv4Payload, IP_PAYLOAD_MAX } from "./ipv4";

// Outcomes of one echo, as pingNextResult returns them.
// @ts-ignore: decorator
@inline export const PING_RESULT_NONE: i32 = -1;
/** No reply within the timeout: IOS prints `.`. */
// @ts-ignore: decorator
@inline export const PING_RESULT_TIMEOUT: i32 = 0;
/** A reply: IOS prints `!`. */
// @ts-ignore: decorator
@inline export const PING_RESULT_REPLY: i32 = 1;
/** The request could not be sent (interface down, no route): IOS prints `U`... or `.`. */
// @ts-ignore: decorator
@inline export const PING_RESULT_UNREACHABLE: i32 = 2;

/** Outcomes a session holds until the exec reads them; the session waits when they are unread. */
// @ts-ignore: decorator
@inline const RESULT_RING_BYTES: u32 = 16;
/** IOS's default datagram size for ping (IP header included). */
// @ts-ignore: decorator
@inline export const PING_SIZE_DEFAULT: u32 = 100;

// @ts-ignore: decorator
@inline const SESSION_IDLE: u8 = 0;
/** Between echoes: the next request goes out on the next poll (when results have room). */
// @ts-ignore: decorator
@inline const SESSION_READY: u8 = 1;
// @ts-ignore: decorator
@inline const SESSION_WAITING: u8 = 2;
/** Every echo has an outcome. */
// @ts-ignore: decorator
@inline const SESSION_DONE: u8 = 3;

// @ts-ignore: decorator
@unmanaged class PingSession {
  sentAtMs: u64;
  timeoutMs: u32;
  dstIp: u32;
  repeat: u32;
  sent: u32;
  received: u32;
  rttMin: u32;
  rttMax: u32;
  rttSum: u32;
  payloadLen: u32;
  ident: u32;
  seq: u32;
  state: u8;
}

// @ts-ignore: decorator
@inline const SESSION_BYTES: i32 = 64;
const sessions = memory.data(PING_SESSION_COUNT * SESSION_BYTES, 8);
const results = memory.data(PING_SESSION_COUNT * 16, 4);
const resultBufs = memory.data(PING_SESSION_COUNT * <i32>RESULT_RING_BYTES);
let identBase: u32 = 0;

function session(h: i32): PingSession {
  return changetype<PingSession>(sessions + <usize>(h * SESSION_BYTES));
}

function resultRing(h: i32): Ring {
  return changetype<Ring>(results + <usize>(h * 16));
}

export function icmpBoot(random: u32): void {
  identBase = random & 0xff00;
  for (let h = 0; h < PING_SESSION_COUNT; h++) {
    session(h).state = SESSION_IDLE;
    ringInit(resultRing(h), resultBufs + <usize>(h * <i32>RESULT_RING_BYTES), RESULT_RING_BYTES);
  }
}

/** Handles one ICMP message from `srcIp`. */
export function icmpInput(srcIp: u32, ptr: usize, len: u32): void {
  if (!icmpValid(ptr, len)) {
    count(ICMP_RX_BAD);
    return;
  }
  const type = icmpType(ptr);
  if (type == ICMP_ECHO_REQUEST) {
    count(ICMP_RX_ECHO_REQUESTS);
    // The reply carries the request's identifier, sequence number and data (RFC 792).
    if (len > IP_PAYLOAD_MAX) return;
    memory.copy(ipv4Payload(), ptr, len);
    icmpEmitEcho(ipv4Payload(), len, ICMP_ECHO_REPLY, icmpIdent(ptr), icmpSeq(ptr));
    if (ipv4Send(srcIp, IP_PROTO_ICMP, len)) count(ICMP_TX_ECHO_REPLIES);
  } else if (type == ICMP_ECHO_REPLY) {
    count(ICMP_RX_ECHO_REPLIES);
    echoReply(srcIp, icmpIdent(ptr), icmpSeq(ptr));
  }
}

function echoReply(srcIp: u32, ident: u32, seq: u32): void {
  for (let h = 0; h < PING_SESSION_COUNT; h++) {
    const s = session(h);
    if (s.state != SESSION_WAITING || s.ident != ident || s.seq != seq || s.dstIp != srcIp) continue;
    const rtt = <u32>(now() - s.sentAtMs);
    if (s.received == 0 || rtt < s.rttMin) s.rttMin = rtt;
    if (rtt > s.rttMax) s.rttMax = rtt;
    s.rttSum += rtt;
    s.received++;
    finishEcho(h, PING_RESULT_REPLY);
    return;
  }
}

function finishEcho(h: i32, result: i32): void {
  const s = session(h);
  ringPut(resultRing(h), <u32>result);
  s.seq = (s.seq + 1) & 0xffff;
  s.state = s.sent >= s.repeat ? SESSION_DONE : SESSION_READY;
}

/**
 * Starts a ping of `repeat` echoes of `sizeBytes` (the datagram, IP header included, like IOS) to
 * `dstIp`, each waiting `timeoutMs` for its reply. Returns the session handle, -1 when all are busy.
 */
export function pingStart(dstIp: u32, repeat: u32, sizeBytes: u32, timeoutMs: u32): i32 {
  for (let h = 0; h < PING_SESSION_COUNT; h++) {
    const s = session(h);
    if (s.state != SESSION_IDLE) continue;
    const header = IP_HEADER_LEN + ICMP_HEADER_LEN;
    s.dstIp = dstIp;
    s.repeat = repeat;
    s.payloadLen = sizeBytes < header ? 0 : min<u32>(sizeBytes, IP_PAYLOAD_MAX + IP_HEADER_LEN) - header;
    s.timeoutMs = timeoutMs;
    s.sent = 0;
    s.received = 0;
    s.rttMin = 0;
    s.rttMax = 0;
    s.rttSum = 0;
    s.ident = identBase | <u32>h;
    s.seq = 0;
    s.state = repeat == 0 ? SESSION_DONE : SESSION_READY;
    ringClear(resultRing(h));
    return h;
  }
  return -1;
}

function sendEcho(h: i32): void {
  const s = session(h);
  const at = ipv4Payload();
  // IOS's data pattern: 0xABCD repeated.
  for (let i: u32 = 0; i < s.payloadLen; i++) store<u8>(at + ICMP_HEADER_LEN + i, (i & 1) == 0 ? 0xab : 0xcd);
  const len = ICMP_HEADER_LEN + s.payloadLen;
  icmpEmitEcho(at, len, ICMP_ECHO_REQUEST, s.ident, s.seq);
  s.sent++;
  s.sentAtMs = now();
  if (ipv4Send(s.dstIp, IP_PROTO_ICMP, len)) {
    count(ICMP_TX_ECHO_REQUESTS);
    s.state = SESSION_WAITING;
  } else {
    finishEcho(h, PING_RESULT_UNREACHABLE);
  }
}

export function icmpPoll(): void {
  const t = now();
  for (let h = 0; h < PING_SESSION_COUNT; h++) {
    const s = session(h);
    if (s.state == SESSION_WAITING && t >= s.sentAtMs + <u64>s.timeoutMs) finishEcho(h, PING_RESULT_TIMEOUT);
    if (s.state == SESSION_READY && ringFree(resultRing(h)) > 0) sendEcho(h);
  }
}

export function icmpDeadline(): u64 {
  let next = NEVER;
  for (let h = 0; h < PING_SESSION_COUNT; h++) {
    const s = session(h);
    if (s.state == SESSION_WAITING) next = min<u64>(next, s.sentAtMs + <u64>s.timeoutMs);
    else if (s.state == SESSION_READY && ringFree(resultRing(h)) > 0) next = min<u64>(next, now());
  }
  return next;
}

/** The next outcome of session `h` in order (PING_RESULT_*), PING_RESULT_NONE when none is new. */
export function pingNextResult(h: i32): i32 {
  if (h < 0 || h >= PING_SESSION_COUNT) return PING_RESULT_NONE;
  const ring = resultRing(h);
  if (ring.count == 0) return PING_RESULT_NONE;
  const result = <i32>load<u8>(ring.buf + ring.head);
  ring.head = (ring.head + 1) % ring.cap;
  ring.count--;
  return result;
}

/** True when every echo has an outcome and the exec has read them all. */
export function pingDone(h: i32): bool {
  if (h < 0 || h >= PING_SESSION_COUNT) return true;
  return session(h).state == SESSION_DONE && resultRing(h).count == 0;
}

export function pingSent(h: i32): u32 {
  return h >= 0 && h < PING_SESSION_COUNT ? session(h).sent : 0;
}
export function pingReceived(h: i32): u32 {
  return h >= 0 && h < PING_SESSION_COUNT ? session(h).received : 0;
}
export function pingRttMinMs(h: i32): u32 {
  return h >= 0 && h < PING_SESSION_COUNT ? session(h).rttMin : 0;
}
export function pingRttMaxMs(h: i32): u32 {
  return h >= 0 && h < PING_SESSION_COUNT ? session(h).rttMax : 0;
}
/** Average round trip, rounded down; 0 without replies. */
export function pingRttAvgMs(h: i32): u32 {
  if (h < 0 || h >= PING_SESSION_COUNT || session(h).received == 0) return 0;
  return session(h).rttSum / session(h).received;
}

/** Ends session `h` (finished, or interrupted by the user); a late reply is then ignored. */
export function pingStop(h: i32): void {
  if (h >= 0 && h < PING_SESSION_COUNT) session(h).state = SESSION_IDLE;
}
