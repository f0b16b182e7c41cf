// Finding things in the fixed tables: connections by 4-tuple, listeners by port, a free TCB (or a
// TIME-WAIT one to recycle when the table is full), and the listener table itself.
//
// Listeners cover a port range (lo..hi), so the terminal server can listen on 23 with one entry
// and on 2001-2016 with another, or on each line's ports separately (one entry per free line, so
// a busy line's port answers RST: "% Connection refused by remote host").
//
// Listeners can share a group (one terminal line's three ports 2000+n, 4000+n, 6000+n): the
// group's first SYN reserves it (the TCB records the group), and a SYN to any of its ports while
// an unaccepted connection holds it is refused with RST (input.ts listen), as a real terminal
// server gives a line to one caller. A listener may serve several groups (a rotary group's ports
// reach any free line of it): a SYN then reserves the lowest group of its set not held. A listener
// may instead take the extra callers (`refuse-message`: the line layer accepts them, prints the
// message and closes); those TCBs are marked F_LATE.
//
// SYN floods (RFC 4987). Half-open (SYN-RECEIVED) TCBs are the resource a flood exhausts: with a
// 2-entry backlog per listener and 24 TCBs in all, a few spoofed SYNs locked every caller out for
// the 30 s SYN-RECEIVED timeout. Of RFC 4987's defences this stack uses "recycling the oldest
// half-open TCB" (3.4's SYN cache idea reduced to the table we have; lwIP's tcp_kill_state and
// Linux without syncookies do the same): a SYN that finds its listener's backlog full, or the TCB
// table full, takes the place of the oldest unaccepted SYN-RECEIVED TCB. A real caller completes
// its handshake in one round trip, so a flood must now out-pace the RTT, not the 30 s timeout, to
// keep it out. SYN cookies (3.6) were not chosen: they cannot carry our MSS choice and window
// without timestamps, they would make a line's reservation (above) impossible to keep before the
// handshake ends, and the table is small enough that recycling bounds the harm.
import { TCB_COUNT, TCP_LISTENER_COUNT } from "../lib/limits";
import { now } from "../lib/clock";
import {
  tcb, tcbOpenSet, tcbFree, tcbReset, tcpCount, setState, CLOSED, TIME_WAIT, SYN_RECEIVED, F_USER, TCP_TIME_WAIT_RECYCLED,
  TCP_SYN_RECYCLED, F_LATE,
} from "./tcb";

/** RFC 9293 3.4.2 puts MSL at 2 minutes; like Linux we keep TIME-WAIT at 60 s (MSL 30 s) because
 *  the table is small, and recycle the oldest TIME-WAIT TCB when it is full. */
// @ts-ignore: decorator
@inline export const MSL_MS: u32 = 30000;
/** How long a passive open may wait in SYN-RECEIVED for the handshake's last ACK. */
// @ts-ignore: decorator
@inline export const SYN_RECEIVED_TIMEOUT_MS: u64 = 30000;

/**
 * An orphaned FIN-WAIT-2 (the user closed; the peer ACKed our FIN but never sends its own) would
 * hold a TCB forever if the peer vanished: like Linux's tcp_fin_timeout, give up after 60 s.
 */
// @ts-ignore: decorator
@inline export const FIN_WAIT_2_TIMEOUT_MS: u64 = 60000;

/**
 * How long a half-open connection holds its listener group (a terminal line) against another
 * caller. Past this, a new SYN to the group recycles it. 3 s is RFC 1122's initial RTO: by then
 * our SYN+ACK went out twice (at 0 and 1 s, RFC 6298's 1 s RTO) and a live caller had two full
 * chances to answer; a spoofed SYN holds a line at most this long once the flood stops.
 */
// @ts-ignore: decorator
@inline export const GROUP_HALF_OPEN_HOLD_MS: u64 = 3000;

export function timeWaitMs(): u32 {
  return 2 * MSL_MS;
}

/** The TCB of a 4-tuple (any state but FREE), or -1. */
export function findConnection(localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32): i32 {
  for (let m = tcbOpenSet(); m != 0; m &= m - 1) {
    const h = <i32>ctz(m);
    const t = tcb(h);
    if (<u32>t.localPort == localPort && <u32>t.remotePort == remotePort && t.remoteIp == remoteIp && t.localIp == localIp) return h;
  }
  return -1;
}

/**
 * A FREE slot; else the TIME-WAIT TCB closest to expiry, recycled; else the oldest unaccepted
 * half-open TCB, recycled (RFC 4987 3.4, see the header); else -1 (table full: every TCB holds a
 * synchronized connection or a user's handle).
 */
export function tcbAllocate(): i32 {
  let oldest = -1;
  for (let h = 0; h < TCB_COUNT; h++) {
    const t = tcb(h);
    if (tcbFree(t)) return h;
    if (t.state == TIME_WAIT && (t.flags & F_USER) == 0 && (oldest < 0 || t.timerAtMs < tcb(oldest).timerAtMs)) oldest = h;
  }
  if (oldest >= 0) {
    tcpCount(TCP_TIME_WAIT_RECYCLED);
    tcbReset(oldest);
    return oldest;
  }
  const half = oldestHalfOpen(-1);
  if (half >= 0) halfOpenRecycle(half);
  return half;
}

/** The unaccepted SYN-RECEIVED TCB of listener `l` (any listener when l < 0) that came first, or -1. */
export function oldestHalfOpen(l: i32): i32 {
  let oldest = -1;
  for (let h = 0; h < TCB_COUNT; h++) {
    const t = tcb(h);
    if (t.state != SYN_RECEIVED || (t.flags & F_USER) != 0 || t.listener < 0) continue;
    if (l >= 0 && <i32>t.listener != l) continue;
    // giveUpAtMs is the arrival instant plus the fixed SYN-RECEIVED timeout: it orders arrivals.
    if (oldest < 0 || t.giveUpAtMs < tcb(oldest).giveUpAtMs) oldest = h;
  }
  return oldest;
}

/** Frees a half-open TCB for a newer SYN, silently (lwIP and Linux send no RST either: no data is lost). */
export function halfOpenRecycle(h: i32): void {
  tcpCount(TCP_SYN_RECYCLED);
  setState(tcb(h), CLOSED); // the debug log shows SYNRCVD -> CLOSED
  tcbReset(h);
}

/** When half-open TCB h arrived (its SYN). */
export function halfOpenSinceMs(h: i32): u64 {
  return tcb(h).giveUpAtMs - SYN_RECEIVED_TIMEOUT_MS;
}

/** May a newer SYN to the group take the place of half-open TCB h (held GROUP_HALF_OPEN_HOLD_MS)? */
export function halfOpenStale(h: i32): bool {
  const t = tcb(h);
  return t.state == SYN_RECEIVED && now() >= halfOpenSinceMs(h) + GROUP_HALF_OPEN_HOLD_MS;
}

// --- Listeners: lo u16, hi u16 (0 when the entry is free), 4 bytes each; a group set each ---
const listeners = memory.data(TCP_LISTENER_COUNT * 4, 4);
/** Per listener: the groups it serves (bit g-1 for group g, 1..GROUP_MAX) and GROUP_TAKES_EXTRA. */
const listenerGroups = memory.data(TCP_LISTENER_COUNT * 4, 4);
/** The listener takes callers beyond its groups' first (marked F_LATE) instead of refusing them. */
// @ts-ignore: decorator
@inline export const GROUP_TAKES_EXTRA: u32 = 0x8000_0000;
/** Groups are 1..GROUP_MAX (a bit each in a listener's set). */
// @ts-ignore: decorator
@inline export const GROUP_MAX: u32 = 31;

function listenerLo(l: i32): u32 {
  return load<u16>(listeners + (<usize>l << 2));
}

function listenerHi(l: i32): u32 {
  return load<u16>(listeners + (<usize>l << 2) + 2);
}

export function listenersBoot(): void {
  memory.fill(listeners, 0, <usize>(TCP_LISTENER_COUNT * 4));
  memory.fill(listenerGroups, 0, <usize>(TCP_LISTENER_COUNT * 4));
}

/** A listener for ports lo..hi; -1 when the table is full or the range is empty or overlaps one. */
export function listenerAdd(lo: u32, hi: u32): i32 {
  if (lo == 0 || hi < lo || hi > 0xffff) return -1;
  let free = -1;
  for (let l = 0; l < TCP_LISTENER_COUNT; l++) {
    const used = listenerLo(l) != 0;
    if (!used && free < 0) free = l;
    if (used && lo <= listenerHi(l) && listenerLo(l) <= hi) return -1;
  }
  if (free >= 0) {
    store<u16>(listeners + (<usize>free << 2), <u16>lo);
    store<u16>(listeners + (<usize>free << 2) + 2, <u16>hi);
    store<u32>(listenerGroups + (<usize>free << 2), 0);
  }
  return free;
}

/** Sets the groups listener l serves (bit g-1 for group g; 0 = none), taking extra callers or not. */
export function listenerSetGroups(l: i32, groups: u32, takesExtra: bool): void {
  if (!listenerValid(l)) return;
  groups &= ~GROUP_TAKES_EXTRA;
  store<u32>(listenerGroups + (<usize>l << 2), groups | (takesExtra && groups != 0 ? GROUP_TAKES_EXTRA : 0));
}

export function listenerGroupSet(l: i32): u32 {
  return listenerValid(l) ? load<u32>(listenerGroups + (<usize>l << 2)) & ~GROUP_TAKES_EXTRA : 0;
}

export function listenerTakesExtra(l: i32): bool {
  return listenerValid(l) && (load<u32>(listenerGroups + (<usize>l << 2)) & GROUP_TAKES_EXTRA) != 0;
}

/** The unaccepted connection (any state) that holds group g, not counting late ones; -1 if none. */
export function groupHolder(g: u32): i32 {
  if (g == 0) return -1;
  for (let h = 0; h < TCB_COUNT; h++) {
    const t = tcb(h);
    if (t.state == CLOSED || (t.flags & (F_USER | F_LATE)) != 0 || t.listener < 0) continue;
    if (<u32>t.group == g) return h;
  }
  return -1;
}

export function listenerRemove(l: i32): void {
  if (l >= 0 && l < TCP_LISTENER_COUNT) store<u32>(listeners + (<usize>l << 2), 0);
}

export function listenerValid(l: i32): bool {
  return l >= 0 && l < TCP_LISTENER_COUNT && listenerLo(l) != 0;
}

/** The listener covering `port`, or -1. */
export function listenerFor(port: u32): i32 {
  for (let l = 0; l < TCP_LISTENER_COUNT; l++) {
    const lo = listenerLo(l);
    if (lo != 0 && lo <= port && port <= listenerHi(l)) return l;
  }
  return -1;
}

export function listenerPortLo(l: i32): u32 {
  return l >= 0 && l < TCP_LISTENER_COUNT ? listenerLo(l) : 0;
}

export function listenerPortHi(l: i32): u32 {
  return l >= 0 && l < TCP_LISTENER_COUNT ? listenerHi(l) : 0;
}

/** Connections listener `l` created that no user has accepted yet. */
export function listenerBacklog(l: i32): i32 {
  let n = 0;
  for (let h = 0; h < TCB_COUNT; h++) {
    const t = tcb(h);
    if (t.state != CLOSED && <i32>t.listener == l && (t.flags & F_USER) == 0) n++;
  }
  return n;
}
