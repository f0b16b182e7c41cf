// The scheduler's event queue: (time, insertion) order across its FIFO (events at the current
// instant) and its heap (later events), checked against a sorted reference model with random
// interleavings of adds and takes; and the scheduler's own order at equal instants.
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../host-sim/event-queue.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { Scheduler } from "../../host-sim/scheduler.ts";

describe("event queue", () => {
  it("takes events in (time, insertion) order whatever mix of FIFO and heap holds them", () => {
    const seed = testSeed("event-queue order");
    const prng = new Prng(seed);
    for (let round = 0; round < 20; round++) {
      const queue = new EventQueue();
      const model: { atMs: number; id: number }[] = [];
      let nowMs = 0;
      let id = 0;
      const taken: number[] = [];
      const expected: number[] = [];
      const record = (n: number): void => void taken.push(n);
      for (let op = 0; op < 2000; op++) {
        if (prng.chance(3, 5) || model.length === 0) {
          // Mostly "now" (as a UART chunk) and a few instants ahead (frames, timers), some equal.
          const atMs = prng.chance(1, 2) ? nowMs : nowMs + prng.between(1, 6);
          queue.push(atMs, record as (arg: never) => void, id, atMs === nowMs);
          model.push({ atMs, id });
          id++;
        } else {
          let best = 0;
          for (let i = 1; i < model.length; i++) {
            const m = model[i]!;
            const b = model[best]!;
            if (m.atMs < b.atMs || (m.atMs === b.atMs && m.id < b.id)) best = i;
          }
          const [next] = model.splice(best, 1);
          expected.push(next!.id);
          expect(queue.peekMs()).toBe(next!.atMs);
          expect(queue.take()).toBe(true);
          (queue.takenFn as (arg: unknown) => void)(queue.takenArg);
          nowMs = next!.atMs; // the clock moves to the event taken, never back
        }
        expect(queue.size).toBe(model.length);
      }
      model.sort((a, b) => a.atMs - b.atMs || a.id - b.id);
      for (const m of model) {
        expected.push(m.id);
        expect(queue.take()).toBe(true);
        (queue.takenFn as (arg: unknown) => void)(queue.takenArg);
      }
      expect(queue.take()).toBe(false);
      expect(queue.peekMs()).toBe(Infinity);
      expect(taken).toEqual(expected);
    }
  });

  it("runs scheduler events at one instant in insertion order, from at, after and atCall alike", () => {
    const s = new Scheduler();
    const seen: string[] = [];
    const note = (label: string): void => void seen.push(`${label}@${s.nowMs}`);
    s.at(10, () => {
      note("a");
      s.at(10, () => note("d")); // now: after everything already queued at 10
      s.atCall(5, note, "e"); // in the past: runs now, after d
      s.after(0, () => note("f"));
    });
    s.atCall(10, note, "b");
    s.at(11, () => note("g"));
    s.at(10, () => note("c"));
    s.runUntil(20);
    expect(seen).toEqual(["a@10", "b@10", "c@10", "d@10", "e@10", "f@10", "g@11"]);
  });

  it("runs due events before polling, and polls a device whose deadline is due when none is", () => {
    const s = new Scheduler();
    const seen: string[] = [];
    let deadline = 5;
    s.add({
      nextDeadlineMs: () => deadline,
      pollAt: (t) => {
        seen.push(`poll@${t}`);
        if (t === 5) s.at(5, () => seen.push("event-from-poll@5"));
        deadline = t === 5 ? 6 : Infinity;
      },
    });
    s.at(5, () => seen.push("event@5"));
    s.runUntil(10);
    expect(seen).toEqual(["event@5", "poll@5", "event-from-poll@5", "poll@6"]);
    expect(s.nowMs).toBe(10);
  });
});
