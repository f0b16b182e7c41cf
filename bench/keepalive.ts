// Keepalive accuracy: over many seeds, r2 vanishes (its link is partitioned: no FIN, no RST) at a
// random instant after some random traffic on a reverse-telnet session, and r1 with
// `service tcp-keepalives-in` (the IOS profile: idle 60 s, 4 probes 60 s apart) drops the session.
// Figure: detection instant (r1's `debug ip tcp transactions` line ESTAB -> CLOSED on its console)
// minus (last segment r1 heard + idle + count x interval), i.e. how late past the configured bound.
import { Prng } from "../host-sim/prng.ts";
import { ScriptedTerminal } from "../host-sim/serial-attach/scripted-terminal.ts";
import type { Row } from "./row.ts";
import { World } from "./world.ts";

const IDLE_MS = 60_000;
const INTERVAL_MS = 60_000;
const COUNT = 4;
const BOUND_MS = IDLE_MS + COUNT * INTERVAL_MS;
const SEEDS = 50;

function lateness(seed: number): number {
  const world = new World({ seed, r1Extra: "service tcp-keepalives-in\n" });
  const prng = new Prng(seed ^ 0x6b61);
  const con = new ScriptedTerminal(world.r1.uart(0), world.sim);
  con.type("\r");
  con.expect("r1>");
  con.type("enable\r");
  con.expect("r1#");
  con.type("debug ip tcp transactions\r");
  con.expect("r1#");
  let lastHeardAtMs = world.sim.nowMs;
  const receive = world.r1.receiveFrame.bind(world.r1);
  world.r1.receiveFrame = (frame) => {
    const tcp = frame[12] === 0x08 && frame[13] === 0x00 && frame[23] === 6;
    if (tcp) lastHeardAtMs = world.sim.nowMs; // ARP does not count: only segments reset the idle timer
    receive(frame);
  };
  world.connect(1);
  // Random traffic both ways for a while, then r2 vanishes at a random instant.
  const bursts = prng.below(5);
  for (let i = 0; i < bursts; i++) {
    world.sim.runFor(1 + prng.below(90_000));
    (prng.below(2) ? world.r1 : world.r2).uart(1).send("x".repeat(1 + prng.below(200)));
  }
  world.sim.runFor(1 + prng.below(120_000));
  world.sim.network.partition("r2");
  const cutAtMs = world.sim.nowMs;
  const detectedAtMs = con.expect("ESTAB -> CLOSED", { timeoutMs: 2 * BOUND_MS }).atMs;
  if (lastHeardAtMs > cutAtMs) throw new Error("heard from r2 after the partition");
  return detectedAtMs - (lastHeardAtMs + BOUND_MS);
}

export function measureKeepalive(): { rows: Row[]; figures: Record<string, unknown> } {
  const late: number[] = [];
  const t0 = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) late.push(lateness(seed));
  const wallMs = performance.now() - t0;
  const sorted = [...late].sort((a, b) => a - b);
  const mean = late.reduce((a, b) => a + b, 0) / late.length;
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return {
    rows: [
      { section: "keepalive", figure: `detection - bound (${BOUND_MS / 1000} s), ${SEEDS} seeds`, value: `min ${sorted[0]} ms, max ${sorted.at(-1)} ms`, reference: `mean ${mean.toFixed(1)} ms, median ${q(0.5)} ms; ${(wallMs / 1000).toFixed(1)} s wall` },
    ],
    figures: { boundMs: BOUND_MS, seeds: SEEDS, latenessMs: late, wallMs },
  };
}
