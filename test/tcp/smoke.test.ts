import { describe, expect, it } from "vitest";
import { StackBench, PEER } from "../support/stack-bench.ts";
import { SYN, ACK } from "../support/packets.ts";

describe("smoke", () => {
  it("answers a SYN", () => {
    const b = new StackBench();
    b.call((e) => e.tcpListen(2001, 2001));
    b.sendTcp({ srcPort: 11000, dstPort: 2001, seq: 1000, ack: 0, flags: SYN, window: 4096 });
    const synAck = b.nextTcp();
    console.log(synAck, b.frames.length, PEER);
    b.sendTcp({ srcPort: 11000, dstPort: 2001, seq: 1001, ack: (synAck.seq + 1) >>> 0, flags: ACK, window: 4096 });
    const h = b.call((e) => e.tcpAccept(0, 0));
    expect(h).toBeGreaterThanOrEqual(0);
    expect(b.call((e) => e.tcpState(h))).toBe(4);
  });
});
