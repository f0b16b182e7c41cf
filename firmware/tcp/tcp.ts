// TCP: the polled socket API the upper layers use (no callbacks: they ask), the stack's settings,
// and the firmware entry points tcpBoot/tcpPoll/tcpDeadline. Read tcb.ts's header first.
//
// Handles are TCB indexes. A user gets one from tcpOpen or tcpAccept and gives it back exactly once
// with tcpClose (orderly: FIN after the queued data) or tcpAbort (RST). Until then the handle names
// the same connection even after it died: tcpState says CLOSED and tcpCloseReason says why
// (reset by peer, keepalive timeout, retransmit timeout, refused, timed out...).
import { TCB_COUNT } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { ringWrite, ringRead, ringPeek, ringDrop, ringFree, ringClear } from "../lib/ring";
import { ifIp, ifUp } from "../net/config";
import { ipv4SetTcpInput, ipv4NextHop } from "../net/ipv4";
import {
  tcb, txRing, rxRing, tcbTableBoot, tcbValid, tcbOpenSet, tcbFree, tcbReset, tcbAddress, setState, settingsReset, tcpCount,
  synwaitMs,
  CLOSED, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, LAST_ACK,
  REASON_NONE, REASON_ABORTED,
  F_PASSIVE, F_USER, F_FIN_QUEUED, F_FIN_RECEIVED, F_OUTPUT_PENDING, F_ACK_NOW, F_KEEPALIVE_ON, F_KEEPALIVE_OFF,
  TCP_ACTIVE_OPENS, F_LATE, F_READING,
} from "./tcb";
import { tcbOutput, tcbDrop, rcvWindow, rcvWndAdvertised } from "./output";
import { tcpInput, tcbInitSend, mssFrom, initialCwnd } from "./input";
import { isnBoot, isnFor, ephemeralPort } from "./isn";
import { tcbTimers, tcbDeadline } from "./timers";
import {
  findConnection, tcbAllocate, listenersBoot, listenerAdd, listenerRemove, listenerValid, listenerFor, listenerSetGroups, groupHolder,
} from "./table";

export function tcpBoot(): void {
  tcbTableBoot();
  listenersBoot();
  settingsReset();
  isnBoot();
  ipv4SetTcpInput(tcpInput);
}

/** Timers of every connection; their output waits for tcpOutputAll at the end of the poll. A walk
 * visits the TCBs open when it starts (tcbOpenSet); each step changes only the TCB it visits. */
export function tcpPoll(): void {
  for (let m = tcbOpenSet(); m != 0; m &= m - 1) tcbTimers(<i32>ctz(m));
}

/** Sends what every connection has to send: last in a poll, once the layers above have read and
 * written, so data, ACKs and window updates leave together. */
export function tcpOutputAll(): void {
  for (let m = tcbOpenSet(); m != 0; m &= m - 1) tcbOutput(<i32>ctz(m));
}

export function tcpDeadline(): u64 {
  let next = NEVER;
  for (let m = tcbOpenSet(); m != 0; m &= m - 1) next = min<u64>(next, tcbDeadline(<i32>ctz(m)));
  return next;
}

// --- Passive open ---

/** Listens on ports lo..hi (lo == hi for one port). Returns the listener, -1 if full or overlapping. */
export function tcpListen(portLo: u32, portHi: u32): i32 {
  return listenerAdd(portLo, portHi);
}

/** Stops listening; connections it made that nobody accepted are reset. */
export function tcpUnlisten(l: i32): void {
  if (!listenerValid(l)) return;
  for (let h = 0; h < TCB_COUNT; h++) {
    const t = tcb(h);
    if (t.state != CLOSED && <i32>t.listener == l && (t.flags & F_USER) == 0) tcbDrop(h, REASON_ABORTED, true);
  }
  listenerRemove(l);
}

/**
 * Sets the listener groups listener l serves (bit g-1 for group g, 1..31; 0 = none). A SYN reserves
 * the lowest of them that no other unaccepted connection holds (tcpGroup tells which, once
 * accepted); when all are held it is refused with RST, or, with `takesExtra`, accepted and marked
 * late (tcpIsLate) for the user to turn away politely. One terminal line = one group (table.ts).
 */
export function tcpListenerSetGroups(l: i32, groups: u32, takesExtra: bool): void {
  listenerSetGroups(l, groups, takesExtra);
}

/** The listener group a passive open reserved (0: none). */
export function tcpGroup(h: i32): u32 {
  return tcbValid(h) ? <u32>tcb(h).group : 0;
}

/** An accepted connection that arrived while its listener group was held by an earlier caller. */
export function tcpIsLate(h: i32): bool {
  return tcbValid(h) && (tcb(h).flags & F_LATE) != 0;
}

/** The listener covering `port`, or -1. */
export function tcpListenerFor(port: u32): i32 {
  return listenerFor(port);
}

/** True while listener group `g` (a terminal line) is held by a connection nobody accepted yet: a
 * handshake under way (SYN-RECEIVED: the caller may already see it open) or done and waiting for
 * tcpAccept, whichever of the group's listeners (its own ports or a rotary port) it came in on. */
export function tcpGroupHeld(g: u32): bool {
  return groupHolder(g) >= 0;
}

/**
 * An established connection listener `l` made, now held by the caller; -1 when none is waiting.
 * `port` filters on the local port (0: any), so a range listener can serve each line separately.
 */
export function tcpAccept(l: i32, port: u32): i32 {
  for (let h = 0; h < TCB_COUNT; h++) {
    const t = tcb(h);
    if (<i32>t.listener != l || (t.flags & F_USER) != 0 || t.state < ESTABLISHED) continue;
    if (port != 0 && <u32>t.localPort != port) continue;
    t.flags |= F_USER;
    t.listener = -1;
    return h;
  }
  return -1;
}

/**
 * True when some listener has an established connection nobody accepted yet: one pass over the
 * table, so a poll with nothing to accept does not ask every line's listeners (tcpAccept) in turn.
 */
export function tcpAcceptWaiting(): bool {
  for (let m = tcbOpenSet(); m != 0; m &= m - 1) {
    const h = <i32>ctz(m);
    const t = tcb(h);
    if (<i32>t.listener >= 0 && (t.flags & F_USER) == 0 && t.state >= ESTABLISHED) return true;
  }
  return false;
}

// --- Active open ---

/** tcpOpen failures. */
// @ts-ignore: decorator
@inline export const OPEN_TABLE_FULL: i32 = -1;
/** Interface down, no address, or no route: "% Destination unreachable; gateway or host down". */
// @ts-ignore: decorator
@inline export const OPEN_UNREACHABLE: i32 = -2;

/** Opens a connection to remoteIp:remotePort (SYN on the next poll). A handle, or OPEN_*. */
export function tcpOpen(remoteIp: u32, remotePort: u32): i32 {
  if (!ifUp() || ipv4NextHop(remoteIp) == 0 || remotePort == 0 || remotePort > 0xffff) return OPEN_UNREACHABLE;
  const h = tcbAllocate();
  if (h < 0) return OPEN_TABLE_FULL;
  // RFC 6056: a random ephemeral port, tried again while the 4-tuple or a listener has it.
  let port = ephemeralPort();
  for (let i = 0; i < 16 && (findConnection(ifIp, port, remoteIp, remotePort) >= 0 || listenerFor(port) >= 0); i++) {
    port = ephemeralPort();
  }
  const t = tcb(h);
  t.localIp = ifIp;
  t.remoteIp = remoteIp;
  t.localPort = <u16>port;
  t.remotePort = <u16>remotePort;
  t.flags = F_USER | F_OUTPUT_PENDING;
  t.iss = isnFor(t.localIp, port, remoteIp, remotePort);
  tcbInitSend(t);
  t.sndMss = <u16>mssFrom(0);
  t.cwnd = initialCwnd(t.sndMss);
  t.lastRecvMs = now();
  t.giveUpAtMs = now() + <u64>synwaitMs;
  setState(t, SYN_SENT);
  tcpCount(TCP_ACTIVE_OPENS);
  return h;
}

// --- Data ---

/** Queues up to `len` bytes for sending; returns how many the send ring took (0 when closing). */
export function tcpSend(h: i32, ptr: usize, len: u32): u32 {
  if (tcpSendSpace(h) == 0) return 0; // closing, closed, or full: the ring takes nothing
  const n = ringWrite(txRing(h), ptr, len);
  if (n > 0) tcb(h).flags |= F_OUTPUT_PENDING;
  return n;
}

/** Room in the send ring (0 unless the connection may still queue data: tcpSend asks it). */
export function tcpSendSpace(h: i32): u32 {
  if (!tcbValid(h)) return 0;
  const t = tcb(h);
  const s = t.state;
  if ((t.flags & F_FIN_QUEUED) != 0 || (s != ESTABLISHED && s != CLOSE_WAIT && s != SYN_SENT && s != SYN_RECEIVED)) return 0;
  return ringFree(txRing(h));
}

/** Bytes queued but not yet acknowledged by the peer. */
export function tcpSendQueued(h: i32): u32 {
  return tcbValid(h) ? txRing(h).count : 0;
}

/**
 * Moves up to `max` received bytes to `ptr`; returns how many. Reading opens the window; once the
 * right edge may move by min(ring/2, MSS) (RFC 1122 4.2.3.3, receiver-side silly window
 * avoidance: rcvWindow), a window update goes out.
 */
export function tcpRecv(h: i32, ptr: usize, max: u32): u32 {
  if (!tcbValid(h)) return 0;
  const n = ringRead(rxRing(h), ptr, max);
  if (n > 0) windowOpened(h);
  return n;
}

/**
 * Copies up to `max` received bytes to `ptr` without taking them: they stay in the receive ring
 * (and keep the window closed) until tcpConsume. Lets a reader that may stop part-way (the telnet
 * engine, at a command whose answer does not fit yet) leave the rest where it was.
 */
export function tcpPeek(h: i32, ptr: usize, max: u32): u32 {
  return tcbValid(h) ? ringPeek(rxRing(h), 0, ptr, max) : 0;
}

/** Takes the first `n` received bytes (those a tcpPeek saw and the reader used); returns how
 * many. Opens the window as tcpRecv does. */
export function tcpConsume(h: i32, n: u32): u32 {
  if (!tcbValid(h)) return 0;
  const taken = ringDrop(rxRing(h), n);
  if (taken > 0) windowOpened(h);
  return taken;
}

/** Bytes left the receive ring: a window update once the right edge may move far enough. */
function windowOpened(h: i32): void {
  const t = tcb(h);
  t.flags |= F_READING;
  if (t.state >= ESTABLISHED && (t.flags & F_FIN_RECEIVED) == 0 && rcvWindow(h, t) > rcvWndAdvertised(t)) {
    t.flags |= F_ACK_NOW;
  }
}

export function tcpRecvAvailable(h: i32): u32 {
  return tcbValid(h) ? rxRing(h).count : 0;
}

/** The connection is over for its user: it died (CLOSED, read or not), or the peer closed and
 * everything it sent was read. One lookup for what tcpState and tcpRecvEof tell together. */
export function tcpOver(h: i32): bool {
  if (!tcbValid(h)) return true;
  const t = tcb(h);
  return t.state == CLOSED || ((t.flags & F_FIN_RECEIVED) != 0 && rxRing(h).count == 0);
}

/** True when no more data will arrive and all of it was read (peer's FIN, or the connection died). */
export function tcpRecvEof(h: i32): bool {
  if (!tcbValid(h)) return true;
  const t = tcb(h);
  return rxRing(h).count == 0 && ((t.flags & F_FIN_RECEIVED) != 0 || t.state == CLOSED);
}

// --- Closing ---

/** Takes the user's hold off handle h; false when h is not a handle a user holds. */
function userLetGo(h: i32): bool {
  if (!tcbValid(h)) return false;
  const t = tcb(h);
  if ((t.flags & F_USER) == 0) return false;
  t.flags &= ~F_USER;
  return true;
}

/** Gives the handle back: FIN after the queued data (or frees a dead connection's slot). */
export function tcpClose(h: i32): void {
  if (!userLetGo(h)) return;
  const t = tcb(h);
  ringClear(rxRing(h));
  const s = t.state;
  if (s == CLOSED) {
    tcbReset(h);
  } else if (s == SYN_SENT) {
    tcbDrop(h, REASON_ABORTED, false);
  } else if (s == SYN_RECEIVED) {
    tcbDrop(h, REASON_ABORTED, true);
  } else if (s == ESTABLISHED || s == CLOSE_WAIT) {
    t.flags |= F_FIN_QUEUED | F_OUTPUT_PENDING;
    setState(t, s == ESTABLISHED ? FIN_WAIT_1 : LAST_ACK);
  }
}

/** Gives the handle back and resets the connection (RST unless it was not synchronized). */
export function tcpAbort(h: i32): void {
  if (userLetGo(h)) tcpKill(h);
}

/** `clear tcp tcb`: resets any connection; a user holding it sees CLOSED, reason "aborted". */
export function tcpKill(h: i32): void {
  if (!tcbValid(h)) return;
  const t = tcb(h);
  const s = t.state;
  if (s == CLOSED) {
    if ((t.flags & F_USER) == 0) tcbReset(h);
    return;
  }
  const reset = s == SYN_RECEIVED || s == ESTABLISHED || s == FIN_WAIT_1 || s == FIN_WAIT_2 || s == CLOSE_WAIT;
  tcbDrop(h, REASON_ABORTED, reset);
}

// --- Queries (`show tcp brief`, `show tcp`, the line layer) ---

export function tcpState(h: i32): u32 {
  return tcbValid(h) ? tcb(h).state : CLOSED;
}
/** A slot that holds a connection or a user's dead handle (FREE slots are not shown). */
export function tcpInUse(h: i32): bool {
  return tcbValid(h) && !tcbFree(tcb(h));
}
/** Why the connection closed or is closing (REASON_*); REASON_NONE while it lives. */
export function tcpCloseReason(h: i32): u32 {
  return tcbValid(h) ? tcb(h).closeReason : REASON_NONE;
}
export function tcpLocalIp(h: i32): u32 {
  return tcbValid(h) ? tcb(h).localIp : 0;
}
export function tcpLocalPort(h: i32): u32 {
  return tcbValid(h) ? tcb(h).localPort : 0;
}
export function tcpRemoteIp(h: i32): u32 {
  return tcbValid(h) ? tcb(h).remoteIp : 0;
}
export function tcpRemotePort(h: i32): u32 {
  return tcbValid(h) ? tcb(h).remotePort : 0;
}
/** True for connections the remote side opened (keepalive-in applies to them). */
export function tcpIsPassive(h: i32): bool {
  return tcbValid(h) && (tcb(h).flags & F_PASSIVE) != 0;
}
export function tcpBytesIn(h: i32): u32 {
  return tcbValid(h) ? tcb(h).bytesIn : 0;
}
export function tcpBytesOut(h: i32): u32 {
  return tcbValid(h) ? tcb(h).bytesOut : 0;
}
/** Milliseconds since the last acceptable segment arrived. */
export function tcpIdleMs(h: i32): u64 {
  return tcbValid(h) && tcb(h).state != CLOSED ? now() - tcb(h).lastRecvMs : 0;
}
export function tcpRtoMs(h: i32): u32 {
  return tcbValid(h) ? tcb(h).rtoMs : 0;
}
export function tcpSrttMs(h: i32): u32 {
  return tcbValid(h) ? tcb(h).srttMs : 0;
}
/** Keepalive probes sent since the peer was last heard. */
export function tcpKeepaliveProbes(h: i32): u32 {
  return tcbValid(h) ? tcb(h).probes : 0;
}
/** The control block's address (IOS prints it as the TCB column of `show tcp brief`). */
export function tcpTcbAddress(h: i32): usize {
  return tcbValid(h) ? tcbAddress(h) : 0;
}

/** Labels the connection's debug lines (IOS: `TCP2:` for tty 2). */
export function tcpSetTag(h: i32, tag: u32): void {
  if (tcbValid(h)) tcb(h).tag = <u8>tag;
}

/** Per-connection keepalive: 0 follows the service setting, 1 forces on, 2 forces off. */
export function tcpSetConnectionKeepalive(h: i32, mode: u32): void {
  if (!tcbValid(h)) return;
  const t = tcb(h);
  t.flags &= ~(F_KEEPALIVE_ON | F_KEEPALIVE_OFF);
  if (mode == 1) t.flags |= F_KEEPALIVE_ON;
  else if (mode == 2) t.flags |= F_KEEPALIVE_OFF;
}

// --- Settings ---
export {
  setKeepaliveIn as tcpSetKeepaliveIn,
  setKeepaliveOut as tcpSetKeepaliveOut,
  setKeepaliveTimers as tcpSetKeepaliveTimers,
  setSynwaitMs as tcpSetSynwaitMs,
  setDebugTransactions as tcpSetDebug,
  tcpCounter,
  tcpStateName,
  tcbTakeEvents as tcpTakeEvents,
} from "./tcb";
