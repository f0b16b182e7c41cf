// The benchmark's topology, built the way the tests and the CLI build theirs (Simulator, Device,
// sim.network, startup-configs in NVRAM), on the release firmware (build/firmware.wasm): r1 is the
// terminal server with its TTYs on reverse telnet (2000+n), r2 a second one whose TTY users run
// `telnet 10.0.0.1 200n`. Each session then carries r1 tty n <-> TCP <-> r2 tty n.
import type { Device } from "../host-sim/device.ts";
import { MemoryNvram, NVRAM_BYTES_DEFAULT } from "../host-sim/nvram.ts";
import { ScriptedTerminal } from "../host-sim/serial-attach/scripted-terminal.ts";
import { Simulator } from "../host-sim/simulator.ts";
import { encodeStartupConfig } from "../host-sim/startup-config.ts";

export interface WorldOptions {
  seed?: number;
  /** Extra global configuration for r1 and r2 (keepalives, timers). */
  r1Extra?: string;
  r2Extra?: string;
  /** Link delay, ms (each way). */
  delayMs?: number;
  /** The TTYs' speed on both routers (default 115200). */
  baud?: number;
  /** Pace the UARTs at their baud rate (default false: bytes move as fast as the firmware takes them). */
  paced?: boolean;
  /** Another core module than build/firmware.wasm (bench/call-count.ts: the counting variant). */
  firmwarePath?: string;
}

export class World {
  readonly sim: Simulator;
  readonly r1: Device;
  readonly r2: Device;

  constructor(options: WorldOptions = {}) {
    this.sim = new Simulator(options.seed ?? 1);
    const r1 = `hostname r1\n${options.r1Extra ?? ""}interface ethernet0\n ip address 10.0.0.1 255.255.255.0\nline 1 16\n no exec\n transport input telnet\n speed ${options.baud ?? 115200}\n`;
    const r2 = `hostname r2\n${options.r2Extra ?? ""}interface ethernet0\n ip address 10.0.0.2 255.255.255.0\nline 1 16\n speed ${options.baud ?? 115200}\n`;
    this.r1 = this.add("r1", r1, options.firmwarePath);
    this.r2 = this.add("r2", r2, options.firmwarePath);
    const sw = this.sim.network.addSwitch("sw0");
    this.sim.network.connect(this.r1, sw, { faults: { delayMs: options.delayMs ?? 1 } });
    this.sim.network.connect(this.r2, sw, { faults: { delayMs: options.delayMs ?? 1 } });
    for (const d of [this.r1, this.r2]) {
      for (const uart of d.uarts) uart.paced = options.paced ?? false;
      d.powerOn();
    }
    this.sim.runFor(100);
  }

  private add(name: string, config: string, firmwarePath: string | undefined): Device {
    const nvram = new MemoryNvram(NVRAM_BYTES_DEFAULT, encodeStartupConfig(config));
    return this.sim.addDevice(firmwarePath === undefined ? { name, nvram } : { name, nvram, firmwarePath });
  }

  /** Opens the sessions of lines 1..count: r2's tty n telnets to r1 port 2000+n. */
  connect(count: number): void {
    for (let n = 1; n <= count; n++) {
      const user = new ScriptedTerminal(this.r2.uart(n), this.sim);
      user.type("\r");
      user.expect("r2>");
      user.type(`telnet 10.0.0.1 ${2000 + n}\r`);
      user.expect("Open\r\n");
      user.detach();
    }
    this.sim.runFor(500);
    for (const d of [this.r1, this.r2]) if (d.state !== "running") throw new Error(`${d.name} ${d.state}: ${d.crashMessage ?? ""}`);
  }
}
