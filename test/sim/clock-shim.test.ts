// The f64 shim in front of the firmware's u64 poll/deadline (host-sim/firmware/core.ts): the
// firmware receives exactly the instant given, and deadlines come back as the same numbers the
// BigInt reading gives (NEVER as 2^64, which the core binding turns into Infinity).
import { describe, expect, it } from "vitest";
import { clockShim, NEVER_AS_F64 } from "../../host-sim/firmware/core.ts";
import { NEVER, deadlineToMs } from "../../host-sim/firmware/abi.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";

describe("clock shim", () => {
  it("passes instants and deadlines through unchanged", () => {
    const seed = testSeed("clock shim");
    const prng = new Prng(seed);
    const polled: bigint[] = [];
    let next = 0n;
    const shim = clockShim({ poll: (at: bigint) => void polled.push(at), deadline: () => next });
    const instants = [0, 1, 86_400_000, 2 ** 32, 2 ** 53 - 1];
    for (let i = 0; i < 200; i++) instants.push(prng.u32() * 2 ** 20 + prng.below(2 ** 20));
    for (const at of instants) shim.poll(at);
    expect(polled).toEqual(instants.map((at) => BigInt(at)));
    for (const at of [...instants.map(BigInt), NEVER]) {
      next = BigInt.asIntN(64, at); // an i64 result as the firmware's export returns it
      const got = shim.deadline();
      const expected = deadlineToMs(at);
      expect(got >= NEVER_AS_F64 ? Infinity : got).toBe(expected);
    }
  });
});
