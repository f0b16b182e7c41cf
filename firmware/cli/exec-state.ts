// The exec contexts: one per line (index = absolute line number) plus EXEC_REPLAY, which replays
// the startup-config at boot. Each holds the mode, the edit line, the history and the state of a
// long output in progress. Command handlers receive the context index `x`.
//
// Output: handlers and generators write into `out` (one shared Writer of EXEC_STEP_BYTES_MAX);
// the exec flushes it to the line after every step, and only starts a step when the line has room
// for EXEC_STEP_BYTES_MAX, so no step can overflow a ring. Output longer than one step is a
// generator (execStartOutput): a function called once per step while the line has room, each call
// writing one row. That makes all output pull-based: nothing is buffered beyond the line's own ring
// and a slow 9600-baud line simply takes more polls. There is no --More-- paging (terminal length 0).
// A command that waits on time or on the network (ping) is a generator too: a row with nothing to
// write yet calls execWait (exec.ts) and is called again at the next poll instead of at once.
import { EXEC_COUNT, EDIT_LINE_BYTES, HISTORY_BYTES, EXEC_STEP_BYTES_MAX, LINE_COUNT } from "../lib/limits";
import { Writer, putBytes, putStr, putU32, putByte, padTo } from "../lib/text";
import { Text } from "../lib/text-table";
import { putTpl } from "./template";
import { putHostname, hostnameLength } from "./system";
import { putModeSuffix, MODE_USER, MODE_PRIV, MODE_CONFIG, MODE_LINE } from "./modes";

/** The context that replays the startup-config (no line, output discarded, errors logged). */
// @ts-ignore: decorator
@inline export const EXEC_REPLAY: i32 = LINE_COUNT;

// Exec states.
/** No exec: waiting for an activation (Return on the console, any byte on a tty). */
// @ts-ignore: decorator
@inline export const EX_IDLE: u32 = 0;
/** Editing a command line. */
// @ts-ignore: decorator
@inline export const EX_READY: u32 = 1;
/** A generator is writing a long output. */
// @ts-ignore: decorator
@inline export const EX_OUTPUT: u32 = 2;
/** Reading the login password (no echo). */
// @ts-ignore: decorator
@inline export const EX_LOGIN: u32 = 3;
/** Reading the enable secret (no echo). */
// @ts-ignore: decorator
@inline export const EX_ENABLE: u32 = 4;
/** `[confirm]`: one key, Return or y confirms. */
// @ts-ignore: decorator
@inline export const EX_CONFIRM: u32 = 5;
/** A question answered with a line (`Destination filename [startup-config]?`). */
// @ts-ignore: decorator
@inline export const EX_ASK: u32 = 6;

// What Exec.loginAtMs holds.
// @ts-ignore: decorator
@inline export const LOGIN_AT_NONE: u16 = 0;
// @ts-ignore: decorator
@inline export const LOGIN_AT_DELAY_END: u16 = 1;
// @ts-ignore: decorator
@inline export const LOGIN_AT_ANSWER_DUE: u16 = 2;

// What follows a generator.
// @ts-ignore: decorator
@inline export const AFTER_PROMPT: u32 = 0;
/** `?` help: the prompt and the line being typed. */
// @ts-ignore: decorator
@inline export const AFTER_REDISPLAY: u32 = 1;

// @ts-ignore: decorator
@unmanaged export class Exec {
  state: u32;
  mode: u32;
  /** Sub-mode arguments: config-line's first and last line; config-if's interface. */
  modeA: i32;
  modeB: i32;
  /** Edit line: length and cursor. */
  len: u32;
  cursor: u32;
  /** 0 normal, 1 after ESC, 2 inside ESC [ ... */
  escState: u32;
  /** The last byte was CR (the LF or NUL of CR LF / CR NUL is part of the same Return). */
  lastCr: u32;
  histCount: u32;
  histUsed: u32;
  /** 0 = a new line; k = showing the k-th newest history entry. */
  histPos: u32;
  /** Password attempts. */
  tries: u32;
  /** Function-table index of what a confirm or question continues with. */
  pending: u32;
  /** End the exec once the current command completes (autocommand). */
  hangup: u32;
  // The generator in progress (EX_OUTPUT).
  genFn: u32;
  genRow: u32;
  genA: u32;
  genB: u32;
  genC: u32;
  genD: u32;
  genAfter: u32;
  startedAtMs: u64;
  /**
   * A generator that waits for an event (execWait): call it again at the next poll, or at this
   * instant at the latest (NEVER: only events of other layers wake it); 0 when it is not waiting.
   */
  genWaitAtMs: u64;
  // Login protection (exec.ts "login protection"): kept across execs, so a caller who hangs up
  // and dials again finds the line as slow as he left it.
  /** Wrong line passwords in a row on this line (a right one resets it): the login delay's exponent. */
  loginFails: u16;
  /** What loginAtMs is: LOGIN_AT_NONE, LOGIN_AT_DELAY_END or LOGIN_AT_ANSWER_DUE. */
  loginAt: u16;
  /** Wrong line passwords on this line since boot (show login failures). */
  loginFailsTotal: u32;
  /**
   * LOGIN_AT_DELAY_END: no `Password: ` prompt before this instant (the login delay; in EX_LOGIN
   * the prompt is owed and input is discarded until then). LOGIN_AT_ANSWER_DUE: the prompt on
   * screen must be answered by this instant (timeout login response).
   */
  loginAtMs: u64;
}

// @ts-ignore: decorator
@inline const EXEC_STRIDE: usize = (offsetof<Exec>() + 7) & ~7;
/** The writer every command prints into. Declared first and exec-state.ts imported first by main.ts,
 * so it gets one of the lowest addresses: ~340 call sites pass it as a 1-byte i32.const. */
export const out = changetype<Writer>(memory.data(16, 4));

/** `out` is the writer of most output, so it has its own three writers: a call passes one argument
 * less (about 300 call sites, 2 bytes each). */
export function say(t: Text): void {
  putStr(out, t);
}

export function sayU32(value: u32): void {
  putU32(out, value);
}

export function sayByte(byte: u32): void {
  putByte(out, byte);
}

/** Spaces up to column `column` of the row being written (at least one: lib/text.ts padTo). The
 * row starts after the last line feed in `out` (a step writes whole rows), so show rows need not
 * carry where they began. */
export function sayPad(column: u32): void {
  let start = out.len;
  while (start > 0 && load<u8>(out.buf + start - 1) != 0x0a) start--;
  padTo(out, start, column);
}

/** A template (template.ts: bytes 1..6 stand for a..f in decimal) to `out`. */
export function sayTpl(tpl: Text, a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0): void {
  putTpl(out, tpl, a, b, c, d);
}

const execTable = memory.data(<i32>EXEC_STRIDE * EXEC_COUNT, 8);
const editTable = memory.data(EDIT_LINE_BYTES * EXEC_COUNT);
const historyTable = memory.data(HISTORY_BYTES * EXEC_COUNT);

const outBuf = memory.data(EXEC_STEP_BYTES_MAX);
/** The output of the current exec step (see the top of this file). */

export function execAt(x: i32): Exec {
  return changetype<Exec>(execTable + <usize>x * EXEC_STRIDE);
}

export function editPtr(x: i32): usize {
  return editTable + <usize>(x * EDIT_LINE_BYTES);
}

export function historyPtr(x: i32): usize {
  return historyTable + <usize>(x * HISTORY_BYTES);
}

export function execStateInit(): void {
  out.buf = outBuf;
  out.cap = <u32>EXEC_STEP_BYTES_MAX;
  out.len = 0;
  out.truncated = 0;
  for (let x = 0; x < EXEC_COUNT; x++) {
    memory.fill(changetype<usize>(execAt(x)), 0, EXEC_STRIDE);
    memory.fill(editPtr(x), 0, EDIT_LINE_BYTES);
    memory.fill(historyPtr(x), 0, HISTORY_BYTES);
    execAt(x).mode = MODE_USER;
  }
}

export function putPrompt(x: i32): void {
  putHostname(out);
  putModeSuffix(out, execAt(x).mode);
}

/** A new command line: empty, and its prompt. */
export function newPrompt(x: i32): void {
  const e = execAt(x);
  e.len = 0;
  e.cursor = 0;
  putPrompt(x);
}

export function promptLength(x: i32): u32 {
  const mode = execAt(x).mode;
  let suffix: u32 = 12; // (config-if)#
  if (mode == MODE_USER || mode == MODE_PRIV) suffix = 1;
  else if (mode == MODE_CONFIG) suffix = 9;
  else if (mode == MODE_LINE) suffix = 14;
  return hostnameLength() + suffix;
}

/** Writes the edit line's bytes [from, to). */
export function putEdit(x: i32, from: u32, to: u32): void {
  if (to > from) putBytes(out, editPtr(x) + from, to - from);
}

/** The prompt and the line being typed again, the cursor at its end (after `?` help). */
export function putLineAgain(x: i32): void {
  const e = execAt(x);
  putPrompt(x);
  putEdit(x, 0, e.len);
  e.cursor = e.len;
}

/** IOS's caret under the edit line's byte `pos` (where the bad word starts), and the message. */
export function putInvalidAt(x: i32, pos: u32): void {
  for (let i: u32 = 0; i < promptLength(x) + pos; i++) putByte(out, 0x20);
  putStr(out, "^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
}

/** `% Ambiguous command:  "sh"`, the whole line quoted. */
export function putAmbiguous(x: i32): void {
  putStr(out, "% Ambiguous command:  \"");
  putEdit(x, 0, execAt(x).len);
  putStr(out, "\"\r\n");
}
