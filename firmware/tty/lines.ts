// The lines' byte paths: a receive ring per line (UART input, later telnet input on vtys) and a
// transmit ring per UART line drained to the HAL's uart-tx on every poll. All exec output goes
// through lineWrite/lineWriteSpace, so the exec never knows whether a line is a UART or a vty.
//
// Who reads a line's input is the line's owner (line-table.ts): the exec (through the hooks the cli
// binds at boot, so this layer does not import the one above it) or, later, a session: a reverse
// telnet connection bound to a tty, or an outgoing telnet from an exec. Hooks for that layer:
//   - ttyBindSessionHooks(clear): drops the session of a line (clear line); sessions are polled by
//     their own layer (termsrv.ts), not per line;
//   - lineBindSink(line, write, space): where a vty's output goes (its telnet connection);
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

const rxRings = memory.data(RING_HEADER_BYTES * LINE_COUNT, 4);
const rxBuffers = memory.data(UART_RX_RING_BYTES * LINE_COUNT);
const txRings = memory.data(RING_HEADER_BYTES * UART_COUNT, 4);
const txBuffers = memory.data(UART_TX_RING_BYTES * UART_COUNT);
/** Per line: function-table indexes of a sink's write(line, ptr, len): u32 and space(line): u32 (0 = none). */
const sinkTable = memory.data(8 * LINE_COUNT, 4);

let execPollFn: u32 = 0;
let execDeadlineFn: u32 = 0;
let sessionClearFn: u32 = 0;
let holdFn: u32 = 0;
let inputFn: u32 = 0;

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

function rxRing(line: i32): Ring {
  return changetype<Ring>(rxRings + <usize>(line * RING_HEADER_BYTES));
}

function txRing(line: i32): Ring {
  return changetype<Ring>(txRings + <usize>(line * RING_HEADER_BYTES));
}

export function ttyBoot(): void {
  assert(LINE_COUNT <= 32, "ttyBoot: the work masks hold a bit per line");
  execWork = <u32>((<u64>1 << <u64>LINE_COUNT) - 1);
  txWork = 0;
  lineTableInit();
  for (let n = 0; n < LINE_COUNT; n++) {
    ringInit(rxRing(n), rxBuffers + <usize>(n * UART_RX_RING_BYTES), <u32>UART_RX_RING_BYTES);
    store<u32>(sinkTable + <usize>(n * 8), 0);
    store<u32>(sinkTable + <usize>(n * 8 + 4), 0);
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

/**
 * The session layer binds itself here: `clear(line)` must drop the line's session at once (exec
 * `clear line`; it sets the owner back).
 */
export function ttyBindSessionHooks(clear: (line: i32) => void): void {
  sessionClearFn = clear.index;
}

/**
 * The session layer binds `held(line)` here: true while an idle line's input must wait for a
 * session about to start (a reverse caller's handshake), so the exec does not read it as noise.
 */
export function ttyBindHoldHook(held: (line: i32) => bool): void {
  holdFn = held.index;
}

/** The session layer's moveOn(line): forwards a session line's received bytes now (ttyUartInput). */
export function ttyBindInputHook(moveOn: (line: i32) => void): void {
  inputFn = moveOn.index;
}

function inputHeld(line: i32): bool {
  return holdFn != 0 && call_indirect<bool>(holdFn, line);
}

/** Drops the session of a line that has one (clear line); true when there was one. */
export function lineClearSession(line: i32): bool {
  if (lineAt(line).owner != OWNER_SESSION || sessionClearFn == 0) return false;
  call_indirect<void>(sessionClearFn, line);
  return true;
}

/**
 * Routes a line's output elsewhere (a vty's telnet connection): `write(line, ptr, len)` takes what
 * fits and returns how much, `space(line)` says how much would fit. lineUnbindSink restores the
 * default (the UART for con/tty/aux, nothing for a vty).
 */
export function lineBindSink(line: i32, write: (line: i32, ptr: usize, len: u32) => u32, space: (line: i32) => u32): void {
  store<u32>(sinkTable + <usize>(line * 8), write.index);
  store<u32>(sinkTable + <usize>(line * 8 + 4), space.index);
}

export function lineUnbindSink(line: i32): void {
  store<u32>(sinkTable + <usize>(line * 8), 0);
  store<u32>(sinkTable + <usize>(line * 8 + 4), 0);
}

/** Drains the UARTs with output, runs the execs with work, and drains again (bounded: a pass per bit). */
export function ttyPoll(): void {
  drainAll();
  if (execPollFn != 0) {
    for (let work = execWork; work != 0; work &= work - 1) {
      const n = <i32>ctz(work);
      // A session's line is its session's (termsrv.ts); its bit waits for the exec to have it back.
      if (lineAt(n).owner == OWNER_SESSION || inputHeld(n)) continue;
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
    if (lineAt(n).owner == OWNER_SESSION || inputHeld(n)) continue;
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
  for (let i = 0; i < 8 && taken < len && lineAt(n).owner == OWNER_SESSION && inputFn != 0; i++) {
    const before = rxRing(n).count;
    call_indirect<void>(inputFn, n);
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
  const sink = load<u32>(sinkTable + <usize>(line * 8));
  if (sink != 0) return call_indirect<u32>(sink, line, ptr, len);
  if (!lineIsUart(line)) return 0;
  txWork |= <u32>1 << <u32>line;
  return ringWrite(txRing(line), ptr, len);
}

/** Bytes lineWrite would take now. */
export function lineWriteSpace(line: i32): u32 {
  const space = load<u32>(sinkTable + <usize>(line * 8 + 4));
  if (space != 0) return call_indirect<u32>(space, line);
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
