// Reads the facts of a core WebAssembly module that the build enforces and the benchmark reports:
// its imports and exports, its memory limits, whether it has a start function, and section sizes.
// A small reader of the binary format (WebAssembly core spec, section 5.5 "Modules").
import { readFileSync } from "node:fs";
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

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error("truncated LEB128");
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, at];
    if (shift > 35) throw new Error("LEB128 too long");
  }
}

function readMemoryLimits(bytes: Uint8Array, at: number): WasmFacts["memory"] {
  let count: number;
  [count, at] = readLeb(bytes, at);
  if (count === 0) return undefined;
  const flags = bytes[at++] ?? 0;
  let initialPages: number;
  [initialPages, at] = readLeb(bytes, at);
  if ((flags & 1) === 0) return { initialPages, maximumPages: undefined };
  const [maximumPages] = readLeb(bytes, at);
  return { initialPages, maximumPages };
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
  let at = 8; // magic and version
  while (at < bytes.length) {
    const id = bytes[at++] ?? 0;
    let size: number;
    [size, at] = readLeb(bytes, at);
    const name = SECTION_NAMES[id] ?? `unknown${id}`;
    facts.sectionBytes[name] = (facts.sectionBytes[name] ?? 0) + size;
    if (name === "memory") facts.memory = readMemoryLimits(bytes, at);
    if (name === "start") facts.hasStart = true;
    at += size;
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

