// Fuzzing the UARTs: random bytes on every line, while an exec runs (the console, enabled and in
// config mode), while a login prompt waits (tty1 has `login`), while a reverse-telnet session runs
// (tty2, a host connected to port 2002) and while a vty session is logged in. After every burst: no
// trap, heap and memory unchanged; at the end the console still answers and the session still
// carries bytes to the host.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { Bench, budget } from "./kit.ts";

const BURSTS_MAX = Number(process.env["FUZZ_BURSTS"] ?? 3_000);
const WALL_MS = Number(process.env["FUZZ_WALL_MS"] ?? 6_000);

beforeAll(async () => {
  await prepareFirmware("core");
});

describe("fuzz: serial lines", () => {
  it("random bytes on every line (exec, login, sessions) never trap and never grow memory", () => {
    const seed = testSeed("fuzz serial");
    const prng = new Prng(seed);
    const bench = new Bench(seed);
    const con = new ScriptedTerminal(bench.device.uart(0), bench.sim);
    con.type("\renable\rcisco\rconfigure terminal\r");
    con.expect("r1(config)#");
    const tty1 = new ScriptedTerminal(bench.device.uart(1), bench.sim);
    tty1.type("\r");
    tty1.expect("Password: ");
    const reverse = bench.connect(2002, 42002);
    const vty = bench.connect(23, 42023);
    bench.sim.runFor(200);
    vty.send("cisco\r\n", 200);
    expect(reverse.established && vty.established, `SEED=${seed}`).toBe(true);
    const more = budget(WALL_MS);
    let bursts = 0;
    let bytes = 0;
    for (; bursts < BURSTS_MAX && more(); bursts++) {
      const line = prng.below(bench.device.uarts.length);
      const noise = prng.bytes(prng.between(1, 64));
      bytes += noise.length;
      bench.device.uart(line).send(noise);
      if (prng.chance(1, 8)) vty.send(prng.bytes(prng.between(1, 32)));
      bench.sim.runFor(prng.between(0, 20));
      if (bursts % 32 === 0) bench.expectHealthy(`SEED=${seed} burst ${bursts}`);
    }
    bench.sim.runFor(5_000);
    bench.expectHealthy(`SEED=${seed} after ${bursts} bursts`);
    console.log(`fuzz serial: SEED=${seed} bursts=${bursts} bytes=${bytes}`);
    expect(bursts).toBeGreaterThan(200);
  });

  it("the reverse session still carries a line's bytes to the host after noise on it", () => {
    const seed = testSeed("fuzz serial session");
    const prng = new Prng(seed);
    const bench = new Bench(seed);
    const reverse = bench.connect(2002, 43002);
    bench.sim.runFor(200);
    for (let i = 0; i < 200; i++) {
      bench.device.uart(2).send(prng.bytes(prng.between(1, 64)));
      bench.sim.runFor(prng.between(0, 20));
    }
    bench.sim.runFor(2_000);
    reverse.received = [];
    bench.device.uart(2).send("marker-after-noise");
    bench.sim.runFor(500);
    bench.expectHealthy(`SEED=${seed}`);
    expect(reverse.text(), `SEED=${seed}`).toContain("marker-after-noise");
  });
});
