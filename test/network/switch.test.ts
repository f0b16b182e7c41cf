// The learning switch and the named topology: flooding until an address is learned, forwarding
// after, filtering, and devices plugged in through their NICs.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Simulator } from "../../host-sim/simulator.ts";
import { numberOf, numbered, recordingPort } from "./wire.ts";

const MAC = { a: 0x02_00_00_00_00_0an, b: 0x02_00_00_00_00_0bn, c: 0x02_00_00_00_00_0cn };
const BROADCAST = 0xff_ff_ff_ff_ff_ffn;

function star() {
  const sim = new Simulator(11);
  const sw = sim.network.addSwitch("sw0");
  const hosts = { a: recordingPort(sim, "a"), b: recordingPort(sim, "b"), c: recordingPort(sim, "c") };
  for (const host of Object.values(hosts)) sim.network.connect(host.port, sw, { faults: { delayMs: 1 } });
  const heard = () => Object.values(hosts).map((h) => h.arrivals.map((x) => numberOf(x.frame)));
  return { sim, sw, hosts, heard };
}

describe("learning switch", () => {
  it("floods an unknown destination, then forwards to the learned port only", () => {
    const { sim, sw, hosts, heard } = star();
    hosts.a.port.send(numbered(1, MAC.a, MAC.b));
    sim.runFor(10);
    expect(heard()).toEqual([[], [1], [1]]);
    hosts.b.port.send(numbered(2, MAC.b, MAC.a));
    sim.runFor(10);
    expect(heard()).toEqual([[2], [1], [1]]);
    hosts.a.port.send(numbered(3, MAC.a, MAC.b));
    sim.runFor(10);
    expect(heard()).toEqual([[2], [1, 3], [1]]);
    expect(sw.counters).toEqual({ forwarded: 2, flooded: 1, filtered: 0, runts: 0 });
    expect(sw.portOf(MAC.a)).toBe(sw.ports[0]);
  });

  it("floods broadcast to every other port and filters a frame for its own port", () => {
    const { sim, sw, hosts, heard } = star();
    hosts.c.port.send(numbered(4, MAC.c, BROADCAST));
    sim.runFor(10);
    expect(heard()).toEqual([[4], [4], []]);
    hosts.a.port.send(numbered(5, MAC.a, MAC.c));
    hosts.c.port.send(numbered(6, MAC.c, MAC.c));
    sim.runFor(10);
    expect(heard()).toEqual([[4], [4], [5]]);
    expect(sw.counters.filtered).toBe(1);
  });

  it("partition by node names cuts one host off the switch until repair", () => {
    const { sim, hosts, heard } = star();
    sim.network.partition("b", "sw0");
    hosts.a.port.send(numbered(7, MAC.a, BROADCAST));
    sim.runFor(10);
    expect(heard()).toEqual([[], [], [7]]);
    sim.network.repair("b", "sw0");
    hosts.a.port.send(numbered(8, MAC.a, BROADCAST));
    sim.runFor(10);
    expect(heard()).toEqual([[], [8], [7, 8]]);
    expect(sim.network.link("b", "sw0").totals()).toMatchObject({ cut: 1, delivered: 1 });
  });
});

describe.skipIf(!existsSync("build/firmware.wasm"))("devices on the network", () => {
  it("a device's NIC sends through its link and receives only while powered on", () => {
    const sim = new Simulator(12);
    const r1 = sim.addDevice({ name: "r1" });
    const peer = recordingPort(sim, "peer");
    sim.network.connect(r1, peer.port, { faults: { delayMs: 2 } });
    expect(() => sim.network.connect(r1, recordingPort(sim, "other").port)).toThrow(/already plugged/);
    r1.transmit!(numbered(1, 0x02_00_00_00_00_01n, MAC.a));
    sim.runFor(5);
    expect(peer.arrivals.map((x) => [x.atMs, numberOf(x.frame)])).toEqual([[2, 1]]);
    peer.port.send(numbered(2, MAC.a, r1.mac));
    sim.runFor(5);
    expect(r1.framesIn).toBe(0);
    r1.powerOn();
    peer.port.send(numbered(3, MAC.a, r1.mac));
    sim.runFor(5);
    expect(r1.framesIn).toBe(1);
    r1.powerOff();
    peer.port.send(numbered(4, MAC.a, r1.mac));
    sim.runFor(5);
    expect(r1.framesIn).toBe(1);
  });
});
