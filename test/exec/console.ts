// A console user for exec tests: boots one device in virtual time, types into UART 0 (the console)
// and returns exactly what the console printed in answer. The UART is unpaced (bytes arrive at
// once), so transcripts do not depend on the baud rate; time only moves when a test says so.
import { Simulator } from "../../host-sim/simulator.ts";
import type { FirmwareKind } from "../../host-sim/device.ts";
import { MemoryNvram, type Nvram } from "../../host-sim/nvram.ts";
import { ConsoleTerm } from "../support/console-term.ts";

export interface ConsoleOptions {
  firmware?: FirmwareKind;
  nvram?: Nvram;
  seed?: number;
}

/** One device alone in its own simulation, with its console (test/support/console-term.ts). */
export class Console extends ConsoleTerm {
  readonly nvram: Nvram;

  constructor(options: ConsoleOptions = {}) {
    const sim = new Simulator(options.seed ?? 1);
    const nvram = options.nvram ?? new MemoryNvram();
    super(sim, sim.addDevice({ name: "r1", firmware: options.firmware ?? "core", nvram }));
    this.nvram = nvram;
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
}

/** Shows control characters readably in failure messages. */
export function visible(text: string): string {
  return text.replace(/\r/g, "\\r").replace(/\x08/g, "\\b").replace(/\x07/g, "\\a").replace(/\x1b/g, "\\e");
}
