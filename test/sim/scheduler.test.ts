// Virtual time: events run in (time, insertion) order, time jumps between them, and a seed
// reproduces the PRNG's stream.
import { describe, expect, it } from "vitest";
import { Prng } from "../../host-sim/prng.ts";
import { Scheduler } from "../../host-sim/scheduler.ts";

describe("scheduler", () => {
  it("runs equal-time events in insertion order and jumps between instants", () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.at(86_400_000, () => seen.push(`day@${s.nowMs}`));
    s.at(5, () => seen.push(`b@${s.nowMs}`));
    s.at(5, () => seen.push(`c@${s.nowMs}`));
    s.at(1, () => seen.push(`a@${s.nowMs}`));
    s.runUntil(100_000_000);
    expect(seen).toEqual(["a@1", "b@5", "c@5", "day@86400000"]);
    expect(s.nowMs).toBe(100_000_000);
  });

  it("polls a pollable at its deadline and detects one stuck at an instant", () => {
    const s = new Scheduler();
    const polls: number[] = [];
    let next = 10;
    s.add({ nextDeadlineMs: () => next, pollAt: (t) => { polls.push(t); next = t < 30 ? t + 10 : Infinity; } });
    s.runUntil(1000);
    expect(polls).toEqual([10, 20, 30]);
    const stuck = new Scheduler();
    stuck.add({ nextDeadlineMs: () => 0, pollAt: () => undefined });
    expect(() => stuck.runUntil(1)).toThrow(/simulation stuck at 0 ms/);
  });
});

describe("prng", () => {
  it("reproduces a stream from its seed and draws integer ratios", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const drawsA = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(drawsA);
    const c = new Prng(7);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (c.chance(1, 5)) hits++;
    expect(hits).toBeGreaterThan(19_000);
    expect(hits).toBeLessThan(21_000);
    expect(() => c.below(0)).toThrow(RangeError);
  });
});
