// The vtys: an incoming telnet on port 23 gets the lowest free vty and an exec on it (login and
// password as the line says; exec-timeout applies as on any line). The exec writes to the vty
// through a sink bound to the connection (telnet engine ROLE_VTY, then TCP); what the caller types
// reaches the exec through the line's receive ring. When the exec ends (exit, exec-timeout, three
// bad passwords, `Password required, but none set`) its last words go out and the connection
// closes; when the caller goes away the exec ends.
//
// Port 23 is listened on only while a vty is free, so a caller beyond the last vty is refused.
import { VTY_COUNT } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { tcpListen, tcpUnlisten, tcpAccept, tcpClose, tcpState, tcpRecvEof, tcpSendSpace, tcpSetTag } from "../tcp/tcp";
import { CLOSED } from "../tcp/tcb";
import { telnetOpen, telnetClose, telnetWeEcho } from "../telnet/telnet";
import { ROLE_VTY, EV_IP, EV_EC, EV_EL } from "../telnet/codes";
import { lineAt, OWNER_NONE, TRANSPORT_TELNET, LINE_VTY_FIRST, LINE_FLAG_TERMINAL_ECHOES } from "./line-table";
import { lineBindSink, lineUnbindSink, lineInput, lineRxSpace } from "./lines";
import {
  sessionAt, sessionValid, sessionClaim, sessionRelease, setLineSession, lineSession, pumpFromNet, pumpFromNetReady, pumpToNet,
  netScratch, netScratchFlush, sessionNoteLoss, execHookStart, execHookHangup, SK_VTY, SS_OPEN, SS_CLOSING,
} from "./session";

/** The telnet port (RFC 854). */
// @ts-ignore: decorator
@inline const PORT_TELNET: u32 = 23;

let listener: i32 = -1;
const keyBuf = memory.data(1);

export function vtyBoot(): void {
  listener = -1;
}

function vtyFree(v: i32): bool {
  const l = lineAt(v);
  return l.owner == OWNER_NONE && lineSession(v) < 0 && (l.transportInput & TRANSPORT_TELNET) != 0;
}

function firstFreeVty(): i32 {
  for (let v = LINE_VTY_FIRST; v < LINE_VTY_FIRST + VTY_COUNT; v++) if (vtyFree(v)) return v;
  return -1;
}

/** Listens on 23 while a vty is free. */
export function vtyListen(): void {
  const want = firstFreeVty() >= 0;
  if (want && listener < 0) listener = tcpListen(PORT_TELNET, PORT_TELNET);
  else if (!want && listener >= 0) {
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
  telnetOpen(<u32>h, ROLE_VTY, netScratch(h));
  netScratchFlush(h);
  lineBindSink(v, vtySinkWrite, vtySinkSpace);
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
}

export function vtyPoll(h: i32): void {
  const s = sessionAt(h);
  const v = <i32>s.line;
  if (s.state == SS_CLOSING) {
    vtyFinish(h);
    return;
  }
  for (let i = 0; i < 4; i++) {
    if (pumpFromNet(h, false, lineRxSpace(v), lineInput, vtyEvents) == 0) break;
  }
  // RFC 857: once we say WONT ECHO (the client asked DONT ECHO), the client echoes and we must not.
  const l = lineAt(v);
  if (telnetWeEcho(<u32>h)) l.flags &= ~LINE_FLAG_TERMINAL_ECHOES;
  else l.flags |= LINE_FLAG_TERMINAL_ECHOES;
  if (tcpState(h) == CLOSED || tcpRecvEof(h)) {
    // The caller left (or the connection died): the exec ends, then the session.
    if (lineAt(v).owner != OWNER_NONE) execHookHangup(v);
    vtyFinish(h);
  }
}

export function vtyDeadline(h: i32): u64 {
  const s = sessionAt(h);
  const v = <i32>s.line;
  if (s.state == SS_CLOSING || tcpState(h) == CLOSED || tcpRecvEof(h)) return now();
  if (pumpFromNetReady(h, false, lineRxSpace(v))) return now();
  return NEVER;
}

/** Telnet's editing commands reach the exec as the keys that do the same. */
function vtyEvents(h: i32, events: u32): void {
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
function vtySinkWrite(line: i32, ptr: usize, len: u32): u32 {
  const h = lineSession(line);
  if (!sessionValid(h)) return len; // nobody to hear it
  return pumpToNet(h, false, ptr, len);
}

function vtySinkSpace(line: i32): u32 {
  const h = lineSession(line);
  if (!sessionValid(h)) return 0;
  return tcpSendSpace(h) / 2; // every byte may be doubled (IAC IAC, CR NUL)
}
