// The IOS-style EXEC of each line: activation, login, the command line, password and confirm
// prompts, long outputs, exec-timeout, and the end of an exec. One step = one input byte or one
// row of output, and a step only starts when the line has room for EXEC_STEP_BYTES_MAX (see
// exec-state.ts), so output never overflows and input waits in the line's ring (flow control).
//
// Texts follow IOS (REFERENCE.md "Messages"): `% Invalid input detected at '^' marker.` under a
// caret, `% Ambiguous command:  "sh"`, `% Incomplete command.`, `Password: `, `% Bad secrets`,
// `User Access Verification`, `% Bad passwords`.
//
// Login protection (IOS `login delay`, `timeout login response`, `login on-failure log`): after a
// wrong line password the line shows no `Password: ` prompt for a delay (1 s, doubling with every
// wrong password in a row on that line up to 30 s; a right one resets it), and what is typed
// meanwhile is discarded, not queued. The delay is kept per line across execs, so hanging up and
// dialling again gains nothing. Each wrong password is logged as IOS's %SEC_LOGIN-4-LOGIN_FAILED.
// A prompt unanswered for the line's `timeout login response` (30 s) ends the exec with
// `% Password:  timeout expired!`, so silent callers cannot hold the vtys.
import { EXEC_STEP_BYTES_MAX, EDIT_LINE_BYTES } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { Writer, putStr, putByte, putU32, writerReset } from "../lib/text";
import { logBegin, logEnd, logText, LOG_NOTICE, LOG_ERROR, LOG_WARNING } from "../lib/log";
import {
  lineAt, lineType, putLineTypeName, lineRelative, LINE_CON, LINE_VTY, LINE_FLAG_NO_EXEC, LINE_FLAG_LOGIN,
  LINE_FLAG_PASSWORD, OWNER_NONE, OWNER_EXEC, lineAutocommandPtr,
} from "../tty/line-table";
import { lineWrite, lineWriteSpace, lineRxCount, lineRxByte, lineRxDrop, lineWake, lineNoteAll, ttyBindExecHooks } from "../tty/lines";
import { vtyPutLoginSource, vtyLoginFailed, vtyQuiet } from "../tty/vty";
import {
  Exec, execAt, editPtr, out, putPrompt, newPrompt, putLineAgain, putInvalidAt, putAmbiguous, execStateInit, EXEC_REPLAY,
  EX_IDLE, EX_READY, EX_OUTPUT, EX_LOGIN, EX_ENABLE, EX_CONFIRM, EX_ASK, AFTER_PROMPT, AFTER_REDISPLAY,
  LOGIN_AT_NONE, LOGIN_AT_DELAY_END, LOGIN_AT_ANSWER_DUE,
} from "./exec-state";
import { MODE_USER, MODE_PRIV, MODE_CONFIG, modeParent, modeIsConfig } from "./modes";
import { parseLine, parseErrorPos, parsedHandler, PARSE_OK, PARSE_EMPTY, PARSE_INVALID, PARSE_AMBIGUOUS } from "./parser";
import { editorByte, historyClear } from "./editor";
import { secretHash } from "./secret";
import { putTpl } from "./template";
import { consoleLogDrain, consoleLogPending } from "./console-log";
import { putHostname, systemDefaults, enableSecretSet, enableSecretSalt, enableSecretHash } from "./system";

/** Steps one line may take per poll (the rest waits for the next poll, due at once). */
// @ts-ignore: decorator
@inline const EXEC_STEPS_PER_POLL: i32 = 512;
/** Wrong passwords before IOS gives up. */
// @ts-ignore: decorator
@inline const PASSWORD_TRIES: u32 = 3;
/** The login delay after the first wrong password in a row (IOS `login delay`'s default, 1 s)... */
// @ts-ignore: decorator
@inline export const LOGIN_DELAY_FIRST_MS_DEFAULT: u64 = 1_000;
/** ...doubled with every further one, up to this. */
// @ts-ignore: decorator
@inline const LOGIN_DELAY_MAX_MS: u64 = 30_000;

/** `login delay <1-10>` (cmd-login.ts). */
let loginDelayFirstMsSetting: u64 = LOGIN_DELAY_FIRST_MS_DEFAULT;
let execEndHookFn: u32 = 0;
let execEmptyLineHookFn: u32 = 0;

export function execBoot(): void {
  execStateInit();
  systemDefaults();
  loginDelayFirstMsSetting = LOGIN_DELAY_FIRST_MS_DEFAULT;
  ttyBindExecHooks(execPoll, execDeadline);
}

/** The session layer's hook for an exec that ended, on any line (it closes the line's outgoing
 * sessions, and a vty's connection). */
export function execBindEndHook(fn: (line: i32) => void): void {
  execEndHookFn = fn.index;
}

/** The session layer's hook for Return on an empty command line (IOS resumes the last session). */
export function execBindEmptyLineHook(fn: (line: i32) => void): void {
  execEmptyLineHookFn = fn.index;
}

/** Prints IOS's greeting on the console at boot. */
export function execBanner(): void {
  putStr(out, "\r\n\r\nPress RETURN to get started!\r\n\r\n\r\n");
  execFlush(0);
}

/** Output cut because one step wrote more than EXEC_STEP_BYTES_MAX (a bug: logged, counted). */
let stepOverflows: u32 = 0;

export function execFlush(x: i32): void {
  if (out.truncated != 0) {
    stepOverflows++;
    if (stepOverflows == 1) logText(LOG_ERROR, "exec: one step wrote more than EXEC_STEP_BYTES_MAX; output was cut");
  }
  if (x != EXEC_REPLAY && out.len > 0) lineWrite(x, out.buf, out.len);
  writerReset(out);
}

/** One poll of line x's exec; true when it is idle (no exec, no input, no log for the console):
 * then the tty layer stops polling it until lineWake or input (lines.ts, work bits). */
function execPoll(line: i32): bool {
  const e = execAt(line);
  for (let i = 0; i < EXEC_STEPS_PER_POLL; i++) {
    if (line == 0 && consoleLogDrain()) break; // log lines first, whole (console-log.ts)
    if (lineWriteSpace(line) < <u32>EXEC_STEP_BYTES_MAX) break;
    // An autocommand that returned hangs up (its own step); one that started a session leaves the
    // line to the session layer.
    if (e.hangup != 0 && e.state == EX_READY && lineAt(line).owner == OWNER_EXEC) {
      execEnd(line);
      execFlush(line);
      continue;
    }
    if (e.state == EX_OUTPUT) {
      generatorStep(line);
      execFlush(line);
      if (e.state == EX_OUTPUT && e.genWaitAtMs != 0) break; // waiting: once per poll
      continue;
    }
    if (e.state == EX_LOGIN && e.loginAt == LOGIN_AT_DELAY_END) {
      // The login delay: what is typed meanwhile is thrown away; then the prompt.
      lineRxDrop(line, lineRxCount(line));
      if (now() < e.loginAtMs) break;
      loginPrompt(line);
      execFlush(line);
      continue;
    }
    if (lineRxCount(line) == 0) break;
    const b = lineRxByte(line, 0);
    lineRxDrop(line, 1);
    execByte(line, b);
    execFlush(line);
  }
  const l = lineAt(line);
  if (e.state == EX_LOGIN && e.loginAt == LOGIN_AT_ANSWER_DUE && now() >= e.loginAtMs) {
    if (lineWriteSpace(line) >= <u32>EXEC_STEP_BYTES_MAX) {
      putStr(out, "\r\n% Password:  timeout expired!\r\n");
      execEnd(line);
      execFlush(line);
    }
    return false;
  }
  if (l.owner == OWNER_EXEC && l.execTimeoutMs != 0 && now() >= l.lastInputAtMs + <u64>l.execTimeoutMs) {
    if (lineWriteSpace(line) >= <u32>EXEC_STEP_BYTES_MAX) {
      execEnd(line);
      execFlush(line);
    }
  }
  return e.state == EX_IDLE && l.owner != OWNER_EXEC && lineRxCount(line) == 0 && (line != 0 || consoleLogPending() == 0);
}

function execDeadline(line: i32): u64 {
  const e = execAt(line);
  const l = lineAt(line);
  const roomy = lineWriteSpace(line) >= <u32>EXEC_STEP_BYTES_MAX;
  if (line == 0 && consoleLogPending() > 0 && lineWriteSpace(0) > 0) return now();
  // A waiting generator is due at its instant (or at an event of another layer, which polls);
  // input typed meanwhile waits in the ring for the prompt.
  let waitAt = NEVER;
  if (roomy && e.state == EX_OUTPUT) {
    if (e.genWaitAtMs == 0) return now();
    waitAt = max<u64>(e.genWaitAtMs, now());
  } else if (roomy && lineRxCount(line) > 0) {
    return now();
  } else if (e.state == EX_LOGIN) {
    // The owed prompt at the end of the login delay (input meanwhile is dropped at once, above);
    // the unanswered prompt at its timeout. Once due, both only wait for output room.
    if (e.loginAt != LOGIN_AT_NONE) waitAt = e.loginAtMs <= now() && !roomy ? NEVER : e.loginAtMs;
  }
  if (l.owner == OWNER_EXEC && l.execTimeoutMs != 0) {
    const at = l.lastInputAtMs + <u64>l.execTimeoutMs;
    // Once due, the timeout only waits for output room (the UART's delivery kicks a poll).
    return min<u64>(waitAt, at <= now() && !roomy ? NEVER : at);
  }
  return waitAt;
}

function execByte(x: i32, byte: u32): void {
  const e = execAt(x);
  let b = byte;
  if (e.lastCr != 0) {
    e.lastCr = 0;
    if (b == 0x0a || b == 0) return; // CR LF and CR NUL are one Return
  }
  if (b == 0x0d) e.lastCr = 1;
  if (b == 0x0a) b = 0x0d; // a lone LF (a Unix pipe) is a Return too
  if (e.state == EX_IDLE) {
    idleByte(x, b);
    return;
  }
  lineNoteAll(); // a key may end a command that changes any line's sessions (termsrv.ts re-reads them)
  lineAt(x).lastInputAtMs = now();
  if (e.state == EX_READY) editorByte(x, b);
  else if (e.state == EX_LOGIN || e.state == EX_ENABLE) passwordByte(x, b);
  else if (e.state == EX_CONFIRM) confirmByte(x, b);
  else if (e.state == EX_ASK) askByte(x, b);
}

function idleByte(x: i32, b: u32): void {
  const l = lineAt(x);
  const t = lineType(x);
  if ((l.flags & LINE_FLAG_NO_EXEC) != 0 || t == LINE_VTY) {
    l.noise++; // nobody reads this line (a vty's exec is started by its telnet session)
    return;
  }
  if (t == LINE_CON && b != 0x0d) return; // the console waits for Return
  putStr(out, "\r\n");
  execStart(x);
}

/**
 * Starts an exec on line x (activation, or a telnet session on a vty). It writes to `out`: a caller
 * outside the exec's own poll (the telnet server) calls execFlush(x) afterwards.
 */
export function execStart(x: i32): void {
  const e = execAt(x);
  const l = lineAt(x);
  lineWake(x);
  lineNoteAll();
  l.owner = OWNER_EXEC;
  l.uses++;
  l.lastInputAtMs = now();
  e.startedAtMs = now();
  e.mode = MODE_USER;
  e.len = 0;
  e.cursor = 0;
  e.escState = 0;
  e.histPos = 0;
  e.hangup = 0;
  e.tries = 0;
  if ((l.flags & LINE_FLAG_LOGIN) != 0) {
    if ((l.flags & LINE_FLAG_PASSWORD) == 0) {
      if (lineType(x) == LINE_VTY) putStr(out, "\r\nPassword required, but none set\r\n");
      else {
        putTpl(out, "% Login disabled on line \x01, until 'password' is set\r\n", <u32>x);
      }
      execEnd(x);
      return;
    }
    putStr(out, "\r\nUser Access Verification\r\n\r\n");
    e.state = EX_LOGIN;
    loginPrompt(x);
    return;
  }
  execEnterReady(x);
}

/** After activation or login: the autocommand, or the prompt. */
function execEnterReady(x: i32): void {
  const e = execAt(x);
  const l = lineAt(x);
  e.state = EX_READY;
  if (l.autocommandLen > 0) {
    memory.copy(editPtr(x), lineAutocommandPtr(x), l.autocommandLen);
    e.len = l.autocommandLen;
    e.cursor = e.len;
    e.hangup = 1; // IOS: the line hangs up when the autocommand returns
    execEnter(x, false);
    return;
  }
  putPrompt(x);
}

/** Ends the exec of line x: back to idle, the console greets again, a vty's session closes. */
export function execEnd(x: i32): void {
  const e = execAt(x);
  const l = lineAt(x);
  memory.fill(editPtr(x), 0, EDIT_LINE_BYTES);
  historyClear(x);
  e.state = EX_IDLE;
  lineNoteAll();
  e.mode = MODE_USER;
  e.len = 0;
  e.cursor = 0;
  e.hangup = 0;
  if (e.loginAt == LOGIN_AT_ANSWER_DUE) e.loginAt = LOGIN_AT_NONE; // a login delay outlives the exec
  l.owner = OWNER_NONE;
  if (execEndHookFn != 0) call_indirect<void>(execEndHookFn, x);
  if (lineType(x) == LINE_VTY) return;
  putStr(out, "\r\n\r\n");
  putHostname(out);
  putStr(out, " ");
  putLineId(out, x);
  putStr(out, " is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
}

/** IOS's name of a line in messages: `con0`, `tty3`, `vty1` (no space). */
function putLineId(w: Writer, x: i32): void {
  putLineTypeName(w, x);
  putU32(w, <u32>lineRelative(x));
}

/** The user pressed Return on a command line (`echo`: the exec prints the line break). */
export function execEnter(x: i32, echo: bool): void {
  const e = execAt(x);
  if (echo) putStr(out, "\r\n");
  const result = runLine(x);
  if (result == PARSE_EMPTY && !modeIsConfig(e.mode) && x != EXEC_REPLAY && execEmptyLineHookFn != 0) {
    call_indirect<void>(execEmptyLineHookFn, x);
  }
  if (result == PARSE_INVALID) putInvalidAt(x, parseErrorPos());
  else if (result == PARSE_AMBIGUOUS) putAmbiguous(x);
  else if (result != PARSE_OK && result != PARSE_EMPTY) {
    putStr(out, "% Incomplete command.\r\n\r\n");
  }
  e.len = 0; // the command is done with its words (a password or question reads a new line)
  e.cursor = 0;
  if (e.state == EX_READY && lineAt(x).owner == OWNER_EXEC && e.hangup == 0) putPrompt(x);
}

/**
 * Parses the edit line of context x and runs its handler. A configuration sub-mode also accepts
 * the commands of its parent (IOS: `hostname r1` typed in config-line works and leaves it).
 */
export function runLine(x: i32): u32 {
  const e = execAt(x);
  let result = parseLine(e.mode, editPtr(x), e.len);
  if (result != PARSE_OK && result != PARSE_EMPTY && modeIsConfig(e.mode) && e.mode != MODE_CONFIG) {
    if (parseLine(MODE_CONFIG, editPtr(x), e.len) == PARSE_OK) {
      e.mode = MODE_CONFIG;
      result = PARSE_OK;
    } else {
      result = parseLine(e.mode, editPtr(x), e.len); // report the sub-mode's own error
    }
  }
  if (result == PARSE_OK) call_indirect<void>(parsedHandler(), x);
  return result;
}

/** Leaves configuration mode (end, Ctrl-Z, exit from config): IOS logs who configured. */
export function execEndConfig(x: i32): void {
  execAt(x).mode = MODE_PRIV;
  if (x == EXEC_REPLAY) return;
  const w = logBegin(LOG_NOTICE);
  putStr(w, "%SYS-5-CONFIG_I: Configured from console by ");
  putLineId(w, x);
  logEnd();
}

/** `exit`: leaves a sub-mode, configuration mode, or the exec. */
export function execExit(x: i32): void {
  const e = execAt(x);
  if (e.mode == MODE_CONFIG) execEndConfig(x);
  else if (modeIsConfig(e.mode)) e.mode = modeParent(e.mode);
  else if (x != EXEC_REPLAY) execEnd(x);
}

// --- long outputs ---

/**
 * Starts a generator: `row(x)` is called once per step while the line has room; each call writes
 * one row into `out` (at most EXEC_STEP_BYTES_MAX - 60 bytes, leaving room for the prompt) and
 * returns false when it has nothing more. e.genRow counts the calls; genA..genD are its own.
 */
export function execStartOutput(x: i32, row: (x: i32) => bool, after: u32 = AFTER_PROMPT): void {
  const e = execAt(x);
  e.genFn = row.index;
  e.genWaitAtMs = 0;
  e.genRow = 0;
  e.genA = 0;
  e.genB = 0;
  e.genC = 0;
  e.genD = 0;
  e.genAfter = after;
  if (x == EXEC_REPLAY) return; // no output at boot
  e.state = EX_OUTPUT;
}

/**
 * Called by a generator's row that has nothing to write yet (it returns true): the exec calls it
 * again at the next poll, not at once, and asks for a poll at `atMs` (NEVER when an event of another
 * layer will bring one: a frame, the stack's own timer). A waiting call does not count in genRow.
 * The row reads what it waits for (ping results, and the line's input for the escape key) itself.
 */
export function execWait(x: i32, atMs: u64): void {
  execAt(x).genWaitAtMs = atMs == 0 ? 1 : atMs;
}

function generatorStep(x: i32): void {
  const e = execAt(x);
  e.genWaitAtMs = 0;
  const more = call_indirect<bool>(e.genFn, x);
  if (more && e.genWaitAtMs != 0) return;
  e.genWaitAtMs = 0;
  e.genRow++;
  if (more) return;
  e.state = EX_READY;
  if (e.hangup != 0) return;
  if (e.genAfter == AFTER_REDISPLAY) putLineAgain(x);
  else newPrompt(x);
}

// --- password prompts ---

/** `enable`: asks for the secret when one is set. */
export function execAskEnable(x: i32): void {
  const e = execAt(x);
  e.tries = 0;
  e.state = EX_ENABLE;
  putStr(out, "Password: ");
}

function passwordByte(x: i32, b: u32): void {
  const e = execAt(x);
  if (b == 0x0d) {
    putStr(out, "\r\n");
    const ok = e.state == EX_ENABLE ? enableSecretMatches(x) : linePasswordMatches(x);
    memory.fill(editPtr(x), 0, EDIT_LINE_BYTES);
    e.len = 0;
    e.cursor = 0;
    if (e.state == EX_LOGIN) loginAnswered(x, ok);
    if (ok) {
      if (e.state == EX_ENABLE) {
        e.mode = MODE_PRIV;
        e.state = EX_READY;
        putPrompt(x);
      } else execEnterReady(x);
      return;
    }
    e.tries++;
    // In a quiet period of login block-for a vty gets no further tries (sessions at the prompt
    // when it began would otherwise go on guessing).
    if (e.tries < PASSWORD_TRIES && !(e.state == EX_LOGIN && lineType(x) == LINE_VTY && vtyQuiet())) {
      if (e.state == EX_LOGIN) loginPrompt(x);
      else putStr(out, "Password: ");
    } else if (e.state == EX_ENABLE) {
      putStr(out, "% Bad secrets\r\n\r\n");
      e.state = EX_READY;
      putPrompt(x);
    } else {
      putStr(out, "% Bad passwords\r\n");
      execEnd(x);
    }
  } else if (b == 0x15) {
    e.len = 0;
  } else {
    typedByte(x, b, false);
  }
}

/** A key of a password or of an answer: Backspace, or a printable character (`echo`: shown). */
function typedByte(x: i32, b: u32, echo: bool): void {
  const e = execAt(x);
  if (b == 0x08 || b == 0x7f) {
    if (e.len == 0) return;
    e.len--;
    if (echo) putStr(out, "\x08 \x08");
  } else if (b >= 0x20 && b < 0x7f && e.len < <u32>EDIT_LINE_BYTES) {
    store<u8>(editPtr(x) + e.len, <u8>b);
    e.len++;
    if (echo) putByte(out, b);
  }
}

// --- login protection (see the top of this file) ---

/** Shows the login `Password: ` prompt now, or owes it until the line's login delay has passed. */
function loginPrompt(x: i32): void {
  const e = execAt(x);
  if (e.loginAt == LOGIN_AT_DELAY_END && now() < e.loginAtMs) return; // owed: execPoll prints it
  putStr(out, "Password: ");
  const ms = lineAt(x).loginResponseMs;
  e.loginAt = ms == 0 ? LOGIN_AT_NONE : LOGIN_AT_ANSWER_DUE;
  e.loginAtMs = now() + <u64>ms;
}

/** The login delay after `fails` wrong passwords in a row: 1 s, 2 s, 4 s ... 30 s (`login delay 1`). */
function loginDelayMs(fails: u32): u64 {
  let ms = loginDelayFirstMsSetting;
  for (let i: u32 = 1; i < fails && ms < LOGIN_DELAY_MAX_MS; i++) ms <<= 1;
  return min<u64>(ms, LOGIN_DELAY_MAX_MS);
}

export function loginSetDelayFirstMs(ms: u64): void {
  loginDelayFirstMsSetting = ms;
}

export function loginDelayFirstMs(): u64 {
  return loginDelayFirstMsSetting;
}

/** A login password was answered: a right one resets the delay, a wrong one lengthens and logs it. */
function loginAnswered(x: i32, ok: bool): void {
  const e = execAt(x);
  e.loginAt = LOGIN_AT_NONE;
  if (ok) {
    e.loginFails = 0;
    return;
  }
  if (e.loginFails < 0xffff) e.loginFails++;
  e.loginFailsTotal++;
  e.loginAt = LOGIN_AT_DELAY_END;
  e.loginAtMs = now() + loginDelayMs(<u32>e.loginFails);
  // IOS: `%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: u] [Source: a.b.c.d] [localport: 23]
  // [Reason: Login Authentication Failed] at 14:43:43 UTC Thu Mar 18 2021`. A line password has no
  // user; a serial line has no source address, so its name stands there; there is no calendar
  // clock (only the time since boot), so the ` at <time>` part is left out.
  const vty = lineType(x) == LINE_VTY;
  const w = logBegin(LOG_WARNING);
  putStr(w, "%SEC_LOGIN-4-LOGIN_FAILED: Login failed ");
  if (vty) vtyPutLoginSource(w, x);
  else {
    putStr(w, "[user: ] [Source: ");
    putLineId(w, x);
  }
  putStr(w, "] [Reason: Login Authentication Failed]");
  logEnd();
  if (vty) vtyLoginFailed(x); // login block-for
}

/** Wrong login passwords on line n: since boot, and in a row now (show login failures). */
export function loginFailsTotal(n: i32): u32 {
  return execAt(n).loginFailsTotal;
}

export function loginFailsInARow(n: i32): u32 {
  return <u32>execAt(n).loginFails;
}

/** What is left of line n's login delay (0: none). */
export function loginDelayLeftMs(n: i32): u64 {
  const e = execAt(n);
  return e.loginAt == LOGIN_AT_DELAY_END && e.loginAtMs > now() ? e.loginAtMs - now() : 0;
}

function enableSecretMatches(x: i32): bool {
  if (!enableSecretSet()) return true;
  return secretHash(enableSecretSalt(), editPtr(x), execAt(x).len) == enableSecretHash();
}

function linePasswordMatches(x: i32): bool {
  const l = lineAt(x);
  return secretHash(l.passwordSalt, editPtr(x), execAt(x).len) == l.passwordHash;
}

// --- confirmations and questions ---

/**
 * Prints `[confirm]` (after the caller's question, if any) and waits for one key: Return or y runs
 * `yes(x)`. `what` (what the command acts on) is kept for it in genB: no generator runs meanwhile.
 */
export function execConfirm(x: i32, yes: (x: i32) => void, what: u32 = 0): void {
  const e = execAt(x);
  putStr(out, "[confirm]");
  e.genB = what;
  e.pending = yes.index;
  e.state = EX_CONFIRM;
}

function confirmByte(x: i32, b: u32): void {
  answered(x, b == 0x0d || b == 0x79 || b == 0x59);
}

/** A confirm or a question was answered: `pending` runs when `yes`, then the prompt (unless it
 * started something else: another question, a session, an output). */
function answered(x: i32, yes: bool): void {
  const e = execAt(x);
  e.state = EX_READY;
  putStr(out, "\r\n");
  if (yes) call_indirect<void>(e.pending, x);
  if (e.state == EX_READY) newPrompt(x);
}

/** Waits for a line answering a question (the caller printed it): `answer(x)` finds it in the edit line. */
export function execAsk(x: i32, answer: (x: i32) => void): void {
  const e = execAt(x);
  e.pending = answer.index;
  e.state = EX_ASK;
  e.len = 0;
  e.cursor = 0;
}

/** Return answers the question, Ctrl-C or Ctrl-Z abandons it. */
function askByte(x: i32, b: u32): void {
  if (b == 0x0d || b == 0x03 || b == 0x1a) answered(x, b == 0x0d);
  else typedByte(x, b, true);
}

/** Is the exec of line x at privilege 15 (privileged or a configuration mode)? */
export function execPrivileged(x: i32): bool {
  return execAt(x).mode != MODE_USER;
}

export function execMode(x: i32): u32 {
  return execAt(x).mode;
}

export function execSetMode(x: i32, mode: u32, a: i32, b: i32): void {
  const e = execAt(x);
  e.mode = mode;
  e.modeA = a;
  e.modeB = b;
}

export function execCtx(x: i32): Exec {
  return execAt(x);
}

/** Called by the editor for Ctrl-Z / Ctrl-C in a configuration mode. */
export function execCtrlZ(x: i32): void {
  if (!modeIsConfig(execAt(x).mode)) return;
  putStr(out, "^Z\r\n");
  execEndConfig(x);
  newPrompt(x);
}
