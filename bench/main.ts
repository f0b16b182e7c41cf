// `npm run bench`: measures and prints figures (never pass/fail), as one table, and writes them as
// JSON to build/bench.json. Each section lives in its own file. The module variants are compiled
// first, so the compilers do not share the cores with the timed sections.
import { writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { cpus, loadavg } from "node:os";
import { buildVariants, measureFootprint } from "./footprint.ts";
import { measureCallCounts } from "./call-count.ts";
import { measureForwarding } from "./forwarding.ts";
import { measureKeepalive } from "./keepalive.ts";
import { machineRow, referenceLoopNs } from "./machine-speed.ts";
import { timerBias } from "./firmware-timer.ts";
import { measureLineRate } from "./line-rate.ts";
import { measureSer2net } from "./ser2net.ts";
import { measureSideBySide } from "./side-by-side.ts";
import { measureSimSpeed } from "./sim-speed.ts";
import { targetRows } from "./targets.ts";
import type { Row } from "./row.ts";

// Compile WebAssembly with the optimizing tier at once: with tier-up (Liftoff first, TurboFan later
// on a background thread) the first timed sections would run on baseline code, more so when the
// machine is busy. No module is compiled before this line runs (the devices compile on power-on).
setFlagsFromString("--no-liftoff");

/** `--only a,b`: runs only the named sections (footprint, forwarding, sideBySide, simSpeed,
 * lineRate, keepalive, calls, ser2net), for profiling one of them (`node --cpu-prof`); all of them by default. */
function onlySections(argv: readonly string[]): Set<string> | undefined {
  const at = argv.indexOf("--only");
  if (at < 0) return undefined;
  const names = (argv[at + 1] ?? "").split(",").filter((n) => n.length > 0);
  if (names.length === 0) throw new Error("--only needs a comma-separated list of sections");
  return new Set(names);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const started = Date.now();
  const only = onlySections(process.argv.slice(2));
  const wanted = (name: string): boolean => only === undefined || only.has(name);
  if (wanted("footprint")) {
    const variants = await buildVariants();
    const footprint = measureFootprint(variants);
    rows.push(...footprint.rows);
    figures["footprint"] = footprint.figures;
    if (process.argv.includes("--footprint")) {
      // `npm run bench -- --footprint`: the footprint section alone (exact figures, no timing).
      for (const row of footprint.rows) console.log(`${row.section.padEnd(12)} ${row.figure.padEnd(35)} ${row.value.padEnd(31)} ${row.reference ?? ""}`);
      return;
    }
  }
  const speedAtStart = referenceLoopNs();
  const sections = [
    ["forwarding", measureForwarding],
    ["lineRate", measureLineRate],
    ["sideBySide", measureSideBySide],
    ["simSpeed", measureSimSpeed],
    ["keepalive", measureKeepalive],
    ["calls", measureCallCounts],
  ] as const;
  for (const [name, section] of sections) {
    if (!wanted(name)) continue;
    const result = await section();
    rows.push(...result.rows);
    figures[name] = result.figures;
  }
  if (wanted("ser2net")) {
    const ser2net = await measureSer2net();
    rows.push(...ser2net.rows);
    figures["ser2net"] = ser2net.figures;
  }

  const speedAtEnd = referenceLoopNs();
  figures["machine"] = { referenceLoopNsStart: speedAtStart, referenceLoopNsEnd: speedAtEnd, firmwareTimerBias: timerBias() };
  rows.unshift(machineRow(speedAtStart, speedAtEnd, timerBias()));
  rows.push(...targetRows(figures));

  const load = loadavg().map((l) => l.toFixed(1)).join(" ");
  const machine = `${cpus()[0]?.model ?? "unknown CPU"} x${cpus().length}, Node ${process.version}, load ${load}`;
  const widths = [11, 34, 30];
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  console.log(`bench on ${machine}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(line(["section", "figure", "value", "reference"]));
  for (const r of rows) console.log(line([r.section, r.figure, r.value, r.reference ?? ""]));
  const out = only === undefined ? "build/bench.json" : "build/bench-only.json";
  writeFileSync(out, JSON.stringify({ machine, date: new Date().toISOString(), rows, figures }, null, 2));
  console.log(`written ${out}`);
}

await main();
