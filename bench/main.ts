// `npm run bench`: measures and prints figures (never pass/fail), as one table, and writes them as
// JSON to build/bench.json. Each section lives in its own file.
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { measureFootprint } from "./footprint.ts";

interface Row {
  section: string;
  figure: string;
  value: string;
  reference?: string;
}

function main(): void {
  const rows: Row[] = [];
  const footprint = measureFootprint();
  rows.push(
    { section: "footprint", figure: "build/firmware.wasm", value: `${footprint.moduleBytes} B`, reference: "target <= 65536 B; uIP ~5 KB code, lwIP ~20 KB code" },
    { section: "footprint", figure: "code section", value: `${footprint.codeBytes} B` },
    { section: "footprint", figure: "data section", value: `${footprint.dataBytes} B` },
    { section: "footprint", figure: "memory (fixed)", value: `${footprint.memoryPages} pages = ${footprint.memoryPages * 64} KiB`, reference: "target <= 2 pages" },
    { section: "footprint", figure: "static RAM (data + tables)", value: `${footprint.staticRamBytes} B` },
    { section: "footprint", figure: "RAM left", value: `${footprint.freeRamBytes} B` },
  );
  const machine = `${cpus()[0]?.model ?? "unknown CPU"} x${cpus().length}, Node ${process.version}`;
  const widths = [10, 34, 26];
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  console.log(`bench on ${machine}`);
  console.log(line(["section", "figure", "value", "reference"]));
  for (const r of rows) console.log(line([r.section, r.figure, r.value, r.reference ?? ""]));
  writeFileSync("build/bench.json", JSON.stringify({ machine, date: new Date().toISOString(), rows, footprint }, null, 2));
  console.log("written build/bench.json");
}

main();
