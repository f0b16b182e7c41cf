// The simulation's Ethernet: switches, links and the device NICs plugged into them, with named
// manipulations that read like turmoil scenarios: `net.partition("r1", "sw0")`, `net.repair(...)`,
// `net.hold(...)`, `net.release(...)`. Every link draws its faults from its own stream forked off
// the network's PRNG, in the order links are made, so a seed reproduces every fault.
import type { Device } from "../device.ts";
import type { Prng } from "../prng.ts";
import type { Scheduler } from "../scheduler.ts";
import { Link, type LinkDirection, type LinkOptions } from "./link.ts";
import { capturePort, type Capture, type CaptureOptions } from "./pcap.ts";
import { Port } from "./port.ts";
import { Switch } from "./switch.ts";

/** What a link can join: a device (its NIC), a switch (a new port), or a bare port. Strings name a
 * device or a switch. */
export type Endpoint = Device | Switch | Port | string;

interface Wiring {
  link: Link;
  ends: [a: string, b: string];
}

export class Network {
  readonly switches = new Map<string, Switch>();
  private readonly wirings: Wiring[] = [];
  private readonly nics = new Map<Device, Port>();
  private readonly captures = new Set<Capture>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly devices: ReadonlyMap<string, Device>,
  ) {}

  get links(): Link[] {
    return this.wirings.map((w) => w.link);
  }

  addSwitch(name: string): Switch {
    if (this.switches.has(name) || this.devices.has(name)) throw new Error(`network node ${name} exists`);
    const created = new Switch(name, this.scheduler);
    this.switches.set(name, created);
    return created;
  }

  /** The device's NIC as a port (made on first use; it takes over device.transmit). */
  nic(device: Device): Port {
    let port = this.nics.get(device);
    if (!port) {
      if (device.transmit) throw new Error(`${device.name} already transmits elsewhere`);
      const nic = new Port(device.name, this.scheduler, (frame) => device.receiveFrame(frame));
      // net-tx hands the host its own copy of each frame (Hal.netTx), which nobody writes to.
      device.transmit = (frame) => nic.send(frame, true);
      this.nics.set(device, nic);
      port = nic;
    }
    return port;
  }

  /** Cables `a` to `b`. A switch end gets a fresh port; a device end uses its NIC. */
  connect(a: Endpoint, b: Endpoint, options: LinkOptions = {}): Link {
    const [portA, nameA] = this.portFor(a);
    const [portB, nameB] = this.portFor(b);
    const link = new Link(`${nameA}<->${nameB}`, portA, portB, this.scheduler, this.prng.fork(), options);
    this.wirings.push({ link, ends: [nameA, nameB] });
    return link;
  }

  /** The links between two nodes, or every link touching `a` when `b` is omitted. */
  linksBetween(a: string, b?: string): Link[] {
    const found = this.wirings.filter(({ ends }) => ends.includes(a) && (b === undefined || ends.includes(b)));
    return found.map((w) => w.link);
  }

  /** The one link between `a` and `b`. */
  link(a: string, b: string): Link {
    const found = this.linksBetween(a, b);
    if (found.length !== 1) throw new Error(`${found.length} links between ${a} and ${b}`);
    return found[0]!;
  }

  /** Cuts every link between a and b (or every link of a): nothing passes, in-flight frames are lost. */
  partition(a: string, b?: string): void {
    for (const link of this.linksOf(a, b)) link.partition();
  }

  /** Cuts only the direction from `from` to `to` on the link between them. */
  partitionOneWay(from: string, to: string): void {
    const link = this.link(from, to);
    link.partition(this.directionOf(link, from));
  }

  repair(a: string, b?: string): void {
    for (const link of this.linksOf(a, b)) link.repair();
  }

  hold(a: string, b?: string, direction: LinkDirection = "both"): void {
    for (const link of this.linksOf(a, b)) link.hold(direction);
  }

  release(a: string, b?: string, direction: LinkDirection = "both"): void {
    for (const link of this.linksOf(a, b)) link.release(direction);
  }

  /** Captures to a pcap file what a device's NIC, a port, or a link's `a` end sends and receives. */
  capture(target: Device | Port | Link | string, path: string, options: CaptureOptions = {}): Capture {
    const port = target instanceof Port ? target : target instanceof Link ? target.a : this.nic(typeof target === "string" ? this.device(target) : target);
    const capture = capturePort(port, path, options);
    this.captures.add(capture);
    const stop = capture.stop;
    return {
      ...capture,
      stop: () => {
        this.captures.delete(capture);
        stop();
      },
    };
  }

  /** Closes every capture still open. */
  stopCaptures(): void {
    for (const capture of [...this.captures]) capture.stop();
    this.captures.clear();
  }

  private linksOf(a: string, b: string | undefined): Link[] {
    const found = this.linksBetween(a, b);
    if (found.length === 0) throw new Error(`no link between ${a} and ${b ?? "anything"}`);
    return found;
  }

  private directionOf(link: Link, from: string): LinkDirection {
    const wiring = this.wirings.find((w) => w.link === link)!;
    return wiring.ends[0] === from ? "aToB" : "bToA";
  }

  private device(name: string): Device {
    const device = this.devices.get(name);
    if (!device) throw new Error(`no device ${name}`);
    return device;
  }

  private portFor(endpoint: Endpoint): [Port, string] {
    if (typeof endpoint === "string") {
      const found = this.switches.get(endpoint) ?? this.devices.get(endpoint);
      if (!found) throw new Error(`no network node ${endpoint}`);
      return this.portFor(found);
    }
    if (endpoint instanceof Port) return [endpoint, endpoint.name];
    if (endpoint instanceof Switch) return [endpoint.addPort(), endpoint.name];
    return [this.nic(endpoint), endpoint.name];
  }
}
