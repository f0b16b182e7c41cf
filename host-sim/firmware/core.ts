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

/**
 * A 95-byte module between the host and the firmware's u64 clock: poll(f64) truncates the instant
 * to a u64 and calls the firmware's poll; deadline() converts the firmware's u64 to the nearest f64
 * (exact below 2^53 ms; NEVER, 2^64 - 1, becomes 2^64). A JS call with an i64 goes through a BigInt
 * and V8's generic wrapper (about 0.3 us a poll); with an f64 it takes the fast path, and the
 * wasm-to-wasm call inside costs nanoseconds. What the firmware sees is the same u64.
 *
 *   (import "f" "poll" (func (param i64)))   (func (export "poll") (param f64) local.get 0 i64.trunc_f64_u call 0)
 *   (import "f" "deadline" (func (result i64)))   (func (export "deadline") (result f64) call 1 f64.convert_i64_u)
 */
const CLOCK_SHIM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // types: (i64)->(), ()->(i64), (f64)->(), ()->(f64)
  0x01, 0x11, 0x04, 0x60, 0x01, 0x7e, 0x00, 0x60, 0x00, 0x01, 0x7e, 0x60, 0x01, 0x7c, 0x00, 0x60, 0x00, 0x01, 0x7c,
  // imports: f.poll (type 0), f.deadline (type 1)
  0x02, 0x17, 0x02, 0x01, 0x66, 0x04, 0x70, 0x6f, 0x6c, 0x6c, 0x00, 0x00,
  0x01, 0x66, 0x08, 0x64, 0x65, 0x61, 0x64, 0x6c, 0x69, 0x6e, 0x65, 0x00, 0x01,
  // functions 2, 3: types 2, 3
  0x03, 0x03, 0x02, 0x02, 0x03,
  // exports: poll = func 2, deadline = func 3
  0x07, 0x13, 0x02, 0x04, 0x70, 0x6f, 0x6c, 0x6c, 0x00, 0x02, 0x08, 0x64, 0x65, 0x61, 0x64, 0x6c, 0x69, 0x6e, 0x65, 0x00, 0x03,
  // code: local.get 0, i64.trunc_f64_u, call 0 | call 1, f64.convert_i64_u
  0x0a, 0x0f, 0x02, 0x07, 0x00, 0x20, 0x00, 0xb1, 0x10, 0x00, 0x0b, 0x05, 0x00, 0x10, 0x01, 0xba, 0x0b,
]);
/** NEVER (2^64 - 1) as the shim's deadline() returns it. */
export const NEVER_AS_F64 = 2 ** 64;
let clockShimModule: WebAssembly.Module | undefined;

export interface ClockShim {
  poll(nowMs: number): void;
  deadline(): number;
}

export function clockShim(e: Pick<CoreExports, "poll" | "deadline">): ClockShim {
  clockShimModule ??= new WebAssembly.Module(CLOCK_SHIM);
  return new WebAssembly.Instance(clockShimModule, { f: { poll: e.poll, deadline: e.deadline } }).exports as unknown as ClockShim;
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
  // poll and deadline through the f64 shim: no BigInt per call, and V8's fast JS-to-wasm path.
  // A test entry without them (firmwarePath) keeps the BigInt calls, which then throw as before.
  const clock = typeof e.poll === "function" && typeof e.deadline === "function" ? clockShim(e) : undefined;
  return {
    boot: () => e.boot(),
    poll: clock ? (nowMs) => clock.poll(nowMs) : (nowMs) => e.poll(BigInt(nowMs)),
    deadline: clock
      ? () => {
          const at = clock.deadline();
          return at >= NEVER_AS_F64 ? Infinity : at;
        }
      : () => deadlineToMs(BigInt.asUintN(64, e.deadline())),
    frame: (data) => e.frame(copyIn(data), data.length),
    serial: (line, data) => e.serial(line, copyIn(data), data.length) >>> 0,
    modem: (line, state) => e.modem(line, state),
    heap: () => e.heap() >>> 0,
    memoryBytes: () => e.memory.buffer.byteLength,
    rawExports: e as unknown as WebAssembly.Exports,
  };
}
