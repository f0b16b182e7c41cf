// A simulation: one seed, one virtual clock, the devices and what joins them. Tests, the CLI and
// the benchmarks all build devices through this (STYLE.md: one way to do each thing).
import { Device, type DeviceOptions } from "./device.ts";
import { Network } from "./network/network.ts";
import { Prng } from "./prng.ts";
import { Scheduler } from "./scheduler.ts";

/** Separates the network's PRNG stream from the devices' ("netw"). */
const NETWORK_SEED_SALT = 0x6e657477;

export class Simulator {
  readonly scheduler = new Scheduler();
  readonly prng: Prng;
  readonly devices = new Map<string, Device>();
  /** Switches, links, faults and captures. Its PRNG derives from the seed without drawing from
   * `prng`, so building a network never shifts the devices' seeds. */
  readonly network: Network;

  constructor(readonly seed: number) {
    this.prng = new Prng(seed);
    this.network = new Network(this.scheduler, new Prng((seed ^ NETWORK_SEED_SALT) >>> 0), this.devices);
  }

  get nowMs(): number {
    return this.scheduler.nowMs;
  }

  /** Adds a device; its MAC and random seed derive from the simulation's seed unless given. */
  addDevice(options: Partial<DeviceOptions> & { name: string }): Device {
    if (this.devices.has(options.name)) throw new Error(`device ${options.name} exists`);
    const index = this.devices.size + 1;
    const device = new Device(this.scheduler, {
      mac: 0x02_00_00_00_00_00n + BigInt(index),
      seed: this.prng.u32(),
      ...options,
    });
    this.devices.set(options.name, device);
    return device;
  }

  device(name: string): Device {
    const device = this.devices.get(name);
    if (!device) throw new Error(`no device ${name}`);
    return device;
  }

  runFor(durationMs: number): void {
    this.scheduler.runFor(durationMs);
  }

  runUntilTrue(done: () => boolean, limitMs: number): void {
    this.scheduler.runUntilTrue(done, limitMs);
  }
}
