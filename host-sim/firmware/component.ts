// Runs the firmware as a WebAssembly component through jco's transpilation (build/jco), the way
// wasmtime would run it: the canonical ABI is jco's, not ours. Used for conformance scenarios;
// slower per call than the core path (see core.ts).
import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { HAL_MODULE, FirmwarePanic, deadlineToMs, type Firmware, type Hal } from "./abi.ts";

const JCO_DIR = fileURLToPath(new URL("../../build/jco/", import.meta.url));

interface ComponentExports {
  boot(): void;
  poll(nowMs: bigint): void;
  deadline(): bigint;
  frame(data: Uint8Array): void;
  serial(line: number, data: Uint8Array): number;
  modem(line: number, state: number): void;
  heap(): number;
}

type Instantiate = (
  getCoreModule: (path: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore?: (module: WebAssembly.Module, imports: WebAssembly.Imports) => WebAssembly.Instance,
) => ComponentExports;

/** The transpiled glue and its compiled core modules, loaded once (the import is asynchronous). */
export interface ComponentGlue {
  instantiate: Instantiate;
  modules: Map<string, WebAssembly.Module>;
}

export async function loadComponentGlue(): Promise<ComponentGlue> {
  const glue = (await import(pathToFileURL(join(JCO_DIR, "firmware.js")).href)) as { instantiate: Instantiate };
  const modules = new Map<string, WebAssembly.Module>();
  for (const name of await readdir(JCO_DIR)) {
    if (name.endsWith(".wasm")) modules.set(name, new WebAssembly.Module(await readFile(join(JCO_DIR, name))));
  }
  return { instantiate: glue.instantiate, modules };
}

/** Instantiates the component synchronously (the build transpiles with sync instantiation). */
export function instantiateComponent(glue: ComponentGlue, hal: Hal): Firmware {
  const memories: WebAssembly.Memory[] = [];
  const getCoreModule = (path: string): WebAssembly.Module => {
    const module = glue.modules.get(path);
    if (!module) throw new Error(`jco glue asks for unknown core module ${path}`);
    return module;
  };
  const instantiateCore = (module: WebAssembly.Module, imports: WebAssembly.Imports): WebAssembly.Instance => {
    const instance = new WebAssembly.Instance(module, imports);
    const memory = instance.exports["memory"];
    if (memory instanceof WebAssembly.Memory) memories.push(memory);
    return instance;
  };
  const halImports = {
    netMac: () => hal.netMac(),
    netTx: (frame: Uint8Array) => hal.netTx(frame.slice()),
    uartTx: (line: number, data: Uint8Array) => hal.uartTx(line, data.slice()),
    uartConfig: (line: number, baud: number, dataBits: number, parity: number, stopBits: number, flow: number) =>
      hal.uartConfig(line, { baud, dataBits, parity, stopBits, flow }),
    uartControl: (line: number, signals: number) => hal.uartControl(line, signals),
    nvramSize: () => hal.nvramSize(),
    nvramRead: (offset: number, len: number) => hal.nvramRead(offset, len),
    nvramWrite: (offset: number, data: Uint8Array) => hal.nvramWrite(offset, data.slice()),
    random: () => hal.random() >>> 0,
    log: (level: number, message: string) => hal.log(level, message),
    panic: (message: string) => {
      hal.panic(message);
      throw new FirmwarePanic(message);
    },
    reload: () => hal.reload(),
  };
  // jco's glue looks the interface up both with and without its version.
  const exports = glue.instantiate(getCoreModule, { [HAL_MODULE]: halImports, [HAL_MODULE.replace(/@.*$/, "")]: halImports }, instantiateCore);
  const memory = memories[0];
  if (!memory) throw new Error("component exposes no memory");
  return {
    boot: () => exports.boot(),
    poll: (nowMs) => exports.poll(BigInt(nowMs)),
    deadline: () => deadlineToMs(exports.deadline()),
    frame: (data) => exports.frame(data),
    serial: (line, data) => exports.serial(line, data),
    modem: (line, state) => exports.modem(line, state),
    heap: () => exports.heap(),
    memoryBytes: () => memory.buffer.byteLength,
  };
}
