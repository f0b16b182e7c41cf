// Two (or more) devices on a simulated Ethernet switch, each with a console user: the TCP/IP exec
// commands tested end to end, the way an operator types them. Devices run the stack test entry
// (build/testing/stack.wasm: the whole firmware plus the net/TCP exports), so a test can also open
// TCP connections directly until the exec's `telnet` command exists.
import { Simulator } from "../../host-sim/simulator.ts";
import { MemoryNvram, type Nvram } from "../../host-sim/nvram.ts";
import { encodeStartupConfig } from "../../host-sim/startup-config.ts";
import type { StackExports } from "../support/stack-bench.ts";
import { ConsoleTerm } from "../support/console-term.ts";

export const STACK_ENTRY = "build/testing/stack.wasm";

/** The console of one device, in a simulator shared with other devices, plus the stack entry's
 * exports (the shared console helper is test/support/console-term.ts). */
export class Term extends ConsoleTerm {
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
