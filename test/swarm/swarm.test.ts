// The swarm in CI: a fixed handful of seeds (a few hundred ms each), the replay guarantee (one seed,
// one trace hash), and proof that the checker can fail: without keepalives a rebooted peer leaves a
// half-open connection that the swarm reports.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { runSwarm } from "../../host-sim/swarm/run.ts";
import { formatReport, summarize } from "../../host-sim/swarm/report.ts";

/** CI's seeds: fixed, so a red build names its seed. `npm run swarm` explores random ones. */
const CI_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

beforeAll(async () => {
  await prepareFirmware("core");
});

describe("swarm", () => {
  it("fixed seeds: no trap, no memory growth, no hung line, every byte once and in order, convergence", () => {
    const results = CI_SEEDS.map((seed) => runSwarm(seed));
    console.log(formatReport(summarize(results), 0));
    for (const r of results) expect(r.violations, `SEED=${r.seed}`).toEqual([]);
    const total = summarize(results);
    expect(total.traps).toBe(0);
    expect(total.memoryGrowth).toBe(0);
    expect(total.sessionsOpened).toBeGreaterThan(20);
    expect(total.bytesVerified).toBeGreaterThan(10_000);
    expect(total.halfOpenDropped).toBeGreaterThan(0);
    expect(total.convergenceSessions).toBeGreaterThan(0);
    expect(total.worstDetectionMs).toBeLessThanOrEqual(total.worstDetectionBoundMs + 250);
  });

  it("a seed replays exactly: same seed, same trace hash; another seed, another hash", () => {
    const a = runSwarm(3);
    const b = runSwarm(3);
    const c = runSwarm(4);
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.stats).toEqual(b.stats);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it("the checker fails a run without keepalives (a rebooted peer leaves the line hung)", () => {
    const failing = [1, 2, 3, 4, 5, 6].map((seed) => runSwarm(seed, { keepalives: false })).filter((r) => r.violations.length > 0);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing[0]!.violations.join("\n")).toMatch(/held \d+ ms by a dead peer|half-open connections remain|still in the session|convergence/);
  });
});
