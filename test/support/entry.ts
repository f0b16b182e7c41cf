// Loads a test entry (firmware/testing/NAME.ts, built to build/testing/NAME.wasm) with a recording
// HAL, for unit tests of one firmware layer through small exports. Whole-firmware tests use
// host-sim's Device instead.
import { readFileSync } from "node:fs";
import { HAL_MODULE, FirmwarePanic } from "../../host-sim/firmware/abi.ts";

export interface TestEntry<E> {
  exports: E;
  memory: () => Uint8Array;
  logs: string[];
  framesOut: Uint8Array[];
  uartOut: Map<number, number[]>;
  /** Copies bytes into the entry's staging buffer (cabi_realloc) and returns the pointer. */
  put(bytes: Uint8Array): number;
  /** Reads `len` bytes at `ptr`. */
  bytes(ptr: number, len: number): Uint8Array;
  text(ptr: number, len: number): string;
}

export function loadEntry<E>(name: string, options: { random?: () => number } = {}): TestEntry<E> {
  const module = new WebAssembly.Module(readFileSync(`build/testing/${name}.wasm`));
  let memory: WebAssembly.Memory | undefined;
  const mem = (): Uint8Array => new Uint8Array(memory!.buffer);
  const text = (ptr: number, len: number): string => new TextDecoder("latin1").decode(mem().subarray(ptr, ptr + len));
  const logs: string[] = [];
  const framesOut: Uint8Array[] = [];
  const uartOut = new Map<number, number[]>();
  let randomState = 1;
  const instance = new WebAssembly.Instance(module, {
    [HAL_MODULE]: {
      "net-mac": () => 0x020000000001n,
      "net-tx": (ptr: number, len: number) => framesOut.push(mem().slice(ptr, ptr + len)),
      "uart-tx": (line: number, ptr: number, len: number) => {
        const out = uartOut.get(line) ?? [];
        out.push(...mem().subarray(ptr, ptr + len));
        uartOut.set(line, out);
        return len;
      },
      "uart-config": () => undefined,
      "uart-control": () => undefined,
      "nvram-size": () => 0,
      "nvram-read": () => undefined,
      "nvram-write": () => 0,
      random: () => (options.random ? options.random() : (randomState = (Math.imul(randomState, 1103515245) + 12345) >>> 0)) | 0,
      log: (_level: number, ptr: number, len: number) => logs.push(text(ptr, len)),
      panic: (ptr: number, len: number) => {
        throw new FirmwarePanic(text(ptr, len));
      },
      reload: () => undefined,
    },
  });
  memory = instance.exports["memory"] as WebAssembly.Memory;
  const exports = instance.exports as unknown as E & { cabi_realloc?: (a: number, b: number, c: number, d: number) => number };
  return {
    exports,
    memory: mem,
    logs,
    framesOut,
    uartOut,
    put(bytes) {
      if (!exports.cabi_realloc) throw new Error(`${name} exports no cabi_realloc`);
      const ptr = exports.cabi_realloc(0, 0, 1, bytes.length);
      mem().set(bytes, ptr);
      return ptr;
    },
    bytes: (ptr, len) => mem().slice(ptr, ptr + len),
    text,
  };
}
