// The telnet engine: one for both ends of the protocol, free of I/O. It sits between a TCP
// connection's byte stream and a terminal line (a TTY's UART, a vty's exec, or the user of the
// `telnet` command). The caller moves bytes; the engine only parses, answers and reports.
//
// Read RFC 854 (NVT, commands), RFC 855 (options), RFC 1143 (the Q method, negotiate.ts), then the
// option RFCs: 856 BINARY, 857 ECHO, 858 SGA, 1091 TTYPE, 1073 NAWS, 2217 COM-PORT (comport.ts).
//
// Directions:
//   telnetReceive: network -> line. Data goes to `toLine`; IAC IAC becomes 0xFF; NVT CR LF and CR
//     NUL become CR on the server roles (a lone CR is what a terminal's Return sends to a console
//     or to the exec; IOS reverse telnet 2000+n does the same), CR NUL becomes CR and CR LF stays
//     on the client roles (the user's terminal needs the LF). In binary (6000+n, or the peer's
//     WILL BINARY agreed) nothing is translated. Answers to the peer go to `toNet`.
//   telnetSend: line -> network. 0xFF is doubled always. In NVT text a CR LF pair is sent as is;
//     a bare CR goes out as CR NUL (RFC 854; BSD telnetd does this, looking one byte ahead) or as
//     CR LF on reverse telnet 2000+n and the client roles (IOS's default for both). A bare LF goes out unchanged:
//     RFC 854 defines LF alone ("moves to the next print line, same column") and real servers
//     (BSD telnetd, IOS) pass it through; most serial consoles emit CR LF anyway. No GA is ever
//     sent: every role agrees to suppress it, and clients that do not ignore GA do not exist.
//
// Back-pressure: both calls return how many input bytes they consumed, and stop early when the
// output has no room (the caller keeps the rest: TCP's receive ring or the UART's ring). A
// command is handled only when `toNet` has TELNET_REPLY_RESERVE_BYTES free, so no answer is ever
// cut; data (IAC IAC included) needs no answer and flows on while `toNet` is full. telnetReceive
// also stops right after a byte that raised an event, so the caller acts on BREAK, IP, option
// changes and RFC 2217 settings exactly where they were in the stream.
import { Ring, ringPut, ringPut2, ringWrite, ringFree } from "../lib/ring";
import { bytesFind2 } from "../lib/bytes";
import { Text, textLen, textByte } from "../lib/text-table";
import { TELNET_COUNT, TELNET_SB_BYTES, TELNET_TTYPE_BYTES, TELNET_REPLY_RESERVE_BYTES } from "../lib/limits";
import {
  IAC, SB, SE, WILL, WONT, DO, DONT, BRK, IP, AO, AYT, EC, EL, SUSP, ABORT, XEOF, CR, LF, NUL,
  TELOPT_TTYPE, TELOPT_NAWS, TELOPT_COM_PORT, TTYPE_IS, TTYPE_SEND, OPT_SLOTS, OPT_UNKNOWN, OPT_BINARY,
  OPT_ECHO, OPT_TTYPE, OPT_NAWS, OPT_COM_PORT, ROLE_COUNT, EV_BREAK, EV_IP, EV_AO, EV_AYT, EV_EC, EV_EL,
  EV_SUSP, EV_ABORT, EV_EOF, EV_TTYPE, EV_NAWS, optSlot,
} from "./codes";
import {
  TelnetState, stateOf, stateOrBlank, stateClear, sbBuf, ttypeBuf, raise, validHandle, telnetStateCheck,
  RX_DATA, RX_CR, RX_IAC, RX_WILL, RX_WONT, RX_DO, RX_DONT, RX_SB, RX_SB_IAC, FLAG_TX_CR_EXPANDED, SIG_SUSPENDED,
} from "./state";
import {
  roleModes, optionPolicy, policyCheck, MODE_RX_CR_ONLY, MODE_TX_CR_LF, MODE_FORCE_BINARY, MODE_ANSWER_AYT,
  US_ASK, HIM_ASK,
} from "./policy";
import { receiveOption, qRequest, optionOn, isComServer, sendNaws, sendTtypeIs } from "./negotiate";
import { comDefaults, comServerSubneg, comClientSubneg, comNotifyModem, comNotifyLine, comSetSignature } from "./comport";

/** Subnegotiations cut to TELNET_SB_BYTES since boot (all engines). */
let sbTruncatedTotal: u32 = 0;
/** Calls with a handle that is not open. */
let badHandleCalls: u32 = 0;

/** Checks the layout and limits once and closes every engine. Static memory starts zeroed, so the
 * engines work without it; boot calls it for the checks. */
export function telnetBoot(): void {
  telnetStateCheck();
  policyCheck();
  assert(TELNET_REPLY_RESERVE_BYTES >= 6 + 2 * TELNET_TTYPE_BYTES + 2, "telnet: reply reserve below the largest reply");
  for (let h: u32 = 0; h < <u32>TELNET_COUNT; h++) stateClear(stateOf(h));
}

/** The record of an open engine, or 0 (counted) for a bad or closed handle. */
function openState(h: u32): usize {
  const s = stateOrBlank(h);
  if (s.inUse != 0) return changetype<usize>(s);
  badHandleCalls++;
  return 0;
}

/**
 * Starts an engine for handle `h` (a TCB index) in `role` (codes.ts ROLE_*) and writes the role's
 * greeting to `toNet` (which needs TELNET_REPLY_RESERVE_BYTES free). Returns false for a bad handle
 * or role.
 */
export function telnetOpen(h: u32, role: u32, toNet: Ring): bool {
  if (!validHandle(h) || role >= ROLE_COUNT) {
    badHandleCalls++;
    return false;
  }
  const s = stateOf(h);
  stateClear(s);
  s.inUse = 1;
  s.role = <u8>role;
  comDefaults(s);
  // The greeting, in slot order: WILL ECHO, WILL SGA, DO SGA, WILL/DO BINARY, DO TTYPE, DO NAWS...
  for (let slot = 0; slot < OPT_SLOTS; slot++) {
    const policy = optionPolicy(role, slot);
    if ((policy & US_ASK) != 0) qRequest(s, slot, false, true, toNet);
    if ((policy & HIM_ASK) != 0) qRequest(s, slot, true, true, toNet);
  }
  return true;
}

export function telnetClose(h: u32): void {
  if (validHandle(h)) stateClear(stateOf(h));
}

export function telnetIsOpen(h: u32): bool {
  return stateOrBlank(h).inUse != 0;
}

/** Binary transmission (RFC 856) in one direction: from the peer (`him`) or from us. */
function binaryOn(s: TelnetState, him: bool): bool {
  return (roleModes(<u32>s.role) & MODE_FORCE_BINARY) != 0 || optionOn(s, OPT_BINARY, him);
}

function sbAppend(s: TelnetState, byte: u32): void {
  if (<i32>s.sbLen < TELNET_SB_BYTES) {
    store<u8>(sbBuf(s) + <usize>s.sbLen, <u8>byte);
    s.sbLen++;
  } else if (s.sbOver == 0) {
    s.sbOver = 1;
    s.sbTruncations++;
    sbTruncatedTotal++;
  }
}

/** A complete IAC SB ... IAC SE: dispatch on the option code (first byte). */
function sbDispatch(s: TelnetState, toNet: Ring): void {
  const buf = sbBuf(s);
  const len = <u32>s.sbLen;
  if (len == 0) {
    s.protocolErrors++;
    return;
  }
  const code = <u32>load<u8>(buf);
  const sub: u32 = len > 1 ? <u32>load<u8>(buf + 1) : 0xffff;
  if (code == TELOPT_TTYPE) {
    if (sub == TTYPE_IS && optionOn(s, OPT_TTYPE, true)) {
      const n = min<u32>(len - 2, <u32>TELNET_TTYPE_BYTES);
      memory.copy(ttypeBuf(s), buf + 2, n);
      s.ttypeLen = <u8>n;
      raise(s, EV_TTYPE);
      return;
    }
    if (sub == TTYPE_SEND && len == 2 && optionOn(s, OPT_TTYPE, false)) {
      sendTtypeIs(s, toNet);
      return;
    }
  } else if (code == TELOPT_NAWS) {
    if (len == 5 && optionOn(s, OPT_NAWS, true)) {
      s.nawsCols = <u16>((<u32>load<u8>(buf + 1) << 8) | <u32>load<u8>(buf + 2));
      s.nawsRows = <u16>((<u32>load<u8>(buf + 3) << 8) | <u32>load<u8>(buf + 4));
      raise(s, EV_NAWS);
      return;
    }
  } else if (code == TELOPT_COM_PORT && (optionOn(s, OPT_COM_PORT, true) || optionOn(s, OPT_COM_PORT, false))) {
    if (isComServer(s)) comServerSubneg(s, buf, len, toNet);
    else comClientSubneg(s, buf, len);
    return;
  }
  // A subnegotiation for an option not agreed, or malformed: dropped and counted (RFC 855).
  s.protocolErrors++;
}

/** IAC <command> for the commands that are not option verbs. */
function command(s: TelnetState, byte: u32, toNet: Ring): void {
  switch (byte) {
    case BRK: raise(s, EV_BREAK); break;
    case IP: raise(s, EV_IP); break;
    case AO: raise(s, EV_AO); break;
    case EC: raise(s, EV_EC); break;
    case EL: raise(s, EV_EL); break;
    case SUSP: raise(s, EV_SUSP); break;
    case ABORT: raise(s, EV_ABORT); break;
    case XEOF: raise(s, EV_EOF); break;
    case AYT: {
      if ((roleModes(<u32>s.role) & MODE_ANSWER_AYT) != 0) {
        const text: Text = "\r\n[Yes]\r\n";
        for (let i: u32 = 0; i < textLen(text); i++) ringPut(toNet, textByte(text, i));
      }
      raise(s, EV_AYT);
      break;
    }
    case SE: s.protocolErrors++; break; // SE outside a subnegotiation
    default: {
      // NOP, DM (no urgent data: a plain no-op), GA, EOR: nothing to do. Below EOF: not a command.
      if (byte < XEOF) s.protocolErrors++;
    }
  }
}

/** Handles one byte in a command state; returns false when the byte must be seen again. */
export function commandByte(s: TelnetState, st: u8, byte: u32, toLine: Ring, toNet: Ring): bool {
  if (st == RX_IAC) {
    s.rxState = RX_DATA;
    if (byte == IAC) ringPut(toLine, IAC);
    else if (byte == WILL) s.rxState = RX_WILL;
    else if (byte == WONT) s.rxState = RX_WONT;
    else if (byte == DO) s.rxState = RX_DO;
    else if (byte == DONT) s.rxState = RX_DONT;
    else if (byte == SB) {
      s.rxState = RX_SB;
      s.sbLen = 0;
      s.sbOver = 0;
    } else command(s, byte, toNet);
    return true;
  }
  if (st >= RX_WILL && st <= RX_DONT) {
    const verb = st == RX_WILL ? WILL : st == RX_WONT ? WONT : st == RX_DO ? DO : DONT;
    s.rxState = RX_DATA;
    receiveOption(s, verb, byte, toNet);
    return true;
  }
  if (st == RX_SB) {
    if (byte == IAC) s.rxState = RX_SB_IAC;
    else sbAppend(s, byte);
    return true;
  }
  // RX_SB_IAC
  if (byte == SE) {
    s.rxState = RX_DATA;
    sbDispatch(s, toNet);
    return true;
  }
  if (byte == IAC) {
    s.rxState = RX_SB;
    sbAppend(s, IAC);
    return true;
  }
  // IAC <not SE> inside a subnegotiation: the SB was never closed. Drop it and read this byte as
  // the command it is (BSD telnetd does the same).
  s.protocolErrors++;
  s.rxState = RX_IAC;
  return false;
}

/**
 * Parses `len` bytes from the network at `src`. Data goes to `toLine`, answers to `toNet`.
 * Returns the bytes consumed: fewer than `len` when `toLine` is full, when `toNet` has less than
 * TELNET_REPLY_RESERVE_BYTES free at a command byte (data, IAC IAC and a subnegotiation's payload
 * never wait for it), or right after a byte that raised an event (take the events, act, and call
 * again with the rest). State persists between calls: a sequence may be split anywhere.
 *
 * Data between the bytes that mean something (IAC; CR in NVT text) is found by a word-at-a-time
 * scan and copied to the line as one run; only those bytes and commands go one at a time.
 */
export function telnetReceive(h: u32, src: usize, len: u32, toLine: Ring, toNet: Ring): u32 {
  const state = openState(h);
  if (state == 0) return 0;
  const s = changetype<TelnetState>(state);
  const crOnly = (roleModes(<u32>s.role) & MODE_RX_CR_ONLY) != 0;
  let i: u32 = 0;
  while (i < len) {
    const st = s.rxState;
    if (st == RX_DATA) {
      // Binary can change only at a command, which ends a run: asked again for each run.
      const special: u32 = binaryOn(s, true) ? IAC : CR;
      const run = bytesFind2(src + i, len - i, IAC, special);
      if (run > 0) {
        const room = ringFree(toLine);
        if (room == 0) break;
        const n = min<u32>(run, room);
        ringWrite(toLine, src + i, n);
        i += n;
        continue;
      }
    }
    const byte = <u32>load<u8>(src + i);
    if (st <= RX_CR) {
      if (byte == IAC) {
        s.rxState = RX_IAC;
        i++;
        continue;
      }
      if (ringFree(toLine) == 0) break;
      i++;
      s.rxState = RX_DATA;
      if (st == RX_CR && (byte == NUL || (byte == LF && crOnly))) continue;
      ringPut(toLine, byte);
      if (byte == CR && !binaryOn(s, true)) s.rxState = RX_CR;
      continue;
    }
    if (ringFree(toLine) == 0) break;
    // IAC IAC (a data byte) and a subnegotiation's payload never answer: they pass a full `toNet`.
    if (ringFree(toNet) < <u32>TELNET_REPLY_RESERVE_BYTES && !(st == RX_IAC && byte == IAC) && st != RX_SB) break;
    const before = s.events;
    if (commandByte(s, st, byte, toLine, toNet)) i++;
    if (s.events != before) break;
  }
  return i;
}

/**
 * Encodes `len` bytes from the line at `src` for the network into `toNet`. Returns the bytes
 * consumed (fewer when `toNet` has less than 2 bytes free). Bytes that go out as they are (all
 * but IAC, and CR in NVT text) are found by a word-at-a-time scan and copied as one run; a run
 * leaves one byte of the ring free, as a byte at a time would (each input byte needs 2 free).
 */
export function telnetSend(h: u32, src: usize, len: u32, toNet: Ring): u32 {
  const state = openState(h);
  if (state == 0) return 0;
  const s = changetype<TelnetState>(state);
  const binary = binaryOn(s, false);
  const crLf = (roleModes(<u32>s.role) & MODE_TX_CR_LF) != 0;
  const special: u32 = binary ? IAC : CR;
  let i: u32 = 0;
  if ((s.flags & FLAG_TX_CR_EXPANDED) != 0 && len > 0 && ringFree(toNet) >= 2) {
    // The LF of a CR LF split across two calls, whose CR already went out as CR LF: dropped.
    s.flags &= ~FLAG_TX_CR_EXPANDED;
    if (!binary && <u32>load<u8>(src) == LF) i = 1;
  }
  while (i < len) {
    const free = ringFree(toNet);
    if (free < 2) break;
    s.flags &= ~FLAG_TX_CR_EXPANDED;
    const run = bytesFind2(src + i, len - i, IAC, special);
    if (run > 0) {
      const n = min<u32>(run, free - 1);
      ringWrite(toNet, src + i, n);
      i += n;
      continue;
    }
    const byte = <u32>load<u8>(src + i);
    i++;
    if (byte == IAC) {
      ringPut2(toNet, IAC, IAC);
    } else if (i < len && <u32>load<u8>(src + i) == LF) {
      // CR in NVT text: a CR LF pair goes as it is...
      ringPut2(toNet, CR, LF);
      i++;
    } else if (crLf) {
      // ...a bare CR as CR LF (reverse telnet, the client roles)...
      ringPut2(toNet, CR, LF);
      s.flags |= FLAG_TX_CR_EXPANDED;
    } else {
      // ...or as CR NUL (RFC 854).
      ringPut2(toNet, CR, NUL);
    }
  }
  return i;
}

/** Events raised since the last call (EV_* bits), cleared. */
export function telnetTakeEvents(h: u32): u32 {
  if (!validHandle(h)) return 0;
  const s = stateOf(h);
  const events = s.events;
  s.events = 0;
  return events;
}

/**
 * Asks to turn an option on or off (RFC 1143 "we decide to ..."): `him` selects DO/DONT (the peer's
 * side) rather than WILL/WONT (ours). Returns false for an option the engine does not know.
 */
export function telnetRequest(h: u32, code: u32, him: bool, enable: bool, toNet: Ring): bool {
  const state = openState(h);
  const slot = optSlot(code);
  if (state == 0 || slot == OPT_UNKNOWN || ringFree(toNet) < 3) return false;
  qRequest(changetype<TelnetState>(state), slot, him, enable, toNet);
  return true;
}

/** True when option `code` is in effect: on the peer's side (`him`) or ours. */
export function telnetOptionOn(h: u32, code: u32, him: bool): bool {
  const slot = optSlot(code);
  if (!telnetIsOpen(h) || slot == OPT_UNKNOWN) return false;
  return optionOn(stateOf(h), slot, him);
}

/** Client: the server echoes, so the terminal must not echo locally. Server: the peer echoes. */
export function telnetRemoteEcho(h: u32): bool {
  const s = stateOrBlank(h);
  return s.inUse != 0 && optionOn(s, OPT_ECHO, true);
}

/** Server: we agreed to echo (the exec or the line's device echoes what the client types). */
export function telnetWeEcho(h: u32): bool {
  const s = stateOrBlank(h);
  return s.inUse != 0 && optionOn(s, OPT_ECHO, false);
}

export function telnetBinaryIn(h: u32): bool {
  const s = stateOrBlank(h);
  return s.inUse != 0 && binaryOn(s, true);
}

export function telnetBinaryOut(h: u32): bool {
  const s = stateOrBlank(h);
  return s.inUse != 0 && binaryOn(s, false);
}

/** Client: sets the window size, and sends it (RFC 1073) when NAWS is agreed. */
export function telnetSetWindow(h: u32, cols: u32, rows: u32, toNet: Ring): void {
  const state = openState(h);
  if (state == 0) return;
  const s = changetype<TelnetState>(state);
  const changed = <u32>s.nawsCols != (cols & 0xffff) || <u32>s.nawsRows != (rows & 0xffff);
  s.nawsCols = <u16>cols;
  s.nawsRows = <u16>rows;
  if (changed && optionOn(s, OPT_NAWS, false) && ringFree(toNet) >= 16) sendNaws(s, toNet);
}

/** Client: the terminal type to answer TTYPE SEND with (cut to TELNET_TTYPE_BYTES). */
export function telnetSetTerminalType(h: u32, src: usize, len: u32): void {
  const state = openState(h);
  if (state == 0) return;
  const s = changetype<TelnetState>(state);
  const n = min<u32>(len, <u32>TELNET_TTYPE_BYTES);
  memory.copy(ttypeBuf(s), src, n);
  s.ttypeLen = <u8>n;
}

/** The terminal type (the peer's on a server, ours on a client): address and length. */
export function telnetTerminalTypePtr(h: u32): usize {
  return validHandle(h) ? ttypeBuf(stateOf(h)) : 0;
}

export function telnetTerminalTypeLen(h: u32): u32 {
  return <u32>stateOrBlank(h).ttypeLen;
}

export function telnetWindowCols(h: u32): u32 {
  return <u32>stateOrBlank(h).nawsCols;
}

export function telnetWindowRows(h: u32): u32 {
  return <u32>stateOrBlank(h).nawsRows;
}

export function telnetProtocolErrors(h: u32): u32 {
  return <u32>stateOrBlank(h).protocolErrors;
}

export function telnetSbTruncations(h: u32): u32 {
  return <u32>stateOrBlank(h).sbTruncations;
}

export function telnetSbTruncatedTotal(): u32 {
  return sbTruncatedTotal;
}

export function telnetBadHandleCalls(): u32 {
  return badHandleCalls;
}

// --- RFC 2217 for the line (access-server side) ---

/** True when COM-PORT-OPTION is agreed (either direction) on an access-server role. */
export function telnetComActive(h: u32): bool {
  if (!telnetIsOpen(h)) return false;
  const s = stateOf(h);
  return isComServer(s) && (optionOn(s, OPT_COM_PORT, true) || optionOn(s, OPT_COM_PORT, false));
}

/** Seeds the settings the engine reports and answers with (from the line's configuration). */
export function telnetComSetLine(h: u32, baud: u32, dataBits: u32, parity: u32, stopBits: u32, flow: u32): void {
  if (!telnetIsOpen(h)) return;
  const s = stateOf(h);
  s.comBaud = baud;
  s.comDataSize = <u8>dataBits;
  s.comParity = <u8>parity;
  s.comStopSize = <u8>stopBits;
  s.comFlow = <u8>flow;
}

export function telnetComBaud(h: u32): u32 {
  return stateOrBlank(h).comBaud;
}

export function telnetComDataSize(h: u32): u32 {
  return <u32>stateOrBlank(h).comDataSize;
}

export function telnetComParity(h: u32): u32 {
  return <u32>stateOrBlank(h).comParity;
}

export function telnetComStopSize(h: u32): u32 {
  return <u32>stateOrBlank(h).comStopSize;
}

/** Outbound flow control: CTL_FLOW_NONE, CTL_FLOW_XONXOFF or CTL_FLOW_HARDWARE (1..3, as the HAL). */
export function telnetComFlow(h: u32): u32 {
  return <u32>stateOrBlank(h).comFlow;
}

/** Inbound flow control: CTL_INFLOW_NONE / _XONXOFF / _HARDWARE (14..16). */
export function telnetComFlowIn(h: u32): u32 {
  return <u32>stateOrBlank(h).comFlowIn;
}

/** SIG_BREAK | SIG_DTR | SIG_RTS | SIG_SUSPENDED (state.ts). */
export function telnetComSignals(h: u32): u32 {
  return <u32>stateOrBlank(h).comSignals;
}

/** The last PURGE-DATA request: PURGE_RX, PURGE_TX or PURGE_BOTH. */
export function telnetComPurge(h: u32): u32 {
  return <u32>stateOrBlank(h).comPurge;
}

/** The client sent FLOWCONTROL-SUSPEND: hold line data until it sends RESUME. */
export function telnetComSuspended(h: u32): bool {
  return (stateOrBlank(h).comSignals & SIG_SUSPENDED) != 0;
}

/** Client side: the last NOTIFY-LINESTATE / NOTIFY-MODEMSTATE value from the server. */
export function telnetComPeerModem(h: u32): u32 {
  return <u32>stateOrBlank(h).comPeerModem;
}

export function telnetComPeerLine(h: u32): u32 {
  return <u32>stateOrBlank(h).comPeerLine;
}

/** The line's modem inputs (MODEM_DCD|RI|DSR|CTS) changed: notifies the client per its mask. */
export function telnetComModem(h: u32, state: u32, toNet: Ring): bool {
  if (!telnetComActive(h) || ringFree(toNet) < 16) return false;
  return comNotifyModem(stateOf(h), state, toNet);
}

/** Line conditions (break detected, framing/parity/overrun errors...): notifies per the mask. */
export function telnetComLineState(h: u32, state: u32, toNet: Ring): bool {
  if (!telnetComActive(h) || ringFree(toNet) < 16) return false;
  return comNotifyLine(stateOf(h), state, toNet);
}

/** The SIGNATURE text this server answers with (default "termsrv"). */
export function telnetSetSignature(src: usize, len: u32): void {
  comSetSignature(src, len);
}
