// Footprint: what the firmware costs a microcontroller in flash (module bytes, by section) and RAM
// (fixed memory pages, static data and tables), with uIP and lwIP beside it for reference.
import { readFileSync } from "node:fs";
import { wasmFacts } from "../scripts/wasm-facts.ts";
import { loadEntry } from "../test/support/entry.ts";

export interface FootprintFigures {
  moduleBytes: number;
  codeBytes: number;
  dataBytes: number;
  memoryPages: number;
  staticRamBytes: number;
  freeRamBytes: number;
}

export function measureFootprint(): FootprintFigures {
  const facts = wasmFacts(readFileSync("build/firmware.wasm"));
  const entry = loadEntry<{ staticEnd(): number }>("footprint");
  const pages = facts.memory?.initialPages ?? 0;
  const staticRamBytes = entry.exports.staticEnd();
  return {
    moduleBytes: facts.bytes,
    codeBytes: facts.sectionBytes["code"] ?? 0,
    dataBytes: facts.sectionBytes["data"] ?? 0,
    memoryPages: pages,
    staticRamBytes,
    freeRamBytes: pages * 65536 - staticRamBytes,
  };
}
