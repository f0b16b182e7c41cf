// AssemblyScript's abort (failed assert, unreachable, out-of-bounds) forwarded to the HAL's panic.
// Wired with `--use abort=firmware/hal/abort/firmwareAbort`; imported for its side effect by main.ts.
import { halPanic } from "./imports";
import { Text, textLen, textByte } from "../lib/text-table";
import { Writer, writerInit, putStr } from "../lib/text";

const PANIC_MESSAGE_MAX: i32 = 160;
const panicText = memory.data(PANIC_MESSAGE_MAX);

/** Copies an ASCII view of `s` (an assert's message or a file name: AS strings, UTF-16) into the
 * panic buffer at `at`; returns the new length. */
function appendAscii(at: i32, s: string | null): i32 {
  if (s === null) return at;
  const str = changetype<string>(s);
  const count = str.length;
  for (let i = 0; i < count && at < PANIC_MESSAGE_MAX; i++) {
    const unit = load<u16>(changetype<usize>(str) + (<usize>i << 1));
    store<u8>(panicText + at, unit < 0x80 ? <u8>unit : <u8>0x3f);
    at++;
  }
  return at;
}

/** Copies a text of this file (text-table.ts) into the panic buffer at `at`. */
function appendText(at: i32, t: Text): i32 {
  for (let i: u32 = 0; i < textLen(t) && at < PANIC_MESSAGE_MAX; i++) {
    store<u8>(panicText + at, <u8>textByte(t, i));
    at++;
  }
  return at;
}

function appendDecimal(at: i32, value: u32): i32 {
  const digits = memory.data(10);
  let count = 0;
  do {
    store<u8>(digits + count, <u8>(0x30 + value % 10));
    value /= 10;
    count++;
  } while (value != 0);
  while (count > 0 && at < PANIC_MESSAGE_MAX) {
    count--;
    store<u8>(panicText + at, load<u8>(digits + count));
    at++;
  }
  return at;
}

export function firmwareAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let at = message !== null ? appendAscii(0, message) : appendText(0, "abort");
  at = appendText(at, " at ");
  at = appendAscii(at, fileName);
  at = appendText(at, ":");
  at = appendDecimal(at, line);
  at = appendText(at, ":");
  at = appendDecimal(at, column);
  halPanic(panicText, at);
  unreachable();
}

const panicWriter = changetype<Writer>(memory.data(16, 4));

/** What the build (scripts/text-table.js) makes of `assert(condition, "message")`: the text is the
 * panic message AS's abort would have built ("message at file:line:column"), one entry of the text
 * table instead of two UTF-16 Strings and a formatting of the line numbers at run time. */
// Inlined, so a holding assert costs a test and no call (stateOf's ran ~100 times per KiB moved).
// @ts-ignore: decorator
@global @inline export function firmwareAssert(ok: bool, text: Text): void {
  if (!ok) assertFailed(text);
}

function assertFailed(text: Text): void {
  const w = writerInit(panicWriter, panicText, <u32>PANIC_MESSAGE_MAX);
  putStr(w, text);
  halPanic(panicText, w.len);
  unreachable();
}
