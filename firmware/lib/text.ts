// Text output without allocation: a Writer appends ASCII from texts (string literals), numbers and
// addresses into a fixed buffer and never writes past its end (it counts what it had to cut).
// Used for exec output, log lines, and the startup-config.
//
// Layout: +0 buf: usize, +4 cap: u32, +8 len: u32, +12 truncated: u32
import { Text, textLen, textPtr, textByte, textWord } from "./text-table";

// @ts-ignore: decorator
@unmanaged export class Writer {
  buf: usize;
  cap: u32;
  len: u32;
  truncated: u32;
}

export function writerInit(w: Writer, buf: usize, cap: u32): Writer {
  w.buf = buf;
  w.cap = cap;
  w.len = 0;
  w.truncated = 0;
  return w;
}

export function writerReset(w: Writer): void {
  w.len = 0;
  w.truncated = 0;
}

export function putByte(w: Writer, byte: u32): void {
  if (w.len < w.cap) {
    store<u8>(w.buf + w.len, <u8>byte);
    w.len++;
  } else {
    w.truncated++;
  }
}

/** Appends a text (a string literal: see text-table.ts), its word codes expanded. */
export function putStr(w: Writer, s: Text): void {
  const p = textPtr(s);
  const n = textLen(s);
  for (let i: u32 = 0; i < n; i++) putTextByte(w, <u32>load<u8>(p + <usize>i));
}

/** One byte of a printed text: ASCII as is, a code as its dictionary entry (0x80 + k: entry k;
 * 0x0e + k: entry 128 + k), whose own text may hold codes too (putStr again; the build bounds the
 * nesting, text-table.js DEPTH_MAX). */
export function putTextByte(w: Writer, byte: u32): void {
  if (byte >= 0x80) putStr(w, textWord(byte - 0x80));
  else if (byte - 0x0e < 0x12) putStr(w, textWord(byte + (128 - 0x0e)));
  else putByte(w, byte);
}

export function putBytes(w: Writer, ptr: usize, len: u32): void {
  const n = min<u32>(len, w.cap - w.len);
  memory.copy(w.buf + w.len, ptr, n);
  w.len += n;
  w.truncated += len - n;
}

/** Unsigned decimal. */
export function putU64(w: Writer, value: u64): void {
  const digits = memory.data(20);
  let count = 0;
  do {
    store<u8>(digits + count, <u8>(0x30 + <u32>(value % 10)));
    value /= 10;
    count++;
  } while (value != 0);
  while (count > 0) {
    count--;
    putByte(w, load<u8>(digits + count));
  }
}

export function putU32(w: Writer, value: u32): void {
  putU64(w, <u64>value);
}

/** Unsigned decimal right-aligned in `width` columns. */
export function putU32Padded(w: Writer, value: u32, width: u32): void {
  let digits: u32 = 1;
  for (let v = value; v >= 10; v /= 10) digits++;
  for (let i = digits; i < width; i++) putByte(w, 0x20);
  putU32(w, value);
}

/** Two lowercase hex digits per byte (MAC addresses and dumps). */
export function putHex8(w: Writer, byte: u32): void {
  const hex: Text = "0123456789abcdef";
  putByte(w, textByte(hex, (byte >> 4) & 15));
  putByte(w, textByte(hex, byte & 15));
}

/** Dotted-quad IPv4 address; `ip` holds the address with the first octet in the top byte. */
export function putIp(w: Writer, ip: u32): void {
  putU32(w, ip >>> 24);
  putByte(w, 0x2e);
  putU32(w, (ip >>> 16) & 255);
  putByte(w, 0x2e);
  putU32(w, (ip >>> 8) & 255);
  putByte(w, 0x2e);
  putU32(w, ip & 255);
}

/** Spaces until the written text reaches column `column` (at least one space when already there). */
export function padTo(w: Writer, lineStart: u32, column: u32): void {
  const at = w.len - lineStart;
  if (at >= column) {
    putByte(w, 0x20);
    return;
  }
  for (let i = at; i < column; i++) putByte(w, 0x20);
}
