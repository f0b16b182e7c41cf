// Runs the firmware's core module directly under Node's WebAssembly, binding the HAL by hand with
// the canonical ABI's lowering (lists and strings as (ptr, len), returned lists through a return
// area filled via the guest's cabi_realloc). About 3-20 ns per call, against ~2.5 us through jco:
// the simulator and the benchmarks use this path; the component path proves it equivalent.
import { copyBytes } from "../byte-slab.ts";
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
  // buffer never changes). A module that grew it would detach the old buffer, which empties the
  // view: the length check (cheaper than reading memory.buffer each time) then makes a new one.
  let memoryView = new Uint8Array(0);
  const memory = (): Uint8Array => {
    if (memoryView.length === 0) memoryView = new Uint8Array(exports!.memory.buffer);
    return memoryView;
  };
  const view = (ptr: number, len: number): Uint8Array => memory().subarray(ptr, ptr + len);
  const text = (ptr: number, len: number): string => ascii.decode(view(ptr, len));
  const imports = {
    [HAL_MODULE]: {
      "net-mac": () => BigInt.asIntN(64, hal.netMac()),
      // Ownership: a frame is kept (in flight on a link, by a test's transmit hook), so net-tx
      // hands over a copy; uart-tx lends a view for the call only (Hal.uartTx), and the UART
      // copies just the part its FIFO accepts.
      "net-tx": (ptr: number, len: number) => hal.netTx(copyBytes(memory(), ptr, ptr + len)),
      "uart-tx": (line: number, ptr: number, len: number) => hal.uartTx(line, view(ptr, len)),
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
  // Arguments go through cabi_realloc as the canonical ABI says (the firmware hands out its staging
  // buffer and checks the size), then one copy into it.
  const copyIn = (data: Uint8Array): number => {
    const ptr = e.cabi_realloc(0, 0, 1, data.length);
    memory().set(data, ptr);
    return ptr;
  };
  // Polls come many at one instant: the instant's BigInt is made once.
  let pollMs = -1;
  let pollAt = -1n;
  return {
    boot: () => e.boot(),
    poll: (nowMs) => {
      if (nowMs !== pollMs) {
        pollMs = nowMs;
        pollAt = BigInt(nowMs);
      }
      e.poll(pollAt);
    },
    // i64 results arrive signed: NEVER (2^64 - 1) reads as -1, and any other instant is far
    // below 2^63, so only a negative value needs the unsigned reading.
    deadline: () => {
      const at = e.deadline();
      return at >= 0n ? Number(at) : deadlineToMs(BigInt.asUintN(64, at));
    },
    frame: (data) => e.frame(copyIn(data), data.length),
    serial: (line, data) => e.serial(line, copyIn(data), data.length) >>> 0,
    modem: (line, state) => e.modem(line, state),
    heap: () => e.heap() >>> 0,
    memoryBytes: () => e.memory.buffer.byteLength,
    rawExports: e as unknown as WebAssembly.Exports,
  };
}
