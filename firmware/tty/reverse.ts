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
// One line, one caller: a line's three listeners form a TCP listener group (tcp/table.ts), so the
// first SYN to any of its ports reserves the line and a second one, even in the same millisecond,
// is refused with RST before its handshake completes (never accepted and then reset, which the
// caller would read as "Open" and then "closed by foreign host"). A half-open reservation gives
// way to a new SYN after GROUP_HALF_OPEN_HOLD_MS (3 s), so a spoofed SYN cannot hold a line.
//
// `refuse-message` (IOS): a line with one keeps listening while busy; a caller then is accepted,
// reads the message, and the connection is closed.
//
// Rotary groups (`rotary r` on lines): ports 3000+r (telnet), 5000+r (raw) and 7000+r (binary)
// reach the first free line of group r. Their listeners serve the group's free lines as a set of
// listener groups, so a SYN there reserves one line exactly as a SYN to that line's own port does.
// They listen while a line of the group is free; ROTARY_LISTEN_COUNT groups at once.
//
// Bytes: TCP -> telnet engine -> the UART's transmit ring, and the UART's receive ring -> engine ->
// TCP, each step sized by what the other side can take. RFC 2217 settings from the client go to
// the UART (uart-config, uart-control, purges); modem input changes go back as NOTIFY-MODEMSTATE.
// When the session ends the line gets its configured UART settings back.
import { TTY_COUNT, ROTARY_LISTEN_COUNT } from "../lib/limits";
import { now } from "../lib/clock";
import { halUartConfig, halUartControl } from "../hal/imports";
import {
  tcpListen, tcpUnlisten, tcpAccept, tcpGroupHeld, tcpAbort, tcpClose, tcpRecvAvailable, tcpSendSpace, tcpSetTag,
  tcpListenerSetGroups, tcpIsLate, tcpSend, tcpGroup,
} from "../tcp/tcp";
import { messageValid, messagePtr, messageLen } from "./message-pool";
import {
  telnetOpen, telnetClose, telnetComSetLine, telnetComBaud, telnetComDataSize, telnetComParity, telnetComStopSize,
  telnetComFlow, telnetComSignals, telnetComPurge, telnetComSuspended, telnetComModem,
} from "../telnet/telnet";
import {
  ROLE_REVERSE, ROLE_BINARY, EV_BREAK, EV_COM_LINE, EV_COM_CONTROL, EV_COM_PURGE, PURGE_RX, PURGE_TX,
} from "../telnet/codes";
import { lineAt, OWNER_NONE, OWNER_SESSION, TRANSPORT_TELNET, LINE_FLAG_NO_EXEC } from "./line-table";
import {
  lineRxCount, lineRxPeek, lineRxDrop, lineTxClear, lineApplyUart, lineChanges,
} from "./lines";
import {
  Session, sessionAt, sessionClaim, sessionRelease, setLineSession, lineSession, pumpFromNet, pumpFromNetReady, pumpToNet, netScratch,
  netScratchFlush, inBuf, sessionNoteLoss, sessionTimeoutAtMs, connectionOver, SK_REVERSE, SK_RAW, SK_BINARY, SS_OPEN,
} from "./session";
import { SESSION_SCRATCH_BYTES, TELNET_REPLY_RESERVE_BYTES, TCP_BACKLOG_MAX } from "../lib/limits";

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

/** Rotary groups listened on: the group per slot (u32, 0 when free) and a listener per kind (i16). */
const rotaryGroups = memory.data(4 * ROTARY_LISTEN_COUNT, 4);
const rotaryListeners = memory.data(2 * ROTARY_LISTEN_COUNT * KINDS, 2);
/** Rotary groups that could not be listened on (more than ROTARY_LISTEN_COUNT in use). */
let rotaryFailures: u32 = 0;

export function reverseBoot(): void {
  assert(TTY_COUNT <= 31, "reverseBoot: a TCP listener group per TTY (at most 31)");
  for (let i = 0; i < TTY_COUNT * KINDS; i++) store<i16>(listenerTable + <usize>(i * 2), -1);
  listenStale = true;
  for (let i = 0; i < ROTARY_LISTEN_COUNT; i++) store<u32>(rotaryGroups + <usize>(i * 4), 0);
  for (let i = 0; i < ROTARY_LISTEN_COUNT * KINDS; i++) store<i16>(rotaryListeners + <usize>(i * 2), -1);
}

function portBase(k: i32): u32 {
  return k == 0 ? PORT_TELNET_BASE : k == 1 ? PORT_RAW_BASE : PORT_BINARY_BASE;
}

/** Rotary ports are the line ports' bases plus 1000: 3000+r, 5000+r, 7000+r. */
// @ts-ignore: decorator
@inline const ROTARY_PORT_OFFSET: u32 = 1000;

function kindOf(k: i32): u8 {
  return k == 0 ? SK_REVERSE : k == 1 ? SK_RAW : SK_BINARY;
}

function listenerAt(n: i32, k: i32): i32 {
  return <i32>load<i16>(listenerTable + <usize>(((n - 1) * KINDS + k) * 2));
}

function setListener(n: i32, k: i32, l: i32): void {
  store<i16>(listenerTable + <usize>(((n - 1) * KINDS + k) * 2), <i16>l);
}

/** Can TTY n take a caller now? */
function lineAccepts(n: i32): bool {
  const l = lineAt(n);
  return l.owner == OWNER_NONE && lineSession(n) < 0 && (l.transportInput & TRANSPORT_TELNET) != 0;
}

/** A line with a `refuse-message` answers callers while busy (with the message). */
function lineRefuses(n: i32): bool {
  const l = lineAt(n);
  return l.refuseMessage >= 0 && (l.transportInput & TRANSPORT_TELNET) != 0 && messageValid(l.refuseMessage);
}

/**
 * A line's wish changes with its owner, its session and its settings: through the exec (seen as
 * lineChanges() moving) or here (a session starts or ends); until then, and while no listener
 * failed, there is nothing to check.
 */
let listenStale = true;
let listenSeen: u32 = 0;

/** Listens on the ports of every line that can take a caller, and on no other (bounded: 3 x TTYs). */
export function reverseListen(): void {
  if (!listenStale && listenSeen == lineChanges()) return;
  listenStale = false;
  listenSeen = lineChanges();
  for (let n = 1; n <= TTY_COUNT; n++) {
    const refuses = lineRefuses(n);
    // The line's three ports are one listener group: one caller.
    const groups: u32 = refuses || lineAccepts(n) ? 1 << (n - 1) : 0;
    for (let k = 0; k < KINDS; k++) setListener(n, k, listenOn(listenerAt(n, k), portBase(k) + <u32>n, groups, refuses));
  }
  rotaryListen();
}

/**
 * Brings listener l (-1: none) on `port` to what is wanted: serving listener groups `groups`, or
 * not listening when that is 0 (a caller not yet accepted is then reset: its line is taken).
 * Returns the listener, -1 for none; a failure to listen is counted and tried on the next poll.
 */
function listenOn(l: i32, port: u32, groups: u32, takesExtra: bool): i32 {
  if (groups == 0) {
    if (l >= 0) tcpUnlisten(l);
    return -1;
  }
  if (l < 0) {
    l = tcpListen(port, port);
    if (l < 0) {
      listenFailures++;
      listenStale = true;
      return -1;
    }
  }
  tcpListenerSetGroups(l, groups, takesExtra);
  return l;
}

// --- rotary groups ---

function rotaryGroup(s: i32): u32 {
  return load<u32>(rotaryGroups + <usize>(s * 4));
}

function rotaryListener(s: i32, k: i32): i32 {
  return <i32>load<i16>(rotaryListeners + <usize>((s * KINDS + k) * 2));
}

/** The free lines of rotary group r, as listener groups (bit n-1 for TTY n). */
function rotaryFreeLines(r: u32): u32 {
  let lines: u32 = 0;
  for (let n = 1; n <= TTY_COUNT; n++) if (lineAt(n).rotary == r && lineAccepts(n)) lines |= 1 << (n - 1);
  return lines;
}

function rotarySlotOf(r: u32): i32 {
  for (let s = 0; s < ROTARY_LISTEN_COUNT; s++) if (rotaryGroup(s) == r) return s;
  return -1;
}

/** Listens on a rotary group's ports while one of its lines is free (bounded: TTYs x slots + slots x kinds). */
function rotaryListen(): void {
  for (let n = 1; n <= TTY_COUNT; n++) {
    const r = lineAt(n).rotary;
    if (r == 0 || !lineAccepts(n) || rotarySlotOf(r) >= 0) continue;
    const s = rotarySlotOf(0);
    if (s < 0) {
      rotaryFailures++;
      listenStale = true; // tried again on the next poll
      continue;
    }
    store<u32>(rotaryGroups + <usize>(s * 4), r);
  }
  for (let s = 0; s < ROTARY_LISTEN_COUNT; s++) {
    const r = rotaryGroup(s);
    if (r == 0) continue;
    const lines = rotaryFreeLines(r);
    // Every line busy (lines 0): callers are refused (RST).
    for (let k = 0; k < KINDS; k++) {
      const l = listenOn(rotaryListener(s, k), portBase(k) + ROTARY_PORT_OFFSET + r, lines, false);
      store<i16>(rotaryListeners + <usize>((s * KINDS + k) * 2), <i16>l);
    }
    if (lines == 0) store<u32>(rotaryGroups + <usize>(s * 4), 0);
  }
}

/** Callers of a rotary port: each gets the line its SYN reserved. */
function rotaryAccept(): void {
  for (let s = 0; s < ROTARY_LISTEN_COUNT; s++) {
    const r = rotaryGroup(s);
    if (r == 0) continue;
    for (let k = 0; k < KINDS; k++) acceptOn(rotaryListener(s, k), k, r);
  }
}

/**
 * Takes the callers that completed a handshake on listener l (kind k; -1: none): each gets the
 * line its SYN reserved (its listener group), on rotary group r's ports one of that group (r 0: a
 * line's own ports). A caller the line cannot take reads its refuse-message on the line's own
 * ports, or is reset.
 */
function acceptOn(l: i32, k: i32, r: u32): void {
  for (let i = 0; i < TCP_BACKLOG_MAX && l >= 0; i++) {
    const h = tcpAccept(l, 0);
    if (h < 0) break;
    const n = <i32>tcpGroup(h);
    if (n < 1 || n > TTY_COUNT || (r != 0 && lineAt(n).rotary != r)) tcpAbort(h);
    else if (lineAccepts(n) && !tcpIsLate(h)) reverseStart(n, h, kindOf(k));
    else if (r == 0 && lineRefuses(n)) reverseRefuse(n, h);
    else tcpAbort(h); // not reached on a line's own ports: the listener group refuses a second caller
  }
}

export function reverseRotaryFailures(): u32 {
  return rotaryFailures;
}

/**
 * Takes the callers that completed a handshake on a free line's port; on a line with a
 * refuse-message, every other caller (the line is busy, or the caller came after the one that
 * reserved it) reads the message and is let go.
 */
export function reverseAccept(): void {
  for (let n = 1; n <= TTY_COUNT; n++) {
    if (!lineAccepts(n) && !lineRefuses(n)) continue;
    for (let k = 0; k < KINDS; k++) acceptOn(listenerAt(n, k), k, 0); // group n: line n
  }
  rotaryAccept();
  reverseListen(); // the taken lines stop listening at once: the next caller is refused
}

/**
 * True while idle TTY n (`no exec`) keeps its input for a caller whose handshake is under way. The
 * caller (to the line's own ports or a rotary port) prints Open when our SYN+ACK arrives, but the
 * line is taken only when its ACK arrives (a one-way delay later, an RTO later when that ACK is
 * lost): what the device sends meanwhile
 * belongs to the session, and would otherwise be dropped as noise. A handshake that fails lets
 * the exec drop it after all. (Lines with an exec are left alone: there noise starts the exec.)
 */
export function reverseHoldsInput(n: i32): bool {
  if (n < 1 || n > TTY_COUNT || lineRxCount(n) == 0) return false;
  if ((lineAt(n).flags & LINE_FLAG_NO_EXEC) == 0 || !lineAccepts(n)) return false;
  return tcpGroupHeld(<u32>n); // line n is listener group n, on its own ports and a rotary's
}

const crlf = memory.data<u8>([0x0d, 0x0a]);

/**
 * The refuse-message to a caller of a busy line, then an orderly close: the text as configured,
 * each "\n" sent as CR LF, and a final CR LF unless the text ends with a line break. It fits the
 * fresh connection's send ring (MESSAGE_SLOT_BYTES x 2 < TCP_TX_RING_BYTES).
 */
function reverseRefuse(n: i32, h: i32): void {
  const m = lineAt(n).refuseMessage;
  const p = messagePtr(m);
  const len = messageLen(m);
  let from: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    if (load<u8>(p + i) != 0x0a) continue;
    tcpSend(h, p + from, i - from);
    tcpSend(h, crlf, 2);
    from = i + 1;
  }
  if (from < len || len == 0) {
    tcpSend(h, p + from, len - from);
    tcpSend(h, crlf, 2);
  }
  refused++;
  tcpClose(h);
}

/** Callers that read a refuse-message. */
let refused: u32 = 0;

export function reverseRefused(): u32 {
  return refused;
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
  listenStale = true;
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
  listenStale = true;
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
    const fromNet = pumpFromNet(h);
    const moved = fromNet + lineToNet(h, s, n, raw);
    // Another round only while a side may have more: with TCP's receive ring and the line's input
    // both empty, a second round would find nothing (at line rate, every session's poll).
    if (moved == 0 || (lineRxCount(n) == 0 && (fromNet == 0 || tcpRecvAvailable(h) == 0))) break;
  }
  if (!raw && <u32>s.modemSent != lineAt(n).modem && tcpSendSpace(h) >= <u32>TELNET_REPLY_RESERVE_BYTES) {
    // Told, or nothing to tell (no COM-PORT-OPTION, or the client's mask hides it): either way done.
    telnetComModem(<u32>h, lineAt(n).modem, netScratch(h));
    netScratchFlush(h);
    s.modemSent = <u8>lineAt(n).modem;
  }
  // Over when the connection died, or the caller closed and everything it sent reached the line.
  if (connectionOver(h) || now() >= sessionTimeoutAtMs(s)) reverseEnd(h, false);
}

/** The UART's received bytes to the caller (held while the client asked FLOWCONTROL-SUSPEND). */
function lineToNet(h: i32, s: Session, n: i32, raw: bool): u32 {
  if (!raw && telnetComSuspended(<u32>h)) return 0;
  const count = min<u32>(lineRxCount(n), <u32>SESSION_SCRATCH_BYTES);
  if (count == 0) return 0;
  lineRxPeek(n, inBuf, count);
  const sent = pumpToNet(h, inBuf, count);
  lineRxDrop(n, sent);
  return sent;
}

/** RFC 2217 and BREAK from the client, in stream order. */
export function reverseEvents(h: i32, events: u32): void {
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
  if (connectionOver(h)) return now();
  const room = tcpSendSpace(h);
  if (pumpFromNetReady(h)) return now();
  if (lineRxCount(n) > 0 && room >= 2 && (raw || !telnetComSuspended(<u32>h))) return now();
  if (!raw && <u32>s.modemSent != lineAt(n).modem && room >= <u32>TELNET_REPLY_RESERVE_BYTES) return now();
  const timeoutAtMs = sessionTimeoutAtMs(s);
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
