// A storm of connections to the reverse-telnet ports: 60 callers, each completing the handshake to
// 2002 or 2003 and then vanishing without a FIN (as a crashed client would). One caller gets each
// line, the rest are refused with RST; the vty port keeps serving during the storm; keepalive
// (`service tcp-keepalives-in`, the IOS profile 60 s + 4 x 60 s) frees the lines of the vanished
// callers, or the retransmission limit where a line had bytes for them, every TCB comes back,
// memory never grows, and a new caller gets the line.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { RETRANSMIT_BOUND_MS } from "../../host-sim/swarm/run.ts";
import { Bench, tcbStates, type TcpPeer } from "../fuzz/kit.ts";

const KEEPALIVE_BOUND_MS = 60_000 + 4 * 60_000;

beforeAll(async () => {
  await prepareFirmware("core");
});

describe("attack: connection storm on the reverse ports", () => {
  it("one caller per line, the rest refused; the vty still answers; vanished callers are freed by keepalive", () => {
    const bench = new Bench(31);
    const peers: TcpPeer[] = [];
    for (let i = 0; i < 60; i++) {
      peers.push(bench.connect(i % 2 === 0 ? 2002 : 2003, 20_000 + i));
      bench.sim.runFor(5);
    }
    bench.sim.runFor(1_000);
    bench.expectHealthy("during the storm");
    const open = peers.filter((p) => p.established && !p.reset);
    console.log(`storm: ${open.length} of ${peers.length} callers hold a connection, ${peers.filter((p) => p.reset).length} refused`);
    expect(open.length).toBe(2);
    expect(peers.filter((p) => p.reset).length).toBe(58);
    const vty = bench.connect(23, 21_023);
    bench.sim.runFor(500);
    expect(vty.established).toBe(true);
    expect(vty.text()).toContain("Password: ");
    // Every storm caller vanishes; the vty caller closes properly.
    bench.device.uart(2).send("x");
    bench.device.uart(3).send("y");
    vty.emit(0x04, new Uint8Array(0), vty.sndNxt, 0);
    for (const p of peers) p.segment = () => undefined; // deaf from now on
    // Lines 2 and 3 have bytes for their callers: those connections end by the retransmission limit.
    bench.sim.runFor(Math.max(KEEPALIVE_BOUND_MS, RETRANSMIT_BOUND_MS) + 60_000);
    expect(tcbStates(bench)).toEqual([]);
    bench.expectHealthy("after the storm");
    const late = bench.connect(2002, 22_002);
    bench.sim.runFor(200);
    expect(late.established && !late.reset).toBe(true);
  });
});
