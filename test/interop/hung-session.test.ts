// The tech note's story end to end in virtual time, between two firmware instances: r1 holds a
// connection to r2 (as r1's `telnet` command or a reverse-telnet session would). r2 vanishes
// without a FIN or a RST. Without keepalive r1 holds the connection forever (the hung line); with
// `service tcp-keepalives-out` and IOS's profile (idle 60 s, then 4 probes 60 s apart) r1 drops it
// exactly idle + 4 x interval after it last heard from r2; and when r2 reloaded instead (it forgot
// the connection), r2 answers r1's first probe with a RST and r1 drops it then.
import { describe, expect, it } from "vitest";
import { testSeed } from "../../host-sim/prng.ts";
import { Echo, PatternReceiver, PatternSender } from "../support/byte-streams.ts";
import { decodeFrame } from "../support/packets.ts";
import { Reason, State, TcpCounter } from "../support/stack-bench.ts";
import { reasonName } from "../support/stack-node.ts";
import { connectedPair, SERVER_IP, type Pair } from "../support/transfer.ts";

/** IOS's keepalive profile (firmware/tcp/tcb.ts defaults; REFERENCE.md). */
const IOS = { idleMs: 60_000, intervalMs: 60_000, count: 4 };
const ONE_WAY_MS = 1;
const DAY_MS = 24 * 3600 * 1000;

/** r1 connected to r2, a little data both ways (r2 echoes), and the instant r1 last heard r2. */
function session(label: string, keepaliveOut: boolean): { pair: Pair; lastFromServerAtMs: () => number } {
  const pair = connectedPair(testSeed(label), { delayMs: ONE_WAY_MS });
  const { client, server, pump, clientWatch, serverWatch, sim } = pair;
  let lastAtMs = -1;
  sim.network.nic(client.device).tap((frame, direction, atMs) => {
    if (direction === "in" && decodeFrame(frame).kind === "tcp") lastAtMs = atMs;
  });
  if (keepaliveOut) client.call((e) => e.tcpSetKeepaliveOut(1));
  pump.add(new Echo(server, serverWatch.h));
  pump.add(new PatternSender(client, clientWatch.h, 1, 1000));
  const echoed = pump.add(new PatternReceiver(client, clientWatch.h, 1, 1000));
  sim.runUntilTrue(() => echoed.done, 10_000);
  sim.runFor(10); // the last ACKs
  expect(echoed.mismatchAt).toBe(-1);
  return { pair, lastFromServerAtMs: () => lastAtMs };
}

describe("a peer that vanishes without FIN or RST (virtual time, IOS keepalive profile)", () => {
  it("without keepalive, r1 holds the connection to a powered-off r2 for a day and more: the hung line", () => {
    const { pair } = session("hung line", false);
    const segmentsBefore = pair.client.tcpCounter(TcpCounter.SEGS_OUT);
    pair.server.device.powerOff();
    pair.sim.runFor(DAY_MS);
    expect(pair.client.state(pair.clientWatch.h)).toBe(State.ESTABLISHED);
    expect(pair.client.tcpCounter(TcpCounter.SEGS_OUT)).toBe(segmentsBefore);
  });

  it("with tcp-keepalives-out, r1 drops the connection to a powered-off r2 exactly idle + 4 x interval (300 s) after it last heard it", () => {
    const { pair, lastFromServerAtMs } = session("keepalive finds r2 dead", true);
    const heardAtMs = lastFromServerAtMs();
    pair.server.device.powerOff();
    pair.sim.runUntilTrue(() => pair.clientWatch.closedAtMs !== undefined, DAY_MS);
    const boundMs = IOS.idleMs + IOS.count * IOS.intervalMs;
    console.log(`r1 dropped the connection ${pair.clientWatch.closedAtMs! - heardAtMs} ms after it last heard r2 (idle ${IOS.idleMs} + ${IOS.count} x ${IOS.intervalMs})`);
    expect(reasonName(pair.clientWatch.closeReason!)).toBe(reasonName(Reason.KEEPALIVE));
    expect(pair.clientWatch.closedAtMs! - heardAtMs).toBe(boundMs);
    expect(pair.client.tcpCounter(TcpCounter.KEEPALIVE_PROBES)).toBe(IOS.count);
    expect(pair.client.tcpCounter(TcpCounter.KEEPALIVE_DROPS)).toBe(1);
  });

  it("with tcp-keepalives-out, r2 reloaded and forgot the connection: its RST to r1's first probe drops it 60 s after r1 last heard it", () => {
    const { pair, lastFromServerAtMs } = session("keepalive meets a reloaded r2", true);
    const heardAtMs = lastFromServerAtMs();
    pair.server.device.reload();
    pair.server.configure({ ip: SERVER_IP });
    pair.sim.runUntilTrue(() => pair.clientWatch.closedAtMs !== undefined, DAY_MS);
    // The probe crosses the cable, r2 asks ARP for r1 (its cache went with the reload), then the RST
    // crosses back: four one-way trips after the idle time.
    const expectedMs = IOS.idleMs + 4 * ONE_WAY_MS;
    console.log(`r1 dropped the connection ${pair.clientWatch.closedAtMs! - heardAtMs} ms after it last heard r2 (reset answering the first probe)`);
    expect(reasonName(pair.clientWatch.closeReason!)).toBe(reasonName(Reason.RESET));
    expect(pair.clientWatch.closedAtMs! - heardAtMs).toBe(expectedMs);
    expect(pair.client.tcpCounter(TcpCounter.KEEPALIVE_PROBES)).toBe(1);
    expect(pair.server.tcpCounter(TcpCounter.RST_OUT)).toBe(1);
  });
});
