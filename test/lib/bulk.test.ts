// The bulk byte primitives of the forwarding path (firmware/testing/bulk.ts) against the
// byte-at-a-time code they replaced: ring spans across the wrap, the word-at-a-time byte scan,
// the Internet checksum at every length and alignment, and the telnet engine's encode and decode
// on random streams full of IAC, CR, LF, NUL and option commands, split at random points, into
// rings of random size whose heads stand anywhere. Randomized: prints SEED=..., honours SEED=.
import { describe, expect, it } from "vitest";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { loadEntry } from "../support/entry.ts";

interface Bulk {
  boot(): void;
  workPtr(): number;
  outPtr(): number;
  ringSetup(cap: number, head: number): void;
  ringWriteFrom(src: number, len: number): number;
  ringPut2Bytes(a: number, b: number): number;
  ringPeekTo(dst: number, offset: number, len: number): number;
  ringReadTo(dst: number, len: number): number;
  ringCount(): number;
  find2(ptr: number, len: number, a: number, b: number): number;
  checksumBulk(sum: number, ptr: number, len: number): number;
  checksumRef(sum: number, ptr: number, len: number): number;
  telnetRings(lineCap: number, lineHead: number, netCap: number, netHead: number): void;
  telnetOpenRole(h: number, role: number): number;
  receiveBulk(h: number, ptr: number, len: number): number;
  receiveRef(h: number, ptr: number, len: number): number;
  sendBulk(h: number, ptr: number, len: number): number;
  sendRef(h: number, ptr: number, len: number): number;
  takeEvents(h: number): number;
  lineTake(): number;
  netTake(): number;
  engineState(h: number): number;
  engineOpts(h: number): bigint;
}

function load() {
  const entry = loadEntry<Bulk>("bulk");
  entry.exports.boot();
  const write = (bytes: Uint8Array): number => {
    const ptr = entry.exports.workPtr();
    entry.memory().set(bytes, ptr);
    return ptr;
  };
  const out = (len: number): number[] => [...entry.bytes(entry.exports.outPtr(), len)];
  return { entry, e: entry.exports, write, out };
}

function randomBytes(rng: Prng, len: number, alphabet?: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(len);
  for (let i = 0; i < len; i++) bytes[i] = alphabet ? alphabet[rng.below(alphabet.length)]! : rng.below(256);
  return bytes;
}

describe("ring spans", () => {
  it("writes, peeks and reads in order from every head position, across the wrap", () => {
    const { e, write, out } = load();
    const cap = 24;
    const data = Uint8Array.from({ length: 30 }, (_, i) => i + 1);
    for (let head = 0; head < cap; head++) {
      for (const len of [0, 1, 7, cap - head, cap - head + 1, cap, 30]) {
        e.ringSetup(cap, head);
        const taken = e.ringWriteFrom(write(data), len);
        expect(taken).toBe(Math.min(len, cap));
        expect(e.ringPeekTo(e.outPtr(), 0, 64)).toBe(taken);
        expect(out(taken)).toEqual([...data.subarray(0, taken)]);
        if (taken > 3) {
          expect(e.ringPeekTo(e.outPtr(), 3, 64)).toBe(taken - 3);
          expect(out(taken - 3)).toEqual([...data.subarray(3, taken)]);
        }
        expect(e.ringReadTo(e.outPtr(), 64)).toBe(taken);
        expect(out(taken)).toEqual([...data.subarray(0, taken)]);
        expect(e.ringCount()).toBe(0);
      }
    }
  });

  it("puts two bytes at once across the wrap, and refuses them when one byte is free", () => {
    const { e, write, out } = load();
    for (let head = 0; head < 6; head++) {
      e.ringSetup(6, head);
      e.ringWriteFrom(write(Uint8Array.of(1, 2, 3)), 3);
      expect(e.ringPut2Bytes(0xff, 0xfe)).toBe(1);
      expect(e.ringPut2Bytes(9, 9)).toBe(0); // one byte left
      expect(e.ringReadTo(e.outPtr(), 64)).toBe(5);
      expect(out(5)).toEqual([1, 2, 3, 0xff, 0xfe]);
    }
  });
});

describe("byte scan", () => {
  it("finds the first of two byte values at every position, or the length (seeded)", () => {
    const rng = new Prng(testSeed("bulk byte scan"));
    const { e, write } = load();
    for (let round = 0; round < 400; round++) {
      const len = rng.below(70);
      const bytes = randomBytes(rng, len + 8, [0x41, 0x42, 0x0d, 0xff, 0x7f, 0x80, 0x00, 0x0a]);
      const offset = rng.below(8);
      const [a, b] = rng.below(2) === 0 ? [0xff, 0x0d] : [0xff, 0xff];
      const ptr = write(bytes) + offset;
      const view = bytes.subarray(offset, offset + len);
      let expected = view.findIndex((c) => c === a || c === b);
      if (expected < 0) expected = len;
      expect(e.find2(ptr, len, a, b), `round ${round}`).toBe(expected);
    }
  });
});

describe("Internet checksum", () => {
  it("equals the 16-bit-word reference at every length 0..300 and every alignment (seeded)", () => {
    const rng = new Prng(testSeed("bulk checksum"));
    const { e, write } = load();
    for (let len = 0; len <= 300; len++) {
      for (let offset = 0; offset < 8; offset++) {
        const bytes = randomBytes(rng, len + 8);
        const ptr = write(bytes) + offset;
        const start = rng.below(0x40000);
        expect(e.checksumBulk(start, ptr, len), `len ${len} offset ${offset}`).toBe(e.checksumRef(start, ptr, len));
      }
    }
  });

  it("equals the reference on full frames, all-0xff data and all-zero data", () => {
    const rng = new Prng(testSeed("bulk checksum frames"));
    const { e, write } = load();
    for (const fill of [0x00, 0xff, -1]) {
      for (const len of [1460, 1480, 1500, 4095]) {
        const bytes = fill < 0 ? randomBytes(rng, len) : new Uint8Array(len).fill(fill);
        const ptr = write(bytes);
        for (const start of [0, 1, 0xffff, 0x3fffc]) expect(e.checksumBulk(start, ptr, len)).toBe(e.checksumRef(start, ptr, len));
      }
    }
  });
});

// Telnet: both engines (h 0 bulk, h 1 the reference) get the same calls with rings of the same
// size and head; consumed counts, line bytes, network bytes, events and engine state must agree.
const ROLES = [0, 1, 2, 3, 4] as const;
const IAC = 255;
/** Mostly data, with every byte that means something: IAC, CR, LF, NUL, commands and options. */
const ALPHABET = [
  0x41, 0x42, 0x43, 0x61, 0x20, 0x7e, 0x80, 0xfe, 0x0d, 0x0d, 0x0a, 0x0a, 0x00, IAC, IAC, IAC,
  251, 252, 253, 254, 250, 240, 243, 244, 246, 241, 0, 1, 3, 24, 31, 44,
];

function telnetRound(rng: Prng, e: Bulk, write: (b: Uint8Array) => number, out: (n: number) => number[], role: number, send: boolean): void {
  expect(e.telnetOpenRole(0, role)).toBe(1);
  const g0 = out(e.netTake());
  expect(e.telnetOpenRole(1, role)).toBe(1);
  expect(out(e.netTake())).toEqual(g0);
  // Long runs of plain data (the forwarding case) or dense special bytes.
  const dense = rng.below(2) === 0;
  const input = randomBytes(rng, 50 + rng.below(700), dense ? ALPHABET : undefined);
  if (!dense) for (let i = 0; i < 12; i++) input[rng.below(input.length)] = ALPHABET[8 + rng.below(8)]!;
  let at0 = 0;
  let at1 = 0;
  for (let call = 0; call < 400 && at0 < input.length; call++) {
    const len = Math.min(input.length - at0, 1 + rng.below(rng.below(4) === 0 ? 300 : 12));
    const lineCap = 1 + rng.below(rng.below(3) === 0 ? 8 : 300);
    const netCap = 1 + rng.below(rng.below(3) === 0 ? 8 : 300) + (send ? 0 : rng.below(2) * 96);
    const lineHead = rng.below(lineCap);
    const netHead = rng.below(netCap);
    const chunk = input.subarray(at0, at0 + len);
    const results = [0, 1].map((h) => {
      e.telnetRings(lineCap, lineHead, netCap, netHead);
      const ptr = write(chunk);
      const used = send ? (h === 0 ? e.sendBulk(h, ptr, len) : e.sendRef(h, ptr, len)) : h === 0 ? e.receiveBulk(h, ptr, len) : e.receiveRef(h, ptr, len);
      return { used, line: out(e.lineTake()), net: out(e.netTake()), events: e.takeEvents(h), state: e.engineState(h), opts: e.engineOpts(h) };
    });
    const where = `role ${role} ${send ? "send" : "receive"} call ${call} at ${at0} len ${len} caps ${lineCap}/${netCap} heads ${lineHead}/${netHead}`;
    expect(results[0], where).toEqual(results[1]);
    at0 += results[0]!.used;
    at1 += results[1]!.used;
    expect(at0).toBe(at1);
  }
}

describe("telnet bulk encode and decode", () => {
  it("decodes exactly as the byte-at-a-time engine, for every role, split anywhere (seeded)", () => {
    const rng = new Prng(testSeed("bulk telnet receive"));
    const { e, write, out } = load();
    for (let round = 0; round < 60; round++) for (const role of ROLES) telnetRound(rng, e, write, out, role, false);
  });

  it("encodes exactly as the byte-at-a-time engine, for every role, split anywhere (seeded)", () => {
    const rng = new Prng(testSeed("bulk telnet send"));
    const { e, write, out } = load();
    for (let round = 0; round < 60; round++) for (const role of ROLES) telnetRound(rng, e, write, out, role, true);
  });

  it("encodes a CR at every position of a run, and IAC, with a CR LF split across two calls", () => {
    const { e, write, out } = load();
    for (const role of [1, 2, 3]) {
      for (let pos = 0; pos < 20; pos++) {
        const bytes = Uint8Array.from({ length: 20 }, (_, i) => 0x61 + i);
        bytes[pos] = 0x0d;
        bytes[(pos + 7) % 20] = IAC;
        const got = [0, 1].map((h) => {
          e.telnetOpenRole(h, role);
          e.netTake();
          e.telnetRings(64, 0, 64, 50);
          const ptr = write(bytes);
          const first = h === 0 ? e.sendBulk(h, ptr, pos + 1) : e.sendRef(h, ptr, pos + 1); // ends on the CR
          const rest = write(Uint8Array.of(0x0a, ...bytes.subarray(pos + 1)));
          const second = h === 0 ? e.sendBulk(h, rest, 20 - pos) : e.sendRef(h, rest, 20 - pos); // LF first
          return { first, second, net: out(e.netTake()) };
        });
        expect(got[0], `role ${role} CR at ${pos}`).toEqual(got[1]);
      }
    }
  });
});
