// The console (UART 0) of one simulated device, as an operator types at it: type a command and get
// back exactly what the console printed in answer, in virtual time. The UARTs are unpaced, so
// transcripts do not depend on the baud rate; time only moves while waiting for output.
import type { Device } from "../../host-sim/device.ts";
import type { Simulator } from "../../host-sim/simulator.ts";

/** Virtual time the console waits for output to settle, per round. */
const SETTLE_STEP_MS = 10;
const SETTLE_ROUNDS_MAX = 10_000;

export class ConsoleTerm {
  private output = "";

  constructor(readonly sim: Simulator, readonly device: Device) {
    for (const uart of device.uarts) uart.paced = false;
    device.uart(0).attach({ data: (bytes) => (this.output += Buffer.from(bytes).toString("latin1")) });
  }

  /** Types `text` and Return; returns what the console printed once output settles. */
  type(text: string): string {
    return this.press(`${text}\r`);
  }

  /** Sends raw bytes (control keys, escape sequences); returns what the console printed. */
  press(bytes: string): string {
    this.send(bytes);
    return this.settle();
  }

  /** Sends bytes and lets no time pass (a test then steps time itself). */
  send(bytes: string): void {
    this.device.uart(0).send(Buffer.from(bytes, "latin1"));
  }

  /** Lets `ms` of virtual time pass; returns what the console printed meanwhile. */
  wait(ms: number): string {
    this.sim.runFor(ms);
    return this.take();
  }

  /** Types a command and runs until the console prints `prompt` at the end (long commands: ping). */
  run(text: string, prompt: string, limitMs = 120_000): string {
    this.send(`${text}\r`);
    return this.until(prompt, limitMs);
  }

  /** Runs until the output ends with `tail`; returns all of it. */
  until(tail: string, limitMs = 120_000): string {
    const end = this.sim.nowMs + limitMs;
    while (!this.output.endsWith(tail)) {
      if (this.sim.nowMs >= end) throw new Error(`no ${JSON.stringify(tail)} within ${limitMs} ms; got ${JSON.stringify(this.output)}`);
      this.sim.runFor(SETTLE_STEP_MS);
    }
    return this.take();
  }

  /** Runs until no output arrives for one settle step and the UART has nothing queued. */
  settle(): string {
    let seen = -1;
    for (let round = 0; round < SETTLE_ROUNDS_MAX; round++) {
      this.sim.runFor(SETTLE_STEP_MS);
      if (this.output.length === seen && this.device.uart(0).backlogBytes() === 0) break;
      seen = this.output.length;
    }
    return this.take();
  }

  /** What the console printed and nobody read yet (a crashed device fails the test here). */
  take(): string {
    if (this.device.state === "crashed") throw new Error(`${this.device.name} crashed: ${this.device.crashMessage ?? ""}`);
    const text = this.output;
    this.output = "";
    return text;
  }
}
