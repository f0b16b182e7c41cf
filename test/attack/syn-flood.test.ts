// SYN floods from spoofed addresses (hosts on the segment that never answer ARP, so every SYN+ACK
// goes nowhere). What the stack does (firmware/tcp/input.ts, table.ts; RFC 4987 3.4): a listener
// keeps at most TCP_BACKLOG_MAX (2) unaccepted connections; a SYN that finds them all half-open
// takes the place of the oldest (counted TCP_SYN_RECYCLED), and so does a SYN that finds the TCB
// table full (the oldest half-open of any listener). A terminal line's three ports hold one caller:
// the first SYN reserves the line, a second is refused (RST) while the reservation is younger than
// GROUP_HALF_OPEN_HOLD_MS (3 s), and recycles it after. ARP entries still pending are recycled too
// (net/arp.ts), or spoofed on-link sources would keep the ARP table busy against every real peer.
// Figures (virtual time, 1 ms links): a caller to the vty port under a flood gets in at its first
// SYN (50 ms including the test's settle time); a line flooded at 2 SYN/s on its own port refuses
// callers while the flood lasts and takes one at most 3 s after the last spoofed SYN.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { SYN, tcpFrame } from "../support/packets.ts";
import { Bench, BENCH_CONFIG, DEVICE_IP, tcbStates, tcpCounter } from "../fuzz/kit.ts";

const TCP_DROP_BACKLOG_FULL = 12;
const TCP_DROP_TABLE_FULL = 11;
const TCP_SYN_RECYCLED = 25;
const TCP_REFUSED_GROUP_HELD = 26;
const SYN_RECEIVED = 3;
const SYN_SENT = 2;
/** Every TTY takes reverse connections (2000+n telnet, 4000+n raw, 6000+n binary). */
const OPEN_LINES_CONFIG = BENCH_CONFIG.replace("line 2 3\n no exec\n transport input telnet", "line 2 16\n no exec\n transport input all");
const ALL_PORTS = [23, ...[2000, 4000, 6000].flatMap((base) => Array.from({ length: 15 }, (_, i) => base + 2 + i))];

beforeAll(async () => {
  await prepareFirmware("core");
});

/** Floods `ports` with spoofed SYNs (10.0.0.100.., never answering ARP) every `everyMs` until `untilMs`. */
function flood(bench: Bench, ports: number[], everyMs: number, untilMs: number): { sent: number } {
  const counter = { sent: 0 };
  const tick = (): void => {
    if (bench.sim.nowMs >= untilMs) return;
    for (const port of ports) {
      const n = counter.sent++;
      const spoofed = { mac: 0x02_00_00_00_10_00n + BigInt(n % 200), ip: 0x0a000064 + (n % 100) };
      bench.send(tcpFrame(spoofed, { mac: bench.device.mac, ip: DEVICE_IP }, { srcPort: 10000 + (n % 50000), dstPort: port, seq: n * 7777, ack: 0, flags: SYN, window: 1024 }));
    }
    bench.sim.scheduler.after(everyMs, tick);
  };
  tick();
  return counter;
}

/** A legitimate caller: SYN every second (a client's retransmissions, simplified) until established. */
function callerGetsIn(bench: Bench, port: number, srcPort: number, limitMs: number): number | undefined {
  const startMs = bench.sim.nowMs;
  const peer = bench.connect(port, srcPort);
  while (!peer.established && bench.sim.nowMs - startMs < limitMs) {
    bench.sim.runFor(1_000);
    if (!peer.established) peer.emit(SYN, new Uint8Array(0), peer.sndNxt - 1, 0);
    bench.sim.runFor(50);
  }
  return peer.established ? bench.sim.nowMs - startMs : undefined;
}

/** A caller that tries once and tells what it got: "open", "refused" (RST) or "silence". */
function callerOnce(bench: Bench, port: number, srcPort: number): "open" | "refused" | "silence" {
  const peer = bench.connect(port, srcPort);
  return peer.established ? "open" : peer.reset ? "refused" : "silence";
}

interface OpenCalls {
  tcpOpen(ip: number, port: number): number;
  tcpState(h: number): number;
}

describe("attack: SYN flood", () => {
  it("a flood on the vty port: each SYN recycles the oldest half-open; a caller gets in at its first SYN, during and after", () => {
    const bench = new Bench(11);
    const endMs = bench.sim.nowMs + 20_000;
    flood(bench, [23], 100, endMs);
    bench.sim.runFor(10_000);
    expect(tcbStates(bench).filter((s) => s === SYN_RECEIVED).length).toBe(2);
    expect(callerGetsIn(bench, 23, 45022, 60_000)).toBe(50);
    bench.sim.runFor(10_000);
    expect(callerGetsIn(bench, 23, 45023, 60_000)).toBe(50);
    bench.expectHealthy("after the flood");
    expect(tcpCounter(bench, TCP_SYN_RECYCLED)).toBeGreaterThan(190);
    expect(tcpCounter(bench, TCP_DROP_BACKLOG_FULL)).toBe(0);
  });

  it("a flood on every listening port holds one half-open per line and two on 23; memory never grows; it drains in 30 s", () => {
    const bench = new Bench(12, OPEN_LINES_CONFIG);
    const endMs = bench.sim.nowMs + 10_000;
    flood(bench, ALL_PORTS, 500, endMs);
    bench.sim.runFor(10_000);
    bench.expectHealthy("during the flood");
    const during = tcbStates(bench);
    console.log(`flood on ${ALL_PORTS.length} ports: ${during.length} TCBs in use, refused (line held) ${tcpCounter(bench, TCP_REFUSED_GROUP_HELD)}, recycled ${tcpCounter(bench, TCP_SYN_RECYCLED)}`);
    expect(during).toEqual(Array(15 + 2).fill(SYN_RECEIVED));
    expect(tcpCounter(bench, TCP_REFUSED_GROUP_HELD)).toBeGreaterThan(0);
    expect(tcpCounter(bench, TCP_DROP_TABLE_FULL)).toBe(0);
    bench.sim.runFor(35_000);
    expect(tcbStates(bench)).toEqual([]);
    bench.expectHealthy("after the flood");
    expect(callerGetsIn(bench, 23, 45123, 5_000)).toBe(50);
  });

  it("while every port is flooded, a caller to the vty port gets in within 5 s", () => {
    const bench = new Bench(14, OPEN_LINES_CONFIG);
    const endMs = bench.sim.nowMs + 120_000;
    flood(bench, ALL_PORTS, 500, endMs);
    bench.sim.runFor(5_000);
    const lockoutMs = callerGetsIn(bench, 23, 47023, 20_000);
    console.log(`caller while every port is flooded: ${lockoutMs === undefined ? "refused/locked out for 20 s" : `in after ${lockoutMs} ms`}`);
    expect(lockoutMs).toBeDefined();
    expect(lockoutMs!).toBeLessThanOrEqual(5_000);
  });

  it("a caller gets into the vty port within 5 s while 2 spoofed SYNs per second arrive", () => {
    const bench = new Bench(13);
    const endMs = bench.sim.nowMs + 120_000;
    flood(bench, [23], 500, endMs);
    bench.sim.runFor(2_000);
    const lockoutMs = callerGetsIn(bench, 23, 46023, 60_000);
    console.log(`caller during a 2 SYN/s flood: ${lockoutMs === undefined ? "locked out for 60 s" : `in after ${lockoutMs} ms`}`);
    expect(lockoutMs).toBeDefined();
    expect(lockoutMs!).toBeLessThanOrEqual(5_000);
  });

  it("a full table (active opens pending + a flood): a new SYN and the device's own open recycle the oldest half-open", () => {
    const bench = new Bench(15, OPEN_LINES_CONFIG);
    // Eight connections of the device's own to a host that never answers: SYN-SENT, held by a user.
    const silent = 0x0a0000c8; // 10.0.0.200
    const opened = bench.device.callExports((raw) => {
      const e = raw as unknown as OpenCalls;
      for (let i = 0; i < 8; i++) e.tcpOpen(silent, 23);
    });
    void opened;
    flood(bench, ALL_PORTS, 500, bench.sim.nowMs + 20_000);
    bench.sim.runFor(5_000);
    const states = tcbStates(bench);
    expect(states.length).toBe(24);
    expect(states.filter((s) => s === SYN_SENT).length).toBe(8);
    const recycledBefore = tcpCounter(bench, TCP_SYN_RECYCLED);
    let h = -1;
    let state = 0;
    bench.device.callExports((raw) => {
      const e = raw as unknown as OpenCalls;
      h = e.tcpOpen(silent, 24);
      state = e.tcpState(h);
    });
    expect(h).toBeGreaterThanOrEqual(0);
    expect(state).toBe(SYN_SENT);
    expect(tcpCounter(bench, TCP_SYN_RECYCLED)).toBe(recycledBefore + 1);
    expect(callerGetsIn(bench, 23, 48023, 5_000)).toBe(50);
    expect(tcpCounter(bench, TCP_DROP_TABLE_FULL)).toBe(0);
    bench.expectHealthy("table full");
  });

  it("a flood on one line's port keeps that line refusing while it lasts (one SYN reserves a line); other lines and the vty take callers; the line is free 3 s after the last spoofed SYN", () => {
    const bench = new Bench(16, OPEN_LINES_CONFIG);
    const endMs = bench.sim.nowMs + 20_000;
    flood(bench, [2002], 500, endMs);
    bench.sim.runFor(5_000);
    const during = [callerOnce(bench, 2002, 49001), callerOnce(bench, 4002, 49002), callerOnce(bench, 6002, 49003)];
    expect(during).toEqual(["refused", "refused", "refused"]);
    expect(callerOnce(bench, 2003, 49004)).toBe("open");
    expect(callerOnce(bench, 23, 49005)).toBe("open");
    bench.sim.runFor(endMs - bench.sim.nowMs);
    // The flood renews the reservation every 3 s (a spoofed SYN to a held line is refused until
    // the holder is 3 s old), so the last one is at most 3 s old here; the caller (a SYN every
    // 1.05 s) is refused until then and gets in at its next SYN: after at most 3.2 s.
    const lockoutMs = callerGetsIn(bench, 2002, 49006, 10_000);
    console.log(`line 2 after a flood on 2002: caller in after ${lockoutMs} ms`);
    expect(lockoutMs).toBeGreaterThan(50);
    expect(lockoutMs).toBeLessThanOrEqual(3_200);
    expect(tcpCounter(bench, TCP_REFUSED_GROUP_HELD)).toBeGreaterThan(30);
    bench.expectHealthy("after the line flood");
  });
});
