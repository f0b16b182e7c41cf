// The Linux kernel as the peer, through the TAP bridge (test/support/netns.ts): its ping, its
// TCP with every SYN option it sends (MSS, SACK-permitted, timestamps, window scale), its answers
// to our zero-length keepalive probes (the reason no garbage octet is needed).
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { testSeed } from "../../host-sim/prng.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import type { Device } from "../../host-sim/device.ts";
import { kernelPeerUnavailable, openKernelPeer, TEST_SUBNET_PREFIX, type KernelPeer } from "../support/netns.ts";
import { ip } from "../support/packets.ts";
import { State, TcpCounter, type StackExports } from "../support/stack-bench.ts";

const skip = kernelPeerUnavailable("ping");
const DEVICE_IP = `${TEST_SUBNET_PREFIX}.2`;
const CLIENT = fileURLToPath(new URL("./fixtures/tcp-client.ts", import.meta.url));

function call<T>(device: Device, work: (e: StackExports, memory: Uint8Array) => T): T {
  let result: T | undefined;
  device.callExports((raw, memory) => {
    result = work(raw as unknown as StackExports, memory);
  });
  return result as T;
}

async function setUp(label: string): Promise<{ sim: Simulator; device: Device; peer: KernelPeer }> {
  const sim = new Simulator(testSeed(label));
  const sw = sim.network.addSwitch("sw0");
  const device = sim.addDevice({ name: "r1", mac: 0x02_00_00_00_02_02n, firmwarePath: "build/testing/stack.wasm" });
  sim.network.connect(device, sw, { faults: { delayMs: 1 } });
  device.powerOn();
  call(device, (e) => e.testConfigure(ip(DEVICE_IP), ip("255.255.255.0"), 0));
  const peer = await openKernelPeer(sim, sw);
  return { sim, device, peer };
}

function output(child: ChildProcess): () => string {
  let out = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  return () => out;
}

describe.skipIf(skip).sequential("the Linux kernel as a peer", () => {
  let peer: KernelPeer | undefined;
  afterEach(() => {
    peer?.close();
    peer = undefined;
  });

  it("the kernel pings the device (ARP both ways, ICMP echo)", async () => {
    const setup = await setUp("linux ping");
    peer = setup.peer;
    const ping = await peer.exec("ping", ["-c", "3", "-i", "0.2", "-W", "1", DEVICE_IP]);
    expect(ping.stdout).toContain("3 packets transmitted, 3 received, 0% packet loss");
  });

  it("a kernel connection with Linux SYN options carries data both ways and closes cleanly", async () => {
    const { device, peer: p } = await setUp("linux tcp");
    peer = p;
    const l = call(device, (e) => e.tcpListen(2001, 2001));
    const child = peer.node(CLIENT, [DEVICE_IP, "2001", "hello from linux", "0"]);
    const out = output(child);
    let h = -1;
    let got = "";
    // The device side: accept, read to EOF, answer upper-cased, close.
    await peer.until(() => {
      if (h < 0) h = call(device, (e) => e.tcpAccept(l, 2001));
      if (h < 0) return false;
      got += call(device, (e, memory) => {
        const n = e.tcpRecv(h, e.testBuffer(), 2048) >>> 0;
        return new TextDecoder("latin1").decode(memory.slice(e.testBuffer(), e.testBuffer() + n));
      });
      return call(device, (e) => e.tcpRecvEof(h)) === 1;
    }, 10_000);
    expect(got).toBe("hello from linux");
    call(device, (e, memory) => {
      memory.set(new TextEncoder().encode(got.toUpperCase()), e.testBuffer());
      e.tcpSend(h, e.testBuffer(), got.length);
      e.tcpClose(h);
    });
    await peer.until(() => out().includes("closed"), 10_000);
    expect(out()).toContain('received "HELLO FROM LINUX"');
    expect(out()).not.toContain("error");
    await peer.until(() => [State.TIME_WAIT, State.CLOSED].includes(call(device, (e) => e.tcpState(h)) as 10 | 0), 5_000);
  });

  it("the kernel answers zero-length keepalive probes: the idle connection lives through them", async () => {
    const { device, peer: p } = await setUp("linux keepalive");
    peer = p;
    call(device, (e) => {
      e.tcpSetKeepaliveIn(1);
      e.tcpSetKeepaliveTimers(300, 300, 2); // without answers: dead after 900 ms
    });
    const l = call(device, (e) => e.tcpListen(2001, 2001));
    const child = peer.node(CLIENT, [DEVICE_IP, "2001", "bye", "3000"]); // idle for 3 s
    const out = output(child);
    let h = -1;
    await peer.until(() => (h = call(device, (e) => e.tcpAccept(l, 2001))) >= 0, 10_000);
    await peer.until(() => call(device, (e) => e.tcpRecvAvailable(h)) > 0 || call(device, (e) => e.tcpState(h)) === State.CLOSED, 10_000);
    expect(call(device, (e) => e.tcpState(h))).not.toBe(State.CLOSED);
    // Probes every 300 ms for about 3 s, each answered (else the connection would be gone).
    expect(call(device, (e) => e.tcpCounter(TcpCounter.KEEPALIVE_PROBES)) >>> 0).toBeGreaterThanOrEqual(5);
    expect(call(device, (e) => e.tcpCounter(TcpCounter.KEEPALIVE_DROPS))).toBe(0);
    call(device, (e) => e.tcpClose(h));
    await peer.until(() => out().includes("closed"), 10_000);
  });
});
