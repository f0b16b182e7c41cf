// A console user for exec tests: boots one device in virtual time, types into UART 0 (the console)
// and returns exactly what the console printed in answer. The UART is unpaced (bytes arrive at
// once), so transcripts do not depend on the baud rate; time only moves when a test says so.
import { Simulator } from "../../host-sim/simulator.ts";
import type { Device, FirmwareKind } from "../../host-sim/device.ts";
import { MemoryNvram, type Nvram } from "../../host-sim/nvram.ts";

/** Virtual time the console waits for output to settle, per round. */
const SETTLE_STEP_MS = 10;
const SETTLE_ROUNDS_MAX = 10_000;

export interface ConsoleOptions {
  firmware?: FirmwareKind;
  nvram?: Nvram;
  seed?: number;
}

export class Console {
  readonly sim: Simulator;
  readonly device: Device;
  readonly nvram: Nvram;
  private output = "";

  constructor(options: ConsoleOptions = {}) {
    this.sim = new Simulator(options.seed ?? 1);
    this.nvram = options.nvram ?? new MemoryNvram();
    this.device = this.sim.addDevice({ name: "r1", firmware: options.firmware ?? "core", nvram: this.nvram });
    for (const uart of this.device.uarts) uart.paced = false;
    this.device.uart(0).attach({ data: (bytes) => (this.output += Buffer.from(bytes).toString("latin1")) });
  }

  /** Powers on; returns the boot output (the console greeting). */
  boot(): string {
    this.device.powerOn();
    return this.settle();
  }

  /** Boots and presses Return: the console is at `Router>`. */
  start(): string {
    return this.boot() + this.press("\r");
  }

  /** Types `text` and Return; returns what the console printed (echo, output, next prompt). */
  type(text: string): string {
    return this.press(`${text}\r`);
  }

  /** Sends raw bytes (control keys, escape sequences); returns what the console printed. */
  press(bytes: string): string {
    this.device.uart(0).send(Buffer.from(bytes, "latin1"));
    return this.settle();
  }

  /** Lets `ms` of virtual time pass; returns what the console printed meanwhile. */
  wait(ms: number): string {
    this.sim.runFor(ms);
    return this.settle();
  }

  /** Runs until no output arrives for one settle step and the UART has nothing queued. */
  settle(): string {
    let seen = -1;
    for (let round = 0; round < SETTLE_ROUNDS_MAX; round++) {
      this.sim.runFor(SETTLE_STEP_MS);
      if (this.output.length === seen && this.device.uart(0).backlogBytes() === 0) break;
      seen = this.output.length;
    }
    const text = this.output;
    this.output = "";
    return text;
  }
}

/** Shows control characters readably in failure messages. */
export function visible(text: string): string {
  return text.replace(/\r/g, "\\r").replace(/\x08/g, "\\b").replace(/\x07/g, "\\a").replace(/\x1b/g, "\\e");
}
