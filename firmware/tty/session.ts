// The session table of the terminal server: every TCP connection a line holds. Three kinds of owner
// (REFERENCE.md "Lines and ports"): a vty's incoming telnet (port 23, vty.ts), a TTY's incoming
// reverse connection (2000+n telnet, 4000+n raw, 6000+n binary telnet, reverse.ts), and the
// outgoing connections an exec opens with `telnet` (client.ts). A session holds exactly one TCB,
// so the table has one slot per TCB and the session handle IS the TCB handle (and the telnet
// engine's handle): one integer names the connection everywhere.
//
// This file also owns the byte pumps all kinds share: network -> line through the telnet engine
// and line -> network, with flow control both ways (take from TCP only what the engine used, only
// read the line while TCP has room: a slow side makes the other wait, nothing is lost),
// the exec hooks the cli binds (the tty layer never imports the cli), and the log of connections
// that died under a line (keepalive, reset, retransmission).
import { SESSION_COUNT, SESSION_SCRATCH_BYTES, TELNET_REPLY_RESERVE_BYTES, LINE_COUNT } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { Ring, RING_HEADER_BYTES, ringInit, ringClear, ringFree } from "../lib/ring";
import { Writer, writerInit, writerReset, putStr, putU32, putIp } from "../lib/text";
import { logBegin, logEnd, LOG_INFO } from "../lib/log";
import {
  tcpRecv, tcpPeek, tcpConsume, tcpRecvAvailable, tcpSend, tcpSendSpace, tcpCloseReason, tcpRemoteIp, tcpRemotePort,
} from "../tcp/tcp";
import { REASON_RESET, REASON_KEEPALIVE, REASON_RETRANSMIT } from "../tcp/tcb";
import { telnetReceive, telnetSend, telnetTakeEvents, telnetIsOpen } from "../telnet/telnet";
import { lineAt, putLineName } from "./line-table";
import { lineWrite, lineWriteSpace, lineInput, lineRxSpace } from "./lines";
import { reverseEvents } from "./reverse";
import { vtyEvents } from "./vty";

// Session kinds.
// @ts-ignore: decorator
@inline export const SK_FREE: u8 = 0;
/** An incoming telnet on port 23: the exec of a vty. */
// @ts-ignore: decorator
@inline export const SK_VTY: u8 = 1;
/** Reverse telnet 2000+n (NVT, CR -> CR LF, RFC 2217). */
// @ts-ignore: decorator
@inline export const SK_REVERSE: u8 = 2;
/** Raw TCP 4000+n: bytes as they are, no telnet. */
// @ts-ignore: decorator
@inline export const SK_RAW: u8 = 3;
/** Binary telnet 6000+n: telnet commands, no CR translation. */
// @ts-ignore: decorator
@inline export const SK_BINARY: u8 = 4;
/** An outgoing connection opened by a line's exec (`telnet`, `connect`, a bare address). */
// @ts-ignore: decorator
@inline export const SK_CLIENT: u8 = 5;

// Session states.
/** Outgoing: SYN sent, waiting for the handshake. */
// @ts-ignore: decorator
@inline export const SS_CONNECTING: u8 = 1;
/** Bytes flow (incoming sessions from accept on; outgoing once open). */
// @ts-ignore: decorator
@inline export const SS_OPEN: u8 = 2;
/** Ending: the cli's last output still goes out, then the connection closes (vty). */
// @ts-ignore: decorator
@inline export const SS_CLOSING: u8 = 3;

/**
 * One session (32 bytes). Indexed by TCB handle; kind SK_FREE when unused.
 *   +0  lastActivityAtMs u64   last byte either way (session-timeout, show sessions Idle)
 *   +8  remoteIp u32           the peer (incoming) or the host asked for (outgoing)
 *   +12 remotePort u16, +14 kind u8, +15 state u8
 *   +16 line u8, +17 conn u8 (outgoing: the number `resume n` uses), +18 escape u8 (1 after the
 *       escape character), +19 modemSent u8 (modem state last told the RFC 2217 client)
 *   +20 signals u8 (output signals set through RFC 2217), +21 netWait u8 (1: the engine stopped at
 *       a command whose answer waits for room in TCP's send ring; pumpFromNet), +22..23 spare
 *   +24 breakEndsAtMs u64 (a BREAK from IAC BRK is held until then; 0 = none)
 */
// @ts-ignore: decorator
@unmanaged export class Session {
  lastActivityAtMs: u64;
  remoteIp: u32;
  remotePort: u16;
  kind: u8;
  state: u8;
  line: u8;
  conn: u8;
  escape: u8;
  modemSent: u8;
  signals: u8;
  netWait: u8;
  breakEndsAtMs: u64;
}

// @ts-ignore: decorator
@inline export const SESSION_STRIDE: usize = 32;
const sessionTable = memory.data(<i32>SESSION_STRIDE * SESSION_COUNT, 8);
/** Per line: the session it shows (vty: its connection; tty: the reverse connection, or the
 * current outgoing one, the `*` of show sessions and what Return resumes); -1 for none. */
const lineSessionTable = memory.data(4 * LINE_COUNT, 4);

// Scratch: the engine writes into these rings, sized per call to what the destination can take,
// then they are emptied into TCP or the line at once. One set serves every session in turn.
const netRing = changetype<Ring>(memory.data(RING_HEADER_BYTES, 4));
const netBuf = memory.data(SESSION_SCRATCH_BYTES);
const lineRing = changetype<Ring>(memory.data(RING_HEADER_BYTES, 4));
const lineBuf = memory.data(SESSION_SCRATCH_BYTES);
/** Bytes read from TCP or a line before the engine consumes them. */
export const inBuf = memory.data(SESSION_SCRATCH_BYTES);

/** Short messages to a line from a session (Open, refused, closed by foreign host). */
const msgBuf = memory.data(160);
export const msg = changetype<Writer>(memory.data(16, 4));

// Hooks the cli binds (function-table indexes; 0 = none).
let hookExecStart: u32 = 0;
let hookExecReturn: u32 = 0;
let hookExecHangup: u32 = 0;

/** Connections lost under lines since boot (all lines): keepalive, reset, retransmission. */
let lostTotal: u32 = 0;
/** Engine events on kinds that have no use for them (counted, ignored). */
let ignoredEvents: u32 = 0;
/** The sessions in use (bit h), so that the poll visits only those (termsrv.ts). */
let used: u32 = 0;

export function sessionsUsed(): u32 {
  return used;
}

export function sessionTableBoot(): void {
  assert(<usize>offsetof<Session>() <= SESSION_STRIDE, "session: record larger than its stride");
  assert(TELNET_REPLY_RESERVE_BYTES < SESSION_SCRATCH_BYTES, "session: scratch below the telnet reply reserve");
  memory.fill(sessionTable, 0, SESSION_STRIDE * <usize>SESSION_COUNT);
  used = 0;
  for (let n = 0; n < LINE_COUNT; n++) store<i32>(lineSessionTable + <usize>(n * 4), -1);
  writerInit(msg, msgBuf, 160);
}

/**
 * The cli's side, bound at boot: start(line) starts the exec of a vty and sends its first output;
 * ret(line) gives a line back to its exec (prompt, or the hang-up of an autocommand line);
 * hangup(line) ends a line's exec (clear line on a line in a session).
 */
export function sessionBindExecHooks(start: (line: i32) => void, ret: (line: i32) => void, hangup: (line: i32) => void): void {
  hookExecStart = start.index;
  hookExecReturn = ret.index;
  hookExecHangup = hangup.index;
}

export function execHookStart(line: i32): void {
  if (hookExecStart != 0) call_indirect<void>(hookExecStart, line);
}

export function execHookReturn(line: i32): void {
  if (hookExecReturn != 0) call_indirect<void>(hookExecReturn, line);
}

export function execHookHangup(line: i32): void {
  if (hookExecHangup != 0) call_indirect<void>(hookExecHangup, line);
}

export function sessionAt(h: i32): Session {
  return changetype<Session>(sessionTable + <usize>h * SESSION_STRIDE);
}

export function sessionValid(h: i32): bool {
  return h >= 0 && h < SESSION_COUNT && sessionAt(h).kind != SK_FREE;
}

/** Claims slot h (a TCB handle the caller now holds) for `line`. */
export function sessionClaim(h: i32, kind: u8, line: i32): Session {
  const s = sessionAt(h);
  assert(s.kind == SK_FREE, "sessionClaim: TCB handle already has a session");
  memory.fill(changetype<usize>(s), 0, SESSION_STRIDE);
  used |= <u32>1 << <u32>h;
  s.kind = kind;
  s.line = <u8>line;
  s.lastActivityAtMs = now();
  s.remoteIp = tcpRemoteIp(h);
  s.remotePort = <u16>tcpRemotePort(h);
  return s;
}

export function sessionRelease(h: i32): void {
  const s = sessionAt(h);
  const line = <i32>s.line;
  if (lineSession(line) == h) setLineSession(line, -1);
  used &= ~(<u32>1 << <u32>h);
  s.kind = SK_FREE;
}

/** The end of s's `session-timeout` (its line's setting, counted from its last byte), or NEVER. */
export function sessionTimeoutAtMs(s: Session): u64 {
  const timeout = lineAt(<i32>s.line).sessionTimeoutMs;
  return timeout != 0 ? s.lastActivityAtMs + <u64>timeout : NEVER;
}

/** Session h's connection is over: it died, or the peer closed and everything it sent was read. */
export { tcpOver as connectionOver } from "../tcp/tcp";

export function lineSession(line: i32): i32 {
  return load<i32>(lineSessionTable + <usize>(line * 4));
}

export function setLineSession(line: i32, h: i32): void {
  store<i32>(lineSessionTable + <usize>(line * 4), h);
}

// --- pumps ---

/**
 * Where a session's network bytes go: a vty's exec reads them as its line's input; every other
 * kind writes them to its line's output (a TTY's UART, or the terminal of the exec that opened it).
 */
// @ts-ignore: decorator
@inline function toLineSpace(s: Session): u32 {
  const line = <i32>s.line;
  return s.kind == SK_VTY ? lineRxSpace(line) : lineWriteSpace(line);
}

function toLine(s: Session, ptr: usize, len: u32): u32 {
  const line = <i32>s.line;
  return s.kind == SK_VTY ? lineInput(line, ptr, len) : lineWrite(line, ptr, len);
}

/** Raw TCP (4000+n) is the one kind without the telnet engine. */
// @ts-ignore: decorator
@inline function isRaw(s: Session): bool {
  return s.kind == SK_RAW;
}

/**
 * The engine's events, in stream order, to the session's kind: RFC 2217 and BREAK to a reverse
 * line, editing commands to a vty's exec; an outgoing session reads option changes when it needs
 * them (telnetRemoteEcho), so its events are counted and ignored.
 */
function sessionEvents(h: i32, s: Session, events: u32): void {
  if (s.kind == SK_VTY) vtyEvents(h, events);
  else if (s.kind == SK_CLIENT) ignoredEvents++;
  else reverseEvents(h, events);
}

/**
 * Network -> line: moves what TCP received on h through the telnet engine (unless raw) to the
 * session's line (toLine, as far as toLineSpace has room), its events to sessionEvents. Returns
 * the network bytes consumed.
 *
 * The engine reads a peeked copy and may stop part-way: at a full line, right after an event, or
 * before a command whose answer would not fit in TCP's send ring (data bytes need no answer and
 * keep flowing when the send ring is full). Only the bytes it used are taken from TCP; the rest
 * stay there, unread, for the next poll, so nothing is lost or seen twice, and an answer is always
 * written whole into TCP (the engine starts one only with TELNET_REPLY_RESERVE_BYTES free).
 */
export function pumpFromNet(h: i32): u32 {
  const s = sessionAt(h);
  const space = toLineSpace(s);
  if (isRaw(s)) {
    const n = tcpRecv(h, inBuf, min<u32>(min<u32>(tcpRecvAvailable(h), space), <u32>SESSION_SCRATCH_BYTES));
    if (n > 0) {
      toLine(s, inBuf, n);
      s.lastActivityAtMs = now();
    }
    return n;
  }
  s.netWait = 0;
  if (space == 0) return 0; // every byte the engine may take needs room on the line side
  const n = tcpPeek(h, inBuf, <u32>SESSION_SCRATCH_BYTES);
  ringInit(lineRing, lineBuf, min<u32>(space, <u32>SESSION_SCRATCH_BYTES));
  let done: u32 = 0;
  for (let i: u32 = 0; i < n && done < n; i++) {
    ringInit(netRing, netBuf, min<u32>(tcpSendSpace(h), <u32>SESSION_SCRATCH_BYTES));
    const used = telnetReceive(<u32>h, inBuf + done, n - done, lineRing, netRing);
    done += used;
    tcpConsume(h, used);
    const events = telnetTakeEvents(<u32>h);
    // Answers first: the line may be a vty's, whose sink (an outgoing telnet from a vty) uses the
    // same scratch ring for its own connection. The answer fits: the ring was sized to TCP's room.
    flushNetRing(h);
    // Line data before the event goes first, so a BREAK or a purge lands where it was sent.
    flushLineRing(s);
    if (events != 0) {
      sessionEvents(h, s, events);
      // A handler may write to the line side itself (a vty's IP, EC and EL become keys in its
      // input): the engine gets only the room that is left. The ring is empty after the flush.
      ringInit(lineRing, lineBuf, min<u32>(lineRing.cap, toLineSpace(s)));
    }
    if (used == 0) break;
  }
  // Stopped with room on the line and no event: the next byte is a command waiting for TCP's send
  // ring to have room for its answer (the deadline waits for that, rather than polling in vain).
  if (done < n && ringFree(lineRing) > 0) s.netWait = 1;
  if (done > 0) s.lastActivityAtMs = now();
  return done;
}

/** Would pumpFromNet move something now? */
export function pumpFromNetReady(h: i32): bool {
  const s = sessionAt(h);
  if (toLineSpace(s) == 0 || tcpRecvAvailable(h) == 0) return false;
  if (isRaw(s)) return true;
  if (!telnetIsOpen(<u32>h)) return false; // nothing would read it (never polled in vain)
  return s.netWait == 0 || tcpSendSpace(h) >= <u32>TELNET_REPLY_RESERVE_BYTES;
}

// The scratch rings are made empty (ringInit) before the engine writes, and nothing reads them
// but these flushes, so their bytes always lie at the start of their buffers, unwrapped: a flush
// hands the buffer itself on, with no copy out of the ring first.

function flushLineRing(s: Session): void {
  const count = lineRing.count;
  if (count == 0) return;
  const taken = toLine(s, lineBuf, count);
  assert(taken == count, "pumpFromNet: destination took less than its announced space");
  ringInit(lineRing, lineBuf, lineRing.cap - count);
}

function flushNetRing(h: i32): void {
  const count = netRing.count;
  if (count == 0) return;
  tcpSend(h, netBuf, count);
  ringClear(netRing);
}

/**
 * Line -> network: `len` bytes at `src` through the engine (or as they are when raw) into TCP.
 * Returns the bytes consumed (the caller drops them from its source); stops when TCP is full.
 */
export function pumpToNet(h: i32, src: usize, len: u32): u32 {
  if (len == 0) return 0;
  const s = sessionAt(h);
  if (isRaw(s)) {
    const n = tcpSend(h, src, len);
    if (n > 0) s.lastActivityAtMs = now();
    return n;
  }
  let done: u32 = 0;
  for (let i = 0; i < 8 && done < len; i++) {
    const cap = min<u32>(tcpSendSpace(h), <u32>SESSION_SCRATCH_BYTES);
    if (cap < 2) break;
    ringInit(netRing, netBuf, cap);
    const used = telnetSend(<u32>h, src + done, len - done, netRing);
    flushNetRing(h);
    done += used;
    if (used == 0) break;
  }
  if (done > 0) s.lastActivityAtMs = now();
  return done;
}

/** Engine output that answers nothing the line asked (greeting, window size): to TCP at once. */
export function netScratch(h: i32): Ring {
  ringInit(netRing, netBuf, min<u32>(tcpSendSpace(h), <u32>SESSION_SCRATCH_BYTES));
  return netRing;
}

export function netScratchFlush(h: i32): void {
  flushNetRing(h);
}

// --- messages to a line ---

/** Starts a message to a line (in `msg`); lineMsgSend writes it. Callers check lineWriteSpace. */
export function lineMsgBegin(): Writer {
  writerReset(msg);
  return msg;
}

export function lineMsgSend(line: i32): void {
  if (msg.len > 0) lineWrite(line, msg.buf, msg.len);
  writerReset(msg);
}

// --- connections lost under a line ---

/**
 * Counts and logs a connection that died under `line` for a reason other than an orderly close:
 * `%TTY-6-CONNLOST: tty 1: connection from 10.0.0.2(11000) lost (keepalive timeout)`.
 */
export function sessionNoteLoss(h: i32): void {
  const reason = tcpCloseReason(h);
  if (reason != REASON_KEEPALIVE && reason != REASON_RESET && reason != REASON_RETRANSMIT) return;
  const s = sessionAt(h);
  const l = lineAt(<i32>s.line);
  if (reason == REASON_KEEPALIVE) l.lostKeepalive++;
  else if (reason == REASON_RESET) l.lostReset++;
  else l.lostRetransmit++;
  lostTotal++;
  const w = logBegin(LOG_INFO);
  putStr(w, "%TTY-6-CONNLOST: ");
  putLineName(w, <i32>s.line);
  putStr(w, s.kind == SK_CLIENT ? ": connection to " : ": connection from ");
  putIp(w, s.remoteIp);
  putStr(w, "(");
  putU32(w, <u32>s.remotePort);
  putStr(w, ") lost (");
  putStr(w, reason == REASON_KEEPALIVE ? "keepalive timeout" : reason == REASON_RESET ? "reset by peer" : "retransmission timeout");
  putStr(w, ")");
  logEnd();
}

export function sessionLostTotal(): u32 {
  return lostTotal;
}

export function sessionIgnoredEvents(): u32 {
  return ignoredEvents;
}
