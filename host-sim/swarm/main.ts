// `npm run swarm -- --seeds N [--seed S] [--first S]`: runs N swarm seeds (random ones, or S, S+1,
// ... with --first; one seed with --seed), a progress bar on stderr, then the reliability report.
// Exit status 1 when any seed violated an invariant; each violation starts with SEED=..., and
// `npm run swarm -- --seed S` replays that run exactly (same trace hash).
import { prepareFirmware } from "../device.ts";
import { runSwarm, type SwarmResult } from "./run.ts";
import { formatReport, summarize } from "./report.ts";

function argValue(name: string): number | undefined {
  const at = process.argv.indexOf(name);
  if (at < 0) return undefined;
  const value = Number.parseInt(process.argv[at + 1] ?? "", 10);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number`);
  return value;
}

function progress(done: number, total: number, failed: number, startMs: number): void {
  if (!process.stderr.isTTY && done !== total) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
  process.stderr.write(`\r[${bar}] ${done}/${total} seeds, ${failed} failed, ${((Date.now() - startMs) / 1000).toFixed(1)} s${done === total ? "\n" : ""}`);
}

async function main(): Promise<void> {
  await prepareFirmware("core");
  const single = argValue("--seed");
  const count = single !== undefined ? 1 : argValue("--seeds") ?? 10;
  const first = single ?? argValue("--first");
  const seeds = Array.from({ length: count }, (_, i) => (first !== undefined ? first + i : (Math.random() * 2 ** 32) >>> 0) >>> 0);
  const results: SwarmResult[] = [];
  const startMs = Date.now();
  progress(0, count, 0, startMs);
  for (const seed of seeds) {
    const result = runSwarm(seed);
    results.push(result);
    if (result.violations.length > 0) {
      process.stderr.write("\n");
      for (const v of result.violations) console.log(v);
    }
    progress(results.length, count, results.filter((r) => r.violations.length > 0).length, startMs);
  }
  if (count === 1) console.log(`SEED=${seeds[0]} trace ${results[0]!.traceHash}`);
  console.log(formatReport(summarize(results), Date.now() - startMs));
  process.exitCode = results.some((r) => r.violations.length > 0) ? 1 : 0;
}

await main();
