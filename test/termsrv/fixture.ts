// The tech note's topology for terminal-server tests: r1 (10.0.0.1) and r2 (10.0.0.2) on one
// switch (1 ms links), each configured only by its startup-config in NVRAM (the interface address
// is put in front of what the test gives), so a power cycle boots the same configuration again.
// They run the product firmware, or the stack test entry (the same firmware plus the TCP API) when
// a test needs a bare TCP client. A ScriptedTerminal sits on r2's UARTs (the user) and a
// ServerConsole on r1's tty1 (the server's console). Everything runs in virtual time.
import { Simulator } from "../../host-sim/simulator.ts";
import type { Device, FirmwareKind } from "../../host-sim/device.ts";
import { MemoryNvram, NVRAM_BYTES_DEFAULT } from "../../host-sim/nvram.ts";
import { encodeStartupConfig } from "../../host-sim/startup-config.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";

export const STACK_ENTRY = "build/testing/stack.wasm";
export const R1_IP = 0x0a000001; // 10.0.0.1
export const R2_IP = 0x0a000002; // 10.0.0.2
export const MASK = 0xffffff00;

function address(ip: string): string {
  return `interface ethernet 0\n ip address ${ip} 255.255.255.0\n`;
}

export interface StackCalls {
  testConfigure(ip: number, mask: number, gateway: number): void;
  tcpSetKeepaliveIn(on: number): void;
  tcpSetKeepaliveOut(on: number): void;
  tcpSetKeepaliveTimers(idleMs: number, intervalMs: number, count: number): void;
  tcpSetSynwaitMs(ms: number): void;
  tcpOpen(ip: number, port: number): number;
  heap(): number;
}

export function call<T>(device: Device, work: (e: StackCalls) => T): T {
  let result: T | undefined;
  device.callExports((raw) => {
    result = work(raw as unknown as StackCalls);
  });
  return result as T;
}

export interface RoutersOptions {
  seed?: number;
  r1Config?: string;
  r2Config?: string;
  /** UARTs paced at their baud rate (default: unpaced, transcripts do not depend on timing). */
  paced?: boolean;
  /** Run the stack test entry (for RawClient and the stack API) instead of the product firmware. */
  stackEntry?: boolean;
  /** The product firmware as a core module (default) or through the jco component. */
  firmware?: FirmwareKind;
}

export class Routers {
  readonly sim: Simulator;
  readonly r1: Device;
  readonly r2: Device;

  constructor(options: RoutersOptions = {}) {
    this.sim = new Simulator(options.seed ?? 1);
    const firmwarePath = options.stackEntry ? STACK_ENTRY : undefined;
    const kind = options.firmware ?? "core";
    this.r1 = this.addRouter("r1", `${address("10.0.0.1")}${options.r1Config ?? "hostname r1\n"}`, firmwarePath, kind);
    this.r2 = this.addRouter("r2", `${address("10.0.0.2")}${options.r2Config ?? "hostname r2\n"}`, firmwarePath, kind);
    const sw = this.sim.network.addSwitch("sw0");
    this.sim.network.connect(this.r1, sw, { faults: { delayMs: 1 } });
    this.sim.network.connect(this.r2, sw, { faults: { delayMs: 1 } });
    for (const device of [this.r1, this.r2]) {
      for (const uart of device.uarts) uart.paced = options.paced ?? false;
    }
    this.boot(this.r1);
    this.boot(this.r2);
  }

  private addRouter(name: string, config: string, firmwarePath: string | undefined, firmware: FirmwareKind): Device {
    const nvram = new MemoryNvram(NVRAM_BYTES_DEFAULT, encodeStartupConfig(config));
    return this.sim.addDevice(firmwarePath === undefined ? { name, nvram, firmware } : { name, firmwarePath, nvram });
  }

  /** Powers a router on (again): it boots its startup-config. */
  boot(device: Device): void {
    device.powerOn();
  }

  /** A user at a terminal on `device`'s UART `line`. */
  terminal(device: Device, line: number): ScriptedTerminal {
    return new ScriptedTerminal(device.uart(line), this.sim);
  }

  logs(device: Device): string[] {
    return device.logs.map((entry) => entry.text);
  }
}

/** A user at r1's console, enabled (no enable secret in these configs). */
export function enabledConsole(routers: Routers, device: Device): ScriptedTerminal {
  const con = routers.terminal(device, 0);
  con.type("\r");
  con.expect(/>$/);
  con.type("enable\r");
  con.expect(/#$/);
  return con;
}

interface RawCalls {
  testBuffer(): number;
  tcpOpen(ip: number, port: number): number;
  tcpSend(h: number, ptr: number, len: number): number;
  tcpRecv(h: number, ptr: number, max: number): number;
  tcpState(h: number): number;
  tcpClose(h: number): void;
}

/** A bare TCP client on a router's stack (no telnet engine): what a program on a PC would be. */
export class RawClient {
  private received: number[] = [];
  readonly handle: number;

  constructor(private readonly routers: Routers, private readonly device: Device, ip: number, port: number) {
    this.handle = call(device, (e) => (e as unknown as RawCalls).tcpOpen(ip, port));
    routers.sim.runFor(50);
  }

  send(bytes: number[] | string): void {
    const data = typeof bytes === "string" ? [...Buffer.from(bytes, "latin1")] : bytes;
    this.device.callExports((raw, memory) => {
      const e = raw as unknown as RawCalls;
      memory.set(data, e.testBuffer());
      const taken = e.tcpSend(this.handle, e.testBuffer(), data.length);
      if (taken !== data.length) throw new Error(`tcpSend took ${taken} of ${data.length}`);
    });
    this.routers.sim.runFor(20);
  }

  /** Everything received since the last take, as latin1 text. */
  take(): string {
    this.routers.sim.runFor(20);
    this.device.callExports((raw, memory) => {
      const e = raw as unknown as RawCalls;
      for (;;) {
        const n = e.tcpRecv(this.handle, e.testBuffer(), 2048) >>> 0;
        if (n === 0) break;
        for (let i = 0; i < n; i++) this.received.push(memory[e.testBuffer() + i]!);
      }
    });
    const text = Buffer.from(this.received).toString("latin1");
    this.received = [];
    return text;
  }

  state(): number {
    return call(this.device, (e) => (e as unknown as RawCalls).tcpState(this.handle));
  }
}
