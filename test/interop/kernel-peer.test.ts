// End to end against the Linux kernel (real time, through a TAP): the firmware (the stack test
// entry) at 192.0.2.2/24 on a virtual switch, the kernel at 192.0.2.1/24 in a fresh namespace.
// The kernel pings the firmware; a kernel client and a kernel server exchange data with it both
// ways; each side's keepalive finds the other dead when it vanishes without FIN or RST, within its
// bound. Every capture goes through tshark. Runs as root with /dev/net/tun (CI); skipped with a
// SKIP line elsewhere. One file, one test at a time: each test owns one namespace and one TAP.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Capture } from "../../host-sim/network/pcap.ts";
import { testSeed } from "../../host-sim/prng.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { ConnectionWatch, Echo, PatternReceiver, PatternSender, StreamPump } from "../support/byte-streams.ts";
import { JsonLines } from "../support/json-lines.ts";
import { KERNEL_IP, kernelPeerUnavailable, openKernelPeer, TEST_SUBNET_PREFIX, type KernelPeer } from "../support/netns.ts";
import { decodeFrame } from "../support/packets.ts";
import { NetCounter, Reason, State, TcpCounter } from "../support/stack-bench.ts";
import { reasonName, StackNode } from "../support/stack-node.ts";
import { describeCapture, inspectCapture, tshark } from "../support/tshark.ts";

const skip = kernelPeerUnavailable("ping", "tshark");
const FIRMWARE_IP = `${TEST_SUBNET_PREFIX}.2`;
const FIRMWARE_PORT = 2001;
/** No Wireshark dissector claims it (7000 is decoded as AFS and flagged "Invalid frame type"). */
const KERNEL_PORT = 4001;
/** Bytes each way in the data tests (about a second of wall time at a 512-byte window). */
const BYTES = 128 * 1024;
/** The firmware's keepalive in these tests: idle 2 s, then 3 probes 1 s apart. */
const KEEPALIVE = { idleMs: 2000, intervalMs: 1000, count: 3 };
/** The real-time driver's tick: how late after its deadline a poll may run. */
const POLL_MS = 5;
/** Node's setKeepAlive(true, 1000): idle 1 s, and Node fixes the interval at 1 s and the count at 10. */
const KERNEL_KEEPALIVE = { idleMs: 1000, intervalMs: 1000, count: 10 };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface Bench {
  sim: Simulator;
  r1: StackNode;
  peer: KernelPeer;
  pump: StreamPump;
  capturePath: string;
  capture: Capture;
}

let open: Bench | undefined;

async function bench(label: string): Promise<Bench> {
  const sim = new Simulator(testSeed(label));
  const sw = sim.network.addSwitch("sw0");
  const r1 = StackNode.add(sim, "r1", { ip: FIRMWARE_IP });
  sim.network.connect(r1.device, sw);
  const pump = new StreamPump(sim.scheduler, [r1]);
  const peer = await openKernelPeer(sim, sw);
  const capturePath = join(mkdtempSync(join(tmpdir(), "kernel-")), `${label.replaceAll(" ", "-")}.pcap`);
  const capture = sim.network.capture(peer.bridge.port, capturePath, { epochMs: peer.epochMs });
  open = { sim, r1, peer, pump, capturePath, capture };
  return open;
}

/** tshark: every IPv4 and TCP checksum good (the kernel's and the firmware's), nothing malformed. */
function expectCleanCapture(b: Bench): void {
  b.capture.stop();
  const report = inspectCapture(b.capturePath);
  console.log(describeCapture(b.capturePath, report));
  expect(report.frames).toBeGreaterThan(0);
  expect({ ipBad: report.ipBad, tcpBad: report.tcpBad, icmpBad: report.icmpBad, malformed: report.malformed }).toEqual({ ipBad: 0, tcpBad: 0, icmpBad: 0, malformed: 0 });
  expect(report.ipGood).toBe(report.ipv4);
  expect(report.tcpGood).toBe(report.tcp);
}

/** The virtual instant of the last TCP segment from the kernel that reached the firmware's NIC. */
function lastSegmentIn(b: Bench): { atMs: number } {
  const last = { atMs: -1 };
  b.sim.network.nic(b.r1.device).tap((frame, direction, atMs) => {
    if (direction === "in" && decodeFrame(frame).kind === "tcp") last.atMs = atMs;
  });
  return last;
}

/** A kernel echo server, and a firmware connection to it. */
async function firmwareConnectsOut(b: Bench): Promise<{ server: JsonLines; h: number; watch: ConnectionWatch }> {
  const server = new JsonLines(b.peer.node(fixture("kernel-server.ts"), [KERNEL_IP, String(KERNEL_PORT)]));
  await server.waitFor("listening", 10_000);
  const h = b.r1.open(KERNEL_IP, KERNEL_PORT);
  const watch = b.pump.add(new ConnectionWatch(b.r1, h));
  await b.peer.until(() => watch.open, 5_000);
  const accepted = await server.waitFor("accepted", 5_000);
  expect(accepted).toMatchObject({ remoteAddress: FIRMWARE_IP, remotePort: b.r1.localPort(h) });
  return { server, h, watch };
}

describe.skipIf(skip).sequential("the Linux kernel as the firmware's peer, through a TAP (real time)", () => {
  afterEach(() => {
    open?.capture.stop();
    open?.pump.stop();
    open?.peer.close();
    open = undefined;
  });

  it("the kernel pings the firmware: three echo requests, three replies, checksums good", async () => {
    const b = await bench("kernel pings firmware");
    const ping = await b.peer.exec("ping", ["-c", "3", "-i", "0.2", "-W", "1", FIRMWARE_IP]);
    expect(ping.stdout).toContain("3 packets transmitted, 3 received, 0% packet loss");
    expect(b.r1.netCounter(NetCounter.ICMP_TX_ECHO_REPLIES)).toBe(3);
    expectCleanCapture(b);
    const icmp = tshark(b.capturePath, ["-Y", "icmp", "-T", "fields", "-e", "ip.src", "-e", "icmp.type", "-e", "icmp.seq", "-e", "icmp.checksum.status"]);
    expect(icmp.trim().split("\n")).toEqual([1, 2, 3].flatMap((seq) => [`${KERNEL_IP}\t8\t${seq}\t1`, `${FIRMWARE_IP}\t0\t${seq}\t1`]));
  });

  it("a kernel client connects to a firmware listener; its bytes come back through the firmware's socket, then both close", async () => {
    const b = await bench("kernel client");
    const listener = b.r1.listen(FIRMWARE_PORT);
    const watch = b.pump.add(new ConnectionWatch(b.r1, -1, listener));
    const startMs = Date.now();
    const client = new JsonLines(b.peer.node(fixture("kernel-client.ts"), [FIRMWARE_IP, String(FIRMWARE_PORT), String(BYTES), "7"]));
    await b.peer.until(() => watch.h >= 0, 10_000);
    const echo = b.pump.add(new Echo(b.r1, watch.h, true));
    const verified = await client.waitFor("verified", 15_000);
    const closed = await client.waitFor("closed", 5_000);
    console.log(`kernel client: ${BYTES} bytes to the firmware and back in ${verified.atMs - startMs} ms of wall time (node start-up included)`);
    expect(verified).toMatchObject({ received: BYTES, mismatchAt: -1 });
    expect(closed).toMatchObject({ received: BYTES, mismatchAt: -1 });
    expect(echo.echoed).toBe(BYTES);
    expect(echo.closed).toBe(true);
    expect(b.r1.tcpCounter(TcpCounter.PASSIVE_OPENS)).toBe(1);
    expect(b.r1.tcpCounter(TcpCounter.RST_OUT)).toBe(0);
    expectCleanCapture(b);
  });

  it("the firmware connects to a kernel server; its bytes come back from the kernel, then both close", async () => {
    const b = await bench("firmware client");
    const startMs = Date.now();
    const { server, h } = await firmwareConnectsOut(b);
    b.pump.add(new PatternSender(b.r1, h, 9, BYTES));
    const receiver = b.pump.add(new PatternReceiver(b.r1, h, 9, BYTES));
    await b.peer.until(() => receiver.done, 15_000);
    console.log(`firmware client: ${BYTES} bytes to the kernel and back in ${Date.now() - startMs} ms of wall time (node start-up included)`);
    expect(receiver.received).toBe(BYTES);
    expect(receiver.mismatchAt).toBe(-1);
    b.r1.close(h);
    const closed = await server.waitFor("closed", 5_000);
    expect(closed).toMatchObject({ echoed: BYTES });
    expect(b.r1.tcpCounter(TcpCounter.ACTIVE_OPENS)).toBe(1);
    expect(b.r1.tcpCounter(TcpCounter.RST_OUT)).toBe(0);
    expectCleanCapture(b);
  });

  it("a kernel peer that vanishes silently is found dead by the firmware's keepalive within idle + count x interval", async () => {
    const b = await bench("kernel vanishes");
    const last = lastSegmentIn(b);
    const { h, watch } = await firmwareConnectsOut(b);
    b.r1.keepalive(h, KEEPALIVE.idleMs, KEEPALIVE.intervalMs, KEEPALIVE.count);
    // While the kernel is there it answers each probe, and the idle time starts again.
    const aliveUntilMs = b.sim.nowMs + KEEPALIVE.idleMs * 2 + KEEPALIVE.intervalMs;
    await b.peer.until(() => b.sim.nowMs >= aliveUntilMs, 10_000);
    const answered = b.r1.tcpCounter(TcpCounter.KEEPALIVE_PROBES);
    expect(answered).toBeGreaterThanOrEqual(2);
    expect(watch.open).toBe(true);
    expect(b.r1.state(h)).toBe(State.ESTABLISHED);

    // The cable to the kernel is cut: no FIN, no RST, nothing comes back.
    b.peer.link.partition();
    const cutAtMs = b.sim.nowMs;
    await b.peer.until(() => watch.closedAtMs !== undefined, 10_000);
    const boundMs = KEEPALIVE.idleMs + KEEPALIVE.count * KEEPALIVE.intervalMs;
    const detectedMs = watch.closedAtMs! - last.atMs;
    console.log(`firmware keepalive: kernel heard last at ${last.atMs} ms, link cut at ${cutAtMs} ms, connection dropped at ${watch.closedAtMs} ms: ` +
      `${detectedMs} ms after the last segment (bound ${boundMs} ms + one ${POLL_MS} ms poll)`);
    expect(reasonName(watch.closeReason!)).toBe(reasonName(Reason.KEEPALIVE));
    expect(detectedMs).toBeGreaterThanOrEqual(boundMs);
    expect(detectedMs).toBeLessThanOrEqual(boundMs + POLL_MS);
    expect(b.r1.tcpCounter(TcpCounter.KEEPALIVE_PROBES) - answered).toBe(KEEPALIVE.count);
    expect(b.r1.tcpCounter(TcpCounter.KEEPALIVE_DROPS)).toBe(1);
    expectCleanCapture(b);
  });

  it("a firmware that reloads forgets the connection: the kernel's first keepalive probe is answered with RST (ECONNRESET)", async () => {
    const b = await bench("firmware reloads");
    const listener = b.r1.listen(FIRMWARE_PORT);
    const watch = b.pump.add(new ConnectionWatch(b.r1, -1, listener));
    const client = new JsonLines(b.peer.node(fixture("kernel-client.ts"), [FIRMWARE_IP, String(FIRMWARE_PORT), "1000", "6", String(KERNEL_KEEPALIVE.idleMs)]));
    await b.peer.until(() => watch.h >= 0, 10_000);
    b.pump.add(new Echo(b.r1, watch.h));
    expect(await client.waitFor("verified", 10_000)).toMatchObject({ received: 1000, mismatchAt: -1 });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the kernel's last ACK reaches the firmware
    b.r1.device.reload();
    b.r1.configure({ ip: FIRMWARE_IP });
    const error = await client.waitFor("error", 5_000);
    const sinceDataMs = error.atMs - (error["lastDataAtMs"] as number);
    console.log(`kernel keepalive after a reload: ${String(error["code"])} ${sinceDataMs} ms after the firmware's last data (idle ${KERNEL_KEEPALIVE.idleMs} ms)`);
    expect(error["code"]).toBe("ECONNRESET");
    expect(sinceDataMs).toBeGreaterThanOrEqual(KERNEL_KEEPALIVE.idleMs);
    expect(sinceDataMs).toBeLessThanOrEqual(KERNEL_KEEPALIVE.idleMs + KERNEL_KEEPALIVE.intervalMs);
    expect(b.r1.tcpCounter(TcpCounter.RST_OUT)).toBe(1);
    expect(b.r1.tcpCounter(TcpCounter.DROP_NO_CONNECTION)).toBe(1);
    expectCleanCapture(b);
  });

  it("a firmware that vanishes (power off) is found dead by the kernel's keepalive: ETIMEDOUT within idle + count x interval", async () => {
    const b = await bench("firmware vanishes");
    const listener = b.r1.listen(FIRMWARE_PORT);
    const watch = b.pump.add(new ConnectionWatch(b.r1, -1, listener));
    const client = new JsonLines(b.peer.node(fixture("kernel-client.ts"), [FIRMWARE_IP, String(FIRMWARE_PORT), "1000", "5", String(KERNEL_KEEPALIVE.idleMs)]));
    await b.peer.until(() => watch.h >= 0, 10_000);
    b.pump.add(new Echo(b.r1, watch.h));
    expect(await client.waitFor("verified", 10_000)).toMatchObject({ received: 1000, mismatchAt: -1 });
    await b.peer.until(() => b.sim.nowMs > 0 && b.r1.sendQueued(watch.h) === 0, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the kernel's last ACK reaches the firmware
    b.r1.device.powerOff();
    const offAtMs = Date.now();
    const error = await client.waitFor("error", 20_000);
    const boundMs = KERNEL_KEEPALIVE.idleMs + KERNEL_KEEPALIVE.count * KERNEL_KEEPALIVE.intervalMs;
    const sinceOffMs = error.atMs - offAtMs;
    const sinceDataMs = error.atMs - (error["lastDataAtMs"] as number);
    console.log(`kernel keepalive: ${String(error["code"])} ${sinceDataMs} ms after the firmware's last data, ${sinceOffMs} ms after power-off (bound ${boundMs} ms)`);
    expect(error["code"]).toBe("ETIMEDOUT");
    expect(sinceDataMs).toBeGreaterThanOrEqual(boundMs);
    // Linux's timers run a little late (measured: 100-300 ms); a second would be one more probe.
    expect(sinceOffMs).toBeLessThanOrEqual(boundMs + 1000);
    expectCleanCapture(b);
  });
});
