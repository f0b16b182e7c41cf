// Wasm function calls per byte forwarded: a figure of the firmware alone, the same on every machine
// and every run (the wall-clock figures of this VM move up to 2x between runs). V8 does not inline
// wasm-to-wasm calls by default (Node 20), and an interpreter pays for each call too, so on the data
// path the number of calls is much of the cost: with `--wasm-inlining` the firmware's own time per
// byte halved. The release module's text (build/firmware.wat) gets a counter bumped on entry to
// every function, exported as the global `__calls`; nothing else changes (no optimisation runs).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";
import type { Device } from "../host-sim/device.ts";
import { stream } from "./forwarding.ts";
import { lineRateBytes, streamPaced } from "./line-rate.ts";
import type { Row } from "./row.ts";
import { World } from "./world.ts";

const COUNTED_PATH = "build/bench/firmware.calls.wasm";

/** build/firmware.wat with `__calls` counting function entries, as a binary at COUNTED_PATH. */
function buildCounted(): void {
  const lines = readFileSync("build/firmware.wat", "utf8").split("\n");
  const out: string[] = [];
  let declared = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith(" (func $")) {
      out.push(line);
      continue;
    }
    // The counter goes after the imports (the text format wants them first), before the functions.
    if (!declared) out.push(' (global $__calls (mut i32) (i32.const 0))', ' (export "__calls" (global $__calls))');
    declared = true;
    out.push(line);
    while (lines[i + 1]?.startsWith("  (local ")) out.push(lines[++i]!);
    out.push("  global.get $__calls", "  i32.const 1", "  i32.add", "  global.set $__calls");
  }
  const module = binaryen.parseText(out.join("\n"));
  const f = binaryen.Features;
  module.setFeatures(f.MutableGlobals | f.SignExt | f.NontrappingFPToInt | f.BulkMemory | f.BulkMemoryOpt);
  if (!module.validate()) throw new Error("bench/call-count.ts: the counting module does not validate");
  mkdirSync("build/bench", { recursive: true });
  writeFileSync(COUNTED_PATH, module.emitBinary());
  module.dispose();
}

function callsSoFar(device: Device): number {
  return device.callExports((e) => (e["__calls"] as WebAssembly.Global).value as number) ?? 0;
}

/** Calls r1 and r2 made while `work` moved `bytes` bytes through each of them. */
function perByte(world: World, bytes: number, work: () => void): { r1: number; r2: number } {
  const r1 = callsSoFar(world.r1);
  const r2 = callsSoFar(world.r2);
  work();
  return { r1: (callsSoFar(world.r1) - r1) / bytes, r2: (callsSoFar(world.r2) - r2) / bytes };
}

export function measureCallCounts(): { rows: Row[]; figures: Record<string, unknown> } {
  buildCounted();
  const lines = 16;
  const bytes = 1 << 20;
  const unpaced = new World({ firmwarePath: COUNTED_PATH });
  unpaced.connect(lines);
  stream(unpaced, lines, 4096, false);
  const down = perByte(unpaced, bytes, () => stream(unpaced, lines, bytes / lines, false));
  const up = perByte(unpaced, bytes, () => stream(unpaced, lines, bytes / lines, true));

  // 16 lines at 921600, paced, both ways at once, as line-rate.ts streams them.
  const baud = 921600;
  const paced = new World({ firmwarePath: COUNTED_PATH, baud, paced: true });
  paced.connect(lines);
  const perLine = lineRateBytes(baud);
  const both = perByte(paced, 2 * lines * perLine, () => streamPaced(paced, lines, perLine, "both"));

  const f = (x: number): string => x.toFixed(2);
  const rows: Row[] = [
    { section: "calls", figure: "16 lines tty->2000+n->peer, unpaced", value: `r1 ${f(down.r1)}, r2 ${f(down.r2)} calls/B`, reference: "wasm function entries per byte; exact, any machine" },
    { section: "calls", figure: "16 lines peer->2000+n->tty, unpaced", value: `r1 ${f(up.r1)}, r2 ${f(up.r2)} calls/B` },
    { section: "calls", figure: "16 lines at 921600 paced, both ways", value: `r1 ${f(both.r1)}, r2 ${f(both.r2)} calls/B`, reference: "per byte through the device, both directions counted" },
  ];
  return { rows, figures: { down, up, pacedBoth: both } };
}
