// Rows of show output from one string literal each: code units 1..6 in the template stand for the
// decimal values a..f. Every AS string literal costs a header on top of 2 bytes per character, so a
// row of numbers and words written from one template costs far less static memory than from ten.
import { Writer, putByte, putU32 } from "../lib/text";

export function putTpl(w: Writer, tpl: string, a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0, e: u32 = 0, f: u32 = 0): void {
  const p = changetype<usize>(tpl);
  const n = tpl.length;
  for (let i = 0; i < n; i++) {
    const unit = <u32>load<u16>(p + (<usize>i << 1));
    if (unit == 1) putU32(w, a);
    else if (unit == 2) putU32(w, b);
    else if (unit == 3) putU32(w, c);
    else if (unit == 4) putU32(w, d);
    else if (unit == 5) putU32(w, e);
    else if (unit == 6) putU32(w, f);
    else putByte(w, unit < 0x80 ? unit : 0x3f);
  }
}

/** 8 upper-case hex digits (IOS's TCB addresses and masks). */
export function putHex32(w: Writer, v: u32): void {
  for (let s: i32 = 28; s >= 0; s -= 4) {
    const d = (v >>> <u32>s) & 15;
    putByte(w, d < 10 ? 0x30 + d : 0x37 + d);
  }
}
