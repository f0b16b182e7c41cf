// Reads the facts of a core WebAssembly module that the build enforces and the benchmark reports:
// its imports and exports, its memory limits, whether it has a start function, and section sizes.
// A small reader of the binary format (WebAssembly core spec, section 5.5 "Modules").
import { readFileSync } from "node:fs";
import { WasmReader } from "./wasm-reader.ts";
import { HAL_IMPORTS, HAL_MODULE, MEMORY_PAGES_MAX } from "../host-sim/firmware/abi.ts";

export interface WasmFacts {
  bytes: number;
  imports: { module: string; name: string; kind: string }[];
  exports: { name: string; kind: string }[];
  memory: { initialPages: number; maximumPages: number | undefined } | undefined;
  hasStart: boolean;
  sectionBytes: Record<string, number>;
}

const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export",
  "start", "element", "code", "data", "datacount"] as const;

function readMemoryLimits(r: WasmReader): WasmFacts["memory"] {
  if (r.leb() === 0) return undefined;
  const flags = r.u8();
  const initialPages = r.leb();
  if ((flags & 1) === 0) return { initialPages, maximumPages: undefined };
  return { initialPages, maximumPages: r.leb() };
}

export function wasmFacts(bytes: Uint8Array<ArrayBuffer>): WasmFacts {
  const module = new WebAssembly.Module(bytes);
  const facts: WasmFacts = {
    bytes: bytes.length,
    imports: WebAssembly.Module.imports(module),
    exports: WebAssembly.Module.exports(module),
    memory: undefined,
    hasStart: false,
    sectionBytes: {},
  };
  const r = new WasmReader(bytes, 8); // after the magic and version
  while (r.at < bytes.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.at;
    const name = SECTION_NAMES[id] ?? `unknown${id}`;
    facts.sectionBytes[name] = (facts.sectionBytes[name] ?? 0) + size;
    if (name === "memory") facts.memory = readMemoryLimits(r);
    if (name === "start") facts.hasStart = true;
    r.at = start + size;
  }
  return facts;
}

/** Throws unless the module is firmware: HAL-only imports, fixed memory, no start function. */
export function checkInvariants(path: string): WasmFacts {
  const facts = wasmFacts(readFileSync(path));
  const problems: string[] = [];
  for (const i of facts.imports) {
    if (i.module !== HAL_MODULE || !HAL_IMPORTS.includes(i.name)) problems.push(`imports ${i.module}#${i.name}: not in the HAL`);
  }
  const memory = facts.memory;
  if (!memory) problems.push("declares no memory");
  else {
    if (memory.maximumPages !== memory.initialPages) problems.push(`memory is not fixed: initial ${memory.initialPages}, maximum ${memory.maximumPages ?? "none"}`);
    if (memory.initialPages > MEMORY_PAGES_MAX) problems.push(`memory is ${memory.initialPages} pages, more than ${MEMORY_PAGES_MAX}`);
  }
  if (facts.hasStart) problems.push("has a start function (something needs initialising outside boot)");
  if (problems.length > 0) throw new Error(`${path} breaks the firmware invariants:\n  ${problems.join("\n  ")}`);
  return facts;
}

