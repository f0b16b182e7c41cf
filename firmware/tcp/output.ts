// TCP output (lwIP's tcp_out.c): building and sending segments, what a TCB may send now (data
// within the peer's window and the congestion window, SYN, FIN, ACK), RST replies for segments that
// match no connection, the RFC 5961 challenge ACK, and taking a TCB to CLOSED.
//
// Data is never regenerated: the send ring holds every byte from SND.UNA on, so a retransmission
// re-reads it (STYLE.md: bytes from a serial line cannot be produced twice).
import { TCP_SEGMENTS_PER_POLL } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { ringPeek, ringFree, ringClear } from "../lib/ring";
import { IP_PROTO_TCP } from "../wire/ipv4";
import { TcpRepr, tcpEmit, tcpHeaderLen, TCP_SYN, TCP_ACK_FLAG, TCP_FIN, TCP_RST, TCP_PSH } from "../wire/tcp";
import { ipv4Send, ipv4Payload, IP_PAYLOAD_MAX } from "../net/ipv4";
import {
  Tcb, tcb, txRing, rxRing, tcbReset, setState, tcpCount, synchronized, seqGt, seqLt,
  CLOSED, SYN_SENT, SYN_RECEIVED, TIME_WAIT, REASON_NONE,
  TIMER_NONE, TIMER_RETRANSMIT, TIMER_PERSIST, TIMER_SWS_OVERRIDE,
  F_USER, F_ACK_NOW, F_FIN_QUEUED, F_FIN_RECEIVED, F_RTT_TIMING, F_OUTPUT_PENDING, F_READING,
  TCP_SEGS_OUT, TCP_RETRANSMITS, TCP_RST_OUT, TCP_CHALLENGE_ACKS, TCP_CHALLENGE_ACKS_SUPPRESSED, TCP_ZERO_WINDOW_PROBES,
} from "./tcb";

/** The MSS we announce: the MTU minus the IP and TCP headers (RFC 9293 3.7.1). */
// @ts-ignore: decorator
@inline export const MSS_OURS: u32 = IP_PAYLOAD_MAX - 20;
/** RFC 9293 3.7.1 / RFC 1122 4.2.2.6: the send MSS when the peer sent no MSS option. */
// @ts-ignore: decorator
@inline export const MSS_DEFAULT: u32 = 536;
/** Smallest send MSS we accept from a peer (a tiny MSS would only multiply our segments). */
// @ts-ignore: decorator
@inline export const MSS_FLOOR: u32 = 64;

// RFC 6298: RTO starts at 1 s (2.1), is at least 1 s (2.4), doubles on expiry (5.5), and has a
// maximum of at least 60 s (2.5). G, the clock granularity, is our 1 ms.
// @ts-ignore: decorator
@inline export const RTO_INITIAL_MS: u32 = 1000;
// @ts-ignore: decorator
@inline export const RTO_MIN_MS: u32 = 1000;
// @ts-ignore: decorator
@inline export const RTO_MAX_MS: u32 = 60000;

/**
 * RFC 1122 4.2.3.4: the override timeout of sender-side silly window avoidance, "0.1 to 1.0
 * seconds". Queued data that a small window holds back leaves when it runs out.
 */
// @ts-ignore: decorator
@inline export const SWS_OVERRIDE_MS: u32 = 200;

/** RFC 5961 7: challenge ACKs (and ACKs answering unacceptable pure ACKs) are rate limited; at most
 *  this many per second, for the whole stack. */
// @ts-ignore: decorator
@inline export const CHALLENGE_ACKS_PER_SECOND: u32 = 10;

const seg = changetype<TcpRepr>(memory.data(48, 8));
let challengeWindowAtMs: u64 = 0;
let challengeCount: u32 = 0;
let challengeStarted: bool = false;

/** The window the peer knows: what is left of our last advertisement (0 once data passed it). */
// @ts-ignore: decorator
@inline export function rcvWndAdvertised(t: Tcb): u32 {
  const left = <i32>(t.rcvAdvRight - t.rcvNxt);
  return left > 0 ? <u32>left : 0;
}

/**
 * The window we advertise (RFC 1122 4.2.3.3, RFC 9293 3.8.6.2.2: receiver-side silly window
 * avoidance). RCV.BUFF - RCV.USER is the free space in the receive ring; the right edge
 * RCV.NXT + RCV.WND stays where it is until the free space exceeds the window the peer knows by
 * min(Fr x RCV.BUFF, Eff.snd.MSS), Fr = 1/2, so the edge never moves by a few octets. It never
 * moves back either: the free space only shrinks by data that moves RCV.NXT with it.
 */
export function rcvWindow(h: i32, t: Tcb): u32 {
  const free = min<u32>(ringFree(rxRing(h)), 0xffff);
  // After the peer's FIN no data can come: the window is only informative (the free space).
  if ((t.flags & F_FIN_RECEIVED) != 0) return free;
  const known = min<u32>(rcvWndAdvertised(t), free);
  const step = min<u32>(rxRing(h).cap >> 1, <u32>t.sndMss);
  return free - known >= step ? free : known;
}

/** Sets `seg`'s fields for a segment of `flags`: no window on a RST, our MSS on a SYN. */
function segSet(localPort: u32, remotePort: u32, seqNo: u32, ackNo: u32, flags: u32, wnd: u32, dataLen: u32): void {
  seg.srcPort = localPort;
  seg.dstPort = remotePort;
  seg.seq = seqNo;
  seg.ack = ackNo;
  seg.flags = flags;
  seg.window = (flags & TCP_RST) != 0 ? 0 : wnd;
  seg.mss = (flags & TCP_SYN) != 0 ? MSS_OURS : 0;
  seg.payloadLen = dataLen;
}

/**
 * Writes `seg`'s header (its payload already at ipv4Payload() + header) and sends it, counted. A
 * datagram that cannot leave now (no route, interface down) is a lost segment: the retransmission
 * timer deals with it, so the TCB's state moves on either way.
 */
function transmit(localIp: u32, remoteIp: u32): void {
  const len = tcpEmit(ipv4Payload(), seg, localIp, remoteIp);
  tcpCount(TCP_SEGS_OUT);
  if ((seg.flags & TCP_RST) != 0) tcpCount(TCP_RST_OUT);
  ipv4Send(remoteIp, IP_PROTO_TCP, len);
}

/** Sends one segment of connection `h`: `dataLen` bytes from the send ring at `dataOffset`. */
export function emit(h: i32, seqNo: u32, flags: u32, dataOffset: u32, dataLen: u32): void {
  const t = tcb(h);
  // A SYN offers the whole ring: nothing was advertised before it.
  const wnd = (flags & TCP_SYN) != 0 ? min<u32>(ringFree(rxRing(h)), 0xffff) : rcvWindow(h, t);
  segSet(t.localPort, t.remotePort, seqNo, (flags & TCP_ACK_FLAG) != 0 ? t.rcvNxt : 0, flags, wnd, dataLen);
  if (dataLen > 0) ringPeek(txRing(h), dataOffset, ipv4Payload() + tcpHeaderLen(seg.mss), dataLen);
  if ((flags & TCP_ACK_FLAG) != 0) {
    t.rcvAdvRight = t.rcvNxt + wnd;
    t.flags &= ~F_ACK_NOW;
  }
  transmit(t.localIp, t.remoteIp);
}

/** A RST (or RST+ACK) for a segment that matches no connection (RFC 9293 3.10.7.1). */
export function sendReset(localIp: u32, remoteIp: u32, localPort: u32, remotePort: u32, seqNo: u32, ackNo: u32, flags: u32): void {
  segSet(localPort, remotePort, seqNo, ackNo, flags, 0, 0);
  transmit(localIp, remoteIp);
}

/** An ACK of the current state: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
export function sendAck(h: i32): void {
  emit(h, tcb(h).sndNxt, TCP_ACK_FLAG, 0, 0);
}

/** RFC 5961 7: true when one more rate-limited ACK may go out this second (counted when not). */
function ackAllowed(): bool {
  const t = now();
  if (!challengeStarted || t >= challengeWindowAtMs + 1000) {
    challengeStarted = true;
    challengeWindowAtMs = t;
    challengeCount = 0;
  }
  if (challengeCount >= CHALLENGE_ACKS_PER_SECOND) {
    tcpCount(TCP_CHALLENGE_ACKS_SUPPRESSED);
    return false;
  }
  challengeCount++;
  return true;
}

/** RFC 5961 3.2 / 4.2 / 5.2: answer a suspicious segment with an ACK, within the rate limit. */
export function challengeAck(h: i32): void {
  if (!ackAllowed()) return;
  tcpCount(TCP_CHALLENGE_ACKS);
  sendAck(h);
}

/**
 * An ACK answering a zero-length segment that was not acceptable, within the same rate limit
 * (Linux's tcp_oow_rate_limited): two ends that each reject the other's ACK cannot loop for ever.
 */
export function limitedAck(h: i32): void {
  if (ackAllowed()) sendAck(h);
}

/** Starts the TCB's one timer: `kind`, due `ms` from now. */
export function setTimer(t: Tcb, kind: u8, ms: u32): void {
  t.timerKind = kind;
  t.timerAtMs = now() + <u64>ms;
}

/** Starts the retransmission timer unless it runs (RFC 6298 5.1). */
export function armRetransmit(t: Tcb): void {
  if (t.timerKind != TIMER_RETRANSMIT) setTimer(t, TIMER_RETRANSMIT, t.rtoMs);
}

/** Sends SYN or SYN+ACK (seq = ISS) with our MSS. */
function sendSyn(h: i32, flags: u32): void {
  const t = tcb(h);
  const again = seqGt(t.sndMax, t.iss);
  if (again) tcpCount(TCP_RETRANSMITS);
  else startRttTiming(t, t.iss);
  emit(h, t.iss, flags, 0, 0);
  t.sndNxt = t.iss + 1;
  if (!again) t.sndMax = t.sndNxt;
  armRetransmit(t);
}

function startRttTiming(t: Tcb, seqNo: u32): void {
  if ((t.flags & F_RTT_TIMING) != 0) return;
  t.flags |= F_RTT_TIMING;
  t.rttSeq = seqNo;
  t.rttStartMs = now();
}

// What a synchronized TCB may send next, from sndNxt: `len` bytes of data (0..MSS) and maybe FIN.
let nextLen: u32 = 0;
let nextFin: bool = false;
/** Set while the SWS override timer's output runs: send into a small window anyway. */
let swsOverride: bool = false;

/** Computes nextLen/nextFin; false when there is nothing to send. */
function nextSegment(h: i32, t: Tcb): bool {
  const ring = txRing(h);
  nextLen = 0;
  nextFin = false;
  const offset = t.sndNxt - t.sndUna;
  if (offset > ring.count) return false; // the FIN is already out
  const unsent = ring.count - offset;
  // Nothing queued past SND.NXT and no FIN to send: the common case of an idle connection.
  if (unsent == 0 && (t.flags & F_FIN_QUEUED) == 0) return false;
  const wnd = min<u32>(t.sndWnd, t.cwnd);
  const usable = wnd > offset ? wnd - offset : 0;
  const mss = <u32>t.sndMss;
  const len = min<u32>(unsent, usable);
  // RFC 1122 4.2.3.4 (MUST), sender-side silly window avoidance, with D = unsent, U = usable.
  // Every byte the user queues is pushed (PSH on each segment, no Nagle), so data goes when
  // (1) min(D, U) >= Eff.snd.MSS, or (2) D <= U, or (3) min(D, U) >= Fs x Max(SND.WND), Fs = 1/2,
  // or (4) the override timer ran out (swsOverride). Else it waits for a bigger window.
  if (len < mss && unsent > usable && len < (t.maxSndWnd >> 1) && !swsOverride) return false;
  nextLen = min<u32>(len, mss);
  // The FIN goes with (or after) the last byte; it takes no room in the peer's buffer.
  nextFin = (t.flags & F_FIN_QUEUED) != 0 && nextLen == unsent;
  return nextLen > 0 || nextFin;
}

/** True when tcbOutput would send something now (the deadline is then "now"). */
export function tcbWantsOutput(h: i32, t: Tcb): bool {
  if ((t.flags & (F_ACK_NOW | F_OUTPUT_PENDING)) != 0) return true;
  if (t.state == SYN_SENT || t.state == SYN_RECEIVED) return t.sndNxt == t.iss;
  if (!synchronized(t.state) || t.state == TIME_WAIT) return false;
  return nextSegment(h, t);
}

/**
 * Sends what connection `h` may send now: SYN, data and FIN within the windows, or an ACK owed.
 *
 * An ACK owed (for data, or a window update) waits while the user is part-way through reading the
 * receive ring: it read some since the last output and more is left. The reader moves on at once
 * (the deadline stays "now" while an ACK is owed), so the ACK leaves at the same instant, once the
 * reading stops (the ring is empty, or a poll reads nothing), carrying the window the reading
 * freed. RFC 1122 4.2.3.2 allows an ACK to wait (less than 0.5 s); RFC 9293 3.8.6.2.2 asks for
 * the window update after the user has read. Sent while the reader was part-way, the ACK would
 * fix the right edge where the reading stood, and receiver-side silly window avoidance (rcvWindow)
 * then holds it there for good: with a 1024-byte ring and a reader that moves 256 bytes a poll,
 * the peer saw a window of 640 for ever instead of 1024.
 */
export function tcbOutput(h: i32): void {
  const t = tcb(h);
  const reading = (t.flags & F_READING) != 0 && rxRing(h).count > 0;
  t.flags &= ~(F_OUTPUT_PENDING | F_READING);
  if (t.state == SYN_SENT || t.state == SYN_RECEIVED) {
    if (t.sndNxt == t.iss) sendSyn(h, t.state == SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK_FLAG);
    else if ((t.flags & F_ACK_NOW) != 0) sendAck(h);
    return;
  }
  if (!synchronized(t.state)) return;
  if (t.state != TIME_WAIT) {
    for (let i = 0; i < TCP_SEGMENTS_PER_POLL && nextSegment(h, t); i++) sendData(h, t);
    persistCheck(h, t);
  }
  if ((t.flags & F_ACK_NOW) != 0 && !reading) sendAck(h);
}

function sendData(h: i32, t: Tcb): void {
  const offset = t.sndNxt - t.sndUna;
  const len = nextLen;
  const fin = nextFin;
  const isNew = !seqLt(t.sndNxt, t.sndMax);
  if (!isNew) tcpCount(TCP_RETRANSMITS);
  else if (len > 0) startRttTiming(t, t.sndNxt);
  const flags = TCP_ACK_FLAG | (len > 0 ? TCP_PSH : 0) | (fin ? TCP_FIN : 0);
  emit(h, t.sndNxt, flags, offset, len);
  t.sndNxt += len + (fin ? 1 : 0);
  if (seqGt(t.sndNxt, t.sndMax)) t.sndMax = t.sndNxt;
  armRetransmit(t);
}

/**
 * Data waits, nothing is in flight and no timer runs (so no ACK will come to move things on):
 * with a zero window the persist timer runs (RFC 9293 3.8.6.1 / RFC 1122 4.2.2.17), so a lost
 * window update cannot deadlock the connection; with a window too small to use, the SWS override
 * timer runs (RFC 1122 4.2.3.4). While data is in flight its ACKs (or the RTO) decide instead.
 */
function persistCheck(h: i32, t: Tcb): void {
  if (t.sndNxt != t.sndUna || t.timerKind != TIMER_NONE) return;
  if (txRing(h).count == 0) return;
  if (t.sndWnd == 0) setTimer(t, TIMER_PERSIST, t.rtoMs);
  else setTimer(t, TIMER_SWS_OVERRIDE, SWS_OVERRIDE_MS);
}

/** The SWS override timer ran out (RFC 1122 4.2.3.4 (4)): what the window allows goes now. */
export function swsOverrideTimeout(h: i32): void {
  tcb(h).timerKind = TIMER_NONE;
  swsOverride = true;
  tcbOutput(h);
  swsOverride = false;
}

/**
 * The persist timer fired: one octet past the window probes it (RFC 9293 3.8.6.1). SND.NXT stays;
 * SND.MAX covers the octet, so an ACK that takes it is acceptable. The interval backs off like the
 * RTO, and the probing never gives up while the peer answers (RFC 1122 4.2.2.17); a peer that stops
 * answering altogether is dropped like a retransmission timeout, or the TCB would be held for ever.
 * Returns false when the connection was aborted.
 */
export function persistTimeout(h: i32, retriesMax: u32): bool {
  const t = tcb(h);
  const offset = t.sndNxt - t.sndUna;
  t.timerKind = TIMER_NONE;
  if (t.sndWnd != 0 || txRing(h).count <= offset) return true;
  if (<u32>t.retries >= retriesMax) return false;
  t.retries++;
  emit(h, t.sndNxt, TCP_ACK_FLAG | TCP_PSH, offset, 1);
  tcpCount(TCP_ZERO_WINDOW_PROBES);
  if (seqGt(t.sndNxt + 1, t.sndMax)) t.sndMax = t.sndNxt + 1;
  t.rtoMs = min<u32>(t.rtoMs * 2, RTO_MAX_MS);
  setTimer(t, TIMER_PERSIST, t.rtoMs);
  return true;
}

/**
 * Takes connection `h` to CLOSED, with a RST first when `reset` (RFC 9293 3.10.4 ABORT:
 * <SEQ=SND.NXT><CTL=RST>). A user's TCB stays CLOSED with its reason until the user lets go;
 * any other becomes FREE.
 */
export function tcbDrop(h: i32, reason: u8, reset: bool): void {
  const t = tcb(h);
  if (reset) emit(h, t.sndNxt, TCP_RST, 0, 0);
  if (reason != REASON_NONE) t.closeReason = reason;
  setState(t, CLOSED);
  if ((t.flags & F_USER) == 0) {
    tcbReset(h);
    return;
  }
  t.timerKind = TIMER_NONE;
  t.timerAtMs = NEVER;
  t.giveUpAtMs = NEVER;
  t.flags &= F_USER;
  ringClear(txRing(h));
}
