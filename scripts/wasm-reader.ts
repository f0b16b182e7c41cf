// A cursor over a WebAssembly binary (core spec 5: LEB128 integers, names), shared by everything
// that reads the firmware module: the build's invariant check and header stripping, and the
// benchmark's anatomy of the module.

export class WasmReader {
  constructor(readonly bytes: Uint8Array, public at = 0) {}

  u8(): number {
    const b = this.bytes[this.at++];
    if (b === undefined) throw new Error("truncated module");
    return b;
  }

  /** Unsigned LEB128 (spec 5.2.2), exact up to 2^53. */
  leb(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return value;
      if (shift > 63) throw new Error("LEB128 too long");
    }
  }

  /** Signed LEB128 of an i32 (an i32.const immediate). */
  sleb(): number {
    let value = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      value |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && b & 0x40) value |= -1 << shift;
    return value;
  }

  /** A name: its byte length, then UTF-8. */
  name(): string {
    const length = this.leb();
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
}
