// `npm run build`: compiles the firmware (release and debug), checks the invariants that make it
// firmware (DESIGN.md 1-2), and wraps the release module as a component with its jco transpilation.
// Also compiles each test entry in firmware/testing/ (debug) for the unit tests: an entry holds only
// what it imports (a layer under test), or the whole firmware when it says `export * from "../main"`.
import asc from "assemblyscript/asc";
import binaryen from "binaryen";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { componentEmbed, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { checkInvariants } from "./wasm-facts.ts";
import { stripFunctionHeaders } from "./function-objects.ts";

/** Every compile runs the text-table transform (string literals -> one packed ASCII table; see the
 * transform's header). A command-line flag, not asconfig.json's "transform": asc would turn the
 * config's relative path into a bare module name that Node cannot resolve. */
const TRANSFORM_ARGS = ["--transform", "./scripts/text-table.js"];

async function compile(args: string[]): Promise<void> {
  const { error, stderr } = await asc.main([...args, ...TRANSFORM_ARGS], {});
  if (error) throw new Error(`asc ${args.join(" ")}\n${stderr.toString()}`);
}

/**
 * Binaryen's own -Oz pipeline over the release module after asc's (asc runs an AssemblyScript-tuned
 * pass list; the default pipeline still finds a few hundred bytes), repeated while the module
 * shrinks, keeping the smallest round: asc's --converge keeps the round after the best one ("Last
 * converge was suboptimal"). Reads the named text asc wrote, so build/firmware.wat keeps the function
 * names the bench reports. The features stay asc's defaults (an MCU runtime may lack the others).
 */
function shrinkRelease(wasmPath: string, watPath: string): void {
  const module = binaryen.parseText(readFileSync(watPath, "utf8"));
  const f = binaryen.Features;
  module.setFeatures(f.MutableGlobals | f.SignExt | f.NontrappingFPToInt | f.BulkMemory | f.BulkMemoryOpt);
  const levels = [binaryen.getOptimizeLevel(), binaryen.getShrinkLevel()] as const;
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(2);
  let best = module.emitBinary();
  let text = module.emitStackIR();
  // Monomorphize: a copy of a function for call sites that pass the same constant argument, when
  // that makes the copies and the calls smaller together (e.g. the writer `out`): ~70 B.
  module.runPasses(["monomorphize"]);
  for (let round = 0; round < 10; round++) {
    module.optimize();
    const next = module.emitBinary();
    if (next.length >= best.length) break;
    best = next;
    text = module.emitStackIR();
  }
  binaryen.setOptimizeLevel(levels[0]);
  binaryen.setShrinkLevel(levels[1]);
  if (!module.validate()) throw new Error("binaryen: the shrunk release module does not validate");
  module.dispose();
  writeFileSync(wasmPath, stripFunctionHeaders(best).bytes);
  writeFileSync(watPath, text);
}

async function buildComponent(corePath: string): Promise<void> {
  const wit = readFileSync("firmware/hal.wit", "utf8");
  const embedded = await componentEmbed({ binary: readFileSync(corePath), witSource: wit, world: "firmware" });
  const component = await componentNew(embedded, []);
  writeFileSync("build/firmware.component.wasm", component);
  const { files } = await transpileBytes(component, { name: "firmware", instantiation: "sync" });
  rmSync("build/jco", { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) {
    const path = join("build/jco", name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

async function buildTestEntries(): Promise<void> {
  if (!existsSync("firmware/testing")) return;
  for (const name of readdirSync("firmware/testing").filter((f) => f.endsWith(".ts"))) {
    const out = `build/testing/${name.replace(/\.ts$/, ".wasm")}`;
    await compile([`firmware/testing/${name}`, "--config", "asconfig.json", "--target", "debug", "--outFile", out, "--textFile", out.replace(/\.wasm$/, ".wat")]);
    checkInvariants(out);
  }
}

async function main(): Promise<void> {
  mkdirSync("build/testing", { recursive: true });
  await compile(["firmware/main.ts", "--config", "asconfig.json", "--target", "release"]);
  shrinkRelease("build/firmware.wasm", "build/firmware.wat");
  await compile(["firmware/main.ts", "--config", "asconfig.json", "--target", "debug"]);
  const release = checkInvariants("build/firmware.wasm");
  checkInvariants("build/firmware.debug.wasm");
  await buildComponent("build/firmware.wasm");
  await buildTestEntries();
  const pages = release.memory?.initialPages ?? 0;
  console.log(`build/firmware.wasm: ${release.bytes} bytes (code ${release.sectionBytes["code"] ?? 0}, data ${release.sectionBytes["data"] ?? 0}), memory ${pages} pages fixed (${pages * 64} KiB), imports ${release.imports.length} from the HAL only`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
