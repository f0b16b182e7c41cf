// The link fault model: each fault does what it says, at the configured ratio, and a seed
// reproduces every delivery.
import { describe, expect, it } from "vitest";
import { corruptibleRange } from "../../host-sim/network/corrupt.ts";
import { FAULTS_NONE, makeFaults, swarmFaults } from "../../host-sim/network/faults.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { ETHERTYPE_IPV4, ethernet, ipv4 } from "../support/frames.ts";
import { numberOf, numbered, sendNumbered, twoPorts, type Arrival } from "./wire.ts";

const numbers = (arrivals: Arrival[]) => arrivals.map((a) => numberOf(a.frame));
const range = (count: number) => Array.from({ length: count }, (_, n) => n);

describe("a link without faults", () => {
  it("delivers every frame once, in order, exactly delayMs later", () => {
    const { sim, a, b, link } = twoPorts(1, { faults: { delayMs: 7 } });
    sendNumbered(sim, a.port, 5, 3);
    expect(numbers(b.arrivals)).toEqual([0, 1, 2, 3, 4]);
    expect(b.arrivals.map((x) => x.atMs)).toEqual([7, 10, 13, 16, 19]);
    expect(link.aToB.counters).toEqual({ offered: 5, delivered: 5, lost: 0, cut: 0, duplicated: 0, corrupted: 0, reordered: 0, held: 0 });
    expect(a.arrivals).toEqual([]);
  });

  it("keeps order under jitter unless a frame is picked for reordering", () => {
    const seed = testSeed("jitter keeps order");
    const { sim, a, b } = twoPorts(seed, { faults: { delayMs: 2, jitterMs: 30 } });
    sendNumbered(sim, a.port, 500);
    expect(numbers(b.arrivals)).toEqual(range(500));
    const times = b.arrivals.map((x) => x.atMs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // Jitter did spread the frames: some waited for an earlier frame's later instant.
    expect(new Set(times.map((t, n) => t - n)).size).toBeGreaterThan(10);
  });
});

describe("loss, duplication, reordering", () => {
  it("loses about the configured ratio of frames", () => {
    const seed = testSeed("loss ratio");
    const { sim, a, b, link } = twoPorts(seed, { aToB: { loss: [1, 10] } });
    sendNumbered(sim, a.port, 10_000);
    const { lost, delivered, offered } = link.aToB.counters;
    expect(offered).toBe(10_000);
    expect(lost + delivered).toBe(10_000);
    // Binomial(10000, 0.1): mean 1000, sd 30; this band is more than 5 sd wide each way.
    expect(lost).toBeGreaterThan(840);
    expect(lost).toBeLessThan(1160);
    const arrived = numbers(b.arrivals);
    expect(arrived).toEqual([...arrived].sort((x, y) => x - y));
    expect(arrived.length).toBe(delivered);
  });

  it("duplicates about the configured ratio, each copy right behind its original", () => {
    const seed = testSeed("duplication");
    const { sim, a, b, link } = twoPorts(seed, { faults: { duplicate: [1, 5], delayMs: 1 } });
    sendNumbered(sim, a.port, 5_000);
    const { duplicated, delivered } = link.aToB.counters;
    expect(duplicated).toBeGreaterThan(840); // mean 1000, sd 28
    expect(duplicated).toBeLessThan(1160);
    expect(delivered).toBe(5_000 + duplicated);
    const arrived = numbers(b.arrivals);
    expect([...new Set(arrived)]).toEqual(range(5_000));
    expect(arrived).toEqual([...arrived].sort((x, y) => x - y));
    expect(arrived.length - new Set(arrived).size).toBe(duplicated);
  });

  it("reorders picked frames by reorderMs and delivers every frame exactly once", () => {
    const seed = testSeed("reordering");
    const { sim, a, b, link } = twoPorts(seed, { faults: { reorder: [1, 10], reorderMs: 5 } });
    sendNumbered(sim, a.port, 2_000);
    const { reordered } = link.aToB.counters;
    expect(reordered).toBeGreaterThan(120); // mean 200, sd 13
    expect(reordered).toBeLessThan(280);
    const arrived = numbers(b.arrivals);
    expect([...arrived].sort((x, y) => x - y)).toEqual(range(2_000));
    // Frame n is sent at n ms: it arrives at n ms, or at n + 5 ms when picked, and only then.
    const delays = b.arrivals.map((x) => x.atMs - numberOf(x.frame));
    expect(delays.filter((d) => d === 5).length).toBe(reordered);
    expect(delays.filter((d) => d === 0).length).toBe(2_000 - reordered);
    const onTime = b.arrivals.filter((x) => x.atMs === numberOf(x.frame)).map((x) => numberOf(x.frame));
    expect(onTime).toEqual([...onTime].sort((x, y) => x - y));
    // A late frame is overtaken by the on-time frames sent in the 5 ms after it.
    const late = arrived.filter((n, i) => arrived.slice(0, i).some((m) => m > n));
    expect(late.length).toBeGreaterThan(reordered * 0.9);
    expect(late.length).toBeLessThanOrEqual(reordered);
  });
});

describe("corruption", () => {
  it("leaves frames other than IPv4 whole: only the FCS guards ARP, and it would drop the frame", () => {
    const seed = testSeed("corruption of non-IPv4 frames");
    const { sim, a, b, link } = twoPorts(seed, { faults: { corrupt: [1, 1] } });
    sendNumbered(sim, a.port, 200);
    expect(link.aToB.counters.corrupted).toBe(0);
    expect(b.arrivals.length).toBe(200);
    for (const [n, { frame }] of b.arrivals.entries()) expect(frame).toEqual(numbered(n));
  });

  it("aims at the IPv4 datagram, never at the Ethernet padding no checksum covers", () => {
    const packet = ipv4(1, "192.0.2.1", "192.0.2.2", new Uint8Array(8));
    const padded = new Uint8Array(60);
    padded.set(ethernet(1n, 2n, ETHERTYPE_IPV4, packet));
    expect(corruptibleRange(padded)).toEqual([14, 14 + 28]);
    const seed = testSeed("ipv4 corruption");
    const { sim, a, b } = twoPorts(seed, { faults: { corrupt: [1, 1] } });
    for (let n = 0; n < 300; n++) sim.scheduler.at(n, () => a.port.send(padded));
    sim.runFor(1_000);
    expect(b.arrivals.length).toBe(300);
    for (const { frame } of b.arrivals) {
      const differing = range(60).filter((i) => padded[i] !== frame[i]);
      expect(differing.length).toBe(1);
      expect(differing[0]).toBeGreaterThanOrEqual(14);
      expect(differing[0]).toBeLessThan(42);
    }
  });
});

describe("partition and hold", () => {
  it("partition drops everything, including frames in flight; repair lets frames pass again", () => {
    const { sim, a, b, link } = twoPorts(2, { faults: { delayMs: 10 } });
    a.port.send(numbered(0));
    sim.runFor(5);
    link.partition();
    a.port.send(numbered(1));
    b.port.send(numbered(2));
    sim.runFor(100);
    expect(b.arrivals).toEqual([]);
    expect(a.arrivals).toEqual([]);
    expect(link.aToB.counters.cut).toBe(2);
    expect(link.bToA.counters.cut).toBe(1);
    link.repair();
    a.port.send(numbered(3));
    sim.runFor(100);
    expect(numbers(b.arrivals)).toEqual([3]);
    expect(b.arrivals[0]!.atMs).toBe(115);
  });

  it("a one-way partition cuts only that direction", () => {
    const { sim, a, b } = twoPorts(3);
    sim.network.partitionOneWay("a", "b");
    a.port.send(numbered(1));
    b.port.send(numbered(2));
    sim.runFor(10);
    expect(b.arrivals).toEqual([]);
    expect(numbers(a.arrivals)).toEqual([2]);
  });

  it("hold queues every frame and release delivers them in order, from the release instant", () => {
    const { sim, a, b, link } = twoPorts(4, { faults: { delayMs: 2 } });
    sim.network.hold("a", "b");
    sendNumbered(sim, a.port, 10, 1, 500);
    expect(b.arrivals).toEqual([]);
    expect(link.aToB.heldCount).toBe(10);
    const releasedAtMs = sim.nowMs;
    sim.network.release("a", "b");
    sim.runFor(10);
    expect(numbers(b.arrivals)).toEqual(range(10));
    expect(b.arrivals.every((x) => x.atMs === releasedAtMs + 2)).toBe(true);
    expect(link.aToB.counters).toMatchObject({ offered: 10, held: 10, delivered: 10 });
  });

  it("a partition while holding loses the held frames", () => {
    const { sim, a, b, link } = twoPorts(5);
    link.hold();
    sendNumbered(sim, a.port, 3);
    link.partition();
    link.repair();
    link.release();
    sim.runFor(10);
    expect(b.arrivals).toEqual([]);
    expect(link.aToB.counters.cut).toBe(3);
  });
});

describe("determinism", () => {
  const everyFault = {
    faults: { delayMs: 3, jitterMs: 9, loss: [1, 20], duplicate: [1, 15], reorder: [1, 12], reorderMs: 7, corrupt: [1, 25] },
  } as const;
  const trace = (seed: number) => {
    const { sim, a, b } = twoPorts(seed, everyFault);
    sendNumbered(sim, a.port, 1_000);
    sendNumbered(sim, b.port, 1_000);
    return [...b.arrivals, ...a.arrivals].map((x) => `${x.atMs} ${Buffer.from(x.frame).toString("hex")}`);
  };

  it("the same seed gives the identical delivery trace, byte for byte and instant for instant", () => {
    const seed = testSeed("same seed same trace");
    const first = trace(seed);
    expect(first.length).toBeGreaterThan(1_800);
    expect(trace(seed)).toEqual(first);
    expect(trace((seed + 1) >>> 0)).not.toEqual(first);
  });
});

describe("fault settings", () => {
  it("reject what cannot be drawn exactly: float ratios, ratios above one, negative delays", () => {
    expect(() => makeFaults({ loss: [0.1, 1] })).toThrow(/integer ratio/);
    expect(() => makeFaults({ loss: [3, 2] })).toThrow(/integer ratio/);
    expect(() => makeFaults({ corrupt: [1, 0] })).toThrow(/integer ratio/);
    expect(() => makeFaults({ delayMs: -1 })).toThrow(/non-negative integer/);
    expect(() => makeFaults({ jitterMs: 1.5 })).toThrow(/non-negative integer/);
    expect(makeFaults({ loss: [1, 3] }, makeFaults({ delayMs: 4 }))).toEqual({ ...FAULTS_NONE, delayMs: 4, loss: [1, 3] });
  });

  it("swarm profiles: one seed names one profile, and across seeds every fault is sometimes on and sometimes off", () => {
    const seed = testSeed("swarm faults");
    expect(swarmFaults(new Prng(seed))).toEqual(swarmFaults(new Prng(seed)));
    const prng = new Prng(seed);
    const profiles = Array.from({ length: 200 }, () => swarmFaults(prng));
    for (const key of ["loss", "duplicate", "reorder", "corrupt"] as const) {
      const on = profiles.filter((p) => p[key][0] > 0).length;
      expect(on).toBeGreaterThan(20);
      expect(on).toBeLessThan(180);
    }
  });
});
