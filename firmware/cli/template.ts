// Rows of show output from one string literal each: bytes 1..6 in the template stand for the
// decimal values a..f. A row of numbers and words written from one template costs one text-table
// entry and one call instead of ten.
import { Writer, putByte, putTextByte, putU32 } from "../lib/text";
import { Text, textLen, textPtr } from "../lib/text-table";

/** The values of the template being written, a..f, so a placeholder reads its own by index. @lazy
 * puts it after the eager tables: `out` keeps its low address (exec-state.ts). */
// @ts-ignore: decorator
@lazy const tplValues = memory.data(24, 4);

export function putTpl(w: Writer, tpl: Text, a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0, e: u32 = 0, f: u32 = 0): void {
  store<u32>(tplValues, a);
  store<u32>(tplValues, b, 4);
  store<u32>(tplValues, c, 8);
  store<u32>(tplValues, d, 12);
  store<u32>(tplValues, e, 16);
  store<u32>(tplValues, f, 20);
  const p = textPtr(tpl);
  const n = textLen(tpl);
  for (let i: u32 = 0; i < n; i++) {
    const unit = <u32>load<u8>(p + <usize>i);
    if (unit - 1 < 6) putU32(w, load<u32>(tplValues + <usize>((unit - 1) << 2)));
    else putTextByte(w, unit);
  }
}

/** Segment `index` of a `|`-separated list (the bytes [p, p+n) of a text: help texts, lists of
 * names), written through putTextByte; false when that segment is empty or missing. */
export function putSegment(w: Writer, p: usize, n: u32, index: u32): bool {
  let seg: u32 = 0;
  let wrote = false;
  for (let i: u32 = 0; i < n; i++) {
    const b = <u32>load<u8>(p + <usize>i);
    if (b == 0x7c) seg++;
    else if (seg == index) {
      putTextByte(w, b);
      wrote = true;
    }
  }
  return wrote;
}

/** Name `index` of a list of names such as "none|odd|even". */
export function putPick(w: Writer, list: Text, index: u32): void {
  putSegment(w, textPtr(list), textLen(list), index);
}

/** 8 upper-case hex digits (IOS's TCB addresses and masks). */
export function putHex32(w: Writer, v: u32): void {
  for (let s: i32 = 28; s >= 0; s -= 4) {
    const d = (v >>> <u32>s) & 15;
    putByte(w, d < 10 ? 0x30 + d : 0x37 + d);
  }
}
