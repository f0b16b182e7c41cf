// Fuzzing telnet negotiation over a vty (port 23) and a reverse line (port 2002): random option
// commands (WILL/WONT/DO/DONT on any option), subnegotiations (well formed, unterminated, overlong,
// RFC 2217 COM-PORT commands with random values), bare IAC commands, IAC IAC, CR NUL / CR LF, and
// random bytes. After the fuzz: no trap, memory unchanged, the engine quiet (RFC 1143: no
// negotiation loops), and the reverse session still delivers data to the line.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { Bench, budget } from "./kit.ts";

const MESSAGES_MAX = Number(process.env["FUZZ_MESSAGES"] ?? 3_000);
const WALL_MS = Number(process.env["FUZZ_WALL_MS"] ?? 6_000);
const IAC = 255;
const SB = 250;
const SE = 240;
const OPTIONS = [0, 1, 3, 5, 24, 31, 32, 33, 34, 36, 39, 44, 255, 200];

function negotiation(prng: Prng): number[] {
  switch (prng.below(8)) {
    case 0:
    case 1:
      return [IAC, prng.between(251, 254), prng.chance(3, 4) ? prng.pick(OPTIONS) : prng.below(256)];
    case 2: {
      const option = prng.pick([24, 31, 44, 32, 39, prng.below(256)]);
      const body = [...prng.bytes(prng.between(0, prng.chance(1, 4) ? 200 : 12))];
      const tail = prng.chance(4, 5) ? [IAC, SE] : [];
      return [IAC, SB, option, ...body, ...tail];
    }
    case 3: {
      // RFC 2217: SET-BAUDRATE (1- or 4-byte), DATASIZE, PARITY, STOPSIZE, CONTROL, masks, PURGE.
      const command = prng.pick([0, 1, 2, 3, 4, 5, 6, 10, 11, 12, 8, 9, prng.below(256)]);
      const value = command === 1 ? [...prng.bytes(prng.pick([1, 4, 2, 0]))] : [prng.below(256)];
      return [IAC, SB, 44, command, ...value.flatMap((b) => (b === IAC ? [IAC, IAC] : [b])), IAC, SE];
    }
    case 4:
      return [IAC, prng.between(240, 249)];
    case 5:
      return prng.pick([[IAC, IAC], [13, 0], [13, 10], [13], [IAC]]);
    default:
      return [...prng.bytes(prng.between(1, 16))];
  }
}

beforeAll(async () => {
  await prepareFirmware("core");
});

describe("fuzz: telnet negotiation", () => {
  it("random negotiation on a vty and a reverse session: no trap, no loop, the session still works", () => {
    const seed = testSeed("fuzz telnet");
    const prng = new Prng(seed);
    const bench = new Bench(seed);
    const vty = bench.connect(23, 44023);
    const reverse = bench.connect(2002, 44002);
    bench.sim.runFor(300);
    expect(vty.established && reverse.established, `SEED=${seed}`).toBe(true);
    let lineBytes = "";
    bench.device.uart(2).attach({ data: (b) => (lineBytes += Buffer.from(b).toString("latin1")) });
    const more = budget(WALL_MS);
    let messages = 0;
    for (; messages < MESSAGES_MAX && more(); messages++) {
      const peer = prng.chance(1, 2) ? vty : reverse;
      const bytes: number[] = [];
      const parts = prng.between(1, 6);
      for (let i = 0; i < parts; i++) bytes.push(...negotiation(prng));
      peer.send(Uint8Array.from(bytes), prng.between(1, 20));
      if (messages % 32 === 0) bench.expectHealthy(`SEED=${seed} message ${messages}`);
    }
    // Close any subnegotiation left open, then let the engines settle.
    reverse.send(Uint8Array.from([IAC, SE]), 1_000);
    vty.send(Uint8Array.from([IAC, SE]), 1_000);
    bench.expectHealthy(`SEED=${seed} after ${messages} messages`);
    const heardBefore = bench.heard.length;
    bench.sim.runFor(5_000);
    // Quiet: no negotiation loop (keepalives do not start within 5 s of idle: the default is 60 s).
    expect(bench.heard.length - heardBefore, `SEED=${seed}: frames sent while idle`).toBeLessThanOrEqual(4);
    if (reverse.established) {
      lineBytes = "";
      reverse.send("plain-text-after-fuzz", 500);
      expect(lineBytes, `SEED=${seed}`).toContain("plain-text-after-fuzz");
    }
    console.log(`fuzz telnet: SEED=${seed} messages=${messages} reverse=${reverse.established} vty=${vty.established}`);
  });
});
