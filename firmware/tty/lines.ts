// The lines' byte paths: a receive ring per line (UART input, later telnet input on vtys) and a
// transmit ring per UART line drained to the HAL's uart-tx on every poll. All exec output goes
// through lineWrite/lineWriteSpace, so the exec never knows whether a line is a UART or a vty.
//
// Who reads a line's input is the line's owner (line-table.ts): the exec (through the hooks the cli
// binds at boot, so this layer does not import the one above it) or a session: a reverse telnet
// connection bound to a tty, or an outgoing telnet from an exec. Sessions are this layer's too
// (termsrv.ts polls them, not per line), so they are called directly: sessionLineClear (clear
// line), reverseHoldsInput (input kept for a caller), sessionLineInput (a full receive ring moved
// on at once). For them:
//   - lineBindSink(line): a vty's output goes to its telnet connection (vtySinkWrite);
//   - lineInput(line, ptr, len): where a telnet server puts a vty's decoded input.
//
// Work bits, so that a poll costs what there is to do, not the size of the table: bit n of
// `execWork` says line n's exec may have something to do (set where work appears for an idle exec:
// input arrived, lineWake; cleared when the exec's poll reports it idle), bit n of `txWork` that
// line n's transmit ring holds bytes for the UART. Idle lines are neither polled nor asked for a
// deadline. Both are u32 masks: LINE_COUNT <= 32. A third, `events`, is for the session layer: the
// lines where something a session reacts to happened (input arrived or was read, output room,
// modem signals), taken by termsrv.ts with lineTakeEvents.
import { UART_COUNT, LINE_COUNT, UART_RX_RING_BYTES, UART_TX_RING_BYTES } from "../lib/limits";
import { NEVER } from "../lib/clock";
import { Ring, RING_HEADER_BYTES, ringInit, ringWrite, ringDrop, ringAt, ringPeek, ringFree, ringContiguous, ringHeadPtr } from "../lib/ring";
import { halUartTx, halUartConfig } from "../hal/imports";
import { lineAt, lineTableInit, lineIsUart, lineValid, OWNER_SESSION } from "./line-table";
import { sessionLineClear, sessionLineInput } from "./termsrv";
import { reverseHoldsInput } from "./reverse";
import { vtySinkWrite, vtySinkSpace } from "./vty";

const rxRings = memory.data(RING_HEADER_BYTES * LINE_COUNT, 4);
const rxBuffers = memory.data(UART_RX_RING_BYTES * LINE_COUNT);
const txRings = memory.data(RING_HEADER_BYTES * UART_COUNT, 4);
const txBuffers = memory.data(UART_TX_RING_BYTES * UART_COUNT);
/** Lines whose output goes to their vty's connection rather than a UART (bit n for line n). */
let sinks: u32 = 0;

let execPollFn: u32 = 0;
let execDeadlineFn: u32 = 0;

/** Lines whose exec may have work (bit n for line n); every line at boot. */
let execWork: u32 = 0;
/** UART lines whose transmit ring holds bytes (bit n for line n). */
let txWork: u32 = 0;
/** Lines with news for their sessions since lineTakeEvents (bit n for line n). */
let events: u32 = 0;

function lineNote(line: i32): void {
  events |= <u32>1 << <u32>line;
}

/** lineNoteAll calls: the listeners check the lines again when it moves (reverse.ts, vty.ts). */
let changes: u32 = 0;

/**
 * Every line has news: the exec read a key (a command may change any line's settings or
 * sessions), or an exec started or ended (the line's owner changed).
 */
export function lineNoteAll(): void {
  events = <u32>((<u64>1 << <u64>LINE_COUNT) - 1);
  changes++;
}

/** A count that moves whenever a line's owner or settings may have changed through the exec. */
export function lineChanges(): u32 {
  return changes;
}

/** The lines with news since the last call (bit n), and forgets them. */
export function lineTakeEvents(): u32 {
  const e = events;
  events = 0;
  return e;
}

// @ts-ignore: decorator
@inline function rxRing(line: i32): Ring {
  return changetype<Ring>(rxRings + <usize>(line * RING_HEADER_BYTES));
}

// @ts-ignore: decorator
@inline function txRing(line: i32): Ring {
  return changetype<Ring>(txRings + <usize>(line * RING_HEADER_BYTES));
}

export function ttyBoot(): void {
  assert(LINE_COUNT <= 32, "ttyBoot: the work masks hold a bit per line");
  execWork = <u32>((<u64>1 << <u64>LINE_COUNT) - 1);
  txWork = 0;
  sinks = 0;
  lineTableInit();
  for (let n = 0; n < LINE_COUNT; n++) {
    ringInit(rxRing(n), rxBuffers + <usize>(n * UART_RX_RING_BYTES), <u32>UART_RX_RING_BYTES);
  }
  for (let n = 0; n < UART_COUNT; n++) {
    ringInit(txRing(n), txBuffers + <usize>(n * UART_TX_RING_BYTES), <u32>UART_TX_RING_BYTES);
    lineApplyUart(n);
  }
}

/**
 * The exec binds itself here at boot: poll(line) runs a line's exec and returns true when the exec
 * is idle (nothing to do until lineWake or input), deadline(line) gives its next instant.
 */
export function ttyBindExecHooks(poll: (line: i32) => bool, deadline: (line: i32) => u64): void {
  execPollFn = poll.index;
  execDeadlineFn = deadline.index;
}

/** Line n's exec has work again (it started, or a log line waits for the console). */
export function lineWake(line: i32): void {
  execWork |= <u32>1 << <u32>line;
}

/** Drops the session of a line that has one (clear line; it sets the owner back); true when there was one. */
export function lineClearSession(line: i32): bool {
  if (lineAt(line).owner != OWNER_SESSION) return false;
  sessionLineClear(line);
  return true;
}

/**
 * Routes a vty's output to its telnet connection (vty.ts: vtySinkWrite takes what fits and returns
 * how much, vtySinkSpace says how much would fit). lineUnbindSink restores the default (the UART
 * for con/tty/aux, nothing for a vty).
 */
export function lineBindSink(line: i32): void {
  sinks |= <u32>1 << <u32>line;
}

export function lineUnbindSink(line: i32): void {
  sinks &= ~(<u32>1 << <u32>line);
}

/** Drains the UARTs with output, runs the execs with work, and drains again (bounded: a pass per bit). */
export function ttyPoll(): void {
  drainAll();
  if (execPollFn != 0) {
    for (let work = execWork; work != 0; work &= work - 1) {
      const n = <i32>ctz(work);
      // A session's line is its session's (termsrv.ts); its bit waits for the exec to have it back.
      // An idle line's input held for a caller whose handshake is under way is not noise.
      if (lineAt(n).owner == OWNER_SESSION || reverseHoldsInput(n)) continue;
      if (call_indirect<bool>(execPollFn, n)) execWork &= ~(<u32>1 << <u32>n);
    }
  }
  drainAll();
}

export function ttyDeadline(): u64 {
  let next = NEVER;
  if (execDeadlineFn == 0) return next;
  for (let work = execWork; work != 0; work &= work - 1) {
    const n = <i32>ctz(work);
    if (lineAt(n).owner == OWNER_SESSION || reverseHoldsInput(n)) continue;
    const at = call_indirect<u64>(execDeadlineFn, n);
    if (at < next) next = at;
  }
  return next;
}

function drainAll(): void {
  for (let work = txWork; work != 0; work &= work - 1) uartDrain(<i32>ctz(work));
}

/** The HAL's serial export: bytes from UART `line`; accepts only what fits (flow control). */
export function ttyUartInput(line: u32, ptr: usize, len: u32): u32 {
  if (line >= <u32>UART_COUNT) return len; // no such UART: nothing to hold back for, dropped
  const n = <i32>line;
  execWork |= <u32>1 << line; // as lineInput: the exec reads it, or its session's pump does
  lineNote(n);
  let taken = ringWrite(rxRing(n), ptr, len);
  // A line in a session: its pump (the work the next poll would do anyway) moves the full ring on
  // to TCP now, so one call takes what TCP has room for, not one ring (bounded, stops when stuck).
  for (let i = 0; i < 8 && taken < len && lineAt(n).owner == OWNER_SESSION; i++) {
    const before = rxRing(n).count;
    sessionLineInput(n);
    if (rxRing(n).count == before) break;
    taken += ringWrite(rxRing(n), ptr + taken, len - taken);
  }
  if (taken < len) lineAt(n).overruns++;
  return taken;
}

/** Input bytes for any line (UART, or a vty's telnet server); returns how many fit. */
export function lineInput(line: i32, ptr: usize, len: u32): u32 {
  if (!lineValid(line)) return len;
  execWork |= <u32>1 << <u32>line; // the exec reads it, or drops it as noise (a session's line: kept)
  lineNote(line);
  const accepted = ringWrite(rxRing(line), ptr, len);
  if (accepted < len) lineAt(line).overruns++;
  return accepted;
}

export function ttyModem(line: u32, state: u32): void {
  if (line >= <u32>UART_COUNT) return;
  lineAt(<i32>line).modem = state;
  lineNote(<i32>line);
}

// --- input, for the line's owner ---

export function lineRxCount(line: i32): u32 {
  return rxRing(line).count;
}

export function lineRxByte(line: i32, offset: u32): u32 {
  return ringAt(rxRing(line), offset);
}

/** Copies up to `len` received bytes to `dst` without consuming them (at most two memory copies). */
export function lineRxPeek(line: i32, dst: usize, len: u32): u32 {
  return ringPeek(rxRing(line), 0, dst, len);
}

export function lineRxDrop(line: i32, count: u32): void {
  ringDrop(rxRing(line), count);
  lineNote(line); // room for a vty's telnet input
}

/** Room in the line's receive ring (what lineInput would take now). */
export function lineRxSpace(line: i32): u32 {
  return lineValid(line) ? ringFree(rxRing(line)) : 0;
}

// --- output ---

/** Queues output for the line; returns how many bytes it took (never more than lineWriteSpace). */
export function lineWrite(line: i32, ptr: usize, len: u32): u32 {
  if (((sinks >> <u32>line) & 1) != 0) return vtySinkWrite(line, ptr, len);
  if (!lineIsUart(line)) return 0;
  txWork |= <u32>1 << <u32>line;
  return ringWrite(txRing(line), ptr, len);
}

/** Bytes lineWrite would take now. */
export function lineWriteSpace(line: i32): u32 {
  if (((sinks >> <u32>line) & 1) != 0) return vtySinkSpace(line);
  if (!lineIsUart(line)) return 0;
  return ringFree(txRing(line));
}

/** Output queued but not yet taken by the UART. */
export function lineTxPending(line: i32): u32 {
  return lineIsUart(line) ? txRing(line).count : 0;
}

/** Discards queued output (clear line, a new session). */
export function lineTxClear(line: i32): void {
  if (lineIsUart(line)) ringDrop(txRing(line), txRing(line).count);
}

/** Passes the line's speed and framing to the UART (after `speed`, `parity`, ...). */
export function lineApplyUart(line: i32): void {
  if (!lineIsUart(line)) return;
  const l = lineAt(line);
  halUartConfig(<u32>line, l.speed, l.dataBits, l.parity, l.stopBits, l.flow);
}

/** Pushes queued output to the UART now (before a reload throws the RAM away). */
export function lineDrain(line: i32): void {
  if (lineIsUart(line)) uartDrain(line);
}

/** Moves queued output to the UART until it refuses (it kicks a poll when it has room again). */
function uartDrain(line: i32): void {
  const ring = txRing(line);
  for (let i = 0; i < 2 && ring.count > 0; i++) {
    const chunk = ringContiguous(ring);
    const taken = halUartTx(<u32>line, ringHeadPtr(ring), chunk);
    ringDrop(ring, min<u32>(taken, chunk));
    if (taken > 0) lineNote(line); // room for a session's output
    if (taken < chunk) break;
  }
  if (ring.count == 0) txWork &= ~(<u32>1 << <u32>line);
}
