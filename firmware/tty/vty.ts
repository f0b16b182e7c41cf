// The vtys: an incoming telnet on port 23 gets the lowest free vty and an exec on it (login and
// password as the line says; exec-timeout applies as on any line). The exec writes to the vty
// through a sink bound to the connection (telnet engine ROLE_VTY, then TCP); what the caller types
// reaches the exec through the line's receive ring. When the exec ends (exit, exec-timeout, three
// bad passwords, `Password required, but none set`) its last words go out and the connection
// closes; when the caller goes away the exec ends.
//
// Port 23 is listened on only while a vty is free, so a caller beyond the last vty is refused,
// and not during a quiet period of IOS's `login block-for` (below).
import { VTY_COUNT } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { Writer, putStr, putU32, putIp } from "../lib/text";
import { logBegin, logEnd, logText, LOG_NOTICE } from "../lib/log";
import {
  tcpListen, tcpUnlisten, tcpAccept, tcpClose, tcpRecvAvailable, tcpSendSpace, tcpSetTag, tcpRemoteIp, tcpLocalPort,
} from "../tcp/tcp";
import { telnetOpen, telnetClose, telnetWeEcho, telnetWindowCols, telnetWindowRows } from "../telnet/telnet";
import { ROLE_VTY, EV_IP, EV_EC, EV_EL } from "../telnet/codes";
import { lineAt, OWNER_NONE, TRANSPORT_TELNET, LINE_VTY_FIRST, LINE_FLAG_TERMINAL_ECHOES } from "./line-table";
import { lineBindSink, lineUnbindSink, lineInput, lineChanges } from "./lines";
import {
  sessionAt, sessionValid, sessionClaim, sessionRelease, setLineSession, lineSession, pumpFromNet, pumpFromNetReady, pumpToNet,
  netScratch, netScratchFlush, sessionNoteLoss, connectionOver, execHookStart, execHookHangup, SK_VTY, SS_OPEN, SS_CLOSING,
} from "./session";

/** The telnet port (RFC 854). */
// @ts-ignore: decorator
@inline const PORT_TELNET: u32 = 23;

let listener: i32 = -1;
const keyBuf = memory.data(1);
/** Whether a vty is free changes with the vtys' owners, sessions and settings: through the exec
 * (lineChanges() moves) or here; until then there is nothing to check (reverse.ts does the same). */
let listenStale = true;
let listenSeen: u32 = 0;

export function vtyBoot(): void {
  listener = -1;
  listenStale = true;
  vtySetLoginBlock(0, 0, 0);
}

function vtyFree(v: i32): bool {
  const l = lineAt(v);
  return l.owner == OWNER_NONE && lineSession(v) < 0 && (l.transportInput & TRANSPORT_TELNET) != 0;
}

function firstFreeVty(): i32 {
  for (let v = LINE_VTY_FIRST; v < LINE_VTY_FIRST + VTY_COUNT; v++) if (vtyFree(v)) return v;
  return -1;
}

/** Listens on 23 while a vty is free, except in a quiet period. */
export function vtyListen(): void {
  if (quietUntilMs != 0 && now() >= quietUntilMs) {
    quietUntilMs = 0;
    listenStale = true;
    logText(LOG_NOTICE, "%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because block period timed out");
  }
  if (!listenStale && listenSeen == lineChanges()) return;
  listenStale = false;
  listenSeen = lineChanges();
  const want = firstFreeVty() >= 0 && quietUntilMs == 0;
  if (want && listener < 0) {
    listener = tcpListen(PORT_TELNET, PORT_TELNET);
    if (listener < 0) listenStale = true; // tried again on the next poll
  } else if (!want && listener >= 0) {
    tcpUnlisten(listener);
    listener = -1;
  }
}

export function vtyAccept(): void {
  for (let i = 0; i < VTY_COUNT && listener >= 0; i++) {
    const v = firstFreeVty();
    if (v < 0) break;
    const h = tcpAccept(listener, 0);
    if (h < 0) break;
    vtyStart(v, h);
  }
  vtyListen();
}

function vtyStart(v: i32, h: i32): void {
  const s = sessionClaim(h, SK_VTY, v);
  s.state = SS_OPEN;
  tcpSetTag(h, <u32>v);
  setLineSession(v, h);
  listenStale = true;
  telnetOpen(<u32>h, ROLE_VTY, netScratch(h));
  netScratchFlush(h);
  lineBindSink(v);
  execHookStart(v); // the exec takes the line (owner, Uses) and greets: login or prompt
}

/** The exec of vty v ended: its last output is queued; the connection closes on the next poll. */
export function vtyExecEnded(v: i32): void {
  const h = lineSession(v);
  if (h >= 0 && sessionAt(h).kind == SK_VTY) sessionAt(h).state = SS_CLOSING;
}

function vtyFinish(h: i32): void {
  const v = <i32>sessionAt(h).line;
  sessionNoteLoss(h);
  lineUnbindSink(v);
  telnetClose(<u32>h);
  tcpClose(h); // FIN after the goodbye text; a dead connection's slot is freed
  sessionRelease(h);
  listenStale = true;
}

export function vtyPoll(h: i32): void {
  const s = sessionAt(h);
  const v = <i32>s.line;
  if (s.state == SS_CLOSING) {
    vtyFinish(h);
    return;
  }
  for (let i = 0; i < 4; i++) {
    if (pumpFromNet(h) == 0) break;
  }
  // RFC 857: once we say WONT ECHO (the client asked DONT ECHO), the client echoes and we must not.
  const l = lineAt(v);
  if (telnetWeEcho(<u32>h)) l.flags &= ~LINE_FLAG_TERMINAL_ECHOES;
  else l.flags |= LINE_FLAG_TERMINAL_ECHOES;
  if (connectionOver(h)) {
    // The caller left (or the connection died): the exec ends, then the session.
    if (lineAt(v).owner != OWNER_NONE) execHookHangup(v);
    vtyFinish(h);
  }
}

export function vtyDeadline(h: i32): u64 {
  const s = sessionAt(h);
  const v = <i32>s.line;
  if (s.state == SS_CLOSING || connectionOver(h)) return now();
  if (pumpFromNetReady(h)) return now();
  return NEVER;
}

/** Telnet's editing commands reach the exec as the keys that do the same. */
export function vtyEvents(h: i32, events: u32): void {
  const v = <i32>sessionAt(h).line;
  if ((events & EV_IP) != 0) vtyKey(v, 0x03);
  if ((events & EV_EC) != 0) vtyKey(v, 0x7f);
  if ((events & EV_EL) != 0) vtyKey(v, 0x15);
}

function vtyKey(v: i32, key: u32): void {
  store<u8>(keyBuf, <u8>key);
  lineInput(v, keyBuf, 1);
}

// The exec's output sink for a vty: through the engine (IAC doubled, CR -> CR NUL) into TCP.
export function vtySinkWrite(line: i32, ptr: usize, len: u32): u32 {
  const h = lineSession(line);
  if (!sessionValid(h)) return len; // nobody to hear it
  return pumpToNet(h, ptr, len);
}

export function vtySinkSpace(line: i32): u32 {
  const h = lineSession(line);
  if (!sessionValid(h)) return 0;
  return tcpSendSpace(h) / 2; // every byte may be doubled (IAC IAC, CR NUL)
}

// --- what the exec and show commands ask about a vty's caller ---

/** The connection of vty v, or -1 when nobody is connected. */
function vtyConnection(v: i32): i32 {
  const h = lineSession(v);
  return h >= 0 && sessionValid(h) && sessionAt(h).kind == SK_VTY ? h : -1;
}

/** The caller's IPv4 address (0 when vty v has no caller). */
export function vtyPeerIp(v: i32): u32 {
  const h = vtyConnection(v);
  return h < 0 ? 0 : tcpRemoteIp(h);
}

/** The port the caller reached (23), 0 when vty v has no caller. */
export function vtyLocalPort(v: i32): u32 {
  const h = vtyConnection(v);
  return h < 0 ? 0 : tcpLocalPort(h);
}

/** IOS's `[user: ] [Source: 10.0.0.9] [localport: 23` (a line password has no user; the caller
 * closes the bracket, after which IOS's log lines go on alike). */
export function vtyPutLoginSource(w: Writer, v: i32): void {
  putStr(w, "[user: ] [Source: ");
  putIp(w, vtyPeerIp(v));
  putStr(w, "] [localport: ");
  putU32(w, vtyLocalPort(v));
}

/** RFC 1073: the window width the caller's client reported with NAWS (0 = not reported). */
export function vtyWindowCols(v: i32): u32 {
  const h = vtyConnection(v);
  return h < 0 ? 0 : telnetWindowCols(<u32>h);
}

/** RFC 1073: the window height the caller's client reported with NAWS (0 = not reported). */
export function vtyWindowRows(v: i32): u32 {
  const h = vtyConnection(v);
  return h < 0 ? 0 : telnetWindowRows(<u32>h);
}

// --- IOS `login block-for S attempts N within W` (off by default) ---
// The first wrong vty password opens a watch window of W seconds; N wrong vty passwords in it
// start a quiet period of S seconds in which port 23 is not listened on, so every caller is
// refused (IOS: "quiet mode", its default ACL sl_def_acl denies all); sessions already open go on,
// but one at the login prompt ends at its next wrong password (exec.ts).
// A window that ends with fewer failures closes empty-handed. The console and TTYs do not count.

/** Syslog's alert severity (IOS's %SEC_LOGIN-1-...). */
// @ts-ignore: decorator
@inline const LOG_ALERT: u32 = 1;

let blockForMs: u32 = 0;
let blockAttempts: u32 = 0;
let blockWithinMs: u32 = 0;
let watchEndMs: u64 = 0;
let watchFails: u32 = 0;
/** The end of the quiet period in progress (0: none). */
let quietUntilMs: u64 = 0;

/** Sets `login block-for forS attempts attempts within withinS` (forS 0: off); ends any quiet period. */
export function vtySetLoginBlock(forS: u32, attempts: u32, withinS: u32): void {
  blockForMs = forS * 1000;
  blockAttempts = attempts;
  blockWithinMs = withinS * 1000;
  watchEndMs = 0;
  watchFails = 0;
  quietUntilMs = 0;
  listenStale = true;
}

export function vtyLoginBlockForS(): u32 {
  return blockForMs / 1000;
}

export function vtyLoginBlockAttempts(): u32 {
  return blockAttempts;
}

export function vtyLoginBlockWithinS(): u32 {
  return blockWithinMs / 1000;
}

/** Is a quiet period on (vty callers refused, vty logins given no further tries)? */
export function vtyQuiet(): bool {
  return quietUntilMs != 0 && now() < quietUntilMs;
}

/** The end of the quiet period (listening resumes then), or NEVER. */
export function vtyListenDeadline(): u64 {
  return quietUntilMs != 0 ? quietUntilMs : NEVER;
}

/** The exec of vty v saw a wrong password: counts it in the watch window, may start quiet mode. */
export function vtyLoginFailed(v: i32): void {
  if (blockForMs == 0 || quietUntilMs != 0) return;
  if (watchFails == 0 || now() >= watchEndMs) {
    watchEndMs = now() + <u64>blockWithinMs;
    watchFails = 0;
  }
  watchFails++;
  if (watchFails < blockAttempts) return;
  quietUntilMs = now() + <u64>blockForMs;
  const w = logBegin(LOG_ALERT);
  putStr(w, "%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for watching failures is ");
  putU32(w, <u32>((watchEndMs - now() + 999) / 1000));
  putStr(w, " secs, ");
  vtyPutLoginSource(w, v);
  putStr(w, "] [Reason: Login Authentication Failed]");
  putStr(w, " [ACL: sl_def_acl]");
  logEnd();
  watchFails = 0;
  listenStale = true;
  vtyListen();
}
