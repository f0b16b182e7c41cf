// Two (or more) devices on a simulated Ethernet switch, each with a console user: the TCP/IP exec
// commands tested end to end, the way an operator types them. Devices run the stack test entry
// (build/testing/stack.wasm: the whole firmware plus the net/TCP exports), so a test can also open
// TCP connections directly until the exec's `telnet` command exists.
import { Simulator } from "../../host-sim/simulator.ts";
import type { Device } from "../../host-sim/device.ts";
import { MemoryNvram, type Nvram } from "../../host-sim/nvram.ts";
import { encodeStartupConfig } from "../../host-sim/startup-config.ts";
import type { StackExports } from "../support/stack-bench.ts";

const SETTLE_STEP_MS = 10;
const SETTLE_ROUNDS_MAX = 10_000;
export const STACK_ENTRY = "build/testing/stack.wasm";

/** The console of one device, in a simulator shared with other devices. */
export class Term {
  private output = "";

  constructor(readonly sim: Simulator, readonly device: Device) {
    for (const uart of device.uarts) uart.paced = false;
    device.uart(0).attach({ data: (bytes) => (this.output += Buffer.from(bytes).toString("latin1")) });
  }

  /** Types `text` and Return; returns what the console printed once output settles. */
  type(text: string): string {
    return this.press(`${text}\r`);
  }

  press(bytes: string): string {
    this.device.uart(0).send(Buffer.from(bytes, "latin1"));
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
    this.device.uart(0).send(Buffer.from(`${text}\r`, "latin1"));
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

  /** What the console printed and nobody read yet. */
  take(): string {
    if (this.device.state === "crashed") throw new Error(`${this.device.name} crashed: ${this.device.crashMessage ?? ""}`);
    const text = this.output;
    this.output = "";
    return text;
  }

  /** Calls the stack entry's exports (TCP connections without a telnet command). */
  call<T>(work: (e: StackExports) => T): T {
    let result: T | undefined;
    this.device.callExports((raw) => {
      result = work(raw as unknown as StackExports);
    });
    return result as T;
  }
}

export interface LanOptions {
  seed?: number;
  /** Per device: a startup-config (text) seeded in its NVRAM. */
  configs?: Record<string, string>;
  delayMs?: number;
}

export interface Lan<N extends string> {
  sim: Simulator;
  terms: Record<N, Term>;
  nvrams: Record<N, Nvram>;
}

/** Devices `names` (MACs 0200.0000.0001, ...), each cabled to switch sw0, powered on, consoles at `Router>`/`hostname>`. */
export function lan<N extends string>(names: N[], options: LanOptions = {}): Lan<N> {
  const sim = new Simulator(options.seed ?? 1);
  const sw = sim.network.addSwitch("sw0");
  const terms = {} as Record<N, Term>;
  const nvrams = {} as Record<N, Nvram>;
  for (const name of names) {
    const nvram = new MemoryNvram();
    const config = options.configs?.[name];
    if (config !== undefined) nvram.write(0, encodeStartupConfig(config));
    const device = sim.addDevice({ name, firmwarePath: STACK_ENTRY, nvram });
    sim.network.connect(device, sw, { faults: { delayMs: options.delayMs ?? 1 } });
    nvrams[name] = nvram;
    terms[name] = new Term(sim, device);
  }
  for (const name of names) sim.device(name).powerOn();
  for (const name of names) {
    terms[name].settle();
    terms[name].press("\r");
  }
  return { sim, terms, nvrams };
}
