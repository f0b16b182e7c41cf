// A learning Ethernet switch (IEEE 802.1D transparent bridging, without spanning tree or aging):
// it learns each source address on the port it arrived on, forwards a known unicast destination
// to its one port, floods broadcast, multicast and unknown destinations to every other port, and
// filters a frame whose destination sits on the port it came from. Forwarding takes no time; the
// links carry the delays and faults.
import { ETHERNET_HEADER_BYTES, isGroupMacAt, macNumberAt } from "./ethernet.ts";
import { Port } from "./port.ts";

export interface SwitchCounters {
  forwarded: number;
  flooded: number;
  filtered: number;
  /** Frames shorter than an Ethernet header. */
  runts: number;
}

export class Switch {
  readonly ports: Port[] = [];
  readonly counters: SwitchCounters = { forwarded: 0, flooded: 0, filtered: 0, runts: 0 };
  /** MAC address (as a number, ethernet.ts macNumberAt: no BigInt per frame) -> the port it was
   * last seen on. */
  private readonly table = new Map<number, Port>();

  constructor(readonly name: string, private readonly clock: { readonly nowMs: number }) {}

  /** A new port, named `<switch>.<index>` unless given a name. */
  addPort(name = `${this.name}.${this.ports.length + 1}`): Port {
    const port: Port = new Port(name, this.clock, (frame) => this.forward(port, frame));
    this.ports.push(port);
    return port;
  }

  /** Where the switch believes `mac` is, if it has learned it. */
  portOf(mac: bigint): Port | undefined {
    return this.table.get(Number(mac));
  }

  /** Forgets every learned address (as after a power cycle of the switch). */
  flush(): void {
    this.table.clear();
  }

  private forward(ingress: Port, frame: Uint8Array): void {
    if (frame.length < ETHERNET_HEADER_BYTES) {
      this.counters.runts++;
      return;
    }
    // Offsets 6 and 0: the source and destination addresses (ethernet.ts).
    if (!isGroupMacAt(frame, 6)) {
      const source = macNumberAt(frame, 6);
      if (this.table.get(source) !== ingress) this.table.set(source, ingress);
    }
    const egress = isGroupMacAt(frame, 0) ? undefined : this.table.get(macNumberAt(frame, 0));
    if (egress === ingress) {
      this.counters.filtered++;
      return;
    }
    // A frame a link delivered is read-only to everyone (port.ts), so it is handed over as it is.
    if (egress) {
      this.counters.forwarded++;
      egress.send(frame, true);
      return;
    }
    this.counters.flooded++;
    for (const port of this.ports) if (port !== ingress) port.send(frame, true);
  }
}
