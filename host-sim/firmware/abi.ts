// The HAL contract seen from the host: firmware/hal.wit in TypeScript. Both ways of running the
// firmware (the core module with a hand-written canonical-ABI binding, or the jco-transpiled
// component) present exactly this interface, so the simulator and the tests never know which runs.

export const HAL_MODULE = "termsrv:firmware/hal@0.1.0";
export const HAL_IMPORTS: readonly string[] = [
  "net-mac", "net-tx", "uart-tx", "uart-config", "uart-control", "nvram-size", "nvram-read", "nvram-write",
  "random", "log", "panic", "reload",
];
export const MEMORY_PAGES_MAX = 2;
/** deadline() when nothing is scheduled. */
export const NEVER = 0xffff_ffff_ffff_ffffn;

/** RFC 2217 codes, which hal.wit uses for line settings. */
export const Parity = { none: 1, odd: 2, even: 3, mark: 4, space: 5 } as const;
export const StopBits = { one: 1, two: 2, oneAndHalf: 3 } as const;
export const Flow = { none: 1, xonXoff: 2, hardware: 3 } as const;
/** uart-control output signal bits. */
export const Signal = { dtr: 1, rts: 2, brk: 4 } as const;
/** modem() input bits, RFC 2217 modem state. */
export const Modem = { cts: 0x10, dsr: 0x20, ri: 0x40, dcd: 0x80 } as const;

export interface UartSettings {
  baud: number;
  dataBits: number;
  parity: number;
  stopBits: number;
  flow: number;
}

/** What the host provides: the imports of hal.wit. */
export interface Hal {
  /** The NIC's 48-bit MAC address, most significant byte first in the low 48 bits. */
  netMac(): bigint;
  /** `frame` is the host's own copy: it may keep it. */
  netTx(frame: Uint8Array): void;
  /** `data` is lent for the call only (a view of the firmware's memory on the core path): copy
   * what is kept. Returns how many bytes were taken. */
  uartTx(line: number, data: Uint8Array): number;
  uartConfig(line: number, settings: UartSettings): void;
  uartControl(line: number, signals: number): void;
  nvramSize(): number;
  nvramRead(offset: number, length: number): Uint8Array;
  nvramWrite(offset: number, data: Uint8Array): boolean;
  random(): number;
  log(level: number, message: string): void;
  /** The firmware crashed; the binding throws FirmwarePanic right after this returns. */
  panic(message: string): void;
  reload(): void;
}

/** What the firmware provides: the exports of hal.wit. Byte arrays are copied in. */
export interface Firmware {
  boot(): void;
  poll(nowMs: number): void;
  /** The next instant poll is needed, in ms; Infinity when nothing is scheduled. */
  deadline(): number;
  frame(data: Uint8Array): void;
  serial(line: number, data: Uint8Array): number;
  modem(line: number, state: number): void;
  heap(): number;
  /** The guest's linear memory size in bytes (for the fixed-memory invariant). */
  memoryBytes(): number;
  /** The core instance's raw exports (core path only): test entries export more than hal.wit. */
  rawExports?: WebAssembly.Exports;
}

/** Thrown out of a firmware call when the firmware called panic: the device has crashed. */
export class FirmwarePanic extends Error {
  constructor(message: string) {
    super(`firmware panic: ${message}`);
    this.name = "FirmwarePanic";
  }
}

export function deadlineToMs(deadline: bigint): number {
  return deadline === NEVER ? Infinity : Number(deadline);
}
