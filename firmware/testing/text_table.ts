// Test entry: the text table the build makes from string literals (scripts/text-table.js, format in
// lib/text-table.ts). The test reads the table's bytes through these exports and checks them exactly.
import "../hal/abort";
import "../lib/runtime";
import { Writer, writerInit, putStr } from "../lib/text";
import { Text, textLen, textPtr } from "../lib/text-table";
import { putTpl } from "../cli/template";
import { bytesEqualString } from "../lib/bytes";

const writer = changetype<Writer>(memory.data(16, 4));
const out = memory.data(64);

export function outPtr(): usize {
  return out;
}

/** Writes literals (one of them twice, one empty) and a template; returns the bytes written. */
export function writeDemo(): u32 {
  writerInit(writer, out, 64);
  putStr(writer, "Router");
  putStr(writer, "");
  putStr(writer, "> ");
  putStr(writer, "Router");
  putTpl(writer, "\r\n\x01 of \x02|", 7, 42);
  return writer.len;
}

/** The handles of a few literals: "" (the shortest, so the first entry), two equal texts, one longer. */
export function handleEmpty(): Text {
  return "";
}
export function handleRouter(): Text {
  return "Router";
}
export function handleRouterAgain(): Text {
  return "Router";
}
export function handleLonger(): Text {
  return "Building configuration...";
}

/** Where entry `t` starts in memory (its length byte) and its length. */
export function entryAddress(t: Text): usize {
  return textPtr(t) - 1;
}
export function entryLength(t: Text): u32 {
  return textLen(t);
}

/** A printed literal (putStr's argument) whose words are in the dictionary: its entry holds word codes. */
export function writePrinted(): u32 {
  writerInit(writer, out, 64);
  putStr(writer, "Enter configuration commands, one per line.");
  return writer.len;
}
/** The same text in a compared (plain) context: an entry of its own, all ASCII. */
export function plainOfPrinted(): Text {
  return "Enter configuration commands, one per line.";
}

/** bytesEqualString against a literal: 1 when the `len` bytes at `ptr` spell "Router". */
export function isRouter(ptr: usize, len: u32): u32 {
  return bytesEqualString(ptr, len, "Router") ? 1 : 0;
}

/** A template literal is left as an AssemblyScript String (UTF-16, `.length` in code units). */
export function templateLength(): i32 {
  return `template`.length;
}

/** An assert's message is a text of the table, with the place AS's abort would name. */
export function failAssert(): void {
  assert(false, "text table: assert messages stay strings");
}

export function cabi_realloc(_a: usize, _b: usize, _c: usize, _d: usize): usize {
  return out;
}
