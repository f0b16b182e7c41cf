// TCP timers: one timer per TCB (retransmission, persist, SWS override or TIME-WAIT: they never run
// together), the handshake's give-up instant, and the keepalive instant computed from the idle
// stamp. tcbDeadline is the earliest of them; tcbTimers runs whatever is due.
//
// Keepalive (RFC 1122 4.2.3.6, IOS's `service tcp-keepalives-in/out`): only on an idle
// connection (nothing unacknowledged, nothing queued). The probe is <SEQ=SND.NXT-1><ACK=RCV.NXT>
// with NO data: the old "garbage octet" (for peers that ignore zero-length segments) is not sent,
// as Linux and lwIP do not; every peer of interest answers the zero-length probe with an ACK, or
// with a RST when it has forgotten the connection. Probe k (1-based) goes out at
// idle + (k-1) * interval after the last acceptable segment; with `count` probes unanswered the
// connection is aborted (RST) at idle + count * interval. Any acceptable segment (the probe's ACK
// included) resets the idle stamp and the probe count.
import { now, NEVER } from "../lib/clock";
import { TCP_ACK_FLAG } from "../wire/tcp";
import {
  tcb, txRing, keepaliveEnabled, keepaliveIdleMs, keepaliveIntervalMs, keepaliveCount, tcpCount,
  SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT, FIN_WAIT_2, CLOSED,
  TIMER_NONE, TIMER_RETRANSMIT, TIMER_PERSIST, TIMER_TIME_WAIT, TIMER_SWS_OVERRIDE, F_RTT_TIMING,
  REASON_NONE, REASON_TIMED_OUT, REASON_RETRANSMIT, REASON_KEEPALIVE,
  TCP_KEEPALIVE_PROBES, TCP_KEEPALIVE_DROPS, TCP_RETRANSMIT_DROPS, TCP_CONNECT_TIMEOUTS,
  Tcb,
} from "./tcb";
import { emit, tcbOutput, tcbDrop, tcbWantsOutput, persistTimeout, swsOverrideTimeout, RTO_MAX_MS } from "./output";

/**
 * Retransmission timeouts tolerated before the connection is aborted (RFC 1122 4.2.3.5's R2, which
 * must be at least 100 s). Linux's tcp_retries2 default, 15: from a 1 s RTO doubling to 60 s,
 * retransmissions at 1, 3, 7, 15, 31, 63, 123 s and then every minute to 603 s after the first
 * send, abort at 663 s (about eleven minutes). With 8 (abort at 243 s), a link losing one frame in
 * five in each direction loses a connection now and then to a plain run of bad luck (the lossy-link
 * test found seeds that did); 15 makes that about a million times rarer.
 */
// @ts-ignore: decorator
@inline export const RETRANSMIT_MAX: u32 = 15;

/** When the next keepalive event (probe or abort) is due, NEVER when keepalive does not apply. */
export function keepaliveAtMs(h: i32, t: Tcb): u64 {
  if (!keepaliveEnabled(t)) return NEVER;
  if (t.state != ESTABLISHED && t.state != CLOSE_WAIT && t.state != FIN_WAIT_2) return NEVER;
  if (t.sndUna != t.sndMax || txRing(h).count != 0) return NEVER;
  return t.lastRecvMs + <u64>keepaliveIdleMs + <u64>t.probes * <u64>keepaliveIntervalMs;
}

/** The next instant TCB `h` needs a poll. */
export function tcbDeadline(h: i32): u64 {
  const t = tcb(h);
  if (t.state == CLOSED) return NEVER;
  if (tcbWantsOutput(h, t)) return now();
  let next = t.giveUpAtMs;
  if (t.timerKind != TIMER_NONE) next = min<u64>(next, t.timerAtMs);
  return min<u64>(next, keepaliveAtMs(h, t));
}

/** Runs the timers of TCB `h` that are due. */
export function tcbTimers(h: i32): void {
  const t = tcb(h);
  const at = now();
  if (t.giveUpAtMs <= at) {
    if (t.state == SYN_SENT) {
      tcpCount(TCP_CONNECT_TIMEOUTS);
      tcbDrop(h, REASON_TIMED_OUT, false); // RFC 9293 ABORT in SYN-SENT sends nothing
      return;
    }
    if (t.state == SYN_RECEIVED || t.state == FIN_WAIT_2) {
      tcbDrop(h, REASON_TIMED_OUT, true);
      return;
    }
  }
  if (t.timerKind != TIMER_NONE && t.timerAtMs <= at) {
    const kind = t.timerKind;
    if (kind == TIMER_RETRANSMIT) retransmitTimeout(h);
    else if (kind == TIMER_PERSIST && !persistTimeout(h, RETRANSMIT_MAX)) retransmitGiveUp(h);
    else if (kind == TIMER_TIME_WAIT) tcbDrop(h, REASON_NONE, false);
    else if (kind == TIMER_SWS_OVERRIDE) swsOverrideTimeout(h);
    if (t.state == CLOSED) return;
  }
  if (keepaliveAtMs(h, t) <= at) keepaliveTimeout(h);
}

/** RFC 6298 5.4-5.7: go back to SND.UNA, double the RTO, forget the RTT measurement (Karn). */
function retransmitTimeout(h: i32): void {
  const t = tcb(h);
  t.timerKind = TIMER_NONE;
  t.retries++;
  if (<u32>t.retries > RETRANSMIT_MAX) {
    if (t.state == SYN_SENT) tcbDrop(h, REASON_TIMED_OUT, false);
    else retransmitGiveUp(h);
    return;
  }
  t.rtoMs = min<u32>(t.rtoMs * 2, RTO_MAX_MS);
  // RFC 5681 3.1 (4): after a timeout, one segment at a time until ACKs come back.
  const flight = t.sndMax - t.sndUna;
  t.ssthresh = max<u32>(flight / 2, 2 * <u32>t.sndMss);
  t.cwnd = t.sndMss;
  t.flags &= ~F_RTT_TIMING;
  t.sndNxt = t.sndUna;
  tcbOutput(h);
}

/** The peer stopped answering (RFC 1122 4.2.3.5, R2): abort with RST, counted. */
function retransmitGiveUp(h: i32): void {
  tcpCount(TCP_RETRANSMIT_DROPS);
  tcbDrop(h, REASON_RETRANSMIT, true);
}

function keepaliveTimeout(h: i32): void {
  const t = tcb(h);
  if (<u32>t.probes >= keepaliveCount) {
    tcpCount(TCP_KEEPALIVE_DROPS);
    tcbDrop(h, REASON_KEEPALIVE, true);
    return;
  }
  t.probes++;
  tcpCount(TCP_KEEPALIVE_PROBES);
  emit(h, t.sndNxt - 1, TCP_ACK_FLAG, 0, 0);
}
