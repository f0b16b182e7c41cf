// Fault settings of one link direction. Every probability is an integer ratio [numerator,
// denominator] (TigerBeetle's rule: chance(1, 100), never 0.01), drawn from the link's own forked
// PRNG stream, so a seed reproduces the run and adding a link does not shift the others' draws.
import type { Prng } from "../prng.ts";

export type Ratio = readonly [numerator: number, denominator: number];

export const NEVER: Ratio = [0, 1];

export interface Faults {
  /** Fixed one-way latency. */
  delayMs: number;
  /** Extra latency, uniform in [0, jitterMs]. Order is still kept unless a frame is reordered. */
  jitterMs: number;
  /** A frame is silently dropped. */
  loss: Ratio;
  /** A frame is delivered twice (the copy draws its own delay and corruption). */
  duplicate: Ratio;
  /** A frame is held back by reorderMs and does not hold later frames behind it. */
  reorder: Ratio;
  reorderMs: number;
  /** One byte of the frame is XORed with a random non-zero value (see corrupt.ts for which byte). */
  corrupt: Ratio;
}

export const FAULTS_NONE: Faults = {
  delayMs: 0,
  jitterMs: 0,
  loss: NEVER,
  duplicate: NEVER,
  reorder: NEVER,
  reorderMs: 10,
  corrupt: NEVER,
};

/** Merges overrides onto the defaults and rejects what cannot be drawn exactly. */
export function makeFaults(overrides: Partial<Faults> = {}, base: Faults = FAULTS_NONE): Faults {
  const faults: Faults = { ...base, ...overrides };
  for (const key of ["delayMs", "jitterMs", "reorderMs"] as const) {
    const value = faults[key];
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${key} must be a non-negative integer, not ${value}`);
  }
  for (const key of ["loss", "duplicate", "reorder", "corrupt"] as const) checkRatio(key, faults[key]);
  return faults;
}

function checkRatio(name: string, [numerator, denominator]: Ratio): void {
  const ok = Number.isInteger(numerator) && Number.isInteger(denominator) && denominator > 0 && denominator <= 2 ** 32;
  if (!ok || numerator < 0 || numerator > denominator) {
    throw new RangeError(`${name} must be an integer ratio [n, d] with 0 <= n <= d, not [${numerator}, ${denominator}]`);
  }
}

/**
 * A random, bounded fault profile for swarm tests (TigerBeetle's options_swarm): each fault is on
 * or off by a coin drawn from `prng`, and its ratio and delays are drawn too, so one seed names one
 * profile. Ratios stay gentle enough for TCP to make progress; the liveness phase heals them.
 */
export function swarmFaults(prng: Prng): Faults {
  const maybe = (numerator: number, denominator: number, draw: () => Ratio): Ratio => (prng.chance(numerator, denominator) ? draw() : NEVER);
  return makeFaults({
    delayMs: prng.between(0, 20),
    jitterMs: prng.chance(1, 2) ? prng.between(1, 10) : 0,
    loss: maybe(1, 2, () => [1, prng.between(10, 100)]),
    duplicate: maybe(1, 3, () => [1, prng.between(20, 200)]),
    reorder: maybe(1, 3, () => [1, prng.between(10, 100)]),
    reorderMs: prng.between(1, 50),
    corrupt: maybe(1, 4, () => [1, prng.between(50, 500)]),
  });
}
