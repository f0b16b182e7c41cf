// Bad input from the network is dropped or answered, counted, never a trap (DESIGN.md invariant 5):
// seeded mutations of valid frames (every layer's header and options) and random bytes go into a
// device that holds live connections; it must stay up, allocate nothing, and still work after.
import { describe, expect, it } from "vitest";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { State, seqAdd, DEVICE, PEER } from "../support/stack-bench.ts";
import {
  ACK, ARP_REQUEST, ICMP_ECHO_REQUEST, IP_PROTO_ICMP, SYN, arpFrame, buildIcmpEcho, ipv4Frame, linuxSynOptions, tcpFrame,
} from "../support/packets.ts";
import { SEND, PEER_ISS, DEVICE_WINDOW, passiveOpen, text, expectSegment } from "./fixture.ts";

describe("garbage from the network", () => {
  it("survives 20,000 mutated and random frames, then still carries data", () => {
    const prng = new Prng(testSeed("tcp garbage"));
    const { b, h, iss } = passiveOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    b.call((e) => e.tcpListen(23, 23));
    const heapBefore = b.device.memoryFacts()?.heapBytes;
    const templates = [
      tcpFrame(PEER, DEVICE, { ...SEND, ack: seqAdd(iss, 1), payload: text("data") }),
      tcpFrame(PEER, DEVICE, { ...SEND, dstPort: 23, seq: 5, flags: SYN, options: linuxSynOptions() }),
      arpFrame({ op: ARP_REQUEST, senderMac: PEER.mac, senderIp: PEER.ip, targetMac: 0n, targetIp: DEVICE.ip }),
      ipv4Frame(PEER, DEVICE, IP_PROTO_ICMP, buildIcmpEcho({ type: ICMP_ECHO_REQUEST, ident: 1, seq: 1, data: new Uint8Array(32) }), { options: new Uint8Array([7, 7, 4, 0, 0, 0, 0, 0]) }),
    ];
    for (let i = 0; i < 20_000; i++) {
      let frame: Uint8Array;
      if (prng.chance(1, 10)) {
        frame = prng.bytes(prng.between(0, 1600));
      } else {
        frame = templates[prng.below(templates.length)]!.slice();
        // Flip a few bytes past the Ethernet addresses (headers, lengths, options, checksums).
        for (let k = prng.between(1, 4); k > 0; k--) frame[prng.between(12, frame.length - 1)] = prng.below(256);
        if (prng.chance(1, 8)) frame = frame.subarray(0, prng.between(0, frame.length));
      }
      b.device.receiveFrame(frame);
      if (i % 16 === 0) b.run(prng.between(0, 50));
    }
    // Half-open connections a mutated SYN may have made time out in SYN-RECEIVED after 30 s.
    b.run(31_000);
    expect(b.device.state).toBe("running");
    expect(b.device.memoryFacts()?.heapBytes).toBe(heapBefore);
    // Whatever happened to it, the first connection is in a legal state and the stack still works.
    expect(b.call((e) => e.tcpState(h))).toBeLessThanOrEqual(State.TIME_WAIT);
    b.take("tcp");
    b.take("arp");
    b.take("icmp");
    b.sendTcp({ ...SEND, srcPort: 40_000, seq: PEER_ISS, flags: SYN });
    const synAck = expectSegment(b, { flags: "SYN|ACK", dstPort: 40_000, ack: PEER_ISS + 1, mss: 1460 });
    b.sendTcp({ ...SEND, srcPort: 40_000, ack: seqAdd(synAck.seq, 1), flags: ACK, payload: text("still here") });
    expectSegment(b, { dstPort: 40_000, ack: PEER_ISS + 11, window: DEVICE_WINDOW - 10 });
  });
});
