// Reverse telnet: a caller on the network reaches TTY n's serial device through port 2000+n
// (telnet, NVT CR -> CR LF), 4000+n (raw TCP) or 6000+n (binary telnet). REFERENCE.md "Lines and
// ports" and "Why the line hangs".
//
// A line takes a caller only while it is free (no exec, no session) and `transport input telnet`
// (or `all`) is set on it: TTYs refuse by default, as on IOS. The refusal is TCP's own: the line's
// ports are listened on only while it can take a caller, so a SYN to a busy or closed line is
// answered with RST and the caller prints `% Connection refused by remote host`. That is also what
// makes a stale connection visible: the line stays busy, and refuses, until its connection dies
// (keepalive, RST, clear line).
//
// Bytes: TCP -> telnet engine -> the UART's transmit ring, and the UART's receive ring -> engine ->
// TCP, each step sized by what the other side can take. RFC 2217 settings from the client go to
// the UART (uart-config, uart-control, purges); modem input changes go back as NOTIFY-MODEMSTATE.
// When the session ends the line gets its configured UART settings back.
import { TTY_COUNT } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { halUartConfig, halUartControl } from "../hal/imports";
import {
  tcpListen, tcpUnlisten, tcpAccept, tcpAbort, tcpClose, tcpState, tcpRecvEof, tcpRecvAvailable, tcpSendSpace, tcpSetTag,
} from "../tcp/tcp";
import { CLOSED } from "../tcp/tcb";
import {
  telnetOpen, telnetClose, telnetComSetLine, telnetComBaud, telnetComDataSize, telnetComParity, telnetComStopSize,
  telnetComFlow, telnetComSignals, telnetComPurge, telnetComSuspended, telnetComModem,
} from "../telnet/telnet";
import {
  ROLE_REVERSE, ROLE_BINARY, EV_BREAK, EV_COM_LINE, EV_COM_CONTROL, EV_COM_PURGE, PURGE_RX, PURGE_TX,
} from "../telnet/codes";
import { lineAt, OWNER_NONE, OWNER_SESSION, TRANSPORT_TELNET } from "./line-table";
import {
  lineWrite, lineWriteSpace, lineRxCount, lineRxPeek, lineRxDrop, lineTxClear, lineApplyUart,
} from "./lines";
import {
  Session, sessionAt, sessionClaim, sessionRelease, setLineSession, lineSession, pumpFromNet, pumpToNet, netScratch,
  netScratchFlush, inBuf, sessionNoteLoss, SK_REVERSE, SK_RAW, SK_BINARY, SS_OPEN,
} from "./session";
import { SESSION_SCRATCH_BYTES, TELNET_REPLY_RESERVE_BYTES } from "../lib/limits";

// Port bases (REFERENCE.md): 2000+n telnet, 4000+n raw TCP, 6000+n binary telnet.
// @ts-ignore: decorator
@inline const PORT_TELNET_BASE: u32 = 2000;
// @ts-ignore: decorator
@inline const PORT_RAW_BASE: u32 = 4000;
// @ts-ignore: decorator
@inline const PORT_BINARY_BASE: u32 = 6000;
/** The three kinds per line, in listener-table order. */
// @ts-ignore: decorator
@inline const KINDS: i32 = 3;

// HAL uart-control bits (hal.wit): bit 0 DTR, bit 1 RTS, bit 2 BREAK.
// @ts-ignore: decorator
@inline const HAL_DTR: u32 = 1;
// @ts-ignore: decorator
@inline const HAL_RTS: u32 = 2;
// @ts-ignore: decorator
@inline const HAL_BREAK: u32 = 4;
/** How long IAC BRK holds the line in BREAK: POSIX tcsendbreak(fd, 0) asks for at least 0.25 s and
 * Linux sends 0.25 s, longer than a character at any baud rate, so every receiver sees it. */
// @ts-ignore: decorator
@inline const BREAK_HOLD_MS: u64 = 250;
// The engine's comSignals bits (telnet/state.ts): 1 BREAK, 2 DTR, 4 RTS.
// @ts-ignore: decorator
@inline const COM_BREAK: u32 = 1;
// @ts-ignore: decorator
@inline const COM_DTR: u32 = 2;
// @ts-ignore: decorator
@inline const COM_RTS: u32 = 4;

/** Listener per TTY and kind (i16, -1 when not listening); index (n - 1) * KINDS + k. */
const listenerTable = memory.data(2 * TTY_COUNT * KINDS, 2);

/** Connections refused because the table of listeners was full (a configuration problem). */
let listenFailures: u32 = 0;

export function reverseBoot(): void {
  for (let i = 0; i < TTY_COUNT * KINDS; i++) store<i16>(listenerTable + <usize>(i * 2), -1);
}

function portBase(k: i32): u32 {
  return k == 0 ? PORT_TELNET_BASE : k == 1 ? PORT_RAW_BASE : PORT_BINARY_BASE;
}

function kindOf(k: i32): u8 {
  return k == 0 ? SK_REVERSE : k == 1 ? SK_RAW : SK_BINARY;
}

// @ts-ignore: decorator
@inline function listenerAt(n: i32, k: i32): i32 {
  return <i32>load<i16>(listenerTable + <usize>(((n - 1) * KINDS + k) * 2));
}

// @ts-ignore: decorator
@inline function setListener(n: i32, k: i32, l: i32): void {
  store<i16>(listenerTable + <usize>(((n - 1) * KINDS + k) * 2), <i16>l);
}

/** Can TTY n take a caller now? */
function lineAccepts(n: i32): bool {
  const l = lineAt(n);
  return l.owner == OWNER_NONE && lineSession(n) < 0 && (l.transportInput & TRANSPORT_TELNET) != 0;
}

/** Listens on the ports of every line that can take a caller, and on no other (bounded: 3 x TTYs). */
export function reverseListen(): void {
  for (let n = 1; n <= TTY_COUNT; n++) {
    const want = lineAccepts(n);
    for (let k = 0; k < KINDS; k++) {
      const l = listenerAt(n, k);
      if (want && l < 0) {
        const port = portBase(k) + <u32>n;
        const added = tcpListen(port, port);
        if (added < 0) listenFailures++;
        setListener(n, k, added);
      } else if (!want && l >= 0) {
        tcpUnlisten(l); // a caller not yet accepted is reset: the line is taken
        setListener(n, k, -1);
      }
    }
  }
}

/** Takes the callers that completed a handshake on a free line's port. */
export function reverseAccept(): void {
  for (let n = 1; n <= TTY_COUNT; n++) {
    if (!lineAccepts(n)) continue;
    for (let k = 0; k < KINDS; k++) {
      const l = listenerAt(n, k);
      if (l < 0) continue;
      const h = tcpAccept(l, 0);
      if (h < 0) continue;
      reverseStart(n, h, kindOf(k));
      break;
    }
  }
  reverseListen(); // the taken lines stop listening at once: the next caller is refused
}

function reverseStart(n: i32, h: i32, kind: u8): void {
  const l = lineAt(n);
  const s = sessionClaim(h, kind, n);
  s.state = SS_OPEN;
  s.modemSent = <u8>l.modem;
  tcpSetTag(h, <u32>n);
  l.owner = OWNER_SESSION;
  l.session = h;
  l.uses++;
  l.lastInputAtMs = now();
  setLineSession(n, h);
  // DTR and RTS come up while a caller holds the line (down again in reverseEnd): what the RFC 2217
  // engine reports to the client from the start (its defaults), so a client's DTR ON, answered
  // without a change, is also true on the wire. Found by the HIL suite (test/hil).
  s.signals = <u8>(HAL_DTR | HAL_RTS);
  halUartControl(<u32>n, <u32>s.signals);
  if (kind != SK_RAW) {
    telnetOpen(<u32>h, kind == SK_BINARY ? ROLE_BINARY : ROLE_REVERSE, netScratch(h));
    telnetComSetLine(<u32>h, l.speed, l.dataBits, l.parity, l.stopBits, l.flow);
    netScratchFlush(h);
  }
}

/** Ends line n's reverse session: RST when `abort` (clear line), else an orderly close. */
export function reverseEnd(h: i32, abort: bool): void {
  const s = sessionAt(h);
  const n = <i32>s.line;
  sessionNoteLoss(h);
  if (s.kind != SK_RAW) telnetClose(<u32>h);
  if (abort) tcpAbort(h);
  else tcpClose(h);
  if (s.signals != 0 || s.breakEndsAtMs != 0) halUartControl(<u32>n, 0);
  sessionRelease(h);
  const l = lineAt(n);
  l.owner = OWNER_NONE;
  l.session = -1;
  lineApplyUart(n); // RFC 2217 changes last as long as the session
}

/** One poll of a reverse session: both directions, then its end when the connection is over. */
export function reversePoll(h: i32): void {
  const s = sessionAt(h);
  const n = <i32>s.line;
  const raw = s.kind == SK_RAW;
  if (s.breakEndsAtMs != 0 && now() >= s.breakEndsAtMs) {
    s.breakEndsAtMs = 0;
    halUartControl(<u32>n, <u32>s.signals);
  }
  for (let i = 0; i < 4; i++) {
    const moved = pumpFromNet(h, raw, lineWriteSpace(n), lineWrite, reverseEvents) + lineToNet(h, s, n, raw);
    if (moved == 0) break;
  }
  if (!raw && <u32>s.modemSent != lineAt(n).modem && tcpSendSpace(h) >= <u32>TELNET_REPLY_RESERVE_BYTES) {
    // Told, or nothing to tell (no COM-PORT-OPTION, or the client's mask hides it): either way done.
    telnetComModem(<u32>h, lineAt(n).modem, netScratch(h));
    netScratchFlush(h);
    s.modemSent = <u8>lineAt(n).modem;
  }
  const st = tcpState(h);
  // Over when the connection died, or the caller closed and everything it sent reached the line.
  if (st == CLOSED || tcpRecvEof(h)) {
    reverseEnd(h, false);
    return;
  }
  const timeout = lineAt(n).sessionTimeoutMs;
  if (timeout != 0 && now() >= s.lastActivityAtMs + <u64>timeout) reverseEnd(h, false);
}

/** The UART's received bytes to the caller (held while the client asked FLOWCONTROL-SUSPEND). */
function lineToNet(h: i32, s: Session, n: i32, raw: bool): u32 {
  if (!raw && telnetComSuspended(<u32>h)) return 0;
  const count = min<u32>(lineRxCount(n), <u32>SESSION_SCRATCH_BYTES);
  if (count == 0) return 0;
  lineRxPeek(n, inBuf, count);
  const sent = pumpToNet(h, raw, inBuf, count);
  lineRxDrop(n, sent);
  return sent;
}

/** RFC 2217 and BREAK from the client, in stream order. */
function reverseEvents(h: i32, events: u32): void {
  const s = sessionAt(h);
  const n = <u32>s.line;
  if ((events & EV_COM_LINE) != 0) {
    halUartConfig(n, telnetComBaud(<u32>h), telnetComDataSize(<u32>h), telnetComParity(<u32>h), telnetComStopSize(<u32>h), telnetComFlow(<u32>h));
  }
  if ((events & EV_COM_CONTROL) != 0) {
    const com = telnetComSignals(<u32>h);
    let sig: u32 = 0;
    if ((com & COM_DTR) != 0) sig |= HAL_DTR;
    if ((com & COM_RTS) != 0) sig |= HAL_RTS;
    if ((com & COM_BREAK) != 0) sig |= HAL_BREAK;
    s.signals = <u8>sig;
    halUartControl(n, sig);
  }
  if ((events & EV_BREAK) != 0) {
    // IAC BRK (RFC 854): a break long enough for any receiver, then the signals as they were.
    halUartControl(n, <u32>s.signals | HAL_BREAK);
    s.breakEndsAtMs = now() + BREAK_HOLD_MS;
  }
  if ((events & EV_COM_PURGE) != 0) {
    const which = telnetComPurge(<u32>h);
    if ((which & PURGE_RX) != 0) lineRxDrop(<i32>n, lineRxCount(<i32>n)); // received from the device, not yet sent
    if ((which & PURGE_TX) != 0) lineTxClear(<i32>n); // waiting for the UART
  }
}

/** The next instant a reverse session needs a poll: now when bytes can move, else its timeout. */
export function reverseDeadline(h: i32): u64 {
  const s = sessionAt(h);
  const n = <i32>s.line;
  const raw = s.kind == SK_RAW;
  const st = tcpState(h);
  if (st == CLOSED || tcpRecvEof(h)) return now();
  const room = tcpSendSpace(h);
  if (tcpRecvAvailable(h) > 0 && lineWriteSpace(n) > 0 && (raw || room >= <u32>TELNET_REPLY_RESERVE_BYTES + 16)) return now();
  if (lineRxCount(n) > 0 && room >= 2 && (raw || !telnetComSuspended(<u32>h))) return now();
  if (!raw && <u32>s.modemSent != lineAt(n).modem && room >= <u32>TELNET_REPLY_RESERVE_BYTES) return now();
  const timeout = lineAt(n).sessionTimeoutMs;
  const timeoutAtMs = timeout != 0 ? s.lastActivityAtMs + <u64>timeout : NEVER;
  return s.breakEndsAtMs != 0 ? min<u64>(timeoutAtMs, s.breakEndsAtMs) : timeoutAtMs;
}

export function reverseListenFailures(): u32 {
  return listenFailures;
}

/** For show commands: is h a reverse session? */
export function reverseIs(h: i32): bool {
  const k = sessionAt(h).kind;
  return k == SK_REVERSE || k == SK_RAW || k == SK_BINARY;
}
