// Shared scaffolding for the network tests: two bare ports joined by one link, numbered frames,
// and a recorder of what arrives (instant, bytes).
import type { LinkOptions } from "../../host-sim/network/link.ts";
import { Port } from "../../host-sim/network/port.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { ethernet } from "../support/frames.ts";

/** IEEE 802 "local experimental" EtherType: no checksum, nothing interprets it. */
export const ETHERTYPE_TEST = 0x88b5;
export const MAC_A = 0x02_00_00_00_0a_01n;
export const MAC_B = 0x02_00_00_00_0b_01n;

export interface Arrival {
  atMs: number;
  frame: Uint8Array;
}

/** A frame whose payload is the big-endian number `n` padded to a 60-byte frame. */
export function numbered(n: number, source = MAC_A, destination = MAC_B): Uint8Array {
  const payload = new Uint8Array(46);
  new DataView(payload.buffer).setUint32(0, n);
  return ethernet(destination, source, ETHERTYPE_TEST, payload);
}

export function numberOf(frame: Uint8Array): number {
  return new DataView(frame.buffer, frame.byteOffset).getUint32(14);
}

export function recordingPort(sim: Simulator, name: string): { port: Port; arrivals: Arrival[] } {
  const arrivals: Arrival[] = [];
  const port = new Port(name, sim.scheduler, (frame) => arrivals.push({ atMs: sim.nowMs, frame }));
  return { port, arrivals };
}

/** Ports "a" and "b" joined by a link with the given faults. */
export function twoPorts(seed: number, options: LinkOptions = {}) {
  const sim = new Simulator(seed);
  const a = recordingPort(sim, "a");
  const b = recordingPort(sim, "b");
  const link = sim.network.connect(a.port, b.port, options);
  return { sim, a, b, link };
}

/** Sends frames numbered 0..count-1 from a, one every `gapMs`, then runs until all could arrive. */
export function sendNumbered(sim: Simulator, port: Port, count: number, gapMs = 1, settleMs = 1_000): void {
  for (let n = 0; n < count; n++) sim.scheduler.at(n * gapMs, () => port.send(numbered(n)));
  sim.runFor(count * gapMs + settleMs);
}
