// Fuzzing the NIC: random frames and frames mutated from a corpus of valid ones (ARP request and
// reply, ICMP echo, IPv4 with options, fragments, UDP, TCP SYN to the vty port, to a reverse port,
// to a refusing line and to a closed port, stray ACK/FIN/RST, and data segments of a live vty
// connection with the right sequence numbers, so mutations reach the state machine). Half of the
// mutants get their checksums fixed so they pass the checksum gate. After every batch: no trap, heap
// and memory unchanged; at the end the device still answers a ping-like probe (a new SYN).
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import {
  ACK, ARP_REPLY, ARP_REQUEST, arpFrame, FIN, ICMP_ECHO_REQUEST, IP_PROTO_ICMP, RST, SYN, buildIcmpEcho, ipv4Frame, tcpFrame, MAC_BROADCAST,
} from "../support/packets.ts";
import { Bench, budget, DEVICE_IP, fixChecksums, HOST_IP, HOST_MAC, mutate } from "./kit.ts";

/** CI's share: this many frames or this much wall time, whichever ends first. */
const FRAMES_MAX = Number(process.env["FUZZ_FRAMES"] ?? 6_000);
const WALL_MS = Number(process.env["FUZZ_WALL_MS"] ?? 8_000);

beforeAll(async () => {
  await prepareFirmware("core");
});

function corpus(bench: Bench): Uint8Array[] {
  const h = bench.host;
  const d = bench.deviceEnd;
  const tcp = (dstPort: number, flags: number, payload = new Uint8Array(0), seq = 1000, ack = 0): Uint8Array =>
    tcpFrame(h, d, { srcPort: 40000 + dstPort % 1000, dstPort, seq, ack, flags, window: 4096, payload, ...(flags === SYN ? { options: new Uint8Array([2, 4, 5, 0xb4, 4, 2, 1, 3, 3, 7]) } : {}) });
  const live = bench.connect(23, 41023);
  bench.sim.runFor(200);
  const frames = [
    arpFrame({ op: ARP_REQUEST, senderMac: HOST_MAC, senderIp: HOST_IP, targetMac: 0n, targetIp: DEVICE_IP }),
    arpFrame({ op: ARP_REPLY, senderMac: HOST_MAC, senderIp: HOST_IP, targetMac: d.mac, targetIp: DEVICE_IP }),
    arpFrame({ op: ARP_REPLY, senderMac: HOST_MAC, senderIp: HOST_IP, targetMac: MAC_BROADCAST, targetIp: HOST_IP }, MAC_BROADCAST),
    ipv4Frame(h, d, IP_PROTO_ICMP, buildIcmpEcho({ type: ICMP_ECHO_REQUEST, ident: 7, seq: 1, data: new Uint8Array(56).fill(0x61) })),
    ipv4Frame(h, d, IP_PROTO_ICMP, buildIcmpEcho({ type: ICMP_ECHO_REQUEST, ident: 7, seq: 2, data: new Uint8Array(8) }), { options: new Uint8Array([1, 1, 1, 0]) }),
    ipv4Frame(h, d, IP_PROTO_ICMP, buildIcmpEcho({ type: ICMP_ECHO_REQUEST, ident: 7, seq: 3, data: new Uint8Array(16) }), { fragment: 0x2000 }),
    ipv4Frame(h, d, 17, new Uint8Array([0x30, 0x39, 0x00, 0x45, 0, 12, 0, 0, 1, 2, 3, 4])),
    tcp(23, SYN), tcp(2002, SYN), tcp(2001, SYN), tcp(9999, SYN),
    tcp(23, ACK, new Uint8Array([0xff, 0xfd, 0x18])), tcp(2002, FIN | ACK), tcp(23, RST), tcp(4002, SYN), tcp(6002, SYN),
  ];
  // Segments of the live vty connection, in sequence, with telnet in them.
  for (const payload of ["\xff\xfb\x18\xff\xfb\x1f", "cisco\r\n", "show version\r\n", "\xff\xfa\x18\x00VT100\xff\xf0"]) {
    const bytes = Uint8Array.from(Buffer.from(payload, "latin1"));
    frames.push(tcpFrame(h, d, { srcPort: live.srcPort, dstPort: 23, seq: live.sndNxt, ack: live.rcvNxt, flags: ACK | 0x08, window: 4096, payload: bytes }));
  }
  return frames;
}

describe("fuzz: Ethernet frames", () => {
  it("random and mutated frames never trap and never grow memory", () => {
    const seed = testSeed("fuzz frames");
    const prng = new Prng(seed);
    const bench = new Bench(seed);
    const frames = corpus(bench);
    const more = budget(WALL_MS);
    let sent = 0;
    for (; sent < FRAMES_MAX && more(); sent++) {
      let frame: Uint8Array;
      if (prng.chance(1, 10)) frame = prng.bytes(prng.between(1, 1600));
      else {
        frame = mutate(prng.pick(frames), prng);
        if (prng.chance(1, 2)) fixChecksums(frame);
      }
      bench.send(frame);
      bench.sim.runFor(prng.between(0, 3));
      if (sent % 64 === 0) bench.expectHealthy(`SEED=${seed} frame ${sent}`);
    }
    bench.sim.runFor(70_000); // timers run out (SYN-RECEIVED, TIME-WAIT, keepalives) with the fuzz state
    bench.expectHealthy(`SEED=${seed} after ${sent} frames`);
    // Still serving: a new connection to the vty port gets the login prompt.
    const peer = bench.connect(23, 50023);
    bench.sim.runFor(500);
    expect(peer.established, `SEED=${seed}`).toBe(true);
    expect(peer.text()).toContain("User Access Verification");
    console.log(`fuzz frames: SEED=${seed} frames=${sent}`);
    expect(sent).toBeGreaterThan(500);
  });
});
