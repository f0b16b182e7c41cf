// Option negotiation by RFC 1143's Q method: for each option slot, our side (us) and the peer's
// side (him) each hold NO, YES, WANTNO or WANTYES plus a queue bit. Read RFC 1143 section 7 first;
// the branches below follow its tables line by line. Unknown options hold no state: they are NO
// for ever, so every WILL is answered DONT and every DO WONT (RFC 854: refuse, never ignore), and
// their WONT/DONT need no answer. No loop is possible: a reply is only sent on a change of state.
import { Ring, ringPut } from "../lib/ring";
import { Text, textLen, textByte } from "../lib/text-table";
import {
  IAC, SB, SE, DO, DONT, WILL, WONT, OPT_UNKNOWN, OPT_TTYPE, OPT_NAWS, EV_OPTIONS, TTYPE_SEND, TTYPE_IS,
  optSlot, optCode, TELOPT_TTYPE, TELOPT_NAWS,
} from "./codes";
import { TelnetState, raise, ttypeBuf } from "./state";
import { optionPolicy, US_ALLOW, HIM_ALLOW, MODE_COM_SERVER, roleModes } from "./policy";

// @ts-ignore: decorator
@inline export const Q_NO: u32 = 0;
// @ts-ignore: decorator
@inline export const Q_YES: u32 = 1;
// @ts-ignore: decorator
@inline export const Q_WANTNO: u32 = 2;
// @ts-ignore: decorator
@inline export const Q_WANTYES: u32 = 3;
/** The queue bit: "OPPOSITE" in RFC 1143's words. */
// @ts-ignore: decorator
@inline export const Q_OPPOSITE: u32 = 4;

/** Unknown options refused since boot (all engines). */
let unknownRefused: u32 = 0;

export function telnetUnknownRefused(): u32 {
  return unknownRefused;
}

// @ts-ignore: decorator
@inline function shiftOf(slot: i32, him: bool): u64 {
  return <u64>(slot * 8 + (him ? 4 : 0));
}

/** State and queue bit of one side of one slot. */
// @ts-ignore: decorator
@inline export function qGet(s: TelnetState, slot: i32, him: bool): u32 {
  return <u32>((s.opts >> shiftOf(slot, him)) & 7);
}

function qSet(s: TelnetState, slot: i32, him: bool, value: u32): void {
  const shift = shiftOf(slot, him);
  s.opts = (s.opts & ~(<u64>7 << shift)) | (<u64>(value & 7) << shift);
}

export function putCommand(out: Ring, verb: u32, code: u32): void {
  ringPut(out, IAC);
  ringPut(out, verb);
  ringPut(out, code);
}

/** One byte of subnegotiation data, IAC doubled (RFC 855). */
export function putSbByte(out: Ring, byte: u32): void {
  if (byte == IAC) ringPut(out, IAC);
  ringPut(out, byte);
}

export function putSbStart(out: Ring, code: u32): void {
  ringPut(out, IAC);
  ringPut(out, SB);
  ringPut(out, code);
}

export function putSbEnd(out: Ring): void {
  ringPut(out, IAC);
  ringPut(out, SE);
}

/** RFC 1073: IAC SB NAWS width(16) height(16) IAC SE. */
export function sendNaws(s: TelnetState, out: Ring): void {
  putSbStart(out, TELOPT_NAWS);
  putSbByte(out, <u32>s.nawsCols >> 8);
  putSbByte(out, <u32>s.nawsCols & 255);
  putSbByte(out, <u32>s.nawsRows >> 8);
  putSbByte(out, <u32>s.nawsRows & 255);
  putSbEnd(out);
}

/** RFC 1091: IAC SB TERMINAL-TYPE IS name IAC SE; "UNKNOWN" (RFC 1091's word) when none is set. */
export function sendTtypeIs(s: TelnetState, out: Ring): void {
  putSbStart(out, TELOPT_TTYPE);
  ringPut(out, TTYPE_IS);
  if (s.ttypeLen == 0) {
    const unknown: Text = "UNKNOWN";
    for (let i: u32 = 0; i < textLen(unknown); i++) ringPut(out, textByte(unknown, i));
  }
  const name = ttypeBuf(s);
  for (let i: u32 = 0; i < <u32>s.ttypeLen; i++) putSbByte(out, <u32>load<u8>(name + i));
  putSbEnd(out);
}

/** What happens when a side of an option settles. */
function settled(s: TelnetState, slot: i32, him: bool, yes: bool, out: Ring): void {
  raise(s, EV_OPTIONS);
  if (!yes) return;
  if (him && slot == OPT_TTYPE) {
    // RFC 1091: once the client WILL TERMINAL-TYPE, the server asks for it.
    putSbStart(out, TELOPT_TTYPE);
    ringPut(out, TTYPE_SEND);
    putSbEnd(out);
  } else if (!him && slot == OPT_NAWS && (s.nawsCols != 0 || s.nawsRows != 0)) {
    // RFC 1073: the client sends its size as soon as NAWS is agreed, and on every change.
    sendNaws(s, out);
  }
}

/** Handles WILL/WONT (him) or DO/DONT (us) for a known slot: RFC 1143 section 7. */
function qReceive(s: TelnetState, slot: i32, him: bool, positive: bool, out: Ring): void {
  const q = qGet(s, slot, him);
  const state = q & 3;
  const queued = (q & Q_OPPOSITE) != 0;
  const code = optCode(slot);
  const yesVerb = him ? DO : WILL;
  const noVerb = him ? DONT : WONT;
  if (positive) {
    if (state == Q_NO) {
      if ((optionPolicy(<u32>s.role, slot) & (him ? HIM_ALLOW : US_ALLOW)) != 0) {
        qSet(s, slot, him, Q_YES);
        putCommand(out, yesVerb, code);
        settled(s, slot, him, true, out);
      } else {
        putCommand(out, noVerb, code);
      }
    } else if (state == Q_WANTNO) {
      // "Error: DONT answered by WILL." The peer broke the rules; settle without answering.
      s.protocolErrors++;
      qSet(s, slot, him, queued ? Q_YES : Q_NO);
      settled(s, slot, him, queued, out);
    } else if (state == Q_WANTYES) {
      if (!queued) {
        qSet(s, slot, him, Q_YES);
        settled(s, slot, him, true, out);
      } else {
        qSet(s, slot, him, Q_WANTNO);
        putCommand(out, noVerb, code);
      }
    } // Q_YES: already enabled, ignore.
  } else {
    if (state == Q_YES) {
      qSet(s, slot, him, Q_NO);
      putCommand(out, noVerb, code);
      settled(s, slot, him, false, out);
    } else if (state == Q_WANTNO) {
      if (!queued) {
        qSet(s, slot, him, Q_NO);
        settled(s, slot, him, false, out);
      } else {
        qSet(s, slot, him, Q_WANTYES);
        putCommand(out, yesVerb, code);
      }
    } else if (state == Q_WANTYES) {
      qSet(s, slot, him, Q_NO);
      settled(s, slot, him, false, out);
    } // Q_NO: already disabled, ignore.
  }
}

/** A complete IAC WILL/WONT/DO/DONT <code> from the peer. */
export function receiveOption(s: TelnetState, verb: u32, code: u32, out: Ring): void {
  const slot = optSlot(code);
  const him = verb == WILL || verb == WONT;
  const positive = verb == WILL || verb == DO;
  if (slot == OPT_UNKNOWN) {
    if (positive) {
      putCommand(out, him ? DONT : WONT, code);
      unknownRefused++;
    }
    return;
  }
  qReceive(s, slot, him, positive, out);
}

/** Asks to enable or disable an option on one side: RFC 1143 section 7, "If we decide to ...". */
export function qRequest(s: TelnetState, slot: i32, him: bool, enable: bool, out: Ring): void {
  const q = qGet(s, slot, him);
  const state = q & 3;
  const queued = (q & Q_OPPOSITE) != 0;
  const code = optCode(slot);
  if (enable) {
    if (state == Q_NO) {
      qSet(s, slot, him, Q_WANTYES);
      putCommand(out, him ? DO : WILL, code);
    } else if (state == Q_WANTNO && !queued) {
      qSet(s, slot, him, Q_WANTNO | Q_OPPOSITE);
    } else if (state == Q_WANTYES && queued) {
      qSet(s, slot, him, Q_WANTYES);
    } // YES, WANTNO queued, WANTYES empty: already on the way.
  } else {
    if (state == Q_YES) {
      qSet(s, slot, him, Q_WANTNO);
      putCommand(out, him ? DONT : WONT, code);
    } else if (state == Q_WANTYES && !queued) {
      qSet(s, slot, him, Q_WANTYES | Q_OPPOSITE);
    } else if (state == Q_WANTNO && queued) {
      qSet(s, slot, him, Q_WANTNO);
    } // NO, WANTYES queued, WANTNO empty: already on the way.
  }
}

/** True when the option is in effect on that side. */
export function optionOn(s: TelnetState, slot: i32, him: bool): bool {
  return (qGet(s, slot, him) & 3) == Q_YES;
}

/** True when this engine is an RFC 2217 access server. */
export function isComServer(s: TelnetState): bool {
  return (roleModes(<u32>s.role) & MODE_COM_SERVER) != 0;
}
