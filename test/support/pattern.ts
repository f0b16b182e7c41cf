// A seeded byte pattern with random access: byte i of stream `seed` is a pure function of (seed, i),
// so a sender and a checker (in this process or in a child inside a network namespace) agree on
// every byte without keeping megabytes, and a misplaced, repeated or lost byte shows at its offset.

/** Bytes [offset, offset + length) of the pattern named by `seed`. */
export function pattern(seed: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let word = 0;
  let wordIndex = -1;
  for (let i = 0; i < length; i++) {
    const at = offset + i;
    const index = Math.floor(at / 4);
    if (index !== wordIndex) {
      wordIndex = index;
      word = mix32(seed, index);
    }
    out[i] = (word >>> ((at % 4) * 8)) & 0xff;
  }
  return out;
}

/** A 32-bit mix of (seed, index) (murmur3's finalizer over a Weyl step). */
function mix32(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Checks a stream against a pattern as it arrives, chunk by chunk. */
export class PatternChecker {
  received = 0;
  /** Stream offset of the first byte that differed, -1 while all matched. */
  mismatchAt = -1;

  constructor(readonly seed: number) {}

  take(bytes: Uint8Array): void {
    if (this.mismatchAt < 0) {
      const want = pattern(this.seed, this.received, bytes.length);
      const differs = bytes.findIndex((b, i) => b !== want[i]);
      if (differs >= 0) this.mismatchAt = this.received + differs;
    }
    this.received += bytes.length;
  }
}
