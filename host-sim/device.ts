// One simulated terminal server: a firmware instance (core module or component, same interface)
// with its HAL bound to the simulator: UARTs, a NIC, NVRAM, a seeded random source, logs, reload.
// Power-off and reload throw away the instance (RAM); NVRAM survives.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FirmwarePanic, type Firmware, type Hal } from "./firmware/abi.ts";
import { compileCore, instantiateCore } from "./firmware/core.ts";
import { loadComponentGlue, instantiateComponent, type ComponentGlue } from "./firmware/component.ts";
import { MemoryNvram, type Nvram } from "./nvram.ts";
import { Prng } from "./prng.ts";
import type { Pollable, Scheduler } from "./scheduler.ts";
import { Uart, type UartPort } from "./serial.ts";

/** UARTs of a device: con 0, tty 1..16, aux 17 (IOS's absolute line numbers). */
export const UART_COUNT_DEFAULT = 18;
/** uartsWaiting when a line beyond the bit mask waits: every line is offered its input again. */
const ALL_UARTS_WAITING = -1;
/** Log lines kept per device (older ones are dropped, counted in logsDropped). */
const LOG_LINES_KEPT = 20_000;

export type FirmwareKind = "core" | "component";

export interface DeviceOptions {
  name: string;
  /** 48-bit MAC address. */
  mac: bigint;
  seed: number;
  firmware?: FirmwareKind;
  uartCount?: number;
  nvram?: Nvram;
  /** A core module to run instead of build/firmware.wasm (a test entry, build/testing/NAME.wasm). */
  firmwarePath?: string;
  /** Where log lines go besides device.logs (for example the console). */
  logSink?: (device: Device, entry: LogEntry) => void;
}

export interface LogEntry {
  atMs: number;
  level: number;
  text: string;
}

export type PowerState = "off" | "running" | "crashed";

const FIRMWARE_PATH = fileURLToPath(new URL("../build/firmware.wasm", import.meta.url));
let coreModule: WebAssembly.Module | undefined;
const entryModules = new Map<string, WebAssembly.Module>();
let componentGlue: ComponentGlue | undefined;

/** Loads what the firmware kinds need (the component glue is an async import); call once. */
export async function prepareFirmware(kind: FirmwareKind): Promise<void> {
  if (kind === "component") componentGlue ??= await loadComponentGlue();
  else coreModule ??= compileCore(readFileSync(FIRMWARE_PATH));
}

export class Device implements Pollable {
  readonly name: string;
  readonly mac: bigint;
  readonly uarts: Uart[];
  readonly nvram: Nvram;
  readonly logs: LogEntry[] = [];
  logsDropped = 0;
  state: PowerState = "off";
  crashMessage: string | undefined;
  boots = 0;
  /** Called with each frame the firmware transmits (set by the network it is plugged into). */
  transmit: ((frame: Uint8Array) => void) | undefined;
  framesOut = 0;
  framesIn = 0;
  private firmware: Firmware | undefined;
  private readonly kind: FirmwareKind;
  private readonly random: Prng;
  private reloadRequested = false;
  private kicked = false;
  private cachedDeadlineMs = Infinity;
  /** A call changed the firmware since its deadline was last asked: ask again when it is needed.
   * Most calls (serial, frame) kick a poll at once, so their deadline would never be read. */
  private deadlineStale = false;
  /** Bit n: UART n's input waits for the next poll (UartPort.waitForPoll). */
  private uartsWaiting = 0;

  constructor(private readonly scheduler: Scheduler, private readonly options: DeviceOptions) {
    this.name = options.name;
    this.mac = options.mac;
    this.kind = options.firmware ?? "core";
    this.random = new Prng(options.seed);
    this.nvram = options.nvram ?? new MemoryNvram();
    const count = options.uartCount ?? UART_COUNT_DEFAULT;
    this.uarts = Array.from({ length: count }, (_, line) => new Uart(line, scheduler));
    scheduler.add(this);
  }

  uart(line: number): Uart {
    const uart = this.uarts[line];
    if (!uart) throw new RangeError(`${this.name} has no UART ${line}`);
    return uart;
  }

  powerOn(): void {
    if (this.state === "running") return;
    const hal = this.makeHal();
    if (this.kind === "component") {
      if (!componentGlue) throw new Error("call prepareFirmware('component') first");
      this.firmware = instantiateComponent(componentGlue, hal);
    } else if (this.options.firmwarePath !== undefined) {
      const path = this.options.firmwarePath;
      const module = entryModules.get(path) ?? compileCore(readFileSync(path));
      entryModules.set(path, module);
      this.firmware = instantiateCore(module, hal);
    } else {
      coreModule ??= compileCore(readFileSync(FIRMWARE_PATH));
      this.firmware = instantiateCore(coreModule, hal);
    }
    this.state = "running";
    this.crashMessage = undefined;
    this.boots++;
    for (const uart of this.uarts) uart.bindPort(this.portOf(uart));
    this.call((f) => f.boot(), undefined);
    this.kick();
  }

  powerOff(): void {
    this.firmware = undefined;
    if (this.state === "running") this.state = "off";
    for (const uart of this.uarts) uart.bindPort(undefined);
    this.cachedDeadlineMs = Infinity;
  }

  /** A reload: RAM is lost, NVRAM survives, the firmware boots again. */
  reload(): void {
    this.powerOff();
    this.state = "off";
    this.powerOn();
  }

  /** An Ethernet frame arrives at the NIC. */
  receiveFrame(frame: Uint8Array): void {
    if (this.state !== "running") return;
    this.framesIn++;
    this.callFrame(frame);
    this.kick();
  }

  /**
   * Calls exports beyond hal.wit (a test entry's, see firmwarePath) as one firmware call. A poll at
   * the current instant runs first, so the firmware's clock is current (as it is for the exec,
   * which runs inside a poll); a panic crashes the device; a poll follows at the same instant.
   */
  callExports<T>(work: (exports: WebAssembly.Exports, memory: Uint8Array) => T): T | undefined {
    if (this.state === "running") this.pollAt(this.scheduler.nowMs);
    const result = this.call((f) => {
      const raw = f.rawExports;
      if (!raw) throw new Error(`${this.name}: raw exports need the core firmware`);
      return work(raw, new Uint8Array((raw["memory"] as WebAssembly.Memory).buffer));
    }, undefined);
    this.kick();
    return result;
  }

  /** Heap bytes and memory size, for the no-allocation-after-boot invariant. */
  memoryFacts(): { heapBytes: number; memoryBytes: number } | undefined {
    const f = this.firmware;
    return f ? { heapBytes: f.heap(), memoryBytes: f.memoryBytes() } : undefined;
  }

  nextDeadlineMs(): number {
    if (this.state !== "running") return Infinity;
    if (this.kicked) return this.scheduler.nowMs;
    if (this.deadlineStale) {
      // deadline() only reads the firmware's state, so asking late gives what asking right after
      // the last call gave; guarded as every call, so a trap still crashes the device.
      const at = this.callDeadline();
      this.deadlineStale = false;
      if (this.state === "running") this.cachedDeadlineMs = at;
    }
    return this.state === "running" ? this.cachedDeadlineMs : Infinity;
  }

  pollAt(nowMs: number): void {
    this.kicked = false;
    this.callPoll(Math.floor(nowMs));
    // Lines whose input the firmware refused (in whole or in part) since the last poll: it may
    // have room now. In line order, as the pumps they schedule run in that order.
    let waiting = this.uartsWaiting;
    if (waiting === 0) return;
    this.uartsWaiting = 0;
    if (waiting === ALL_UARTS_WAITING) {
      for (const uart of this.uarts) uart.onDevicePolled();
      return;
    }
    while (waiting !== 0) {
      const bit = waiting & -waiting;
      waiting ^= bit;
      this.uarts[31 - Math.clz32(bit)]!.onDevicePolled();
    }
  }

  /** The UART's view of this device: the firmware's serial() and modem(), and a poll now. */
  private portOf(uart: Uart): UartPort {
    const line = uart.line;
    // Lines past bit 30 (more UARTs than a bit mask holds) make every line count as waiting.
    const bit = line < 31 ? 1 << line : ALL_UARTS_WAITING;
    return {
      deliver: (bytes) => {
        const stale = this.deadlineStale;
        const accepted = this.callSerial(line, bytes);
        // Nothing taken: the line's ring is full and nothing else changed (hal.wit), so the
        // deadline the firmware gave before still holds.
        if (accepted === 0) this.deadlineStale = stale;
        return accepted;
      },
      modem: (state) => this.call((f) => f.modem(line, state), undefined),
      kick: () => this.kick(),
      waitForPoll: () => {
        this.uartsWaiting = this.uartsWaiting === ALL_UARTS_WAITING ? ALL_UARTS_WAITING : this.uartsWaiting | bit;
      },
    };
  }

  private kick(): void {
    if (this.state === "running") this.kicked = true;
  }

  // Calls into the firmware, turning a panic into a crashed device, and handling reload requests.
  // `call` takes any work; the four calls of the data path (poll, deadline, serial, frame) have
  // their own copies of it, so they make no closure per call. bench/firmware-timer.ts times all five.

  private call<T>(work: (firmware: Firmware) => T, fallback: T): T {
    const firmware = this.firmware;
    if (!firmware || this.state !== "running") return fallback;
    let result = fallback;
    try {
      result = work(firmware);
      this.deadlineStale = true;
    } catch (error) {
      this.crash(error);
      return fallback;
    }
    this.afterCall();
    return result;
  }

  private callPoll(nowMs: number): void {
    const firmware = this.firmware;
    if (!firmware || this.state !== "running") return;
    try {
      firmware.poll(nowMs);
      this.deadlineStale = true;
    } catch (error) {
      this.crash(error);
      return;
    }
    this.afterCall();
  }

  private callDeadline(): number {
    const firmware = this.firmware;
    if (!firmware || this.state !== "running") return Infinity;
    let result: number;
    try {
      result = firmware.deadline();
      this.deadlineStale = true;
    } catch (error) {
      this.crash(error);
      return Infinity;
    }
    this.afterCall();
    return result;
  }

  private callSerial(line: number, data: Uint8Array): number {
    const firmware = this.firmware;
    if (!firmware || this.state !== "running") return 0;
    let result: number;
    try {
      result = firmware.serial(line, data);
      this.deadlineStale = true;
    } catch (error) {
      this.crash(error);
      return 0;
    }
    this.afterCall();
    return result;
  }

  private callFrame(frame: Uint8Array): void {
    const firmware = this.firmware;
    if (!firmware || this.state !== "running") return;
    try {
      firmware.frame(frame);
      this.deadlineStale = true;
    } catch (error) {
      this.crash(error);
      return;
    }
    this.afterCall();
  }

  private afterCall(): void {
    if (this.reloadRequested) {
      this.reloadRequested = false;
      this.reload();
    }
  }

  private crash(error: unknown): void {
    const message = error instanceof FirmwarePanic ? error.message : `trap: ${error instanceof Error ? error.message : String(error)}`;
    this.crashMessage = message;
    this.state = "crashed";
    this.firmware = undefined;
    this.cachedDeadlineMs = Infinity;
    this.addLog(0, message);
  }

  private addLog(level: number, text: string): void {
    const entry: LogEntry = { atMs: this.scheduler.nowMs, level, text };
    if (this.logs.length >= LOG_LINES_KEPT) {
      this.logs.shift();
      this.logsDropped++;
    }
    this.logs.push(entry);
    this.options.logSink?.(this, entry);
  }

  private makeHal(): Hal {
    return {
      netMac: () => this.mac,
      netTx: (frame) => {
        this.framesOut++;
        this.transmit?.(frame);
      },
      uartTx: (line, data) => this.uarts[line]?.fromDevice(data) ?? data.length,
      uartConfig: (line, settings) => this.uarts[line]?.configure(settings),
      uartControl: (line, signals) => this.uarts[line]?.control(signals),
      nvramSize: () => this.nvram.size,
      nvramRead: (offset, length) => this.nvram.read(offset, length),
      nvramWrite: (offset, data) => this.nvram.write(offset, data),
      random: () => this.random.u32(),
      log: (level, message) => this.addLog(level, message),
      panic: () => undefined,
      reload: () => {
        this.reloadRequested = true;
      },
    };
  }
}
