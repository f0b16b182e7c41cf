// Session commands: `telnet A.B.C.D [port]`, `connect`, a bare address (IOS treats it as telnet),
// `resume [n]`, `disconnect [n]`, `where` / `show sessions` (the line settings `session-limit` and
// `session-timeout` are number settings of cmd-line.ts). Also the exec's side of the session
// layer's hooks (tty/session.ts): a vty exec starts when a caller connects, a line comes back to its
// exec when its session ends or is suspended, Return on an empty line resumes the last session.
import { putIp, putU32Padded } from "../lib/text";
import { now } from "../lib/clock";
import { SESSIONS_PER_LINE_DEFAULT } from "../lib/limits";
import { tcpRecvAvailable } from "../tcp/tcp";
import { lineAt, OWNER_EXEC } from "../tty/line-table";
import { sessionAt, sessionValid, sessionBindExecHooks, SK_CLIENT } from "../tty/session";
import {
  clientOpen, clientResume, clientClose, clientCount, clientByConn, clientLast, clientNext, clientCurrent,
  CLIENT_UNREACHABLE, CLIENT_LIMIT,
} from "../tty/client";
import { sessionsExecEnded } from "../tty/termsrv";
import { execAt, out, say, sayTpl, sayU32, sayPad, putPrompt } from "./exec-state";
import { execStart, execEnd, execFlush, execConfirm, execStartOutput, execBindEndHook, execBindEmptyLineHook } from "./exec";
import { argGiven, argU32, argIp, parsedTag } from "./parser";

// Tags of the open commands: where the address is among the words.
// @ts-ignore: decorator
@inline export const OPEN_KEYWORD: u32 = 0;
// @ts-ignore: decorator
@inline export const OPEN_BARE: u32 = 1;

/** `resume n` typed as just `n` (IOS: a bare number resumes that session). */
// @ts-ignore: decorator
@inline export const RESUME_BARE: u32 = 1;

/** The telnet port (RFC 854): not shown in `Trying ...`. */
// @ts-ignore: decorator
@inline const PORT_TELNET: u32 = 23;

export function sessionCommandsBoot(): void {
  sessionBindExecHooks(hookExecStart, hookExecReturn, hookExecHangup);
  execBindEndHook(sessionsExecEnded);
  execBindEmptyLineHook(resumeLast);
}

// --- the hooks ---

/** A caller reached vty `line`: its exec starts (login or prompt) and the greeting goes out. */
function hookExecStart(line: i32): void {
  execStart(line);
  execFlush(line);
}

/** The line's session ended or was suspended: the exec has the line again. */
function hookExecReturn(line: i32): void {
  const l = lineAt(line);
  l.owner = OWNER_EXEC;
  l.session = -1;
  l.lastInputAtMs = now(); // exec-timeout counts from here, not from before the session
  if (execAt(line).hangup == 0) putPrompt(line); // an autocommand line hangs up instead (exec poll)
  execFlush(line);
}

/** clear line on a line in a session, or a vty whose caller left: the exec ends. */
function hookExecHangup(line: i32): void {
  lineAt(line).owner = OWNER_EXEC;
  execEnd(line);
  execFlush(line);
}

// --- telnet / connect / a bare address ---

export function cmdOpen(x: i32): void {
  const first = parsedTag() == OPEN_BARE ? 0 : 1;
  const ip = argIp(first);
  const port = argGiven(first + 1) ? argU32(first + 1) : PORT_TELNET;
  const l = lineAt(x);
  const limit = l.sessionLimit != 0 ? l.sessionLimit : SESSIONS_PER_LINE_DEFAULT;
  if (clientCount(x) >= limit) {
    say("% Session limit exceeded\r\n");
    return;
  }
  say("Trying ");
  putIp(out, ip);
  if (port != PORT_TELNET) {
    say(", ");
    sayU32(port);
  }
  say(" ... ");
  const h = clientOpen(x, ip, port);
  if (h >= 0) return; // the session prints Open or the failure, and owns the line meanwhile
  if (h == CLIENT_UNREACHABLE) say("\r\n% Destination unreachable; gateway or host down\r\n\r\n");
  else if (h == CLIENT_LIMIT) say("\r\n% Session limit exceeded\r\n\r\n");
  else say("\r\n% No free connections (TCB table full)\r\n\r\n");
}

// --- resume ---

export function cmdResume(x: i32): void {
  const h = namedConnection(x, parsedTag() == RESUME_BARE ? 0 : 1);
  if (h >= 0) resume(x, h);
}

/** The connection that word `word` numbers, else the last one; -1 (said why) when there is none. */
function namedConnection(x: i32, word: i32): i32 {
  let h = clientLast(x);
  if (argGiven(word)) h = clientByConn(x, argU32(word));
  if (clientCount(x) == 0) say("% No connections open\r\n");
  else if (h < 0) sayTpl("% No connection \x01\r\n", argU32(word));
  return clientCount(x) == 0 ? -1 : h;
}

/** Return on an empty line: the last session comes back, if there is one. */
function resumeLast(x: i32): void {
  const h = clientLast(x);
  if (h >= 0) resume(x, h);
}

function resume(x: i32, h: i32): void {
  const s = sessionAt(h);
  sayTpl("[Resuming connection \x01 to ", <u32>s.conn);
  putIp(out, s.remoteIp);
  say(" ... ]\r\n\r\n");
  clientResume(h); // the line is the session's again: no prompt after this command
}

// --- disconnect ---

export function cmdDisconnect(x: i32): void {
  const h = namedConnection(x, 1);
  if (h < 0) return;
  say("Closing connection to ");
  putIp(out, sessionAt(h).remoteIp);
  say(" ");
  execConfirm(x, disconnectConfirmed, <u32>h);
}

function disconnectConfirmed(x: i32): void {
  const h = <i32>execAt(x).genB;
  if (sessionValid(h) && sessionAt(h).kind == SK_CLIENT && <i32>sessionAt(h).line == x) clientClose(h, false);
}

// --- where / show sessions ---

export function cmdWhere(x: i32): void {
  if (clientCount(x) == 0) {
    say("% No connections open\r\n");
    return;
  }
  execStartOutput(x, whereRow);
}

/** Rows of `where`: genA is the last connection number shown. */
function whereRow(x: i32): bool {
  const e = execAt(x);
  if (e.genRow == 0) {
    say("Conn Host                Address             Byte  Idle Conn Name\r\n");
    return true;
  }
  const h = clientNext(x, e.genA);
  if (h < 0) {
    say("\r\n");
    return false;
  }
  const s = sessionAt(h);
  e.genA = <u32>s.conn;
  say(h == clientCurrent(x) ? "*" : " ");
  putU32Padded(out, <u32>s.conn, 3);
  say(" ");
  putIp(out, s.remoteIp);
  sayPad(25);
  putIp(out, s.remoteIp);
  sayPad(45);
  putU32Padded(out, tcpRecvAvailable(h), 4);
  putU32Padded(out, <u32>((now() - s.lastActivityAtMs) / 60_000), 6);
  say(" ");
  putIp(out, s.remoteIp);
  say("\r\n");
  return true;
}
