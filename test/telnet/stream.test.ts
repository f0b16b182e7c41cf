// Property-style tests: the engine's output does not depend on how TCP cut the stream, and no
// input, however broken, traps it, grows memory, or writes outside the handle's record.
// Randomized tests print SEED=...; rerun one with SEED=<n> npx vitest run test/telnet/stream.test.ts.
import { describe, expect, it } from "vitest";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { TelnetHarness, Role } from "./harness.ts";
import {
  hex, ascii, concat, toHex, INETUTILS_PORT23_FIRST, INETUTILS_NAWS, INETUTILS_TYPED, PUTTY_FIRST, PUTTY_NAWS,
  PUTTY_OLD_ENVIRON, PYSERIAL,
} from "./fixtures.ts";

/** Everything observable after feeding a stream: line bytes, answers, events in order, settings. */
interface Outcome {
  line: string;
  net: string;
  events: string;
  state: string;
}

/** Opens a fresh engine 0 and feeds `stream` cut at `cuts` (increasing offsets). */
function run(t: TelnetHarness, role: number, stream: Uint8Array, cuts: number[]): Outcome {
  t.x.close(0);
  t.x.clearRings();
  t.open(role);
  t.x.resetLog();
  const line: number[] = [];
  const net: number[] = [];
  let from = 0;
  for (const to of [...cuts, stream.length]) {
    const r = t.receive(stream.subarray(from, to));
    expect(r.consumed).toBe(to - from);
    line.push(...r.line);
    net.push(...r.net);
    from = to;
  }
  const x = t.x;
  const state = [
    t.terminalType(), x.windowCols(0), x.windowRows(0), x.protocolErrors(0), x.sbTruncations(0), x.comBaud(0),
    x.comDataSize(0), x.comParity(0), x.comStopSize(0), x.comFlow(0), x.comSignals(0), x.comPurge(0),
    ...[0, 1, 3, 24, 31, 44].flatMap((code) => [x.optionOn(0, code, 0), x.optionOn(0, code, 1)]),
  ].join(",");
  return {
    line: toHex(Uint8Array.from(line)),
    net: toHex(Uint8Array.from(net)),
    events: t.eventLog().map(([at, ev]) => `${at}:${ev}`).join(" "),
    state,
  };
}

const VTY_SAMPLE = concat(
  INETUTILS_PORT23_FIRST, INETUTILS_NAWS, hex("fffd01 fffb03"), hex("fffa1800"), ascii("VT220"), hex("fff0"),
  ascii("show line\r\n"), INETUTILS_TYPED, hex("fff6"), ascii("ab"), hex("ffff ff f4"), ascii("x\r"),
  PUTTY_FIRST, PUTTY_NAWS, PUTTY_OLD_ENVIRON, hex("fffa1800"), ascii("Y".repeat(60)), hex("fff0"),
  hex("fffb00"), ascii("bin\r\0ary\r\n"), hex("ff10 fff0 fff1"), ascii("end"),
);

const REVERSE_SAMPLE = concat(
  PYSERIAL.options, PYSERIAL.configure, PYSERIAL.signals, PYSERIAL.purge, PYSERIAL.rebaud, PYSERIAL.data,
  PYSERIAL.breakOnOff, PYSERIAL.purgeRx, hex("fffa2c0108fff0 fffa2c00fff0 fffa2c0b80fff0 fffa2c08fff0"),
  ascii("console\r\n"), hex("fff3"), ascii("after break\r\0"), hex("fffa2c0100 00ff ffff fff0"), hex("fff6"),
);

describe("a stream cut anywhere gives the same result", () => {
  for (const [name, role, sample] of [
    ["vty", Role.vty, VTY_SAMPLE],
    ["reverse telnet", Role.reverse, REVERSE_SAMPLE],
    ["binary reverse telnet", Role.binary, REVERSE_SAMPLE],
    ["client", Role.client, VTY_SAMPLE],
  ] as const) {
    it(`${name}: every single cut point of a ${sample.length}-byte sample`, () => {
      const t = new TelnetHarness();
      const whole = run(t, role, sample, []);
      expect(whole.line.length).toBeGreaterThan(0);
      for (let cut = 1; cut < sample.length; cut++) {
        const split = run(t, role, sample, [cut]);
        expect(split, `cut at ${cut}`).toEqual(whole);
      }
    });

    it(`${name}: random chunkings (seeded)`, () => {
      const prng = new Prng(testSeed(`telnet chunking ${name}`));
      const t = new TelnetHarness();
      const whole = run(t, role, sample, []);
      for (let trial = 0; trial < 200; trial++) {
        const cuts: number[] = [];
        for (let at = prng.between(1, 8); at < sample.length; at += prng.between(1, 16)) cuts.push(at);
        expect(run(t, role, sample, cuts), `cuts ${cuts.join(",")}`).toEqual(whole);
      }
    });
  }
});

describe("garbage never traps, never allocates, never writes outside its record", () => {
  /** Random bytes weighted toward the bytes that drive the parser. */
  function garbage(prng: Prng, length: number): Uint8Array {
    const special = [0xff, 0xff, 0xff, 0xfa, 0xf0, 0xfb, 0xfc, 0xfd, 0xfe, 0x0d, 0x0a, 0x00, 44, 24, 31, 1, 0, 3];
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = prng.chance(1, 2) ? prng.pick(special) : prng.below(256);
    // Now and then a long subnegotiation with no IAC in it, to push at the SB buffer's bound.
    if (prng.chance(1, 4)) {
      const at = prng.below(length - 400);
      out.set([0xff, 0xfa, prng.pick([24, 31, 44, 7])], at);
      for (let i = at + 3; i < at + 3 + prng.between(50, 390); i++) out[i] = prng.below(255);
    }
    return out;
  }

  it("every role, 64 KiB of weighted random bytes in random chunks, with random ring sizes", () => {
    const prng = new Prng(testSeed("telnet garbage"));
    const t = new TelnetHarness();
    const h = 7;
    const heap = t.x.heap();
    const memoryBytes = t.x.memoryBytes();
    // Neighbours with known state, to prove nothing spills out of record 7.
    for (const n of [6, 8]) {
      t.x.open(n, Role.vty);
      t.receive(hex("fffb18 fffa1800 414e5349 fff0 fffb1f fffa1f 0050 0018 fff0"), n);
    }
    t.x.clearRings();
    const record = (n: number): string => toHex(t.entry.bytes(t.x.ttypePtr(n) - 96, 136));
    const before = [record(6), record(8)];
    for (const role of [Role.vty, Role.reverse, Role.binary, Role.client, Role.clientTelnetPort]) {
      t.x.open(h, role);
      t.x.clearRings();
      if (role === Role.reverse || role === Role.binary) t.receive(hex("fffb2c fffd2c"), h);
      for (let round = 0; round < 64; round++) {
        const data = garbage(prng, 1024);
        // The network ring must hold the largest answer (TELNET_REPLY_RESERVE_BYTES = 96) or
        // commands wait for ever; TCP's send ring is 1024.
        t.x.setCaps(prng.between(1, 8192), prng.between(96, 8192));
        let at = 0;
        for (let guard = 0; at < data.length && guard < 4096; guard++) {
          const n = Math.min(prng.between(1, 64), data.length - at);
          const consumed = t.x.receiveAll(h, t.entry.put(data.subarray(at, at + n)), n);
          expect(consumed).toBeLessThanOrEqual(n);
          at += consumed;
          if (consumed < n) t.x.clearRings(); // the caller drains; here, throw the output away
          t.x.send(h, t.entry.put(data.subarray(0, 32)), 32);
          t.x.clearRings();
        }
        expect(at).toBe(data.length);
        t.x.takeEvents(h);
      }
      expect(t.x.ttypeLen(h)).toBeLessThanOrEqual(40);
    }
    expect(t.x.heap()).toBe(heap);
    expect(t.x.memoryBytes()).toBe(memoryBytes);
    expect([record(6), record(8)]).toEqual(before);
    expect(t.terminalType(6)).toBe("ANSI");
  });

  it("a 64 KiB subnegotiation is cut to its buffer and the engine keeps working", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    t.receive(hex("fffb18"));
    const stream = concat(hex("fffa1800"), new Uint8Array(65536).fill(0x41), hex("fff0"), ascii("ok\r\n"));
    const line: number[] = [];
    for (let at = 0; at < stream.length; at += 4096) {
      const r = t.receive(stream.subarray(at, at + 4096));
      expect(r.consumed).toBe(Math.min(4096, stream.length - at));
      line.push(...r.line);
    }
    expect(Uint8Array.from(line)).toEqual(ascii("ok\r"));
    expect(t.terminalType()).toBe("A".repeat(40));
    expect(t.x.sbTruncations(0)).toBe(1);
    expect(t.x.sbTruncatedTotal()).toBe(1);
  });
});
