// The lib layer: rings keep order and refuse what does not fit; the writer formats without allocating.
import { describe, expect, it } from "vitest";
import { loadEntry } from "../support/entry.ts";

interface LibSmoke {
  boot(): void;
  ringCycle(len: number, take: number): number;
  scratchAt(i: number): number;
  formatDemo(): number;
  textPtr(): number;
}

describe("ring", () => {
  it("accepts only what fits and returns bytes in order across the wrap", () => {
    const entry = loadEntry<LibSmoke>("lib_smoke");
    entry.exports.boot();
    expect(entry.exports.ringCycle(6, 4)).toBe(6); // 2 left in an 8-byte ring
    expect([0, 1, 2, 3].map((i) => entry.exports.scratchAt(i))).toEqual([1, 2, 3, 4]);
    expect(entry.exports.ringCycle(10, 8)).toBe(8); // 6 of 10 fit (2 + 6 = 8); all 8 read back
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => entry.exports.scratchAt(i))).toEqual([5, 6, 1, 2, 3, 4, 5, 6]);
  });
});

describe("writer", () => {
  it("formats addresses and padded numbers, and logs through the HAL", () => {
    const entry = loadEntry<LibSmoke>("lib_smoke");
    entry.exports.boot();
    const len = entry.exports.formatDemo();
    expect(entry.text(entry.exports.textPtr(), len)).toBe("ip 10.0.0.1   42");
    expect(entry.logs).toEqual(["lib smoke"]);
  });
});
