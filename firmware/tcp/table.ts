// Finding things in the fixed tables: connections by 4-tuple, listeners by port, a free TCB (or a
// TIME-WAIT one to recycle when the table is full), and the listener table itself.
//
// Listeners cover a port range (lo..hi), so the terminal server can listen on 23 with one entry
// and on 2001-2016 with another, or on each line's ports separately (one entry per free line, so
// a busy line's port answers RST: "% Connection refused by remote host").
import { TCB_COUNT, TCP_LISTENER_COUNT } from "../lib/limits";
import {
  tcb, tcbFree, tcbReset, tcpCount, CLOSED, TIME_WAIT, F_USER, TCP_TIME_WAIT_RECYCLED,
} from "./tcb";

/** RFC 9293 3.4.2 puts MSL at 2 minutes; like Linux we keep TIME-WAIT at 60 s (MSL 30 s) because
 *  the table is small, and recycle the oldest TIME-WAIT TCB when it is full. */
// @ts-ignore: decorator
@inline export const MSL_MS: u32 = 30000;
/** How long a passive open may wait in SYN-RECEIVED for the handshake's last ACK. */
// @ts-ignore: decorator
@inline export const SYN_RECEIVED_TIMEOUT_MS: u64 = 30000;

export function timeWaitMs(): u32 {
  return 2 * MSL_MS;
}

/** The TCB of a 4-tuple (any state but FREE), or -1. */
export function findConnection(localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32): i32 {
  for (let h = 0; h < TCB_COUNT; h++) {
    const t = tcb(h);
    if (t.state == CLOSED) continue;
    if (<u32>t.localPort == localPort && <u32>t.remotePort == remotePort && t.remoteIp == remoteIp && t.localIp == localIp) return h;
  }
  return -1;
}

/** A FREE slot; else the TIME-WAIT TCB closest to expiry, recycled; else -1 (table full). */
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
  }
  return oldest;
}

// --- Listeners: lo u16, hi u16 (0 when the entry is free), 4 bytes each ---
const listeners = memory.data(TCP_LISTENER_COUNT * 4, 4);

// @ts-ignore: decorator
@inline function listenerLo(l: i32): u32 {
  return load<u16>(listeners + (<usize>l << 2));
}

// @ts-ignore: decorator
@inline function listenerHi(l: i32): u32 {
  return load<u16>(listeners + (<usize>l << 2) + 2);
}

export function listenersBoot(): void {
  memory.fill(listeners, 0, <usize>(TCP_LISTENER_COUNT * 4));
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
  }
  return free;
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
