// Captures are classic libpcap files that tshark reads: the frames, their lengths and the virtual
// instants they crossed the port.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Simulator } from "../../host-sim/simulator.ts";
import { testSeed } from "../../host-sim/prng.ts";
import { arp, ethernet, ETHERTYPE_ARP, ETHERTYPE_IPV4, icmpEcho, ipv4 } from "../support/frames.ts";
import { missingTools, unavailable } from "../support/tools.ts";
import { numbered, recordingPort } from "./wire.ts";

const noTshark = unavailable("the pcap test", missingTools("tshark"));

function captureOfTwoFrames(path: string) {
  const sim = new Simulator(9);
  const a = recordingPort(sim, "a");
  const b = recordingPort(sim, "b");
  const link = sim.network.connect(a.port, b.port, { faults: { delayMs: 250 } });
  const capture = sim.network.capture(link, path);
  const request = ethernet(0xff_ff_ff_ff_ff_ffn, 0x02_00_00_00_00_01n, ETHERTYPE_ARP, arp(1, 0x02_00_00_00_00_01n, "192.0.2.1", 0n, "192.0.2.2"));
  sim.scheduler.at(1_500, () => a.port.send(request));
  sim.scheduler.at(2_000, () => b.port.send(numbered(7, 0x02_00_00_00_00_02n, 0x02_00_00_00_00_01n)));
  sim.runFor(5_000);
  capture.stop();
  return capture;
}

describe("pcap capture", () => {
  it("writes the libpcap header and one record per frame, stamped with virtual time", () => {
    const path = join(mkdtempSync(join(tmpdir(), "pcap-")), "two.pcap");
    const capture = captureOfTwoFrames(path);
    expect(capture.writer.frames).toBe(2);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 24).toString("hex")).toBe("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "ffff0000" + "01000000");
    // First record: sent by a at 1.5 s, 42 bytes captured of 42.
    expect(bytes.subarray(24, 40).toString("hex")).toBe("01000000" + "20a10700" + "2a000000" + "2a000000");
    expect(bytes.length).toBe(24 + 16 + 42 + 16 + 60);
  });

  it.skipIf(noTshark)("is read by tshark: frames, lengths, protocols and instants", () => {
    const path = join(mkdtempSync(join(tmpdir(), "pcap-")), "two.pcap");
    captureOfTwoFrames(path);
    const fields = ["frame.time_epoch", "frame.len", "eth.src", "eth.dst", "frame.protocols", "arp.dst.proto_ipv4"];
    const out = execFileSync("tshark", ["-r", path, "-T", "fields", ...fields.flatMap((f) => ["-e", f])], { encoding: "utf8" });
    expect(out.replace(/\n$/, "").split("\n")).toEqual([
      "1.500000000\t42\t02:00:00:00:00:01\tff:ff:ff:ff:ff:ff\teth:ethertype:arp\t192.0.2.2",
      // a receives b's frame 250 ms after b sent it at 2 s.
      "2.250000000\t60\t02:00:00:00:00:02\t02:00:00:00:00:01\teth:ethertype:data\t",
    ]);
  });

  it.skipIf(noTshark)("tshark's checksum validation flags every frame the corruption fault touched, and none other", () => {
    const dir = mkdtempSync(join(tmpdir(), "pcap-"));
    const seed = testSeed("corruption seen by tshark");
    const sim = new Simulator(seed);
    const a = recordingPort(sim, "a");
    const b = recordingPort(sim, "b");
    const link = sim.network.connect(a.port, b.port, { aToB: { corrupt: [1, 2] } });
    const sent = sim.network.capture(link, join(dir, "sent.pcap"), { direction: "out" });
    const received = sim.network.capture(b.port, join(dir, "received.pcap"));
    for (let seq = 1; seq <= 60; seq++) {
      const echo = ipv4(1, "192.0.2.1", "192.0.2.2", icmpEcho(8, 0x1234, seq, new TextEncoder().encode("abcdefghijklmnopqrstuvwxyz")), seq);
      sim.scheduler.at(seq * 10, () => a.port.send(ethernet(0x02_00_00_00_00_02n, 0x02_00_00_00_00_01n, ETHERTYPE_IPV4, echo)));
    }
    sim.runFor(1_000);
    sent.stop();
    received.stop();
    const flagged = (path: string) =>
      execFileSync("tshark", ["-r", path, "-o", "ip.check_checksum:TRUE", "-Y", '_ws.expert.severity >= "Warning"', "-T", "fields", "-e", "frame.number"], { encoding: "utf8" })
        .split("\n")
        .filter((line) => line !== "").length;
    expect(flagged(join(dir, "sent.pcap"))).toBe(0);
    const { corrupted } = link.aToB.counters;
    expect(corrupted).toBeGreaterThan(10);
    expect(flagged(join(dir, "received.pcap"))).toBe(corrupted);
  });
});
