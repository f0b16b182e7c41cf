// Outgoing telnet: the exec's `telnet A.B.C.D [port]` (also `connect`, a bare address, and the
// autocommand of the tech note's r2 tty1). While a session is in the foreground the line belongs to
// it (OWNER_SESSION): the user's keys go to the far end, its output to the user's terminal. The
// escape character (Ctrl-^ by default, `escape-character`) followed by x suspends it back to the
// exec; `resume`, or Return on an empty command line, brings it back. A line may hold up to
// `session-limit` sessions; each has a connection number (show sessions, resume n, disconnect n).
//
// Messages are IOS's (REFERENCE.md "Messages"): ` Open`, `% Connection refused by remote host`,
// `% Connection timed out; remote host not responding`, `% Destination unreachable; gateway or
// host down`, `[Connection to 10.0.0.1 closed by foreign host]`.
//
// Keepalive: connections this box opens are active opens, which the TCP layer covers with
// `service tcp-keepalives-out` (tcb.ts keepaliveEnabled reads the passive flag), so nothing is set
// per connection here.
import { SESSION_COUNT, LINE_COUNT, SESSION_SCRATCH_BYTES, SESSIONS_PER_LINE_DEFAULT, TELNET_REPLY_RESERVE_BYTES } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { putStr, putIp } from "../lib/text";
import { bytesFind2 } from "../lib/bytes";
import {
  tcpOpen, tcpClose, tcpAbort, tcpState, tcpSendSpace, tcpRecvAvailable, tcpCloseReason, tcpSetTag,
  OPEN_UNREACHABLE,
} from "../tcp/tcp";
import { CLOSED, SYN_SENT, ESTABLISHED, REASON_REFUSED, REASON_TIMED_OUT, REASON_UNREACHABLE } from "../tcp/tcb";
import { telnetOpen, telnetClose, telnetSetWindow, telnetRemoteEcho } from "../telnet/telnet";
import { ROLE_CLIENT, ROLE_CLIENT_TELNETPORT } from "../telnet/codes";
import { busyMessageFor, putMessage } from "./message-pool";
import { lineAt, OWNER_SESSION, OWNER_EXEC, ESCAPE_NONE } from "./line-table";
import { lineWrite, lineWriteSpace, lineRxCount, lineRxPeek, lineRxDrop } from "./lines";
import {
  Session, sessionAt, sessionValid, sessionClaim, sessionRelease, pumpFromNet, pumpFromNetReady, pumpToNet, netScratch, netScratchFlush,
  inBuf, lineMsgBegin, lineMsgSend, sessionNoteLoss, sessionTimeoutAtMs, connectionOver, execHookReturn,
  SK_CLIENT, SS_CONNECTING, SS_OPEN,
} from "./session";

// clientOpen failures.
/** No interface, address or route: `% Destination unreachable; gateway or host down`. */
// @ts-ignore: decorator
@inline export const CLIENT_UNREACHABLE: i32 = -1;
/** No free TCB. */
// @ts-ignore: decorator
@inline export const CLIENT_NO_RESOURCES: i32 = -2;
/** The line already holds `session-limit` sessions. */
// @ts-ignore: decorator
@inline export const CLIENT_LIMIT: i32 = -3;

/** Output room a line needs before a session writes a message and hands the line to the exec
 * (the message, up to ~90 bytes, and the prompt after it). */
// @ts-ignore: decorator
@inline const MESSAGE_ROOM: u32 = 200;
/** The window size a client announces (NAWS). */
// @ts-ignore: decorator
@inline const WINDOW_COLS: u32 = 80;
// @ts-ignore: decorator
@inline const WINDOW_ROWS: u32 = 24;

/** Per line: the current outgoing session (the `*` of show sessions, what Return resumes); -1 none. */
const currentTable = memory.data(4 * LINE_COUNT, 4);

export function clientBoot(): void {
  for (let n = 0; n < LINE_COUNT; n++) store<i32>(currentTable + <usize>(n * 4), -1);
}

export function clientCurrent(line: i32): i32 {
  const h = load<i32>(currentTable + <usize>(line * 4));
  return h >= 0 && isClientOf(h, line) ? h : -1;
}

function setCurrent(line: i32, h: i32): void {
  store<i32>(currentTable + <usize>(line * 4), h);
}

function isClientOf(h: i32, line: i32): bool {
  return sessionValid(h) && sessionAt(h).kind == SK_CLIENT && <i32>sessionAt(h).line == line;
}

/** Is h the session in the foreground of its line (it owns the line)? */
function foreground(h: i32): bool {
  const l = lineAt(<i32>sessionAt(h).line);
  return l.owner == OWNER_SESSION && l.session == h;
}

export function clientCount(line: i32): u32 {
  let count: u32 = 0;
  for (let h = 0; h < SESSION_COUNT; h++) if (isClientOf(h, line)) count++;
  return count;
}

/** The session with connection number `conn` on the line, or -1. */
export function clientByConn(line: i32, conn: u32): i32 {
  for (let h = 0; h < SESSION_COUNT; h++) if (isClientOf(h, line) && <u32>sessionAt(h).conn == conn) return h;
  return -1;
}

/** The current session, else the one with the highest number (after the current one closed). */
export function clientLast(line: i32): i32 {
  const current = clientCurrent(line);
  if (current >= 0) return current;
  let best = -1;
  for (let h = 0; h < SESSION_COUNT; h++) {
    if (isClientOf(h, line) && (best < 0 || sessionAt(h).conn > sessionAt(best).conn)) best = h;
  }
  return best;
}

/** The line's session after `after` in connection-number order (-1 to start), for show sessions. */
export function clientNext(line: i32, afterConn: u32): i32 {
  let best = -1;
  for (let h = 0; h < SESSION_COUNT; h++) {
    if (!isClientOf(h, line) || <u32>sessionAt(h).conn <= afterConn) continue;
    if (best < 0 || sessionAt(h).conn < sessionAt(best).conn) best = h;
  }
  return best;
}

/**
 * Opens a session from `line` to ip:port and gives it the line (the caller printed `Trying ...`;
 * the session prints ` Open` or the failure). Returns the handle, or CLIENT_*.
 */
export function clientOpen(line: i32, ip: u32, port: u32): i32 {
  const l = lineAt(line);
  const limit = l.sessionLimit != 0 ? l.sessionLimit : SESSIONS_PER_LINE_DEFAULT;
  if (clientCount(line) >= limit) return CLIENT_LIMIT;
  const h = tcpOpen(ip, port);
  if (h == OPEN_UNREACHABLE) return CLIENT_UNREACHABLE;
  if (h < 0) return CLIENT_NO_RESOURCES;
  const s = sessionClaim(h, SK_CLIENT, line);
  s.state = SS_CONNECTING;
  s.remoteIp = ip;
  s.remotePort = <u16>port;
  let conn: u32 = 1;
  while (clientByConn(line, conn) >= 0) conn++; // the lowest free number (bounded by the limit)
  s.conn = <u8>conn;
  tcpSetTag(h, <u32>line);
  l.owner = OWNER_SESSION;
  l.session = h;
  setCurrent(line, h);
  return h;
}

/** Brings session h back to the foreground (resume; the caller printed `[Resuming ...]`). */
export function clientResume(h: i32): void {
  const s = sessionAt(h);
  const line = <i32>s.line;
  const l = lineAt(line);
  l.owner = OWNER_SESSION;
  l.session = h;
  s.escape = 0;
  s.lastActivityAtMs = now();
  setCurrent(line, h);
}

/** Closes session h (disconnect, the exec ending): FIN, or RST when `abort` (clear line). */
export function clientClose(h: i32, abort: bool): void {
  const s = sessionAt(h);
  const line = <i32>s.line;
  if (s.state == SS_OPEN) telnetClose(<u32>h);
  if (abort) tcpAbort(h);
  else tcpClose(h);
  const l = lineAt(line);
  if (l.owner == OWNER_SESSION && l.session == h) {
    l.owner = OWNER_EXEC;
    l.session = -1;
  }
  if (clientCurrent(line) == h) setCurrent(line, -1);
  sessionRelease(h);
}

export function clientCloseAll(line: i32, abort: bool): void {
  for (let h = 0; h < SESSION_COUNT; h++) if (isClientOf(h, line)) clientClose(h, abort);
}

export function clientPoll(h: i32): void {
  const s = sessionAt(h);
  const line = <i32>s.line;
  if (s.state == SS_CONNECTING) {
    connectingPoll(h, s, line);
    return;
  }
  if (!foreground(h)) {
    if (timedOut(s)) closeWith(h, line, false);
    return;
  }
  for (let i = 0; i < 4; i++) {
    const fromNet = pumpFromNet(h);
    const moved = fromNet + keys(h, s, line);
    if (moved == 0 || !foreground(h) || (lineRxCount(line) == 0 && (fromNet == 0 || tcpRecvAvailable(h) == 0))) break; // as reversePoll
  }
  if (!foreground(h)) return; // suspended by the escape sequence
  if (connectionOver(h) || timedOut(s)) {
    if (lineWriteSpace(line) >= MESSAGE_ROOM) closeWith(h, line, true);
  }
}

function timedOut(s: Session): bool {
  return now() >= sessionTimeoutAtMs(s);
}

/** The far end closed, the connection died, or session-timeout: say so and give the line back. */
function closeWith(h: i32, line: i32, say: bool): void {
  const s = sessionAt(h);
  const timeout = timedOut(s) && !connectionOver(h);
  if (say) {
    const w = lineMsgBegin();
    putStr(w, "\r\n[Connection to ");
    putIp(w, s.remoteIp);
    putStr(w, timeout ? " closed by session timeout]\r\n" : " closed by foreign host]\r\n");
    lineMsgSend(line);
  }
  sessionNoteLoss(h);
  const wasForeground = foreground(h);
  clientClose(h, false);
  if (wasForeground) execHookReturn(line);
}

function connectingPoll(h: i32, s: Session, line: i32): void {
  const st = tcpState(h);
  if (st == SYN_SENT || lineWriteSpace(line) < MESSAGE_ROOM) return;
  const w = lineMsgBegin();
  if (st == CLOSED) {
    const reason = tcpCloseReason(h);
    const busy = busyMessageFor(s.remoteIp);
    if (busy >= 0) {
      // `busy-message` for this host (IOS): its text instead of the failure message.
      putStr(w, "\r\n");
      putMessage(w, busy);
      putStr(w, "\r\n\r\n");
    } else if (reason == REASON_REFUSED) putStr(w, "\r\n% Connection refused by remote host\r\n\r\n");
    else if (reason == REASON_UNREACHABLE) putStr(w, "\r\n% Destination unreachable; gateway or host down\r\n\r\n");
    else if (reason == REASON_TIMED_OUT) putStr(w, "\r\n% Connection timed out; remote host not responding\r\n\r\n");
    else putStr(w, "\r\n% Connection closed by remote host\r\n\r\n");
    lineMsgSend(line);
    clientClose(h, false);
    execHookReturn(line);
    return;
  }
  putStr(w, "Open\r\n");
  lineMsgSend(line);
  s.state = SS_OPEN;
  s.lastActivityAtMs = now();
  if (st >= ESTABLISHED && tcpSendSpace(h) >= <u32>TELNET_REPLY_RESERVE_BYTES) {
    // One scratch ring for both: asking for it again would make it empty, losing the greeting.
    const toNet = netScratch(h);
    telnetOpen(<u32>h, <u32>s.remotePort == 23 ? ROLE_CLIENT_TELNETPORT : ROLE_CLIENT, toNet);
    telnetSetWindow(<u32>h, WINDOW_COLS, WINDOW_ROWS, toNet);
    netScratchFlush(h);
  }
}

/**
 * The user's keys to the far end, watching for the escape sequence. Takes only what TCP can carry
 * (each byte may be doubled, and a held escape character adds one) and, when echoing locally,
 * what the terminal can show.
 */
function keys(h: i32, s: Session, line: i32): u32 {
  const localEcho = !telnetRemoteEcho(<u32>h);
  const esc = lineAt(line).escapeChar;
  if (s.escape == 0 && !localEcho) {
    // The far end echoes and no escape is pending (the usual case, and bulk data): the keys up to
    // the next escape character go through the engine as they are, and only what TCP took is
    // dropped from the line, so neither the worst case of doubling nor the echo bounds the step.
    const count = min<u32>(lineRxCount(line), <u32>SESSION_SCRATCH_BYTES);
    lineRxPeek(line, inBuf, count);
    const plain = esc == ESCAPE_NONE ? count : bytesFind2(inBuf, count, esc, esc);
    if (plain > 0) {
      const sent = pumpToNet(h, inBuf, plain);
      lineRxDrop(line, sent);
      return sent;
    }
  }
  const take = min<u32>(lineRxCount(line), keysRoom(h, line));
  if (take == 0) return 0;
  let suspend = false;
  // The keys are copied out once (two memory copies) into the upper half of the scratch: take is
  // at most half of it (keysRoom), and what goes forward is written below them, at most one byte
  // ahead of the keys read (a held escape), so it never overwrites a key not yet read.
  const keysAt = inBuf + <usize>(SESSION_SCRATCH_BYTES / 2);
  lineRxPeek(line, keysAt, take);
  // No escape character among them (the usual case): they go as they are, without the copy.
  let src = keysAt;
  let used = take;
  let fwd = take;
  if (s.escape != 0 || (esc != ESCAPE_NONE && bytesFind2(keysAt, take, esc, esc) != take)) {
    src = inBuf;
    used = 0;
    fwd = 0;
  }
  while (used < take) {
    const b = <u32>load<u8>(keysAt + used);
    used++;
    if (s.escape != 0) {
      s.escape = 0;
      if (b == 0x78 || b == 0x58) {
        suspend = true; // escape x: back to the exec
        break;
      }
      if (b != esc) store<u8>(inBuf + fwd++, <u8>esc); // escape then another key: both go (escape twice: one)
    } else if (esc != ESCAPE_NONE && b == esc) {
      s.escape = 1;
      continue;
    }
    store<u8>(inBuf + fwd++, <u8>b);
  }
  lineRxDrop(line, used);
  pumpToNet(h, src, fwd);
  if (localEcho && fwd > 0) echo(line, src, fwd); // after: echo's LF scratch may be the keys' last byte
  if (suspend) {
    const w = lineMsgBegin();
    putStr(w, "\r\n");
    lineMsgSend(line);
    lineAt(line).owner = OWNER_EXEC;
    lineAt(line).session = -1;
    execHookReturn(line);
  }
  return used;
}

/** Keys keys() may take now. */
function keysRoom(h: i32, line: i32): u32 {
  let room = tcpSendSpace(h) / 2;
  room = room > 1 ? room - 1 : 0;
  if (!telnetRemoteEcho(<u32>h)) room = min<u32>(room, lineWriteSpace(line) / 2);
  return min<u32>(room, <u32>SESSION_SCRATCH_BYTES / 2);
}

/** Local echo while the far end does not echo (Return as CR LF). */
function echo(line: i32, src: usize, count: u32): void {
  for (let i: u32 = 0; i < count; i++) {
    const b = load<u8>(src + i);
    lineWrite(line, src + i, 1);
    if (b == 0x0d) {
      store<u8>(inBuf + SESSION_SCRATCH_BYTES - 1, 0x0a);
      lineWrite(line, inBuf + SESSION_SCRATCH_BYTES - 1, 1);
    }
  }
}

export function clientDeadline(h: i32): u64 {
  const s = sessionAt(h);
  const line = <i32>s.line;
  const roomy = lineWriteSpace(line) >= MESSAGE_ROOM;
  if (s.state == SS_CONNECTING) return tcpState(h) != SYN_SENT && roomy ? now() : NEVER;
  const timeoutAt = sessionTimeoutAtMs(s);
  if (!foreground(h)) return timeoutAt;
  if (connectionOver(h) && roomy) return now();
  if (pumpFromNetReady(h)) return now();
  if (lineRxCount(line) > 0 && keysRoom(h, line) > 0) return now();
  return timeoutAt <= now() && !roomy ? NEVER : timeoutAt;
}
