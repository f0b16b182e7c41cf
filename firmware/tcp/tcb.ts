// The TCB table: fixed storage for TCB_COUNT connections (control block, send ring, receive ring),
// the state constants, sequence arithmetic, the stack's settings, counters, and state changes with
// their IOS-style debug log. Heads up! Before working on the TCP files, read at least RFC 9293
// (3.3.2 states, 3.10 event processing), RFC 1122 4.2, RFC 6298 and RFC 5961.
//
// A slot is FREE when its state is CLOSED and no user holds it. A user (the layer above) holds a
// slot from tcpOpen or tcpAccept until tcpClose or tcpAbort; a connection that dies under a user
// stays CLOSED (with its close reason) in that slot until the user lets go, so a handle never
// silently starts naming another connection.
import { TCB_COUNT, TCP_TX_RING_BYTES, TCP_RX_RING_BYTES } from "../lib/limits";
import { NEVER } from "../lib/clock";
import { Ring, ringInit, ringClear, RING_HEADER_BYTES } from "../lib/ring";
import { logBegin, logEnd, LOG_DEBUG } from "../lib/log";
import { putStr, putU32, putIp } from "../lib/text";
import { Text } from "../lib/text-table";

// --- States (RFC 9293 3.3.2) ---
// @ts-ignore: decorator
@inline export const CLOSED: u8 = 0;
// @ts-ignore: decorator
@inline export const LISTEN: u8 = 1;
// @ts-ignore: decorator
@inline export const SYN_SENT: u8 = 2;
// @ts-ignore: decorator
@inline export const SYN_RECEIVED: u8 = 3;
// @ts-ignore: decorator
@inline export const ESTABLISHED: u8 = 4;
// @ts-ignore: decorator
@inline export const FIN_WAIT_1: u8 = 5;
// @ts-ignore: decorator
@inline export const FIN_WAIT_2: u8 = 6;
// @ts-ignore: decorator
@inline export const CLOSE_WAIT: u8 = 7;
// @ts-ignore: decorator
@inline export const CLOSING: u8 = 8;
// @ts-ignore: decorator
@inline export const LAST_ACK: u8 = 9;
// @ts-ignore: decorator
@inline export const TIME_WAIT: u8 = 10;

/** IOS's names for the states (`show tcp brief`, `debug ip tcp transactions`). */
export function tcpStateName(state: u32): Text {
  switch (state) {
    case CLOSED: return "CLOSED";
    case LISTEN: return "LISTEN";
    case SYN_SENT: return "SYNSENT";
    case SYN_RECEIVED: return "SYNRCVD";
    case ESTABLISHED: return "ESTAB";
    case FIN_WAIT_1: return "FINWAIT1";
    case FIN_WAIT_2: return "FINWAIT2";
    case CLOSE_WAIT: return "CLOSEWAIT";
    case CLOSING: return "CLOSING";
    case LAST_ACK: return "LASTACK";
    case TIME_WAIT: return "TIMEWAIT";
    default: return "UNKNOWN";
  }
}

// --- Why a connection closed (tcpCloseReason) ---
// @ts-ignore: decorator
@inline export const REASON_NONE: u8 = 0;
/** A RST arrived in a synchronized state. */
// @ts-ignore: decorator
@inline export const REASON_RESET: u8 = 1;
/** Keepalive probes went unanswered (RFC 1122 4.2.3.6). */
// @ts-ignore: decorator
@inline export const REASON_KEEPALIVE: u8 = 2;
/** Retransmissions ran out (RFC 1122 4.2.3.5, R2). */
// @ts-ignore: decorator
@inline export const REASON_RETRANSMIT: u8 = 3;
/** The peer sent FIN (the connection may still drain and send; it is CLOSE-WAIT or later). */
// @ts-ignore: decorator
@inline export const REASON_CLOSED_BY_PEER: u8 = 4;
/** Our SYN was answered with RST: "% Connection refused by remote host". */
// @ts-ignore: decorator
@inline export const REASON_REFUSED: u8 = 5;
/** No answer to our SYN within the synwait time: "% Connection timed out". */
// @ts-ignore: decorator
@inline export const REASON_TIMED_OUT: u8 = 6;
/** This side aborted it (tcpAbort, `clear tcp`), or the listener went away before accept. */
// @ts-ignore: decorator
@inline export const REASON_ABORTED: u8 = 7;
/** No route or interface down when opening: "% Destination unreachable". */
// @ts-ignore: decorator
@inline export const REASON_UNREACHABLE: u8 = 8;

// --- Timer kinds (one timer per TCB besides the give-up instant and the keepalive; they never run
// together: retransmission while data is in flight, else persist or SWS override while data waits) ---
// @ts-ignore: decorator
@inline export const TIMER_NONE: u8 = 0;
// @ts-ignore: decorator
@inline export const TIMER_RETRANSMIT: u8 = 1;
// @ts-ignore: decorator
@inline export const TIMER_PERSIST: u8 = 2;
// @ts-ignore: decorator
@inline export const TIMER_TIME_WAIT: u8 = 3;
/** RFC 1122 4.2.3.4's override timeout: queued data held back by silly window avoidance. */
// @ts-ignore: decorator
@inline export const TIMER_SWS_OVERRIDE: u8 = 4;

// --- Flags ---
/** Opened by the remote side (a passive open): keepalive-in applies, else keepalive-out. */
// @ts-ignore: decorator
@inline export const F_PASSIVE: u16 = 1;
/** Held by a user (opened, or accepted from its listener). */
// @ts-ignore: decorator
@inline export const F_USER: u16 = 2;
/** The user closed: a FIN follows the queued data. */
// @ts-ignore: decorator
@inline export const F_FIN_QUEUED: u16 = 4;
/** An ACK is owed (data or FIN arrived, a window update is due). */
// @ts-ignore: decorator
@inline export const F_ACK_NOW: u16 = 8;
/** A segment is being timed for RTT (rttSeq, rttStartMs); cleared on retransmission (Karn). */
// @ts-ignore: decorator
@inline export const F_RTT_TIMING: u16 = 16;
/** At least one RTT sample was taken (RFC 6298 2.2 vs 2.3). */
// @ts-ignore: decorator
@inline export const F_RTT_SAMPLED: u16 = 32;
/** Keepalive forced on / off for this connection, overriding the service setting. */
// @ts-ignore: decorator
@inline export const F_KEEPALIVE_ON: u16 = 64;
// @ts-ignore: decorator
@inline export const F_KEEPALIVE_OFF: u16 = 128;
/** The peer's FIN was received (no more data will come). */
// @ts-ignore: decorator
@inline export const F_FIN_RECEIVED: u16 = 256;
/** The user queued data or closed: tcpPoll runs output for this TCB now. */
// @ts-ignore: decorator
@inline export const F_OUTPUT_PENDING: u16 = 512;
/** A passive open that arrived while its listener group was held by another caller (table.ts). */
// @ts-ignore: decorator
@inline export const F_LATE: u16 = 1024;
/** The user read from the receive ring since the last output (tcpRecv/tcpConsume): an ACK owed
 * while it is part-way through the ring waits for the rest of its reading (output.ts tcbOutput). */
// @ts-ignore: decorator
@inline export const F_READING: u16 = 2048;

// The control block. Field order keeps natural alignment without padding holes.
// @ts-ignore: decorator
@unmanaged export class Tcb {
  /** Instant of the timer in timerKind (NEVER when none). */
  timerAtMs: u64;
  /** SYN-SENT (synwait) / SYN-RECEIVED deadline; NEVER otherwise. */
  giveUpAtMs: u64;
  /** When the last acceptable segment arrived: the keepalive idle timer counts from here. */
  lastRecvMs: u64;
  rttStartMs: u64;
  localIp: u32;
  remoteIp: u32;
  iss: u32;
  irs: u32;
  sndUna: u32;
  sndNxt: u32;
  /** Highest sequence number sent + 1 (sndNxt goes back to sndUna on retransmission). */
  sndMax: u32;
  sndWnd: u32;
  sndWl1: u32;
  sndWl2: u32;
  /** Largest window the peer offered (RFC 5961 5.2's MAX.SND.WND). */
  maxSndWnd: u32;
  rcvNxt: u32;
  /** rcvNxt + the window in our last segment: the right edge the peer knows. */
  rcvAdvRight: u32;
  cwnd: u32;
  ssthresh: u32;
  srttMs: u32;
  rttvarMs: u32;
  rtoMs: u32;
  rttSeq: u32;
  bytesIn: u32;
  bytesOut: u32;
  localPort: u16;
  remotePort: u16;
  /** The peer's MSS: the largest segment we send (RFC 9293 3.7.1; 536 when it sent none). */
  sndMss: u16;
  flags: u16;
  /** The listener that created this TCB (-1 for active opens), until it is accepted. */
  listener: i16;
  state: u8;
  timerKind: u8;
  /** Consecutive retransmission timeouts (reset by an ACK of new data). */
  retries: u8;
  /** Keepalive probes sent since the last acceptable segment. */
  probes: u8;
  closeReason: u8;
  /** The user's label for logs (IOS: the tty number in `TCP2:`). */
  tag: u8;
  /** The listener group (a terminal line) this passive open reserved, 0 for none (table.ts). */
  group: u8;
}

/** Bytes reserved per control block (asserted against the class at boot). */
// @ts-ignore: decorator
@inline export const TCB_BYTES: i32 = 136;

const tcbTable = memory.data(TCB_COUNT * TCB_BYTES, 8);
const txRings = memory.data(TCB_COUNT * RING_HEADER_BYTES, 4);
const rxRings = memory.data(TCB_COUNT * RING_HEADER_BYTES, 4);
const txStore = memory.data(TCB_COUNT * TCP_TX_RING_BYTES, 4);
const rxStore = memory.data(TCB_COUNT * TCP_RX_RING_BYTES, 4);

/** Bytes of RAM one connection costs: control block, two ring headers, two ring buffers. */
// @ts-ignore: decorator
@inline export const TCP_BYTES_PER_TCB: i32 = TCB_BYTES + 2 * RING_HEADER_BYTES + TCP_TX_RING_BYTES + TCP_RX_RING_BYTES;

export function tcb(h: i32): Tcb {
  return changetype<Tcb>(tcbTable + <usize>(h * TCB_BYTES));
}

// @ts-ignore: decorator
@inline export function txRing(h: i32): Ring {
  return changetype<Ring>(txRings + <usize>(h * RING_HEADER_BYTES));
}

// @ts-ignore: decorator
@inline export function rxRing(h: i32): Ring {
  return changetype<Ring>(rxRings + <usize>(h * RING_HEADER_BYTES));
}

/** Address of a control block (IOS shows it in the first column of `show tcp brief`). */
export function tcbAddress(h: i32): usize {
  return tcbTable + <usize>(h * TCB_BYTES);
}

export function tcbTableBoot(): void {
  assert(offsetof<Tcb>() <= <usize>TCB_BYTES, "tcbTableBoot: Tcb larger than TCB_BYTES");
  assert(TCB_COUNT <= 32, "tcbTableBoot: a bit per connection in the events mask");
  for (let h = 0; h < TCB_COUNT; h++) {
    ringInit(txRing(h), txStore + <usize>(h * TCP_TX_RING_BYTES), <u32>TCP_TX_RING_BYTES);
    ringInit(rxRing(h), rxStore + <usize>(h * TCP_RX_RING_BYTES), <u32>TCP_RX_RING_BYTES);
    tcbReset(h);
  }
}

/**
 * Connections with news for the layers above since they last asked (bit h): a segment arrived for
 * h (data, ACK, window, FIN, RST) or its state changed. The terminal server polls only those
 * (tty/termsrv.ts); everything else a connection does on its own (timers, output) needs nobody.
 */
let events: u32 = 0;

export function tcbNote(h: i32): void {
  events |= <u32>1 << <u32>h;
}

/** The connections with news since the last call (bit h), and forgets them. */
export function tcbTakeEvents(): u32 {
  const e = events;
  events = 0;
  return e;
}

/**
 * The TCBs not CLOSED (bit h), kept by setState and tcbReset: the table walks of every poll and
 * deadline (timers, output, lookup of a segment's connection) visit only those, so a slot costs
 * nothing while it is closed.
 */
let openMask: u32 = 0;

/** The TCBs not CLOSED, bit h (a walk takes it once and visits its bits in order). */
export function tcbOpenSet(): u32 {
  return openMask;
}

/** Makes slot `h` FREE. */
export function tcbReset(h: i32): void {
  memory.fill(tcbTable + <usize>(h * TCB_BYTES), 0, <usize>TCB_BYTES);
  openMask &= ~(<u32>1 << <u32>h);
  const t = tcb(h);
  t.timerAtMs = NEVER;
  t.giveUpAtMs = NEVER;
  t.listener = -1;
  ringClear(txRing(h));
  ringClear(rxRing(h));
}

// @ts-ignore: decorator
@inline export function tcbValid(h: i32): bool {
  return <u32>h < <u32>TCB_COUNT; // negative handles wrap above it
}

export function tcbFree(t: Tcb): bool {
  return t.state == CLOSED && (t.flags & F_USER) == 0;
}

/** States after the handshake (RFC 9293's "synchronized states"). */
// @ts-ignore: decorator
@inline export function synchronized(state: u8): bool {
  return state >= ESTABLISHED;
}

// --- Sequence arithmetic modulo 2^32 (RFC 9293 3.4) ---
// @ts-ignore: decorator
@inline export function seqLt(a: u32, b: u32): bool {
  return <i32>(a - b) < 0;
}
// @ts-ignore: decorator
@inline export function seqLe(a: u32, b: u32): bool {
  return <i32>(a - b) <= 0;
}
// @ts-ignore: decorator
@inline export function seqGt(a: u32, b: u32): bool {
  return <i32>(a - b) > 0;
}
// @ts-ignore: decorator
@inline export function seqGe(a: u32, b: u32): bool {
  return <i32>(a - b) >= 0;
}

// --- Settings (the exec's `service tcp-keepalives-*`, `ip tcp synwait-time`, `debug ip tcp`) ---
/** IOS profile (the tech note): probe after 60 s idle, every 60 s, drop after 4 unanswered. */
// @ts-ignore: decorator
@inline export const KEEPALIVE_IDLE_MS_DEFAULT: u32 = 60000;
// @ts-ignore: decorator
@inline export const KEEPALIVE_INTERVAL_MS_DEFAULT: u32 = 60000;
// @ts-ignore: decorator
@inline export const KEEPALIVE_COUNT_DEFAULT: u32 = 4;
/** IOS `ip tcp synwait-time` default: 30 s. */
// @ts-ignore: decorator
@inline export const SYNWAIT_MS_DEFAULT: u32 = 30000;

export let keepaliveIn: bool = false;
export let keepaliveOut: bool = false;
export let keepaliveIdleMs: u32 = KEEPALIVE_IDLE_MS_DEFAULT;
export let keepaliveIntervalMs: u32 = KEEPALIVE_INTERVAL_MS_DEFAULT;
export let keepaliveCount: u32 = KEEPALIVE_COUNT_DEFAULT;
export let synwaitMs: u32 = SYNWAIT_MS_DEFAULT;
export let debugTransactions: bool = false;

export function settingsReset(): void {
  keepaliveIn = false;
  keepaliveOut = false;
  keepaliveIdleMs = KEEPALIVE_IDLE_MS_DEFAULT;
  keepaliveIntervalMs = KEEPALIVE_INTERVAL_MS_DEFAULT;
  keepaliveCount = KEEPALIVE_COUNT_DEFAULT;
  synwaitMs = SYNWAIT_MS_DEFAULT;
  debugTransactions = false;
}

export function setKeepaliveIn(on: bool): void {
  keepaliveIn = on;
}
export function setKeepaliveOut(on: bool): void {
  keepaliveOut = on;
}
export function setKeepaliveTimers(idleMs: u32, intervalMs: u32, probes: u32): void {
  keepaliveIdleMs = idleMs;
  keepaliveIntervalMs = intervalMs;
  keepaliveCount = probes;
}
export function setSynwaitMs(ms: u32): void {
  synwaitMs = ms;
}
export function setDebugTransactions(on: bool): void {
  debugTransactions = on;
}

/** True when keepalive probing applies to this connection (service setting or per-connection). */
export function keepaliveEnabled(t: Tcb): bool {
  if ((t.flags & F_KEEPALIVE_OFF) != 0) return false;
  if ((t.flags & F_KEEPALIVE_ON) != 0) return true;
  return (t.flags & F_PASSIVE) != 0 ? keepaliveIn : keepaliveOut;
}

/** Changes state, logging `TCP0: state was ESTAB -> CLOSED [2001 -> 10.0.0.2(11000)]` in debug. */
export function setState(t: Tcb, state: u8): void {
  const old = t.state;
  t.state = state;
  const h = <u32>((changetype<usize>(t) - tcbTable) / <usize>TCB_BYTES);
  if (state == CLOSED) openMask &= ~(<u32>1 << h);
  else openMask |= <u32>1 << h;
  tcbNote(<i32>h);
  if (!debugTransactions || old == state) return;
  const w = logBegin(LOG_DEBUG);
  putStr(w, "TCP");
  putU32(w, t.tag);
  putStr(w, ": state was ");
  putStr(w, tcpStateName(old));
  putStr(w, " -> ");
  putStr(w, tcpStateName(state));
  putStr(w, " [");
  putU32(w, t.localPort);
  putStr(w, " -> ");
  putIp(w, t.remoteIp);
  putStr(w, "(");
  putU32(w, t.remotePort);
  putStr(w, ")]");
  logEnd();
}

// --- Counters (`show tcp statistics`) ---
// @ts-ignore: decorator
@inline export const TCP_SEGS_IN: i32 = 0;
// @ts-ignore: decorator
@inline export const TCP_SEGS_OUT: i32 = 1;
/** Segments sent again (timeout retransmissions, SYN and FIN included). */
// @ts-ignore: decorator
@inline export const TCP_RETRANSMITS: i32 = 2;
// @ts-ignore: decorator
@inline export const TCP_KEEPALIVE_PROBES: i32 = 3;
/** Connections aborted because keepalive probes went unanswered. */
// @ts-ignore: decorator
@inline export const TCP_KEEPALIVE_DROPS: i32 = 4;
/** Connections aborted because retransmissions ran out. */
// @ts-ignore: decorator
@inline export const TCP_RETRANSMIT_DROPS: i32 = 5;
// @ts-ignore: decorator
@inline export const TCP_DROP_BAD_CHECKSUM: i32 = 6;
// @ts-ignore: decorator
@inline export const TCP_DROP_MALFORMED: i32 = 7;
/** SYNs to a port nobody listens on (answered with RST: "connection refused"). */
// @ts-ignore: decorator
@inline export const TCP_DROP_NO_LISTENER: i32 = 8;
/** Other segments for no connection (answered with RST unless they are RST). */
// @ts-ignore: decorator
@inline export const TCP_DROP_NO_CONNECTION: i32 = 9;
/** Segments outside the receive window (answered with an ACK). */
// @ts-ignore: decorator
@inline export const TCP_DROP_OUT_OF_WINDOW: i32 = 10;
/** SYNs refused because every TCB was in use (and none in TIME-WAIT to recycle). */
// @ts-ignore: decorator
@inline export const TCP_DROP_TABLE_FULL: i32 = 11;
/** SYNs dropped because the listener already holds TCP_BACKLOG_MAX unaccepted connections. */
// @ts-ignore: decorator
@inline export const TCP_DROP_BACKLOG_FULL: i32 = 12;
/** In-window data that did not start at RCV.NXT (no reassembly queue: the peer resends). */
// @ts-ignore: decorator
@inline export const TCP_DROP_OUT_OF_ORDER: i32 = 13;
/** ACKs for data never sent (RFC 9293 3.10.7.4: answered with an ACK). */
// @ts-ignore: decorator
@inline export const TCP_DROP_BAD_ACK: i32 = 14;
// @ts-ignore: decorator
@inline export const TCP_RST_IN: i32 = 15;
// @ts-ignore: decorator
@inline export const TCP_RST_OUT: i32 = 16;
// @ts-ignore: decorator
@inline export const TCP_CHALLENGE_ACKS: i32 = 17;
/** Challenge ACKs, and ACKs answering unacceptable pure ACKs, not sent because of the RFC 5961 7 rate limit. */
// @ts-ignore: decorator
@inline export const TCP_CHALLENGE_ACKS_SUPPRESSED: i32 = 18;
// @ts-ignore: decorator
@inline export const TCP_ACTIVE_OPENS: i32 = 19;
// @ts-ignore: decorator
@inline export const TCP_PASSIVE_OPENS: i32 = 20;
/** Connections that reached ESTABLISHED. */
// @ts-ignore: decorator
@inline export const TCP_ESTABLISHED: i32 = 21;
/** Active opens given up after the synwait time. */
// @ts-ignore: decorator
@inline export const TCP_CONNECT_TIMEOUTS: i32 = 22;
/** TIME-WAIT TCBs taken early because the table was full. */
// @ts-ignore: decorator
@inline export const TCP_TIME_WAIT_RECYCLED: i32 = 23;
// @ts-ignore: decorator
@inline export const TCP_ZERO_WINDOW_PROBES: i32 = 24;
/** Half-open TCBs given up for a newer SYN (backlog or table full, or a stale line reservation). */
// @ts-ignore: decorator
@inline export const TCP_SYN_RECYCLED: i32 = 25;
/** SYNs refused (RST) because their listener group (a terminal line) was held by another caller. */
// @ts-ignore: decorator
@inline export const TCP_REFUSED_GROUP_HELD: i32 = 26;
// @ts-ignore: decorator
@inline export const TCP_COUNTER_COUNT: i32 = 27;

const counters = memory.data(TCP_COUNTER_COUNT * 4, 4);

export function tcpCount(id: i32): void {
  const at = counters + (<usize>id << 2);
  store<u32>(at, load<u32>(at) + 1);
}

export function tcpCounter(id: i32): u32 {
  if (id < 0 || id >= TCP_COUNTER_COUNT) return 0;
  return load<u32>(counters + (<usize>id << 2));
}
