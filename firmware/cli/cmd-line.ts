// Line commands: `line ...` (enters config-line for a range of lines), the line settings, their
// running-config section, show line and show users. Settings live in tty/line-table.ts; a
// config-line exec works on lines modeA..modeB of its context.
import { putStr, putU32, putU32Padded, putBytes, putIp, Writer } from "../lib/text";
import { putPick, putTpl } from "./template";
import { now } from "../lib/clock";
import {
  LINE_COUNT, AUTOCOMMAND_BYTES_MAX, MESSAGE_SLOT_COUNT, MESSAGE_SLOT_BYTES, MESSAGE_LINES_MAX, BUSY_MESSAGE_COUNT,
} from "../lib/limits";
import {
  Line, lineAt, lineType, lineRelative, lineAbsolute, lineSettingsEqual, lineAutocommandPtr,
  putLineName, LINE_CON, LINE_TTY, LINE_AUX, LINE_VTY, LINE_FLAG_NO_EXEC, LINE_FLAG_LOGIN, LINE_FLAG_PASSWORD,
  TRANSPORT_ALL, TRANSPORT_SSH, ESCAPE_NONE, ESCAPE_DEFAULT, EXEC_TIMEOUT_DEFAULT_MS, LOGIN_RESPONSE_DEFAULT_MS,
  OWNER_NONE, OWNER_SESSION, OWNER_EXEC,
} from "../tty/line-table";
import { lineApplyUart, lineClearSession } from "../tty/lines";
import { lineMessagesSweep } from "../tty/line-table";
import {
  messageValid, messagePtr, messageLen, messageEditStart, messageEditByte, messageEditOverflow,
  messageEditCommit, messageEditStore, busyMessageSet, busyMessageFor, busyEntryIp, busyEntrySlot,
} from "../tty/message-pool";
import { lineSession, sessionAt, SK_VTY } from "../tty/session";
import { clientCurrent } from "../tty/client";
import { vtyWindowCols, vtyWindowRows } from "../tty/vty";
import { execAt, editPtr, out, say, sayTpl, sayU32, sayByte, sayPad, EXEC_REPLAY } from "./exec-state";
import { execSetMode, execStartOutput, execConfirm, execEnd, execFlush, execAsk } from "./exec";
import { MODE_LINE } from "./modes";
import { argNegated, argGiven, argU32, argPtr, argLen, argIp, parsedTag } from "./parser";
import { secretHash, secretSalt, putSecret, parseSecret, parsedSecretSalt, parsedSecretHash } from "./secret";

// Tags of `line` entries: which kind of number the command gave.
// @ts-ignore: decorator
@inline export const LINE_ABSOLUTE: u32 = 9;

/** line <first> [<last>] (absolute, tag LINE_ABSOLUTE) / line con|tty|aux|vty <first> [<last>] (tag = type). */
export function cmdLine(x: i32): void {
  const tag = parsedTag();
  let first: i32;
  let last: i32;
  if (tag == LINE_ABSOLUTE) {
    first = <i32>argU32(1);
    last = argGiven(2) ? <i32>argU32(2) : first;
  } else {
    first = lineAbsolute(tag, <i32>argU32(2));
    last = argGiven(3) ? lineAbsolute(tag, <i32>argU32(3)) : first;
  }
  if (first < 0 || last < 0 || first >= LINE_COUNT || last >= LINE_COUNT || last < first) {
    say("%Invalid line range\r\n");
    return;
  }
  execSetMode(x, MODE_LINE, first, last);
}

/** Lines the config-line exec x works on. */
function firstLine(x: i32): i32 {
  return execAt(x).modeA;
}
function lastLine(x: i32): i32 {
  return execAt(x).modeB;
}

export function cmdExecTimeout(x: i32): void {
  let ms: u32 = EXEC_TIMEOUT_DEFAULT_MS;
  if (!argNegated()) ms = (argU32(1) * 60 + (argGiven(2) ? argU32(2) : 0)) * 1000;
  setLines(x, offsetof<Line>("execTimeoutMs"), ms);
}

/** Stores `value` in the u32 field at `field` of every line of the range; a UART setting (the
 * Line fields up to `flow`, which come first: line-table.ts) reaches the UART too. */
function setLines(x: i32, field: usize, value: u32): void {
  for (let n = firstLine(x); n <= lastLine(x); n++) {
    store<u32>(changetype<usize>(lineAt(n)) + field, value);
    if (field <= offsetof<Line>("flow")) lineApplyUart(n);
  }
}

function setFlag(x: i32, flag: u32, on: bool): void {
  for (let n = firstLine(x); n <= lastLine(x); n++) {
    const l = lineAt(n);
    l.flags = on ? l.flags | flag : l.flags & ~flag;
  }
}

/** exec / no exec. */
export function cmdExec(x: i32): void {
  setFlag(x, LINE_FLAG_NO_EXEC, argNegated());
}

export function cmdLogin(x: i32): void {
  setFlag(x, LINE_FLAG_LOGIN, !argNegated());
}

/** password WORD (tag 0) / password 5 HASHED (tag 5) / no password. */
export function cmdPassword(x: i32): void {
  let salt: u32 = 0;
  let hash: u64 = 0;
  if (!argNegated()) {
    if (parsedTag() == 5) {
      if (!parseSecret(argPtr(2), argLen(2))) {
        say("ERROR: The secret you entered is not a valid encrypted secret.\r\n");
        return;
      }
      salt = parsedSecretSalt();
      hash = parsedSecretHash();
    } else {
      salt = secretSalt();
      hash = secretHash(salt, argPtr(1), argLen(1));
    }
  }
  for (let n = firstLine(x); n <= lastLine(x); n++) {
    const l = lineAt(n);
    l.passwordSalt = salt;
    l.passwordHash = hash;
  }
  setFlag(x, LINE_FLAG_PASSWORD, !argNegated());
}

export function cmdAutocommand(x: i32): void {
  const len: u32 = argNegated() ? 0 : argLen(1);
  if (len > <u32>AUTOCOMMAND_BYTES_MAX) {
    say("% Autocommand too long\r\n");
    return;
  }
  for (let n = firstLine(x); n <= lastLine(x); n++) {
    memory.copy(lineAutocommandPtr(n), argPtr(1), len);
    lineAt(n).autocommandLen = len;
  }
}

/** transport input all|none|telnet|ssh (the tag is the TRANSPORT_ bits). */
export function cmdTransportInput(x: i32): void {
  const bits = argNegated() ? 0 : parsedTag();
  for (let n = firstLine(x); n <= lastLine(x); n++) {
    lineAt(n).transportInput = argNegated() ? defaultTransport(n) : bits;
  }
}

function defaultTransport(n: i32): u32 {
  return lineType(n) == LINE_VTY ? TRANSPORT_ALL : 0;
}

/** escape-character <0-255> (tag 0) / default (tag 1) / none (tag 2) / no escape-character. */
export function cmdEscape(x: i32): void {
  const tag = parsedTag();
  let c: u32 = ESCAPE_DEFAULT;
  if (!argNegated()) c = tag == 0 ? argU32(1) : tag == 2 ? ESCAPE_NONE : ESCAPE_DEFAULT;
  setLines(x, offsetof<Line>("escapeChar"), c);
}

// --- refuse-message d TEXT d ---
// IOS's delimited text: the first character after the command is the delimiter ("^C", caret and
// C, counts as one, as IOS prints it); the text runs to the next delimiter, across lines if need
// be ("Enter TEXT message.  End with the character '#'."), and what follows it is ignored. The
// text is gathered in the pool's edit buffer (one at a time: `textOwner`), then stored in a pool
// slot shared by every line with the same text. show running-config prints the delimiter as ^C.

/** Longest line of a message, so every running-config row replays (EDIT_LINE_BYTES). */
// @ts-ignore: decorator
@inline const MESSAGE_LINE_BYTES_MAX: u32 = 80;

/** The exec gathering a message into the edit buffer (-1: none). */
let textOwner: i32 = -1;
/** What the message is for: the lines of the owner's config-line mode (0), or this address's busy-message. */
let textBusyIp: u32 = 0;
/** Its delimiter: one byte, or 0x5e43 for "^C". */
let textDelim: u32 = 0;
/** Bytes of the current line of the message so far (MESSAGE_LINE_BYTES_MAX). */
let textLineLen: u32 = 0;
let textLines: u32 = 0;
let textTooLong = false;

// @ts-ignore: decorator
@inline const DELIM_CARET_C: u32 = 0x5e43;

export function cmdRefuseMessage(x: i32): void {
  if (argNegated()) {
    for (let n = firstLine(x); n <= lastLine(x); n++) lineAt(n).refuseMessage = -1;
    lineMessagesSweep();
    return;
  }
  textBegin(x, argPtr(1), argLen(1), 0);
}

/**
 * busy-message A.B.C.D d TEXT d / no busy-message A.B.C.D (global). IOS names a host of its host
 * table; this box has none, so the address stands for the host. A telnet to it that fails
 * (refused, timed out, unreachable) shows the text instead of the `% ...` message (tty/client.ts).
 */
export function cmdBusyMessage(x: i32): void {
  const ip = argIp(1);
  if (argNegated()) {
    busyMessageSet(ip, -1);
    lineMessagesSweep();
    return;
  }
  textBegin(x, argPtr(2), argLen(2), ip);
}

function textBegin(x: i32, p: usize, len: u32, busyIp: u32): void {
  textBusyIp = busyIp;
  let skip: u32 = 1;
  textDelim = <u32>load<u8>(p);
  if (len >= 2 && load<u8>(p) == 0x5e && (<u32>load<u8>(p + 1) | 0x20) == 0x63) {
    textDelim = DELIM_CARET_C;
    skip = 2;
  }
  textOwner = x;
  textLineLen = 0;
  textLines = 1;
  textTooLong = false;
  messageEditStart();
  if (!textScan(x, p + skip, len - skip) && x != EXEC_REPLAY) {
    say("Enter TEXT message.  End with the character '");
    if (textDelim == DELIM_CARET_C) say("^C");
    else sayByte(textDelim);
    say("'.\r\n");
  }
}

/** Takes text up to the delimiter; true when it was found (the message is then stored). */
function textScan(x: i32, p: usize, len: u32): bool {
  for (let i: u32 = 0; i < len; i++) {
    const b = <u32>load<u8>(p + i);
    if (textDelim == DELIM_CARET_C ? b == 0x5e && i + 1 < len && (<u32>load<u8>(p + i + 1) | 0x20) == 0x63 : b == textDelim) {
      textEnd(x);
      return true;
    }
    if (b < 0x20 || b > 0x7e) continue; // printable text only
    if (textDelim != DELIM_CARET_C && b == 0x5e && i + 1 < len && load<u8>(p + i + 1) == 0x43) textTooLong = true; // "^C" would end it when replayed
    textLineLen++;
    // The first line shares its running-config row with the command: `busy-message A.B.C.D ^C`
    // takes up to 31 bytes of the EDIT_LINE_BYTES a replayed row may have, ` refuse-message ^C` 18.
    if (textLineLen > (textLines == 1 && textBusyIp != 0 ? MESSAGE_LINE_BYTES_MAX - 13 : MESSAGE_LINE_BYTES_MAX)) textTooLong = true;
    messageEditByte(b);
  }
  execAsk(x, textContinue); // the next line continues the message
  return false;
}

/** The next line of a message being typed (or replayed from the startup-config). */
function textContinue(x: i32): void {
  if (textOwner != x) return; // another line started a message meanwhile: this one is dropped
  messageEditByte(0x0a);
  textLineLen = 0;
  textLines++;
  textScan(x, editPtr(x), execAt(x).len);
}

function textEnd(x: i32): void {
  textOwner = -1;
  if (messageEditOverflow() || textTooLong || textLines > <u32>MESSAGE_LINES_MAX) {
    sayTpl("% Message not set: at most \x01 characters, \x02 lines of \x03, no ^C\r\n", <u32>MESSAGE_SLOT_BYTES, <u32>MESSAGE_LINES_MAX, MESSAGE_LINE_BYTES_MAX);
    return;
  }
  const busy = textBusyIp != 0;
  const a = busy ? LINE_COUNT : firstLine(x); // a busy-message has no lines: an empty range
  const b = busy ? -1 : lastLine(x);
  let slot = messageEditCommit();
  // A full pool may still hold a text only what is being set uses: it is replaced.
  for (let m = 0; m < MESSAGE_SLOT_COUNT && slot < 0; m++) {
    if (messageUsedOnlyBy(m, a, b, textBusyIp)) {
      messageEditStore(m);
      slot = m;
    }
  }
  if (slot < 0) {
    sayTpl("% Message not set: all \x01 message slots are in use (lines with the same text share one)\r\n", <u32>MESSAGE_SLOT_COUNT);
    return;
  }
  if (busy && !busyMessageSet(textBusyIp, slot)) {
    sayTpl("% Message not set: \x01 hosts have a busy-message already\r\n", <u32>BUSY_MESSAGE_COUNT);
  }
  for (let n = a; n <= b; n++) lineAt(n).refuseMessage = slot;
  lineMessagesSweep();
}

/** Is slot m in use by lines a..b and busy-message `ip` (0: none) and nothing else? */
function messageUsedOnlyBy(m: i32, a: i32, b: i32, ip: u32): bool {
  if (!messageValid(m)) return false;
  for (let n = 0; n < LINE_COUNT; n++) {
    if (lineAt(n).refuseMessage == m && (n < a || n > b)) return false;
  }
  for (let i = 0; i < BUSY_MESSAGE_COUNT; i++) {
    if (busyEntryIp(i) != 0 && busyEntrySlot(i) == m && busyEntryIp(i) != ip) return false;
  }
  return true;
}

/** Lines of message m (one running-config row each). */
function messageRows(m: i32): u32 {
  const p = messagePtr(m);
  const len = messageLen(m);
  let rows: u32 = 1;
  for (let i: u32 = 0; i < len; i++) if (load<u8>(p + i) == 0x0a) rows++;
  return rows;
}

/** Row r of ` refuse-message ^C...^C` (or `busy-message A.B.C.D ^C...^C`), split at the text's line breaks. */
function putMessageRow(w: Writer, m: i32, r: u32, busyIp: u32): void {
  const p = messagePtr(m);
  const len = messageLen(m);
  if (r == 0 && busyIp == 0) putStr(w, " refuse-message ^C");
  if (r == 0 && busyIp != 0) {
    putStr(w, "busy-message ");
    putIp(w, busyIp);
    putStr(w, " ^C");
  }
  let row: u32 = 0;
  let start: u32 = 0;
  for (let i: u32 = 0; i <= len; i++) {
    if (i < len && load<u8>(p + i) != 0x0a) continue;
    if (row == r) {
      putBytes(w, p + start, i - start);
      if (i == len) putStr(w, "^C");
      return;
    }
    row++;
    start = i + 1;
  }
}

// --- the number settings ---
// Nine line settings are one number each: the command stores an argument times its unit (or, for
// a named value, the entry's tag) on the lines of the range, `no` stores the default, and the
// running-config prints ` keyword value` when the line's value is not the default. One row each
// (u16s): the Line field, the command word with the number (0: the tag is the value), the default,
// and the unit (ms per unit) or, for a named value, where its names start in putSettingName's list.
// @ts-ignore: decorator
@inline export const SETTING_SPEED: u32 = 0;
// @ts-ignore: decorator
@inline export const SETTING_DATABITS: u32 = 1;
// @ts-ignore: decorator
@inline export const SETTING_PARITY: u32 = 2;
// @ts-ignore: decorator
@inline export const SETTING_STOPBITS: u32 = 3;
// @ts-ignore: decorator
@inline export const SETTING_FLOW: u32 = 4;
// @ts-ignore: decorator
@inline export const SETTING_SESSION_LIMIT: u32 = 5;
// @ts-ignore: decorator
@inline export const SETTING_SESSION_TIMEOUT: u32 = 6;
// @ts-ignore: decorator
@inline export const SETTING_LOGIN_RESPONSE: u32 = 7;
// @ts-ignore: decorator
@inline export const SETTING_ROTARY: u32 = 8;

/** Where the names of parity, stop bits and flow control start in putSettingName's list (the
 * RFC 2217 code is added: parity 1 none .. 5 space; stop bits 1 one, 2 two, 3 one and a half; flow
 * 1 none, 2 software, 3 hardware). */
// @ts-ignore: decorator
@inline const NAMES_PARITY: u32 = 0;
// @ts-ignore: decorator
@inline const NAMES_STOPBITS: u32 = 6;
// @ts-ignore: decorator
@inline const NAMES_FLOW: u32 = 10;
function putSettingName(w: Writer, index: u32): void {
  putPick(w, "|none|odd|even|mark|space||1|2|1.5||none|software|hardware", index);
}

const NUMBER_SETTINGS = memory.data<u16>([
  <u16>offsetof<Line>("speed"), 1, 9600, 1,
  <u16>offsetof<Line>("dataBits"), 1, 8, 1,
  <u16>offsetof<Line>("parity"), 0, 1, <u16>NAMES_PARITY,
  <u16>offsetof<Line>("stopBits"), 0, 1, <u16>NAMES_STOPBITS,
  <u16>offsetof<Line>("flow"), 0, 1, <u16>NAMES_FLOW,
  <u16>offsetof<Line>("sessionLimit"), 1, 0, 1,
  <u16>offsetof<Line>("sessionTimeoutMs"), 1, 0, 60_000,
  <u16>offsetof<Line>("loginResponseMs"), 3, <u16>LOGIN_RESPONSE_DEFAULT_MS, 1000,
  <u16>offsetof<Line>("rotary"), 1, 0, 1,
]);

function settingAt(k: u32): usize {
  return NUMBER_SETTINGS + <usize>(k << 3);
}

/** speed, databits, parity, stopbits, flowcontrol, session-limit, session-timeout, timeout login
 * response, rotary (the lines join rotary group n: ports 3000+n, 5000+n, 7000+n): setting k. */
export function cmdLineNumber(x: i32, k: u32): void {
  const row = settingAt(k);
  const word = <i32>load<u16>(row, 2);
  let value = <u32>load<u16>(row, 4);
  if (!argNegated()) value = word == 0 ? parsedTag() : argU32(word) * <u32>load<u16>(row, 6);
  setLines(x, load<u16>(row), value);
}

/** The running-config row of number setting k (kind k + NUMBER_KIND_FIRST); false at the default. */
function numberRow(l: Line, k: u32, w: Writer, emit: bool): bool {
  const row = settingAt(k);
  const value = load<u32>(changetype<usize>(l) + load<u16>(row));
  if (value == <u32>load<u16>(row, 4)) return false;
  if (emit) {
    putPick(w, " speed | databits | parity | stopbits | flowcontrol | session-limit | session-timeout | timeout login response | rotary ", k);
    const unit = <u32>load<u16>(row, 6);
    if (load<u16>(row, 2) == 0) putSettingName(w, unit + value);
    else putU32(w, value / unit);
  }
  return true;
}

// --- running-config ---

/** Last line of the group that starts at n (consecutive lines of a type with equal settings). */
function groupEnd(n: i32): i32 {
  const t = lineType(n);
  if (t == LINE_CON || t == LINE_AUX) return n;
  let end = n;
  while (end + 1 < LINE_COUNT && lineType(end + 1) == t && lineSettingsEqual(n, end + 1)) end++;
  return end;
}

function putTransportName(w: Writer, bits: u32): void {
  putStr(w, bits == TRANSPORT_ALL ? "all" : bits == 0 ? "none" : bits == TRANSPORT_SSH ? "ssh" : "telnet");
}

/** Setting rows in running-config order; SETTING_COUNT kinds (the last MESSAGE_LINES_MAX are the
 * rows of the refuse-message). */
// @ts-ignore: decorator
@inline const SETTING_KINDS: u32 = 16;
/** Kinds 7..15 are the number settings, in NUMBER_SETTINGS order. */
// @ts-ignore: decorator
@inline const NUMBER_KIND_FIRST: u32 = 7;
// @ts-ignore: decorator
@inline const SETTING_COUNT: u32 = SETTING_KINDS + <u32>MESSAGE_LINES_MAX;

/** Does line n print setting k (and, with `emit`, print it to w)? */
function settingRow(n: i32, k: u32, w: Writer, emit: bool): bool {
  const l = lineAt(n);
  const vty = lineType(n) == LINE_VTY;
  if (k >= NUMBER_KIND_FIRST && k < SETTING_KINDS) return numberRow(l, k - NUMBER_KIND_FIRST, w, emit);
  switch (k) {
    case 0:
      if (l.execTimeoutMs == EXEC_TIMEOUT_DEFAULT_MS) return false;
      if (emit) putTpl(w, " exec-timeout \x01 \x02", l.execTimeoutMs / 60_000, (l.execTimeoutMs % 60_000) / 1000);
      return true;
    case 1:
      if ((l.flags & LINE_FLAG_PASSWORD) == 0) return false;
      if (emit) {
        putStr(w, " password 5 ");
        putSecret(w, l.passwordSalt, l.passwordHash);
      }
      return true;
    case 2:
      if ((l.flags & LINE_FLAG_LOGIN) == 0 && !vty) return false;
      if (emit) putStr(w, (l.flags & LINE_FLAG_LOGIN) != 0 ? " login" : " no login");
      return true;
    case 3:
      if (l.autocommandLen == 0) return false;
      if (emit) {
        putStr(w, " autocommand ");
        putBytes(w, lineAutocommandPtr(n), l.autocommandLen);
      }
      return true;
    case 4:
      if ((l.flags & LINE_FLAG_NO_EXEC) == 0) return false;
      if (emit) putStr(w, " no exec");
      return true;
    case 5:
      if (l.transportInput == defaultTransport(n)) return false;
      if (emit) {
        putStr(w, " transport input ");
        putTransportName(w, l.transportInput);
      }
      return true;
    case 6:
      if (l.escapeChar == ESCAPE_DEFAULT) return false;
      if (emit) {
        putStr(w, " escape-character ");
        if (l.escapeChar == ESCAPE_NONE) putStr(w, "NONE");
        else putU32(w, l.escapeChar);
      }
      return true;
    default: {
      const m = l.refuseMessage;
      if (k < SETTING_KINDS || !messageValid(m) || k - SETTING_KINDS >= messageRows(m)) return false;
      if (emit) putMessageRow(w, m, k - SETTING_KINDS, 0);
      return true;
    }
  }
}

function putGroupHeader(w: Writer, first: i32, last: i32): void {
  const t = lineType(first);
  putStr(w, "line ");
  if (t == LINE_TTY) {
    putU32(w, <u32>first); // IOS prints tty lines by absolute number
  } else {
    putLineName(w, first);
  }
  if (last != first) {
    putTpl(w, " \x01", <u32>(t == LINE_TTY ? last : lineRelative(last)));
  }
}

/** The running-config section of the lines: `line con 0`, `line 1 16`, `line aux 0`, `line vty 0 4`. */
export function lineSection(row: u32, w: Writer): bool {
  let r = row;
  for (let n = 0; n < LINE_COUNT; ) {
    const end = groupEnd(n);
    if (r == 0) {
      putGroupHeader(w, n, end);
      return true;
    }
    r--;
    for (let k: u32 = 0; k < SETTING_COUNT; k++) {
      if (!settingRow(n, k, out, false)) continue;
      if (r == 0) return settingRow(n, k, w, true);
      r--;
    }
    n = end + 1;
  }
  return false;
}

// --- clear line ---

/** clear line <0-22>: `[confirm]`, then ends the line's exec or drops its session. */
export function cmdClearLine(x: i32): void {
  execConfirm(x, clearLineConfirmed, argU32(2));
}

function clearLineConfirmed(x: i32): void {
  const n = <i32>execAt(x).genB;
  const l = lineAt(n);
  if (l.owner == OWNER_EXEC && n != x) {
    execFlush(x); // what x printed so far goes to x; the goodbye goes to n
    execEnd(n);
    execFlush(n);
  } else if (l.owner == OWNER_SESSION) {
    lineClearSession(n);
  }
  say(" [OK]\r\n");
  if (n == x) execEnd(x); // clearing one's own line logs out, as on IOS
}

// --- show line ---

export function cmdShowLine(x: i32): void {
  execStartOutput(x, lineRow);
  const e = execAt(x);
  if (argGiven(2)) {
    e.genA = 1;
    e.genB = argU32(2);
  }
}

function putTyp(w: Writer, n: i32): void {
  const t = lineType(n);
  putStr(w, t == LINE_CON ? "CTY" : t == LINE_TTY ? "TTY" : t == LINE_AUX ? "AUX" : "VTY");
}

function lineTableRow(x: i32, n: i32): void {
  const l = lineAt(n);
  const start = out.len;
  say(l.owner != OWNER_NONE ? "*" : " ");
  putU32Padded(out, <u32>n, 5);
  say(" ");
  putTyp(out, n);
  if (lineType(n) == LINE_TTY || lineType(n) == LINE_AUX) {
    let digits: u32 = 1;
    for (let v = l.speed; v >= 10; v /= 10) digits++;
    while (out.len - start + 2 * digits + 1 < 22) sayByte(0x20); // Tx/Rx ends in column 21
    sayU32(l.speed);
    say("/");
    sayU32(l.speed);
  }
  sayPad(24);
  say("-    -      ");
  if (l.rotary == 0) say("-");
  else sayU32(l.rotary);
  sayPad(41);
  say("-    - ");
  putU32Padded(out, l.uses, 6);
  putU32Padded(out, l.noise, 8);
  putU32Padded(out, l.overruns, 6);
  say("/0       -\r\n");
}

function lineRow(x: i32): bool {
  const e = execAt(x);
  if (e.genRow == 0) {
    say("   Tty Typ     Tx/Rx    A Modem  Roty AccO AccI   Uses   Noise  Overruns   Int\r\n");
    return true;
  }
  if (e.genA == 0) {
    const n = <i32>e.genRow - 1;
    if (n >= LINE_COUNT) return false;
    lineTableRow(x, n);
    return true;
  }
  return lineDetailRow(x, <i32>e.genB, e.genRow - 1);
}

function lineDetailRow(x: i32, n: i32, row: u32): bool {
  const l = lineAt(n);
  if (row == 0) {
    lineTableRow(x, n);
  } else if (row == 1) {
    // A vty's window is the one its caller's client reported (RFC 1073 NAWS); else IOS's 24 x 80.
    const rows = lineType(n) == LINE_VTY ? vtyWindowRows(n) : 0;
    const cols = lineType(n) == LINE_VTY ? vtyWindowCols(n) : 0;
    sayTpl("\r\nLine \x01, Location: \"\", Type: \"\"\r\nLength: \x02 lines, Width: \x03 columns\r\n", <u32>n, rows != 0 ? rows : 24, cols != 0 ? cols : 80);
  } else if (row == 2) {
    sayTpl("Baud rate (TX/RX) is \x01/\x01, ", l.speed);
    if (l.parity == 1) say("no");
    else putSettingName(out, NAMES_PARITY + l.parity);
    say(" parity, ");
    putSettingName(out, NAMES_STOPBITS + l.stopBits);
    sayTpl(" stopbits, \x01 databits\r\n", l.dataBits);
  } else if (row == 3) {
    say("Status: ");
    say(l.owner == OWNER_NONE ? "Ready" : l.owner == OWNER_SESSION ? "Ready, Active, Connected" : "Ready, Active");
    say("\r\nCapabilities: ");
    say((l.flags & LINE_FLAG_NO_EXEC) != 0 ? "EXEC Suppressed" : "none");
    say("\r\nModem state: Ready\r\n");
  } else if (row == 4) {
    say("Special Chars: Escape\r\n               ");
    if (l.escapeChar == ESCAPE_NONE) say("none");
    else if (l.escapeChar < 0x20) {
      say("^");
      sayByte(l.escapeChar + 0x40);
      say("x");
    } else sayByte(l.escapeChar);
    say("\r\nTimeouts:      Idle EXEC    Idle Session\r\n               ");
    if (l.execTimeoutMs == 0) say("never");
    else putDuration(out, <u64>l.execTimeoutMs);
    sayPad(28);
    if (l.sessionTimeoutMs == 0) say("never");
    else putDuration(out, <u64>l.sessionTimeoutMs);
    say("\r\n");
  } else if (row == 5) {
    if (l.sessionLimit == 0) say("Session limit is not set.\r\n");
    else {
      sayTpl("Session limit is \x01 sessions.\r\n", l.sessionLimit);
    }
    say("Allowed input transports are ");
    putTransportName(out, l.transportInput);
    say(".\r\n");
  } else if (row == 6) {
    // Not in IOS: the connections the line lost without an orderly close (the tech note's story).
    sayTpl("Connections lost: \x01 keepalive timeout, \x02 reset by peer, \x03 retransmission timeout.\r\n\r\n", l.lostKeepalive, l.lostReset, l.lostRetransmit);
  } else {
    return false;
  }
  return true;
}

/** hh:mm:ss */
function putDuration(w: Writer, ms: u64): void {
  const s = <u32>(ms / 1000);
  put2(w, s / 3600);
  putStr(w, ":");
  put2(w, (s / 60) % 60);
  putStr(w, ":");
  put2(w, s % 60);
}

function put2(w: Writer, v: u32): void {
  if (v < 10) putStr(w, "0");
  putU32(w, v);
}

// --- show users ---

export function cmdShowUsers(x: i32): void {
  execStartOutput(x, usersRow);
}

function usersRow(x: i32): bool {
  const e = execAt(x);
  if (e.genRow == 0) {
    say("    Line       User       Host(s)              Idle       Location\r\n");
    return true;
  }
  for (let n = <i32>e.genA; n < LINE_COUNT; n++) {
    const l = lineAt(n);
    if (l.owner == OWNER_NONE) continue;
    e.genA = <u32>n + 1;
    say(n == x ? "*" : " ");
    putU32Padded(out, <u32>n, 3);
    say(" ");
    putLineName(out, n);
    sayPad(26);
    const h = lineSession(n);
    const incoming = h >= 0 && sessionAt(h).kind != SK_VTY;
    const out1 = clientCurrent(n);
    if (incoming) say("incoming");
    else if (out1 >= 0) putIp(out, sessionAt(out1).remoteIp);
    else say("idle");
    sayPad(47);
    putDuration(out, now() - (incoming ? sessionAt(h).lastActivityAtMs : l.lastInputAtMs));
    if (h >= 0) {
      say(" ");
      putIp(out, sessionAt(h).remoteIp); // Location: the caller of a vty or a reverse line
    }
    say("\r\n");
    return true;
  }
  say("\r\n");
  return false;
}

/** The running-config rows of the busy-messages (global). */
export function busyMessageSection(row: u32, w: Writer): bool {
  let r = row;
  for (let i = 0; i < BUSY_MESSAGE_COUNT; i++) {
    const ip = busyEntryIp(i);
    const m = busyMessageFor(ip);
    if (ip == 0 || m < 0) continue;
    const rows = messageRows(m);
    if (r < rows) {
      putMessageRow(w, m, r, ip);
      return true;
    }
    r -= rows;
  }
  return false;
}
