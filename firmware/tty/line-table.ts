// The line table: one fixed record per line, in IOS's absolute numbering, holding the line's
// settings (what `line ...` configures and show running-config prints) and its state (who owns
// the line now, counters). Lines are reached by number, never by reference.
//
// Absolute numbers (REFERENCE.md "Lines and ports"): con 0 is line 0, tty 1..TTY_COUNT are lines
// 1..TTY_COUNT, aux 0 is line TTY_COUNT+1, vty 0..VTY_COUNT-1 follow. `line tty 5` is relative,
// `line 5` absolute; show commands print absolute numbers.
//
// Adding a setting: a field here, its default in lineDefaults, a command in cli/cmd-line.ts (one
// table entry + handler) and its row in the running-config section there. Behaviour that needs
// it (reverse telnet, login, escape handling) reads the field through lineAt(n).
import { TTY_COUNT, UART_COUNT, LINE_COUNT, AUTOCOMMAND_BYTES_MAX, MESSAGE_SLOT_COUNT } from "../lib/limits";
import { Writer, putStr, putU32 } from "../lib/text";
import { messagePoolBoot, messageValid, messageFree, busyMessageUses } from "./message-pool";

// Line types (the Typ column of show line).
// @ts-ignore: decorator
@inline export const LINE_CON: u32 = 0;
// @ts-ignore: decorator
@inline export const LINE_TTY: u32 = 1;
// @ts-ignore: decorator
@inline export const LINE_AUX: u32 = 2;
// @ts-ignore: decorator
@inline export const LINE_VTY: u32 = 3;

// Absolute numbers of the first line of each type.
// @ts-ignore: decorator
@inline export const LINE_AUX_FIRST: i32 = TTY_COUNT + 1;
// @ts-ignore: decorator
@inline export const LINE_VTY_FIRST: i32 = UART_COUNT;

// flags
/** `no exec`: input never starts an EXEC (a reverse-telnet line for a device console). */
// @ts-ignore: decorator
@inline export const LINE_FLAG_NO_EXEC: u32 = 1;
/** `login`: an EXEC asks for the line password first. */
// @ts-ignore: decorator
@inline export const LINE_FLAG_LOGIN: u32 = 2;
/** A line password is set (its salted hash is in passwordSalt/passwordHash). */
// @ts-ignore: decorator
@inline export const LINE_FLAG_PASSWORD: u32 = 4;
/** State, not a setting: the terminal echoes what it types itself (a vty whose telnet client was
 * told WONT ECHO, RFC 857), so the exec must not echo its keystrokes. */
// @ts-ignore: decorator
@inline export const LINE_FLAG_TERMINAL_ECHOES: u32 = 0x100;

// `transport input` bits (0 = none). `all` is every bit.
// @ts-ignore: decorator
@inline export const TRANSPORT_TELNET: u32 = 1;
// @ts-ignore: decorator
@inline export const TRANSPORT_SSH: u32 = 2;
// @ts-ignore: decorator
@inline export const TRANSPORT_ALL: u32 = 0xff;

/** escapeChar when `escape-character NONE`. */
// @ts-ignore: decorator
@inline export const ESCAPE_NONE: u32 = 0x100;
/** IOS's default escape character: Ctrl-^ (shown as ^^ in show line). */
// @ts-ignore: decorator
@inline export const ESCAPE_DEFAULT: u32 = 0x1e;

/** IOS default exec-timeout: 10 minutes. */
// @ts-ignore: decorator
@inline export const EXEC_TIMEOUT_DEFAULT_MS: u32 = 600_000;

/** IOS default `timeout login response`: 30 seconds to answer a login prompt. */
// @ts-ignore: decorator
@inline export const LOGIN_RESPONSE_DEFAULT_MS: u32 = 30_000;

// Who consumes the line's input.
/** Nobody yet: the exec hook waits for an activation (Return on the console). */
// @ts-ignore: decorator
@inline export const OWNER_NONE: u32 = 0;
// @ts-ignore: decorator
@inline export const OWNER_EXEC: u32 = 1;
/** A session (reverse telnet to this tty, or the telnet command) owns the line: `session` is its handle. */
// @ts-ignore: decorator
@inline export const OWNER_SESSION: u32 = 2;

/**
 * One line. Layout is the class's field order (offsetof<Line>() bytes, 8-aligned stride).
 * Settings first (configuration), then state (cleared at boot, never configured).
 */
// @ts-ignore: decorator
@unmanaged export class Line {
  // --- settings ---
  // The UART's five come first, ending with `flow`: cli/cmd-line.ts setLines passes a setting to
  // the UART when its field lies at or before `flow`.
  /** Baud rate, both directions (`speed`). */
  speed: u32;
  /** RFC 2217 codes as in hal.wit: data bits 5..8, parity 1 none 2 odd 3 even 4 mark 5 space. */
  dataBits: u32;
  parity: u32;
  /** 1 one, 2 two, 3 one and a half. */
  stopBits: u32;
  /** 1 none, 2 XON/XOFF (`flowcontrol software`), 3 RTS/CTS (`flowcontrol hardware`). */
  flow: u32;
  /** `exec-timeout m s` in ms; 0 = never. */
  execTimeoutMs: u32;
  flags: u32;
  transportInput: u32;
  escapeChar: u32;
  passwordSalt: u32;
  passwordHash: u64;
  autocommandLen: u32;
  /** `session-limit`: outgoing sessions the line may hold (0 = not set: SESSIONS_PER_LINE_DEFAULT). */
  sessionLimit: u32;
  /** `session-timeout` in ms: a session without traffic this long is closed (0 = never). */
  sessionTimeoutMs: u32;
  /** `timeout login response`: a login prompt unanswered this long ends the exec (0 = never). */
  loginResponseMs: u32;
  /** `refuse-message`: a slot of the message pool (tty/message-pool.ts), -1 for none. */
  refuseMessage: i32;
  /** `rotary n`: the line's rotary group (ports 3000+n, 5000+n, 7000+n reach its first free line), 0 none. */
  rotary: u32;
  // --- state ---
  owner: u32;
  /** Session handle when owner == OWNER_SESSION (the session layer's table index), else -1. */
  session: i32;
  /** Input modem signals (RFC 2217 bits: 0x10 CTS, 0x20 DSR, 0x40 RI, 0x80 DCD). */
  modem: u32;
  /** EXECs and sessions started on the line (show line "Uses"). */
  uses: u32;
  /** Bytes that arrived with nobody to read them (show line "Noise"). */
  noise: u32;
  /** Bytes offered while the receive ring was full (refused, so the host held them back). */
  overruns: u32;
  /** Input bytes for a line that does not exist, or other refused input. */
  dropped: u32;
  /** Connections of the line that died under it, by cause (show line N): keepalive probes
   * unanswered, reset by the peer, retransmissions exhausted. */
  lostKeepalive: u32;
  lostReset: u32;
  lostRetransmit: u32;
  /** Last input consumed by the exec (exec-timeout, show users Idle). */
  lastInputAtMs: u64;
}

// @ts-ignore: decorator
@inline const LINE_STRIDE: usize = (offsetof<Line>() + 7) & ~7;
const lineTable = memory.data(<i32>LINE_STRIDE * LINE_COUNT, 8);
const autocommandTable = memory.data(AUTOCOMMAND_BYTES_MAX * LINE_COUNT);

export function lineAt(n: i32): Line {
  return changetype<Line>(lineTable + <usize>n * LINE_STRIDE);
}

export function lineValid(n: i32): bool {
  return n >= 0 && n < LINE_COUNT;
}

export function lineType(n: i32): u32 {
  if (n == 0) return LINE_CON;
  if (n <= TTY_COUNT) return LINE_TTY;
  if (n == LINE_AUX_FIRST) return LINE_AUX;
  return LINE_VTY;
}

/** The number within its type (tty 3 is 3, vty 0 is line LINE_VTY_FIRST). */
export function lineRelative(n: i32): i32 {
  const t = lineType(n);
  if (t == LINE_TTY) return n;
  if (t == LINE_VTY) return n - LINE_VTY_FIRST;
  return 0;
}

/** Absolute number of `rel` within type `t`, or -1 when out of range. */
export function lineAbsolute(t: u32, rel: i32): i32 {
  if (t == LINE_CON || t == LINE_AUX) return rel == 0 ? (t == LINE_CON ? 0 : LINE_AUX_FIRST) : -1;
  if (t == LINE_TTY) return rel >= 1 && rel <= TTY_COUNT ? rel : -1;
  return rel >= 0 && rel < LINE_COUNT - LINE_VTY_FIRST ? LINE_VTY_FIRST + rel : -1;
}

// @ts-ignore: decorator
@inline export function lineIsUart(n: i32): bool {
  return <u32>n < <u32>UART_COUNT; // negative lines wrap above it
}

/** "con", "tty", "aux", "vty" (lower case, as in `line` commands and show users). */
export function putLineTypeName(w: Writer, n: i32): void {
  const t = lineType(n);
  putStr(w, t == LINE_CON ? "con" : t == LINE_TTY ? "tty" : t == LINE_AUX ? "aux" : "vty");
}

/** "con 0", "tty 3", "vty 1". */
export function putLineName(w: Writer, n: i32): void {
  putLineTypeName(w, n);
  putStr(w, " ");
  putU32(w, <u32>lineRelative(n));
}

export function lineAutocommandPtr(n: i32): usize {
  return autocommandTable + <usize>(n * AUTOCOMMAND_BYTES_MAX);
}

/** Factory settings of line `n` (what a blank startup-config gives). */
export function lineDefaults(n: i32): void {
  const l = lineAt(n);
  l.speed = 9600;
  l.dataBits = 8;
  l.parity = 1;
  l.stopBits = 1;
  l.flow = 1;
  l.execTimeoutMs = EXEC_TIMEOUT_DEFAULT_MS;
  l.flags = lineType(n) == LINE_VTY ? LINE_FLAG_LOGIN : 0;
  l.transportInput = lineType(n) == LINE_VTY ? TRANSPORT_ALL : 0;
  l.escapeChar = ESCAPE_DEFAULT;
  l.passwordSalt = 0;
  l.passwordHash = 0;
  l.autocommandLen = 0;
  l.sessionLimit = 0;
  l.sessionTimeoutMs = 0;
  l.loginResponseMs = LOGIN_RESPONSE_DEFAULT_MS;
  l.refuseMessage = -1;
  l.rotary = 0;
}

/** True when lines a and b have the same settings (running-config prints them as one range). */
export function lineSettingsEqual(a: i32, b: i32): bool {
  const x = lineAt(a);
  const y = lineAt(b);
  if (x.speed != y.speed || x.dataBits != y.dataBits || x.parity != y.parity || x.stopBits != y.stopBits) return false;
  if (x.flow != y.flow || x.execTimeoutMs != y.execTimeoutMs || x.flags != y.flags) return false;
  if (x.transportInput != y.transportInput || x.escapeChar != y.escapeChar) return false;
  if (x.passwordSalt != y.passwordSalt || x.passwordHash != y.passwordHash) return false;
  if (x.autocommandLen != y.autocommandLen) return false;
  if (x.sessionLimit != y.sessionLimit || x.sessionTimeoutMs != y.sessionTimeoutMs) return false;
  if (x.loginResponseMs != y.loginResponseMs) return false;
  if (x.refuseMessage != y.refuseMessage || x.rotary != y.rotary) return false; // equal texts share one slot
  return memory.compare(lineAutocommandPtr(a), lineAutocommandPtr(b), x.autocommandLen) == 0;
}

/** Clears the state part of every record and sets factory settings (boot). */
export function lineTableInit(): void {
  messagePoolBoot();
  for (let n = 0; n < LINE_COUNT; n++) {
    memory.fill(changetype<usize>(lineAt(n)), 0, LINE_STRIDE);
    lineDefaults(n);
    lineAt(n).session = -1;
  }
}

/** Frees the message slots no line (and no busy-message) refers to any more (bounded: slots x lines). */
export function lineMessagesSweep(): void {
  for (let m = 0; m < MESSAGE_SLOT_COUNT; m++) {
    if (!messageValid(m)) continue;
    let used = busyMessageUses(m);
    for (let n = 0; n < LINE_COUNT && !used; n++) used = lineAt(n).refuseMessage == m;
    if (!used) messageFree(m);
  }
}
