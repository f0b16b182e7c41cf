// Runs the firmware's core module directly under Node's WebAssembly, binding the HAL by hand with
// the canonical ABI's lowering (lists and strings as (ptr, len), returned lists through a return
// area filled via the guest's cabi_realloc). About 3-20 ns per call, against ~2.5 us through jco:
// the simulator and the benchmarks use this path; the component path proves it equivalent.
import { HAL_MODULE, FirmwarePanic, deadlineToMs, type Firmware, type Hal } from "./abi.ts";

const ascii = new TextDecoder("latin1");

interface CoreExports {
  memory: WebAssembly.Memory;
  boot(): void;
  poll(nowMs: bigint): void;
  deadline(): bigint;
  frame(ptr: number, len: number): void;
  serial(line: number, ptr: number, len: number): number;
  modem(line: number, state: number): void;
  heap(): number;
  cabi_realloc(oldPtr: number, oldSize: number, align: number, newSize: number): number;
}

export function compileCore(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module {
  return new WebAssembly.Module(bytes);
}

export function instantiateCore(module: WebAssembly.Module, hal: Hal): Firmware {
  let exports: CoreExports | undefined;
  // One view of the memory for every call: the firmware's memory is fixed (it never grows, so its
  // buffer never changes); the check only guards a module that would grow it.
  let memoryView = new Uint8Array(0);
  const memory = (): Uint8Array => {
    const buffer = exports!.memory.buffer;
    if (memoryView.buffer !== buffer) memoryView = new Uint8Array(buffer);
    return memoryView;
  };
  const view = (ptr: number, len: number): Uint8Array => memory().subarray(ptr, ptr + len);
  const text = (ptr: number, len: number): string => ascii.decode(view(ptr, len));
  const imports = {
    [HAL_MODULE]: {
      "net-mac": () => BigInt.asIntN(64, hal.netMac()),
      "net-tx": (ptr: number, len: number) => hal.netTx(view(ptr, len).slice()),
      "uart-tx": (line: number, ptr: number, len: number) => hal.uartTx(line, view(ptr, len).slice()),
      "uart-config": (line: number, baud: number, dataBits: number, parity: number, stopBits: number, flow: number) =>
        hal.uartConfig(line, { baud: baud >>> 0, dataBits, parity, stopBits, flow }),
      "uart-control": (line: number, signals: number) => hal.uartControl(line, signals),
      "nvram-size": () => hal.nvramSize(),
      "nvram-read": (offset: number, len: number, retArea: number) => {
        const data = hal.nvramRead(offset >>> 0, len >>> 0);
        const ptr = exports!.cabi_realloc(0, 0, 1, data.length);
        memory().set(data, ptr);
        const ret = new DataView(exports!.memory.buffer);
        ret.setUint32(retArea, ptr, true);
        ret.setUint32(retArea + 4, data.length, true);
      },
      "nvram-write": (offset: number, ptr: number, len: number) => (hal.nvramWrite(offset >>> 0, view(ptr, len).slice()) ? 1 : 0),
      random: () => hal.random() | 0,
      log: (level: number, ptr: number, len: number) => hal.log(level, text(ptr, len)),
      panic: (ptr: number, len: number) => {
        const message = text(ptr, len);
        hal.panic(message);
        throw new FirmwarePanic(message);
      },
      reload: () => hal.reload(),
    },
  };
  exports = new WebAssembly.Instance(module, imports).exports as unknown as CoreExports;
  const e = exports;
  const copyIn = (data: Uint8Array): number => {
    const ptr = e.cabi_realloc(0, 0, 1, data.length);
    memory().set(data, ptr);
    return ptr;
  };
  return {
    boot: () => e.boot(),
    poll: (nowMs) => e.poll(BigInt(nowMs)),
    // i64 results arrive signed: NEVER (2^64 - 1) would read as -1.
    deadline: () => deadlineToMs(BigInt.asUintN(64, e.deadline())),
    frame: (data) => e.frame(copyIn(data), data.length),
    serial: (line, data) => e.serial(line, copyIn(data), data.length) >>> 0,
    modem: (line, state) => e.modem(line, state),
    heap: () => e.heap() >>> 0,
    memoryBytes: () => e.memory.buffer.byteLength,
    rawExports: e as unknown as WebAssembly.Exports,
  };
}
