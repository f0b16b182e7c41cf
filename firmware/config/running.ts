// The running-config: CLI text generated from the live state, one row at a time, never stored.
// show running-config, write memory and the byte count all walk the same rows, so what is saved
// is exactly what is shown, and replaying it at boot (startup.ts) rebuilds the same state.
//
// The text is "!", then each section's rows in order, each section that wrote any closed by "!",
// then "end". A section is a function `rows(row, w): bool` that writes its row `row` (no line
// ending) and returns false past its last one; it owns a topic's lines (hostname; enable secret;
// interfaces; services; lines). The lines come last and always write their headers, so their "!"
// is the one before "end". Adding one: configSection(SECTION_xxx, myRows) at boot,
// from the topic's cli file. Sections print only what differs from the defaults, except where IOS
// always prints (hostname, the line headers).
import { CONFIG_SECTION_COUNT_MAX } from "../lib/limits";
import { Writer, writerInit, putStr } from "../lib/text";

// Section order (IOS's order in show running-config).
// @ts-ignore: decorator
@inline export const SECTION_SERVICE: u32 = 10;
// @ts-ignore: decorator
@inline export const SECTION_SYSTEM: u32 = 20;
// @ts-ignore: decorator
@inline export const SECTION_ENABLE: u32 = 22;
/** `login block-for ...` (IOS prints the login settings after the enable secret). */
// @ts-ignore: decorator
@inline export const SECTION_LOGIN: u32 = 25;
/** `ip tcp synwait-time`, `ip tcp keepalive ...` (IOS prints global ip settings before the interfaces). */
// @ts-ignore: decorator
@inline export const SECTION_IP_TCP: u32 = 30;
// @ts-ignore: decorator
@inline export const SECTION_INTERFACE: u32 = 40;
// @ts-ignore: decorator
@inline export const SECTION_IP: u32 = 60;
/** `busy-message` (global, after the ip settings). */
// @ts-ignore: decorator
@inline export const SECTION_MESSAGES: u32 = 70;
// @ts-ignore: decorator
@inline export const SECTION_LINE: u32 = 90;

/** Longest row any section writes (autocommand is the longest today). */
// @ts-ignore: decorator
@inline export const CONFIG_ROW_BYTES_MAX: i32 = 160;
/** Bound on the rows of one configuration (a loop bound, far above what the tables can produce). */
// @ts-ignore: decorator
@inline const CONFIG_ROWS_MAX: u32 = 4096;

/** Per section: order (u32) and the rows function's table index (u32), kept sorted by order. */
const sectionTable = memory.data(8 * CONFIG_SECTION_COUNT_MAX, 4);
let sectionCount: u32 = 0;

const scratchBuf = memory.data(CONFIG_ROW_BYTES_MAX);
const scratch = changetype<Writer>(memory.data(16, 4));

export function runningBoot(): void {
  sectionCount = 0;
  writerInit(scratch, scratchBuf, <u32>CONFIG_ROW_BYTES_MAX);
}

export function configSection(order: u32, rows: (row: u32, w: Writer) => bool): void {
  assert(sectionCount < <u32>CONFIG_SECTION_COUNT_MAX, "configSection: table full (CONFIG_SECTION_COUNT_MAX)");
  let at = sectionCount;
  while (at > 0 && load<u32>(sectionTable + <usize>((at - 1) * 8)) > order) {
    store<u64>(sectionTable + <usize>(at * 8), load<u64>(sectionTable + <usize>((at - 1) * 8)));
    at--;
  }
  store<u32>(sectionTable + <usize>(at * 8), order);
  store<u32>(sectionTable + <usize>(at * 8 + 4), rows.index);
  sectionCount++;
}

/**
 * A position in the running-config: `section` 0 is the opening "!", 1..count the sections,
 * count+1 "end"; `row` counts within a section (its closing "!" comes after its last row).
 */
let cursorSection: u32 = 0;
let cursorRow: u32 = 0;

export function runningSeek(section: u32, row: u32): void {
  cursorSection = section;
  cursorRow = row;
}

export function runningCursorSection(): u32 {
  return cursorSection;
}

export function runningCursorRow(): u32 {
  return cursorRow;
}

/** Writes the next row (without a line ending) and advances; false at the end. */
export function runningNext(w: Writer): bool {
  for (let guard: u32 = 0; guard <= sectionCount + 2; guard++) {
    if (cursorSection == 0) {
      putStr(w, "!");
      cursorSection++;
      return true;
    }
    if (cursorSection == sectionCount + 1) {
      putStr(w, "end");
      cursorSection++;
      return true;
    }
    if (cursorSection > sectionCount + 1) return false;
    const fn = load<u32>(sectionTable + <usize>((cursorSection - 1) * 8 + 4));
    if (call_indirect<bool>(fn, cursorRow, w)) {
      cursorRow++;
      return true;
    }
    const wrote = cursorRow > 0;
    cursorSection++;
    cursorRow = 0;
    if (wrote) {
      putStr(w, "!");
      return true;
    }
  }
  return false;
}

/** Size of the running-config text with "\n" line endings (show running-config's byte count). */
export function runningBytes(): u32 {
  runningSeek(0, 0);
  let total: u32 = 0;
  for (let rows: u32 = 0; rows < CONFIG_ROWS_MAX; rows++) {
    scratch.len = 0;
    if (!runningNext(scratch)) break;
    total += scratch.len + 1;
  }
  return total;
}

/** The scratch writer (one row), for whoever streams rows elsewhere (write memory). */
export function runningScratch(): Writer {
  return scratch;
}

export function runningRowsMax(): u32 {
  return CONFIG_ROWS_MAX;
}
