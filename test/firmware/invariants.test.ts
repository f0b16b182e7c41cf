// DESIGN.md invariants 1-3, checked on the built modules: HAL-only imports, fixed memory, no start
// function, and no allocation after boot (a guard that panics, and a heap that never moves).
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HAL_IMPORTS, HAL_MODULE, MEMORY_PAGES_MAX, FirmwarePanic } from "../../host-sim/firmware/abi.ts";
import { checkInvariants, wasmFacts } from "../../scripts/wasm-facts.ts";

describe("the release and debug modules", () => {
  for (const path of ["build/firmware.wasm", "build/firmware.debug.wasm"]) {
    it(`${path} imports only the HAL, declares fixed memory and has no start function`, () => {
      const facts = wasmFacts(readFileSync(path));
      for (const i of facts.imports) {
        expect(i.module).toBe(HAL_MODULE);
        expect(HAL_IMPORTS).toContain(i.name);
      }
      expect(facts.memory?.initialPages).toBe(facts.memory?.maximumPages);
      expect(facts.memory!.initialPages).toBeLessThanOrEqual(MEMORY_PAGES_MAX);
      expect(facts.hasStart).toBe(false);
      expect(facts.exports.map((e) => e.name).sort()).toEqual(
        ["boot", "cabi_realloc", "deadline", "frame", "heap", "memory", "modem", "poll", "serial"],
      );
    });
  }

  it("the build's own check rejects a module that imports outside the HAL", () => {
    // A module that imports env.abort, as asc's default runtime would.
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 13, 1, 3, 101, 110, 118, 5, 97, 98, 111, 114, 116, 0, 0]);
    const path = "build/testing/bad-import.wasm";
    writeFileSync(path, bytes);
    expect(() => checkInvariants(path)).toThrow(/env#abort: not in the HAL/);
  });
});

describe("the allocation guard", () => {
  function instantiateGuardEntry(): { allocate(n: number): number; boot(): void; heap(): number } {
    const module = new WebAssembly.Module(readFileSync("build/testing/heap_guard.wasm"));
    // asc adds main.ts's exports to every entry, so the entry may import any HAL function: stub them.
    const stubs = Object.fromEntries(HAL_IMPORTS.map((name) => [name, () => 0]));
    const instance = new WebAssembly.Instance(module, {
      [HAL_MODULE]: {
        ...stubs,
        "net-mac": () => 0n,
        panic: (ptr: number, len: number) => {
          const memory = instance.exports["memory"] as WebAssembly.Memory;
          throw new FirmwarePanic(new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len)));
        },
      },
    });
    return instance.exports as unknown as { allocate(n: number): number; boot(): void; heap(): number };
  }

  it("lets boot allocate and panics on the first allocation after boot", () => {
    const entry = instantiateGuardEntry();
    expect(entry.allocate(7)).toBe(6);
    const before = entry.heap();
    expect(before).toBeGreaterThan(0);
    entry.boot();
    expect(() => entry.allocate(8)).toThrow(/firmware panic: allocation after boot at firmware\/lib\/runtime\.ts/);
    expect(entry.heap()).toBe(before);
  });
});

