// The TAP bridge against the real Linux kernel: the kernel in a fresh namespace pings a fake host
// on the virtual switch, a Node child inside the namespace reaches it too, link faults apply to
// the kernel's traffic, the capture is clean for tshark, and everything is torn down, even on SIGINT.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { testSeed } from "../../host-sim/prng.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { FakeHost } from "../support/fake-host.ts";
import { KERNEL_IP, kernelPeerUnavailable, openKernelPeer, TEST_SUBNET_PREFIX, type KernelPeer } from "../support/netns.ts";

const skip = kernelPeerUnavailable("ping", "tshark");
const FAKE_IP = `${TEST_SUBNET_PREFIX}.2`;
const FAKE_MAC = 0x02_00_00_00_02_02n;
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function topology(seed: number) {
  const sim = new Simulator(seed);
  const sw = sim.network.addSwitch("sw0");
  const fake = new FakeHost("fake", FAKE_MAC, FAKE_IP, sim.scheduler);
  sim.network.connect(fake.port, sw, { faults: { delayMs: 1 } });
  return { sim, sw, fake };
}

/** A process still runs: it exists and is not a zombie (an orphan's zombie may linger unreaped). */
function running(pid: number | string): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

function namespaces(): string {
  return execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
}

describe.skipIf(skip).sequential("TAP bridge to the Linux kernel", () => {
  let peer: KernelPeer | undefined;
  afterEach(() => {
    peer?.close();
    peer = undefined;
  });

  it("the kernel in the namespace pings a fake host on the switch, and tshark finds the capture clean", async () => {
    const { sim, sw, fake } = topology(testSeed("tap ping"));
    peer = await openKernelPeer(sim, sw);
    const path = join(mkdtempSync(join(tmpdir(), "tap-")), "ping.pcap");
    const capture = sim.network.capture(peer.bridge.port, path, { epochMs: peer.epochMs });
    const ping = await peer.exec("ping", ["-c", "3", "-i", "0.2", "-W", "1", FAKE_IP]);
    capture.stop();
    expect(ping.stdout).toContain("3 packets transmitted, 3 received, 0% packet loss");
    expect(ping.code).toBe(0);
    expect(fake.echoRepliesSent).toBe(3);
    expect(fake.arpRepliesSent).toBeGreaterThanOrEqual(1);
    expect(peer.bridge.counters.foreign).toBe(0);

    const warnings = execFileSync("tshark", ["-r", path, "-o", "ip.check_checksum:TRUE", "-Y", '_ws.expert.severity >= "Warning"'], { encoding: "utf8" });
    expect(warnings).toBe("");
    const icmp = execFileSync("tshark", ["-r", path, "-o", "ip.check_checksum:TRUE", "-Y", "icmp", "-T", "fields", "-e", "ip.src", "-e", "icmp.type", "-e", "icmp.seq", "-e", "ip.checksum.status", "-e", "icmp.checksum.status"], { encoding: "utf8" });
    // Requests out of the kernel and replies into it; IP and ICMP checksums verified good (status 1).
    expect(icmp.trim().split("\n")).toEqual([1, 2, 3].flatMap((seq) => [`${KERNEL_IP}\t8\t${seq}\t1\t1`, `${FAKE_IP}\t0\t${seq}\t1\t1`]));
  });

  it("a Node child process inside the namespace reaches the virtual network", async () => {
    const { sim, sw, fake } = topology(testSeed("tap node child"));
    peer = await openKernelPeer(sim, sw);
    const child = peer.node(fixture("udp-send.ts"), [FAKE_IP, "9", "hello from the namespace"]);
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const code = await new Promise((resolve) => child.once("close", resolve));
    expect(out.trim()).toBe(`sent from 127.0.0.1,${KERNEL_IP}`);
    expect(code).toBe(0);
    const udp = () => fake.heard.filter((f) => f[12] === 0x08 && f[13] === 0x00 && f[23] === 17);
    await peer.until(() => udp().length > 0, 2_000);
    expect(udp().length).toBe(1);
    expect(Buffer.from(udp()[0]!.subarray(42)).toString()).toBe("hello from the namespace");
  });

  it("link faults apply to the kernel's traffic: a partition loses every ping, repair restores them", async () => {
    const { sim, sw, fake } = topology(testSeed("tap partition"));
    peer = await openKernelPeer(sim, sw);
    peer.link.partition();
    const lost = await peer.exec("ping", ["-c", "2", "-i", "0.2", "-W", "1", FAKE_IP]);
    expect(lost.stdout).toContain("2 packets transmitted, 0 received, 100% packet loss");
    expect(fake.heard.length).toBe(0);
    expect(peer.link.aToB.counters.cut).toBeGreaterThanOrEqual(1);
    peer.link.repair();
    const back = await peer.exec("ping", ["-c", "1", "-W", "2", FAKE_IP]);
    expect(back.stdout).toContain("1 packets transmitted, 1 received");
  });

  it("close() deletes the namespace and ends socat, and the TAP vanishes with it", async () => {
    const { sim, sw } = topology(1);
    const opened = await openKernelPeer(sim, sw);
    const { name } = opened.ns;
    const pid = opened.bridge.socatPid!;
    expect(namespaces()).toContain(name);
    expect(running(pid)).toBe(true);
    opened.close();
    expect(namespaces()).not.toContain(name);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running(pid ?? "")).toBe(false);
  });

  it("SIGINT to a process holding a bridge deletes its namespace and ends its socat", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", fixture("hold-bridge.ts")], { stdio: ["ignore", "pipe", "inherit"] });
    const ready = await new Promise<string>((resolve) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("\n")) resolve(out.trim());
      });
    });
    const [word, name, tap, pid] = ready.split(" ");
    expect(word).toBe("ready");
    expect(running(pid ?? "")).toBe(true);
    expect(namespaces()).toContain(name);
    expect(execFileSync("ip", ["-n", name!, "-br", "link", "show", tap!], { encoding: "utf8" })).toMatch(/UP|UNKNOWN/);
    child.kill("SIGINT");
    const exit = await new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    expect(exit).toBe("SIGINT");
    expect(namespaces()).not.toContain(name);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(running(pid ?? "")).toBe(false);
  });
});
