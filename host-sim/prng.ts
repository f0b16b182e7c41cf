// A seeded pseudo-random generator for the simulator: every fault, delay and random input is drawn
// from one of these, so a seed reproduces a run byte for byte (DESIGN.md invariant 6).
// Probabilities are integer ratios (TigerBeetle's rule): chance(1, 5), never 0.2.
// The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded by splitmix32.

function splitmix32(state: number): [value: number, next: number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [(z ^ (z >>> 16)) >>> 0, next];
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private counter = 1;

  constructor(readonly seed: number) {
    let state = seed >>> 0;
    let value: number;
    [value, state] = splitmix32(state);
    this.a = value;
    [value, state] = splitmix32(state);
    this.b = value;
    [value, state] = splitmix32(state);
    this.c = value;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.counter) >>> 0;
    this.counter = (this.counter + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** An integer in [0, bound), bound <= 2^32, without modulo bias. */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 2 ** 32) throw new RangeError(`below(${bound})`);
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const value = this.u32();
      if (value < limit) return value % bound;
    }
  }

  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }

  /** True with probability numerator/denominator. */
  chance(numerator: number, denominator: number): boolean {
    if (numerator <= 0) return false;
    return this.below(denominator) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.below(items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** An independent stream derived from this one, so adding draws in one part of a simulation does
   * not shift every other part's draws. */
  fork(): Prng {
    return new Prng(this.u32());
  }
}

/** The seed for a randomized test: SEED from the environment, or a fresh one; always printed. */
export function testSeed(label: string): number {
  const fromEnv = process.env["SEED"];
  const seed = fromEnv !== undefined ? Number.parseInt(fromEnv, 10) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  console.log(`SEED=${seed} (${label}; rerun with SEED=${seed})`);
  return seed;
}
