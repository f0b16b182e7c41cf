// The text table: the build turns every string literal of firmware/** into a handle into one packed
// ASCII table (scripts/text-table.js; format in firmware/lib/text-table.ts). These tests read the
// table and the texts written from it byte for byte, and prove a non-ASCII literal fails the build.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { describe, expect, it } from "vitest";
import { FirmwarePanic } from "../../host-sim/firmware/abi.ts";
import { loadEntry } from "../support/entry.ts";

interface TextTableEntry {
  outPtr(): number;
  writeDemo(): number;
  handleEmpty(): number;
  handleRouter(): number;
  handleRouterAgain(): number;
  handleLonger(): number;
  entryAddress(t: number): number;
  entryLength(t: number): number;
  isRouter(ptr: number, len: number): number;
  writePrinted(): number;
  plainOfPrinted(): number;
  templateLength(): number;
  failAssert(): void;
}

describe("text table", () => {
  const entry = loadEntry<TextTableEntry>("text_table");
  const e = entry.exports;

  it("writes literals and templates as their exact ASCII bytes", () => {
    const len = e.writeDemo();
    expect([...entry.bytes(e.outPtr(), len)]).toEqual([...Buffer.from("Router> Router\r\n7 of 42|", "latin1")]);
  });

  it("stores each entry as a length byte and its ASCII text, shortest first, equal texts once", () => {
    expect(e.handleEmpty()).toBe(0); // the shortest entry comes first: handle 0
    expect(e.handleRouterAgain()).toBe(e.handleRouter());
    const router = e.entryAddress(e.handleRouter());
    expect([...entry.bytes(router, 7)]).toEqual([6, ...Buffer.from("Router")]);
    const longer = e.handleLonger();
    expect(longer).toBeGreaterThan(e.handleRouter());
    expect(e.entryLength(longer)).toBe(25);
    expect(entry.text(e.entryAddress(longer) + 1, 25)).toBe("Building configuration...");
    // The table is one run: the empty entry's address + handle gives every other entry.
    expect(e.entryAddress(longer) - e.entryAddress(e.handleEmpty())).toBe(longer);
  });

  it("prints dictionary word codes of a printed literal as their words", () => {
    const text = "Enter configuration commands, one per line.";
    const len = e.writePrinted();
    expect(entry.text(e.outPtr(), len)).toBe(text);
    // The plain (compared) form of the same literal is all ASCII, its full length.
    const plain = e.plainOfPrinted();
    expect(e.entryLength(plain)).toBe(text.length);
    expect(entry.text(e.entryAddress(plain) + 1, text.length)).toBe(text);
  });

  it("compares bytes against a literal", () => {
    const ptr = entry.put(Buffer.from("Routers"));
    expect(e.isRouter(ptr, 6)).toBe(1);
    expect(e.isRouter(ptr, 7)).toBe(0);
    expect(e.isRouter(entry.put(Buffer.from("router")), 6)).toBe(0);
  });

  it("leaves template literals as AssemblyScript strings, and panics with an assert's message and place", () => {
    expect(e.templateLength()).toBe(8);
    const line = readFileSync("firmware/testing/text_table.ts", "utf8").split("\n").findIndex((l) => l.includes("assert(false")) + 1;
    expect(() => e.failAssert()).toThrow(new FirmwarePanic(`text table: assert messages stay strings at firmware/testing/text_table.ts:${line}:3`));
  });
});

describe("text table transform", () => {
  it("fails the build on a non-ASCII literal, naming file, line and column", async () => {
    const path = "firmware/testing/non_ascii.ts";
    const source = 'import "../hal/abort";\nimport "../lib/runtime";\nexport function f(): u32 {\n  return "caf\u00e9";\n}\n';
    const { error } = await asc.main([path, "--config", "asconfig.json", "--target", "debug", "--noEmit", "--transform", "./scripts/text-table.js"], {
      readFile: (name: string, baseDir: string) => {
        if (name === path) return source;
        try {
          return readFileSync(join(baseDir, name), "utf8");
        } catch {
          return null;
        }
      },
    });
    expect(error?.message).toBe(`${path}:4:10: non-ASCII character in a string literal (the text table is ASCII): "caf\u00e9"`);
  }, 60_000);
});
