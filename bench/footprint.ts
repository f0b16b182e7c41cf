// Footprint: what the firmware costs a microcontroller in flash (module bytes, by section, by
// function, by string literal) and RAM (fixed memory pages, static data and tables, bytes per
// object), with uIP and lwIP beside it. Also measures what would shrink the module: literals
// stored as ASCII, release builds without asserts, a stronger binaryen pass.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { wasmFacts } from "../scripts/wasm-facts.ts";
import { loadEntry } from "../test/support/entry.ts";
import type { Row } from "./row.ts";
import { wasmAnatomy, type StringLiteral } from "./wasm-anatomy.ts";

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

/** Bytes of one literal stored as ASCII in one packed table: the text and a length byte (two past 255). */
function packedAsciiBytes(s: StringLiteral): number {
  const chars = s.payloadBytes / 2;
  return chars + (chars > 255 ? 2 : 1);
}

/** i32.const operands in the release code that point at a literal's text (build/firmware.wat is
 * flat text: one instruction a line; the data segments are skipped). */
function literalReferences(literalAddresses: Set<number>): number {
  const wat = readFileSync("build/firmware.wat", "latin1");
  let count = 0;
  for (const m of wat.matchAll(/^\s*i32\.const (\d+)$/gm)) if (literalAddresses.has(Number(m[1]))) count++;
  return count;
}

/** Bytes of a signed LEB128 (an i32.const immediate). */
function slebBytes(value: number): number {
  let n = 1;
  while (value >= 0x40 || value < -0x40) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
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

  // Strings.
  const strings = anatomy.strings;
  const stringSection = sum(strings.map((s) => s.sectionBytes));
  const utf16 = sum(strings.map((s) => s.payloadBytes));
  const objectBytes = sum(strings.map((s) => 20 + s.payloadBytes));
  const packed = sum(strings.map(packedAsciiBytes)) + 8; // one segment's framing
  const help = strings.filter((s) => s.text.includes("|"));
  const asserts = strings.filter((s) => s.text.startsWith("firmware/") || s.text.startsWith("~lib/"));
  const nonAscii = strings.filter((s) => !s.ascii).length;
  const savedHalving = utf16 / 2;
  const savedPacked = stringSection - packed;

  // Code by function and by directory.
  const functions = [...anatomy.functions].sort((a, b) => b.bytes - a.bytes);
  const byDir = new Map<string, number>();
  for (const f of anatomy.functions) {
    const dir = f.name.startsWith("firmware/") ? f.name.split("/").slice(0, 2).join("/") : f.name.startsWith("~lib") ? "~lib (AS std)" : "other";
    byDir.set(dir, (byDir.get(dir) ?? 0) + f.bytes);
  }
  const dirs = [...byDir.entries()].sort((a, b) => b[1] - a[1]);

  const staticTables = staticEnd - objectBytes; // everything static that is not a literal (tables, rings)
  const afterAscii = module.length - savedPacked;
  // Call sites: today an i32.const of the literal's address; in a packed table, of its offset.
  const refs = literalReferences(new Set(strings.map((s) => s.address)));
  const refBytesNow = refs * slebBytes(Math.max(...strings.map((s) => s.address)));
  const refBytesPacked = refs * slebBytes(packed);
  const refBytesCentred = refs * slebBytes(Math.ceil(packed / 2)); // handle = offset - half the table
  // The two builds measured together, then the literals that are left in that module (asserts' texts are gone).
  const leanStrings = wasmAnatomy(readFileSync(`${OUT}/firmware.noassert.oz.wasm`)).strings;
  const leanSaved = sum(leanStrings.map((s) => s.sectionBytes)) - (sum(leanStrings.map(packedAsciiBytes)) + 8);
  const afterAll = variants.noAssertOzBytes - leanSaved;

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
    { section: "flash", figure: "string literals", value: `${strings.length}, ${stringSection} B in data`, reference: `UTF-16 text ${utf16} B; ${nonAscii} non-ASCII` },
    { section: "flash", figure: "  of which help/syntax texts", value: `${sum(help.map((s) => s.sectionBytes))} B`, reference: `${help.length} literals with '|'` },
    { section: "flash", figure: "  of which assert file names", value: `${sum(asserts.map((s) => s.sectionBytes))} B`, reference: `${asserts.length} literals` },
    { section: "flash", figure: "ASCII text, AS layout kept", value: `-${savedHalving} B`, reference: "half of the UTF-16 text" },
    { section: "flash", figure: "ASCII packed table (len byte)", value: `-${savedPacked} B -> ${afterAscii} B`, reference: `literals would take ${packed} B` },
    { section: "flash", figure: "literal references in code", value: `${refs} x i32.const`, reference: `table offsets: -${refBytesNow - refBytesPacked} B; centred handles: -${refBytesNow - refBytesCentred} B` },
    { section: "flash", figure: "release --noAssert", value: `-${module.length - variants.noAssertBytes} B`, reference: `${variants.noAssertBytes} B module` },
    { section: "flash", figure: "wasm-opt -Oz --converge", value: `-${module.length - variants.ozBytes} B`, reference: `${variants.ozBytes} B module` },
    { section: "flash", figure: "--noAssert then -Oz", value: `-${module.length - variants.noAssertOzBytes} B`, reference: `${variants.noAssertOzBytes} B module (both measured)` },
    { section: "flash", figure: "that + ASCII packed (est.)", value: `${afterAll} B`, reference: `${afterAll - MODULE_TARGET_BYTES} B over 64 KiB (${leanStrings.length} literals left, -${leanSaved} B)` },
  ];
  for (const [dir, bytes] of dirs.slice(0, 10)) rows.push({ section: "code by dir", figure: dir, value: `${bytes} B`, reference: `${((100 * bytes) / code).toFixed(1)} %` });
  for (const f of functions.slice(0, 12)) rows.push({ section: "top funcs", figure: f.name.replace(/^firmware\//, ""), value: `${f.bytes} B` });
  const topStrings = [...strings].sort((a, b) => b.sectionBytes - a.sectionBytes).slice(0, 8);
  for (const s of topStrings) rows.push({ section: "top strings", figure: JSON.stringify(s.text.slice(0, 30)), value: `${s.sectionBytes} B` });

  const figures = {
    moduleBytes: module.length, codeBytes: code, dataBytes: data, memoryPages: pages, staticRamBytes: staticEnd,
    freeRamBytes: pages * 65536 - staticEnd, staticTablesBytes: staticTables,
    perObject: {
      tcbRecord: e.tcbRecordBytes(), tcbSlot: e.tcbSlotBytes(), telnet: e.telnetRecordBytes(), session: e.sessionRecordBytes(),
      uartLine: e.uartLineBytes(), vtyLine: e.vtyLineBytes(), lineRecord: e.lineRecordBytes(), execRecord: e.execRecordBytes(), arpEntry: e.arpEntryBytes(),
    },
    strings: {
      count: strings.length, sectionBytes: stringSection, utf16Bytes: utf16, nonAscii, helpBytes: sum(help.map((s) => s.sectionBytes)),
      assertNameBytes: sum(asserts.map((s) => s.sectionBytes)), packedAsciiBytes: packed, savedHalving, savedPacked,
      codeReferences: refs, referenceBytesNow: refBytesNow, referenceBytesPacked: refBytesPacked, referenceBytesCentred: refBytesCentred,
    },
    segments: { count: anatomy.segmentCount, framingBytes: anatomy.segmentOverheadBytes, otherDataBytes: anatomy.otherDataBytes },
    variants: { noAssertBytes: variants.noAssertBytes, ozBytes: variants.ozBytes, noAssertOzBytes: variants.noAssertOzBytes, allThreeEstimateBytes: afterAll, leanLiterals: leanStrings.length, leanSavedPacked: leanSaved },
    codeByDir: Object.fromEntries(dirs),
    topFunctions: functions.slice(0, 30).map((f) => ({ name: f.name, bytes: f.bytes })),
    topStrings: topStrings.map((s) => ({ text: s.text, sectionBytes: s.sectionBytes })),
  };
  return { rows, figures };
}
