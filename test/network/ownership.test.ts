// Who owns a frame's bytes on the virtual wire (port.ts, channel.ts, byte-slab.ts): a sender that
// does not hand its frame over may reuse its buffer at once; a handed-over frame travels without a
// copy; corruption never writes to a frame someone else holds; the switch reads addresses without
// BigInts and agrees with the BigInt reading.
import { describe, expect, it } from "vitest";
import { copyBytes } from "../../host-sim/byte-slab.ts";
import { isGroupMac, isGroupMacAt, macFromBytes, macNumberAt } from "../../host-sim/network/ethernet.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { ETHERTYPE_IPV4, ethernet, ipv4 } from "../support/frames.ts";
import { MAC_A, MAC_B, numberOf, numbered, twoPorts } from "./wire.ts";

describe("frame ownership on a link", () => {
  it("copies a frame not handed over, so the sender may reuse its buffer at once", () => {
    const { sim, a, b } = twoPorts(1, { faults: { delayMs: 5 } });
    const buffer = numbered(7);
    a.port.send(buffer);
    buffer.fill(0); // the sender reuses its buffer before the frame arrives
    sim.runFor(10);
    expect(b.arrivals.map((x) => numberOf(x.frame))).toEqual([7]);
    expect(b.arrivals[0]!.frame).not.toBe(buffer);
  });

  it("carries a handed-over frame as it is, and corrupts only a copy", () => {
    const plain = twoPorts(1, { faults: { delayMs: 1 } });
    const frame = numbered(3);
    plain.a.port.send(frame, true);
    plain.sim.runFor(5);
    expect(plain.b.arrivals[0]!.frame).toBe(frame);

    const corrupting = twoPorts(2, { faults: { delayMs: 1, corrupt: [1, 1], duplicate: [1, 1] } });
    const original = ethernet(MAC_B, MAC_A, ETHERTYPE_IPV4, ipv4(1, "192.0.2.1", "192.0.2.2", new Uint8Array(8)));
    const before = original.slice();
    corrupting.a.port.send(original, true);
    corrupting.sim.runFor(5);
    expect(corrupting.b.arrivals.length).toBe(2);
    expect(original).toEqual(before); // the sender's (and any tap's) bytes are untouched
    for (const { frame: got } of corrupting.b.arrivals) {
      expect(got).not.toBe(original);
      expect(got).not.toEqual(before);
    }
    expect(corrupting.b.arrivals[0]!.frame).not.toBe(corrupting.b.arrivals[1]!.frame);
  });
});

describe("copyBytes", () => {
  it("gives copies that nothing else writes to, of any size and from any source", () => {
    const seed = testSeed("copyBytes");
    const prng = new Prng(seed);
    const kept: { copy: Uint8Array; expected: Uint8Array }[] = [];
    const source = new Uint8Array(10_000);
    for (let i = 0; i < 3_000; i++) {
      const length = prng.chance(1, 20) ? prng.between(4_000, 10_000) : prng.between(0, 1_600);
      const start = prng.between(0, source.length - length);
      for (let k = start; k < start + length; k++) source[k] = prng.u32() & 0xff;
      const copy = copyBytes(source, start, start + length);
      kept.push({ copy, expected: source.slice(start, start + length) });
    }
    source.fill(0xee);
    const differing = kept.filter(({ copy, expected }) => Buffer.compare(copy, expected) !== 0).length;
    expect(differing).toBe(0);
    for (const length of [10, 64, 65, 300, 5_000]) {
      const fromBuffer = Buffer.alloc(length, 1);
      const copy = copyBytes(fromBuffer);
      fromBuffer.fill(2);
      expect(copy.every((b) => b === 1)).toBe(true);
      expect(copy.constructor).toBe(Uint8Array); // not a Buffer, whose slice() would be a view
    }
  });
});

describe("MAC addresses as numbers", () => {
  it("agree with the BigInt reading for random and edge addresses", () => {
    const seed = testSeed("macNumberAt");
    const prng = new Prng(seed);
    const frames: Uint8Array[] = [new Uint8Array(12).fill(0xff), new Uint8Array(12), Uint8Array.of(1, 0, 0x5e, 0, 0, 1, 0x80, 0, 0, 0, 0, 0)];
    for (let i = 0; i < 1_000; i++) frames.push(prng.bytes(12));
    for (const frame of frames) {
      for (const offset of [0, 6]) {
        const mac = macFromBytes(frame, offset);
        expect(macNumberAt(frame, offset)).toBe(Number(mac));
        expect(isGroupMacAt(frame, offset)).toBe(isGroupMac(mac));
      }
    }
  });
});
