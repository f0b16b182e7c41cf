// Footprint: what the firmware costs a microcontroller in flash (module bytes, by section, by
// function, by string literal) and RAM (fixed memory pages, static data and tables, bytes per
// object), with uIP and lwIP beside it: the packed text table, the AS Strings left, and
// what a release without asserts and a wasm-opt -Oz pass over the shipped module would still take off.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { promisify } from "node:util";
import { wasmFacts } from "../scripts/wasm-facts.ts";
import { loadEntry } from "../test/support/entry.ts";
import type { Row } from "./row.ts";
import { wasmAnatomy } from "./wasm-anatomy.ts";

const run = promisify(execFile);
const BIN = "node_modules/.bin";
const OUT = "build/bench";
/** The target of the footprint issue: the module fits 64 KiB of flash. */
export const MODULE_TARGET_BYTES = 65536;

interface EntryFacts {
  staticEnd(): number;
  tcbRecordBytes(): number;
  tcbSlotBytes(): number;
  telnetRecordBytes(): number;
  sessionRecordBytes(): number;
  lineRecordBytes(): number;
  execRecordBytes(): number;
  uartLineBytes(): number;
  vtyLineBytes(): number;
  arpEntryBytes(): number;
  tcbCount(): number;
  lineCount(): number;
  uartCount(): number;
  arpEntryCount(): number;
}

export interface Variants {
  /** The release module re-encoded with its name section (from build/firmware.wat). */
  namedPath: string;
  noAssertBytes: number;
  ozBytes: number;
  /** --noAssert, then -Oz: both measured together. */
  noAssertOzBytes: number;
}

/** Builds the module variants the figures need (run before the timing sections: it uses both cores). */
export async function buildVariants(): Promise<Variants> {
  mkdirSync(OUT, { recursive: true });
  const namedPath = `${OUT}/firmware.named.wasm`;
  const oz = (from: string, to: string) => run(`${BIN}/wasm-opt`, ["--all-features", "-Oz", "--converge", from, "-o", to]);
  await Promise.all([
    run(`${BIN}/wasm-as`, ["--all-features", "build/firmware.wat", "-g", "-o", namedPath]),
    run(`${BIN}/asc`, ["firmware/main.ts", "--config", "asconfig.json", "--target", "release", "--transform", "./scripts/text-table.js", "--noAssert", "--outFile", `${OUT}/firmware.noassert.wasm`, "--textFile", `${OUT}/firmware.noassert.wat`])
      .then(() => oz(`${OUT}/firmware.noassert.wasm`, `${OUT}/firmware.noassert.oz.wasm`)),
    oz("build/firmware.wasm", `${OUT}/firmware.oz.wasm`),
  ]);
  return {
    namedPath,
    noAssertBytes: readFileSync(`${OUT}/firmware.noassert.wasm`).length,
    ozBytes: readFileSync(`${OUT}/firmware.oz.wasm`).length,
    noAssertOzBytes: readFileSync(`${OUT}/firmware.noassert.oz.wasm`).length,
  };
}

/** String literals in the firmware's sources (what the text-table transform turns into handles):
 * quoted literals outside import lines and decorators, counted from the source text. */
function literalsInFirmware(): number {
  let count = 0;
  for (const file of readdirSync("firmware", { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts") || file.startsWith("testing")) continue;
    for (const line of readFileSync(`firmware/${file}`, "utf8").split("\n")) {
      if (/^\s*(import|export .* from|@|\/\/)/.test(line)) continue;
      count += line.match(/"(?:[^"\\]|\\.)*"/g)?.length ?? 0;
    }
  }
  return count;
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export function measureFootprint(variants: Variants): { rows: Row[]; figures: Record<string, unknown> } {
  const module = readFileSync("build/firmware.wasm");
  const facts = wasmFacts(module);
  const e = loadEntry<EntryFacts>("footprint").exports;
  const pages = facts.memory?.initialPages ?? 0;
  const staticEnd = e.staticEnd();
  const anatomy = wasmAnatomy(readFileSync(variants.namedPath));
  const code = facts.sectionBytes["code"] ?? 0;
  const data = facts.sectionBytes["data"] ?? 0;

  // Texts: the packed ASCII table (the largest data segment) and what is left as AS String objects.
  const strings = anatomy.strings;
  const stringSection = sum(strings.map((s) => s.sectionBytes));
  const tableBytes = anatomy.largestSegmentBytes;
  const literalCount = literalsInFirmware();

  // Code by function and by directory.
  const functions = [...anatomy.functions].sort((a, b) => b.bytes - a.bytes);
  const byDir = new Map<string, number>();
  for (const f of anatomy.functions) {
    const dir = f.name.startsWith("firmware/") ? f.name.split("/").slice(0, 2).join("/") : f.name.startsWith("~lib") ? "~lib (AS std)" : "other";
    byDir.set(dir, (byDir.get(dir) ?? 0) + f.bytes);
  }
  const dirs = [...byDir.entries()].sort((a, b) => b[1] - a[1]);

  const staticTables = staticEnd - tableBytes - stringSection; // everything static that is not text (tables, rings)

  const rows: Row[] = [
    { section: "footprint", figure: "build/firmware.wasm", value: `${module.length} B (${kib(module.length)})`, reference: `target <= ${MODULE_TARGET_BYTES} B; uIP ~5 KB code, lwIP ~20 KB code` },
    { section: "footprint", figure: "code section", value: `${code} B in ${anatomy.functions.length} functions` },
    { section: "footprint", figure: "data section", value: `${data} B in ${anatomy.segmentCount} segments`, reference: `${anatomy.segmentOverheadBytes} B of it is segment framing` },
    { section: "footprint", figure: "other sections", value: `${module.length - code - data} B` },
    { section: "footprint", figure: "memory (fixed)", value: `${pages} pages = ${pages * 64} KiB`, reference: "target <= 2 pages" },
    { section: "footprint", figure: "static RAM (__heap_base)", value: `${staticEnd} B`, reference: "debug-built entry; literals + tables" },
    { section: "footprint", figure: "RAM left", value: `${pages * 65536 - staticEnd} B` },
    { section: "footprint", figure: "static tables (not literals)", value: `${staticTables} B` },
    { section: "footprint", figure: "per TCB slot (record + rings)", value: `${e.tcbSlotBytes()} B x ${e.tcbCount()}`, reference: "uIP 30 B/conn; lwIP 164 B/tcp_pcb (no buffers)" },
    { section: "footprint", figure: "per TCB record only", value: `${e.tcbRecordBytes()} B` },
    { section: "footprint", figure: "per telnet handle", value: `${e.telnetRecordBytes()} B`, reference: "+ session record " + `${e.sessionRecordBytes()} B` },
    { section: "footprint", figure: "per connection, all in", value: `${e.tcbSlotBytes() + e.telnetRecordBytes() + e.sessionRecordBytes()} B` },
    { section: "footprint", figure: "per UART line (con/tty/aux)", value: `${e.uartLineBytes()} B x ${e.uartCount()}`, reference: `record ${e.lineRecordBytes()}, exec ${e.execRecordBytes()} + buffers` },
    { section: "footprint", figure: "per vty line", value: `${e.vtyLineBytes()} B x ${e.lineCount() - e.uartCount()}` },
    { section: "footprint", figure: "per ARP entry", value: `${e.arpEntryBytes()} B x ${e.arpEntryCount()}`, reference: "lwIP etharp_entry ~ 20-28 B" },
    { section: "flash", figure: "text table (packed ASCII)", value: `${tableBytes} B, one segment`, reference: `${literalCount} literal occurrences in firmware/, one entry per distinct text; word codes in printed texts` },
    { section: "flash", figure: "AS String literals left", value: `${strings.length}, ${stringSection} B in data`, reference: "template literals (assert messages are texts)" },
    { section: "flash", figure: "wasm-opt -Oz --converge", value: `${variants.ozBytes - module.length} B`, reference: `${variants.ozBytes} B module (over the shipped one)` },
    { section: "flash", figure: "asc --noAssert (no build shrink)", value: `${variants.noAssertBytes} B`, reference: "asc only: without the build's binaryen round and function-header strip" },
  ];
  for (const [dir, bytes] of dirs.slice(0, 10)) rows.push({ section: "code by dir", figure: dir, value: `${bytes} B`, reference: `${((100 * bytes) / code).toFixed(1)} %` });
  for (const f of functions.slice(0, 12)) rows.push({ section: "top funcs", figure: f.name.replace(/^firmware\//, ""), value: `${f.bytes} B` });
  const figures = {
    moduleBytes: module.length, codeBytes: code, dataBytes: data, memoryPages: pages, staticRamBytes: staticEnd,
    freeRamBytes: pages * 65536 - staticEnd, staticTablesBytes: staticTables,
    perObject: {
      tcbRecord: e.tcbRecordBytes(), tcbSlot: e.tcbSlotBytes(), telnet: e.telnetRecordBytes(), session: e.sessionRecordBytes(),
      uartLine: e.uartLineBytes(), vtyLine: e.vtyLineBytes(), lineRecord: e.lineRecordBytes(), execRecord: e.execRecordBytes(), arpEntry: e.arpEntryBytes(),
    },
    texts: { tableBytes, literalCount, stringLiterals: strings.length, stringSectionBytes: stringSection },
    segments: { count: anatomy.segmentCount, framingBytes: anatomy.segmentOverheadBytes, otherDataBytes: anatomy.otherDataBytes },
    variants: { noAssertBytes: variants.noAssertBytes, ozBytes: variants.ozBytes, noAssertOzBytes: variants.noAssertOzBytes },
    codeByDir: Object.fromEntries(dirs),
    topFunctions: functions.slice(0, 30).map((f) => ({ name: f.name, bytes: f.bytes })),
  };
  return { rows, figures };
}
