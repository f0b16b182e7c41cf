// TCP input (lwIP's tcp_in.c): RFC 9293 3.10.7 "SEGMENT ARRIVES", step by step, with RFC 5961's
// defences (exact-sequence RST, challenge ACKs for in-window RST and for SYN, ACK acceptability).
// One simplification, allowed by RFC 9293 3.10.7.4 ("segments with higher beginning sequence
// numbers SHOULD be held"; holding is not required): out-of-order data is not queued; it is
// answered with a duplicate ACK and the peer sends it again.
import { TCP_BACKLOG_MAX } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { ringWrite, ringFree, ringDrop } from "../lib/ring";
import { TcpRepr, tcpParse, tcpChecksumOk, TCP_SYN, TCP_ACK_FLAG, TCP_FIN, TCP_RST } from "../wire/tcp";
import {
  Tcb, tcb, txRing, rxRing, setState, tcpCount, seqLt, seqLe, seqGt, tcbReset, tcbNote,
  SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT, LISTEN,
  REASON_NONE, REASON_RESET, REASON_REFUSED, REASON_CLOSED_BY_PEER,
  TIMER_NONE, TIMER_RETRANSMIT, TIMER_PERSIST, TIMER_TIME_WAIT,
  F_PASSIVE, F_USER, F_ACK_NOW, F_OUTPUT_PENDING, F_FIN_QUEUED, F_RTT_TIMING, F_RTT_SAMPLED, F_FIN_RECEIVED,
  TCP_SEGS_IN, TCP_DROP_BAD_CHECKSUM, TCP_DROP_MALFORMED, TCP_DROP_NO_LISTENER, TCP_DROP_NO_CONNECTION,
  TCP_DROP_OUT_OF_WINDOW, TCP_DROP_TABLE_FULL, TCP_DROP_BACKLOG_FULL, TCP_DROP_OUT_OF_ORDER, TCP_DROP_BAD_ACK,
  TCP_RST_IN, TCP_PASSIVE_OPENS, TCP_ESTABLISHED, TCP_REFUSED_GROUP_HELD, F_LATE,
} from "./tcb";
import {
  sendReset, sendAck, challengeAck, limitedAck, tcbOutput, tcbDrop, setTimer,
  MSS_OURS, MSS_DEFAULT, MSS_FLOOR, RTO_INITIAL_MS, RTO_MIN_MS, RTO_MAX_MS,
} from "./output";
import { isnFor } from "./isn";
import {
  findConnection, listenerFor, listenerBacklog, tcbAllocate, timeWaitMs, SYN_RECEIVED_TIMEOUT_MS, FIN_WAIT_2_TIMEOUT_MS,
  groupHolder, listenerGroupSet, listenerTakesExtra, oldestHalfOpen, halfOpenRecycle, halfOpenStale,
} from "./table";

const seg = changetype<TcpRepr>(memory.data(48, 8));
let segSrcIp: u32 = 0;
let segDstIp: u32 = 0;

/** SEG.LEN: payload plus one for each of SYN and FIN (RFC 9293 3.4). */
function segLen(): u32 {
  return seg.payloadLen + ((seg.flags & TCP_SYN) != 0 ? 1 : 0) + ((seg.flags & TCP_FIN) != 0 ? 1 : 0);
}

function has(flag: u32): bool {
  return (seg.flags & flag) != 0;
}

/** One TCP segment from IPv4 (registered with ipv4SetTcpInput). */
export function tcpInput(srcIp: u32, dstIp: u32, ptr: usize, len: u32): void {
  tcpCount(TCP_SEGS_IN);
  if (!tcpParse(ptr, len, seg)) {
    tcpCount(TCP_DROP_MALFORMED);
    return;
  }
  if (!tcpChecksumOk(ptr, len, srcIp, dstIp)) {
    tcpCount(TCP_DROP_BAD_CHECKSUM);
    return;
  }
  if (seg.srcPort == 0 || seg.dstPort == 0) {
    tcpCount(TCP_DROP_MALFORMED);
    return;
  }
  segSrcIp = srcIp;
  segDstIp = dstIp;
  const h = findConnection(dstIp, seg.dstPort, srcIp, seg.srcPort);
  if (h >= 0) {
    const t = tcb(h);
    tcbNote(h);
    // RFC 9293 3.10.7.4 (and RFC 6191): a new SYN above RCV.NXT may reopen a 4-tuple in TIME-WAIT.
    if (t.state == TIME_WAIT && has(TCP_SYN) && !has(TCP_ACK_FLAG) && !has(TCP_RST) && seqGt(seg.seq, t.rcvNxt)) {
      tcbReset(h);
    } else {
      if (t.state == SYN_SENT) synSent(h, t);
      else otherStates(h, t);
      return;
    }
  }
  const l = listenerFor(seg.dstPort);
  if (l >= 0) listen(l);
  else closed();
}

/** RFC 9293 3.10.7.1: no connection. A RST is never answered; anything else gets one. */
function closed(): void {
  if (has(TCP_RST)) {
    tcpCount(TCP_DROP_NO_CONNECTION);
    return;
  }
  tcpCount(has(TCP_SYN) && !has(TCP_ACK_FLAG) ? TCP_DROP_NO_LISTENER : TCP_DROP_NO_CONNECTION);
  resetFor();
}

/** The RST that answers the current segment: <SEQ=SEG.ACK><CTL=RST> or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
function resetFor(): void {
  if (has(TCP_ACK_FLAG)) sendReset(segDstIp, segSrcIp, seg.dstPort, seg.srcPort, seg.ack, 0, TCP_RST);
  else sendReset(segDstIp, segSrcIp, seg.dstPort, seg.srcPort, 0, seg.seq + segLen(), TCP_RST | TCP_ACK_FLAG);
}

/** RFC 9293 3.10.7.2: a listener. A SYN makes a SYN-RECEIVED TCB and gets our SYN+ACK. */
function listen(l: i32): void {
  if (has(TCP_RST)) return;
  if (has(TCP_ACK_FLAG)) {
    tcpCount(TCP_DROP_NO_CONNECTION);
    resetFor();
    return;
  }
  if (!has(TCP_SYN)) return;
  const groups = listenerGroupSet(l);
  let group = groupAdmit(groups);
  const late = groups != 0 && group == 0;
  if (late) {
    if (!listenerTakesExtra(l)) {
      tcpCount(TCP_REFUSED_GROUP_HELD);
      resetFor(); // the line is taken: "% Connection refused by remote host"
      return;
    }
    group = <u32>ctz(groups) + 1;
  }
  if (listenerBacklog(l) >= TCP_BACKLOG_MAX) {
    // RFC 4987 3.4 (table.ts): the oldest half-open gives way; unaccepted established ones do not.
    const old = oldestHalfOpen(l);
    if (old < 0) {
      tcpCount(TCP_DROP_BACKLOG_FULL);
      return; // the peer retransmits its SYN; by then the user may have accepted
    }
    halfOpenRecycle(old);
  }
  const h = tcbAllocate();
  if (h < 0) {
    tcpCount(TCP_DROP_TABLE_FULL);
    resetFor();
    return;
  }
  const t = tcb(h);
  t.localIp = segDstIp;
  t.remoteIp = segSrcIp;
  t.localPort = <u16>seg.dstPort;
  t.remotePort = <u16>seg.srcPort;
  t.listener = <i16>l;
  t.flags = late ? F_PASSIVE | F_LATE : F_PASSIVE;
  t.group = <u8>group;
  t.irs = seg.seq;
  t.rcvNxt = seg.seq + 1;
  t.iss = isnFor(t.localIp, t.localPort, t.remoteIp, t.remotePort);
  tcbInitSend(t);
  takeWindow(t);
  t.sndMss = <u16>mssFrom(seg.mss);
  t.cwnd = initialCwnd(t.sndMss);
  t.lastRecvMs = now();
  t.giveUpAtMs = now() + SYN_RECEIVED_TIMEOUT_MS;
  t.state = LISTEN; // so that the debug log says LISTEN -> SYNRCVD, as IOS does
  setState(t, SYN_RECEIVED);
  tcpCount(TCP_PASSIVE_OPENS);
  // Data on a SYN is not kept (RFC 9293 allows queueing it; the peer resends what is not ACKed).
  tcbOutput(h);
}

/**
 * A listener group (one terminal line's ports) belongs to its first SYN: of the groups in `groups`
 * (bit g-1 for group g), the lowest not held by another unaccepted connection, 0 when every one is
 * held (or the set is empty). A half-open holder older than GROUP_HALF_OPEN_HOLD_MS is recycled
 * instead, so a spoofed SYN cannot keep a line for the whole SYN-RECEIVED timeout.
 */
function groupAdmit(groups: u32): u32 {
  let stale = -1;
  let staleGroup: u32 = 0;
  for (let rest = groups; rest != 0; rest &= rest - 1) {
    const g = <u32>ctz(rest) + 1;
    const holder = groupHolder(g);
    if (holder < 0) return g;
    if (stale < 0 && halfOpenStale(holder)) {
      stale = holder;
      staleGroup = g;
    }
  }
  if (stale < 0) return 0;
  halfOpenRecycle(stale);
  return staleGroup;
}

/** SND.* at the ISS, RTO at its initial value (RFC 6298 2.1). */
export function tcbInitSend(t: Tcb): void {
  t.sndUna = t.iss;
  t.sndNxt = t.iss;
  t.sndMax = t.iss;
  t.rtoMs = RTO_INITIAL_MS;
  t.ssthresh = 0xffff;
  t.timerKind = TIMER_NONE;
  t.timerAtMs = NEVER;
}

/** The send MSS from the peer's option (RFC 9293 3.7.1: 536 when absent; never above ours). */
export function mssFrom(option: u32): u32 {
  if (option == 0) return MSS_DEFAULT;
  return max<u32>(min<u32>(option, MSS_OURS), MSS_FLOOR);
}

/** RFC 5681 3.1 (with RFC 3390): the initial window in bytes. */
export function initialCwnd(mss: u32): u32 {
  return min<u32>(4 * mss, max<u32>(2 * mss, 4380));
}

/** Takes the peer's window from the current segment (SND.WND, SND.WL1, SND.WL2). */
function takeWindow(t: Tcb): void {
  t.sndWnd = seg.window;
  t.sndWl1 = seg.seq;
  t.sndWl2 = seg.ack;
  if (seg.window > t.maxSndWnd) t.maxSndWnd = seg.window;
}

/** RFC 9293 3.10.7.3: SYN-SENT. */
function synSent(h: i32, t: Tcb): void {
  if (has(TCP_ACK_FLAG) && (seqLe(seg.ack, t.iss) || seqGt(seg.ack, t.sndMax))) {
    if (!has(TCP_RST)) resetFor();
    tcpCount(TCP_DROP_BAD_ACK);
    return;
  }
  if (has(TCP_RST)) {
    // Only a RST that acknowledges our SYN refuses the connection (RFC 5961 3.2 for SYN-SENT).
    if (has(TCP_ACK_FLAG)) {
      tcpCount(TCP_RST_IN);
      tcbDrop(h, REASON_REFUSED, false);
    }
    return;
  }
  if (!has(TCP_SYN)) return;
  t.irs = seg.seq;
  t.rcvNxt = seg.seq + 1;
  t.sndMss = <u16>mssFrom(seg.mss);
  t.cwnd = initialCwnd(t.sndMss);
  t.lastRecvMs = now();
  t.flags |= F_ACK_NOW;
  if (has(TCP_ACK_FLAG)) {
    ackSyn(t, seg.ack);
    takeWindow(t);
    establish(t);
  } else {
    // Simultaneous open (RFC 9293 3.5 figure 7): answer with SYN+ACK from the same ISS.
    takeWindow(t);
    t.sndNxt = t.iss;
    setState(t, SYN_RECEIVED);
  }
  tcbOutput(h);
}

/** Our SYN is acknowledged: SND.UNA moves past it; RTT sample; the timer stops if nothing else is out. */
function ackSyn(t: Tcb, ack: u32): void {
  rttFromAck(t, ack);
  t.sndUna = t.iss + 1;
  if (seqLt(t.sndNxt, t.sndUna)) t.sndNxt = t.sndUna;
  t.retries = 0;
  if (t.sndUna == t.sndMax) t.timerKind = TIMER_NONE;
}

function establish(t: Tcb): void {
  t.giveUpAtMs = NEVER;
  setState(t, ESTABLISHED);
  tcpCount(TCP_ESTABLISHED);
}

/**
 * RFC 9293 3.10.7.4 first check: is the segment in the receive window? A zero-length segment is
 * also accepted AT the right edge (RCV.NXT =< SEG.SEQ =< RCV.NXT+RCV.WND), as Linux
 * (tcp_sequence: !after(seq, rcv_nxt + window)) and BSD (todrop is 0 there) do: it is the pure ACK
 * of a peer whose full-window segment was lost (its SND.NXT is our right edge). The table read
 * literally (SEG.SEQ < RCV.NXT+RCV.WND) throws its ACK field away until the data gets through.
 * With RCV.WND = 0 this is the table's own row: SEG.SEQ = RCV.NXT.
 */
function acceptable(t: Tcb, rcvWnd: u32): bool {
  const len = segLen();
  const s = seg.seq;
  if (len == 0) return seqLe(t.rcvNxt, s) && seqLe(s, t.rcvNxt + rcvWnd);
  if (rcvWnd == 0) return false;
  const last = s + len - 1;
  return (seqLe(t.rcvNxt, s) && seqLt(s, t.rcvNxt + rcvWnd)) || (seqLe(t.rcvNxt, last) && seqLt(last, t.rcvNxt + rcvWnd));
}

/** RFC 9293 3.10.7.4: SYN-RECEIVED and the synchronized states. */
function otherStates(h: i32, t: Tcb): void {
  // A retransmitted SYN while our SYN+ACK is unanswered: send the SYN+ACK again at once.
  if (t.state == SYN_RECEIVED && has(TCP_SYN) && !has(TCP_ACK_FLAG) && !has(TCP_RST) && seg.seq == t.irs) {
    t.sndNxt = t.iss;
    tcbOutput(h);
    return;
  }
  if (has(TCP_SYN) && !has(TCP_RST)) {
    // RFC 5961 4.2: a SYN in a synchronized state, whatever its sequence number, gets a challenge ACK.
    challengeAck(h);
    return;
  }
  if (!acceptable(t, ringFree(rxRing(h)))) {
    tcpCount(TCP_DROP_OUT_OF_WINDOW);
    // RFC 9293 3.10.7.4: an unacceptable segment is answered with an ACK (a RST never is). When it
    // is itself a zero-length ACK, the answer could start an ACK loop between two ends that each
    // find the other's ACK unacceptable; so, like Linux (tcp_oow_rate_limited), such answers go
    // through the RFC 5961 7 rate limit: the first one suppressed ends the loop. A keepalive probe
    // (SEQ = RCV.NXT-1) is still answered. Segments with data are always answered.
    if (has(TCP_RST)) return;
    if (segLen() == 0) limitedAck(h);
    else sendAck(h);
    return;
  }
  // Every acceptable segment shows the peer is alive: the keepalive idle time starts again.
  t.lastRecvMs = now();
  t.probes = 0;
  if (t.timerKind == TIMER_PERSIST) t.retries = 0; // the peer answers: persist on, for ever
  if (has(TCP_RST)) {
    resetArrives(h, t);
    return;
  }
  if (!has(TCP_ACK_FLAG)) return;
  if (!ackArrives(h, t)) return;
  if (seg.payloadLen > 0) textArrives(h, t);
  if (has(TCP_FIN)) finArrives(h, t);
  // The answer waits for the end of this poll (tcpOutputAll), after the layers above have read
  // what arrived: the ACK then advertises the window as it is, not the one before the read.
  t.flags |= F_OUTPUT_PENDING;
}

/** RFC 5961 3.2: only a RST at exactly RCV.NXT resets; one elsewhere in the window is challenged. */
function resetArrives(h: i32, t: Tcb): void {
  if (seg.seq != t.rcvNxt) {
    challengeAck(h);
    return;
  }
  tcpCount(TCP_RST_IN);
  const s = t.state;
  if (s == SYN_RECEIVED) {
    // A passive open returns to LISTEN (its TCB goes away); an active one was refused.
    tcbDrop(h, (t.flags & F_PASSIVE) != 0 ? REASON_NONE : REASON_REFUSED, false);
  } else if (s == ESTABLISHED || s == FIN_WAIT_1 || s == FIN_WAIT_2 || s == CLOSE_WAIT) {
    tcbDrop(h, REASON_RESET, false);
  } else {
    tcbDrop(h, REASON_NONE, false); // CLOSING, LAST-ACK, TIME-WAIT
  }
}

/** Step five: the ACK field. False when the segment is finished with (dropped, or the TCB closed). */
function ackArrives(h: i32, t: Tcb): bool {
  const ack = seg.ack;
  if (t.state == SYN_RECEIVED) {
    if (!seqLt(t.sndUna, ack) || seqGt(ack, t.sndMax)) {
      tcpCount(TCP_DROP_BAD_ACK);
      resetFor();
      return false;
    }
    ackSyn(t, ack);
    takeWindow(t);
    establish(t);
  }
  if (seqGt(ack, t.sndMax)) {
    // RFC 9293: an ACK for something not yet sent is answered with an ACK and dropped.
    tcpCount(TCP_DROP_BAD_ACK);
    sendAck(h);
    return false;
  }
  if (seqLt(ack, t.sndUna - t.maxSndWnd)) {
    // RFC 5961 5.2: too old to be a duplicate: challenge ACK, drop.
    tcpCount(TCP_DROP_BAD_ACK);
    challengeAck(h);
    return false;
  }
  let finAcked = false;
  if (seqGt(ack, t.sndUna)) finAcked = newlyAcked(h, t, ack);
  // RFC 9293 3.10.7.4: take the window from the newest segment only.
  if (seqLt(t.sndWl1, seg.seq) || (t.sndWl1 == seg.seq && seqLe(t.sndWl2, ack))) {
    takeWindow(t);
    if (t.sndWnd > 0 && t.timerKind == TIMER_PERSIST) t.timerKind = TIMER_NONE;
  }
  if (!finAcked) return true;
  if (t.state == FIN_WAIT_1) {
    setState(t, FIN_WAIT_2);
    if ((t.flags & F_USER) == 0) t.giveUpAtMs = now() + FIN_WAIT_2_TIMEOUT_MS;
  } else if (t.state == CLOSING) {
    enterTimeWait(t);
  } else if (t.state == LAST_ACK) {
    tcbDrop(h, REASON_NONE, false);
    return false;
  }
  return true;
}

/** SND.UNA < ack <= SND.MAX: frees acknowledged bytes; true when our FIN is acknowledged too. */
function newlyAcked(h: i32, t: Tcb, ack: u32): bool {
  const ring = txRing(h);
  const acked = ack - t.sndUna;
  let finAcked = false;
  if (acked > ring.count) {
    // Only the FIN lies past the data; an ACK beyond it is excluded by SND.MAX.
    finAcked = (t.flags & F_FIN_QUEUED) != 0;
    t.flags &= ~F_FIN_QUEUED;
    t.bytesOut += ring.count;
    ringDrop(ring, ring.count);
  } else {
    t.bytesOut += acked;
    ringDrop(ring, acked);
  }
  rttFromAck(t, ack);
  t.sndUna = ack;
  if (seqLt(t.sndNxt, ack)) t.sndNxt = ack;
  t.retries = 0;
  // RFC 5681 3.1: slow start below ssthresh, then about one MSS per round trip.
  const mss = <u32>t.sndMss;
  t.cwnd += t.cwnd < t.ssthresh ? min<u32>(acked, mss) : max<u32>(1, mss * mss / t.cwnd);
  // RFC 6298 5.2 / 5.3: stop the timer when everything is acknowledged, else restart it.
  if (t.sndUna == t.sndMax) {
    if (t.timerKind == TIMER_RETRANSMIT) t.timerKind = TIMER_NONE;
  } else if (t.timerKind == TIMER_RETRANSMIT) {
    t.timerAtMs = now() + <u64>t.rtoMs;
  }
  return finAcked;
}

/** RFC 6298 2.2-2.4 for an ACK covering the timed segment; Karn's rule via F_RTT_TIMING. */
function rttFromAck(t: Tcb, ack: u32): void {
  if ((t.flags & F_RTT_TIMING) == 0 || !seqGt(ack, t.rttSeq)) return;
  t.flags &= ~F_RTT_TIMING;
  const r = <u32>(now() - t.rttStartMs);
  if ((t.flags & F_RTT_SAMPLED) == 0) {
    t.srttMs = r;
    t.rttvarMs = r / 2;
    t.flags |= F_RTT_SAMPLED;
  } else {
    const delta = t.srttMs > r ? t.srttMs - r : r - t.srttMs;
    t.rttvarMs = (3 * t.rttvarMs + delta) / 4;
    t.srttMs = (7 * t.srttMs + r) / 8;
  }
  const rto = t.srttMs + max<u32>(1, 4 * t.rttvarMs);
  t.rtoMs = min<u32>(max<u32>(rto, RTO_MIN_MS), RTO_MAX_MS);
}

/** Step seven: text, taken only at RCV.NXT and only as far as the receive ring has room. */
function textArrives(h: i32, t: Tcb): void {
  t.flags |= F_ACK_NOW;
  const s = t.state;
  if (s != ESTABLISHED && s != FIN_WAIT_1 && s != FIN_WAIT_2) return; // RFC: ignore the text
  let data = seg.payload;
  let len = seg.payloadLen;
  if (seqLt(seg.seq, t.rcvNxt)) {
    const skip = t.rcvNxt - seg.seq;
    if (skip >= len) return; // all of it was received before
    data += skip;
    len -= skip;
  } else if (seg.seq != t.rcvNxt) {
    tcpCount(TCP_DROP_OUT_OF_ORDER);
    return;
  }
  let taken: u32;
  if ((t.flags & F_USER) == 0 && t.listener < 0) {
    // The user closed: nobody will read, so the data is acknowledged and discarded.
    taken = min<u32>(len, ringFree(rxRing(h)));
  } else {
    taken = ringWrite(rxRing(h), data, len);
  }
  t.rcvNxt += taken;
  t.bytesIn += taken;
}

/** Step eight: a FIN right after the text we took. */
function finArrives(h: i32, t: Tcb): void {
  if (seg.seq + seg.payloadLen != t.rcvNxt) return; // text before it is still missing
  t.rcvNxt += 1;
  t.flags |= F_ACK_NOW | F_FIN_RECEIVED;
  const s = t.state;
  if (s == SYN_RECEIVED || s == ESTABLISHED) {
    t.closeReason = REASON_CLOSED_BY_PEER;
    setState(t, CLOSE_WAIT);
  } else if (s == FIN_WAIT_1) {
    setState(t, CLOSING);
  } else if (s == FIN_WAIT_2) {
    t.giveUpAtMs = NEVER;
    enterTimeWait(t);
  }
}

function enterTimeWait(t: Tcb): void {
  setState(t, TIME_WAIT);
  setTimer(t, TIMER_TIME_WAIT, timeWaitMs());
}
