// A link: a full-duplex cable between two ports (device to switch, device to device, switch to a
// TAP bridge). Each direction is its own Channel with its own faults, counters and PRNG stream,
// so a one-way partition or a lossy uplink is one call.
import type { Prng } from "../prng.ts";
import type { Scheduler } from "../scheduler.ts";
import { Channel, type ChannelCounters } from "./channel.ts";
import type { Faults } from "./faults.ts";
import type { Port } from "./port.ts";

export type LinkDirection = "both" | "aToB" | "bToA";

export interface LinkOptions {
  /** Faults for both directions. */
  faults?: Partial<Faults>;
  /** Faults for one direction, applied over `faults`. */
  aToB?: Partial<Faults>;
  bToA?: Partial<Faults>;
}

export class Link {
  readonly aToB: Channel;
  readonly bToA: Channel;

  constructor(readonly name: string, readonly a: Port, readonly b: Port, scheduler: Scheduler, prng: Prng, options: LinkOptions = {}) {
    this.aToB = new Channel(`${a.name}->${b.name}`, scheduler, prng.fork(), (frame) => b.receive(frame), { ...options.faults, ...options.aToB });
    this.bToA = new Channel(`${b.name}->${a.name}`, scheduler, prng.fork(), (frame) => a.receive(frame), { ...options.faults, ...options.bToA });
    a.plug((frame, handedOver) => this.aToB.offer(frame, handedOver));
    b.plug((frame, handedOver) => this.bToA.offer(frame, handedOver));
  }

  channels(direction: LinkDirection = "both"): Channel[] {
    if (direction === "aToB") return [this.aToB];
    if (direction === "bToA") return [this.bToA];
    return [this.aToB, this.bToA];
  }

  setFaults(overrides: Partial<Faults>, direction: LinkDirection = "both"): void {
    for (const channel of this.channels(direction)) channel.setFaults(overrides);
  }

  partition(direction: LinkDirection = "both"): void {
    for (const channel of this.channels(direction)) channel.partition();
  }

  repair(direction: LinkDirection = "both"): void {
    for (const channel of this.channels(direction)) channel.repair();
  }

  hold(direction: LinkDirection = "both"): void {
    for (const channel of this.channels(direction)) channel.hold();
  }

  release(direction: LinkDirection = "both"): void {
    for (const channel of this.channels(direction)) channel.release();
  }

  /** Both directions' counters added up. */
  totals(): ChannelCounters {
    const total = { ...this.aToB.counters };
    for (const [key, value] of Object.entries(this.bToA.counters) as [keyof ChannelCounters, number][]) total[key] += value;
    return total;
  }

  /** Takes the cable out: both ports are free again; frames in flight are lost. */
  unplug(): void {
    this.partition();
    this.a.unplug();
    this.b.unplug();
  }
}
