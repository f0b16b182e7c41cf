// Retransmission (RFC 6298): initial RTO 1 s, doubling, 60 s ceiling, SRTT/RTTVAR, Karn's rule, the
// retransmission limit, and zero-window probing (RFC 9293 3.8.6.1).
import { describe, expect, it } from "vitest";
import { State, Reason, TcpCounter, seqAdd } from "../support/stack-bench.ts";
import { SEND, PEER_ISS, expectSegment, passiveOpen } from "./fixture.ts";

/** RTO 1 s doubling to the 60 s ceiling: 15 retransmissions (firmware/tcp/timers.ts RETRANSMIT_MAX),
 * then the abort one more RTO later. */
const RETRANSMIT_TIMES = [1000, 3000, 7000, 15_000, 31_000, 63_000, 123_000, 183_000, 243_000, 303_000, 363_000, 423_000, 483_000, 543_000, 603_000];
const ABORT_AT_MS = 663_000;

describe("retransmission", () => {
  it("doubles the RTO from 1 s to the 60 s ceiling, then aborts with RST after 15 retransmissions", () => {
    const { b, h, iss } = passiveOpen();
    b.deviceSend(h, "lost");
    expectSegment(b, { atMs: 0, flags: "PSH|ACK", seq: seqAdd(iss, 1), payload: "lost" });
    for (const atMs of RETRANSMIT_TIMES) {
      expectSegment(b, { atMs, flags: "PSH|ACK", seq: seqAdd(iss, 1), payload: "lost" });
    }
    expectSegment(b, { atMs: ABORT_AT_MS, flags: "RST", seq: seqAdd(iss, 5), window: 0 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSED);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.RETRANSMIT);
    expect(b.tcpCounter(TcpCounter.RETRANSMITS)).toBe(15);
    expect(b.tcpCounter(TcpCounter.RETRANSMIT_DROPS)).toBe(1);
  });

  it("updates SRTT and RTTVAR with gains 1/8 and 1/4 and keeps the RTO at least 1 s (RFC 6298 2.3, 2.4)", () => {
    const { b, h, iss } = passiveOpen();
    // The handshake gave a first sample of 0 ms (SRTT 0, RTTVAR 0); an 800 ms sample follows.
    b.deviceSend(h, "a");
    b.nextTcp();
    b.runUntil(800);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 2) });
    // srtt = 7/8*0 + 1/8*800 = 100, rttvar = 3/4*0 + 1/4*800 = 200: RTO = 100 + 800 = 900 -> 1000 floor.
    expect(b.call((e) => e.tcpSrttMs(h))).toBe(100);
    expect(b.call((e) => e.tcpRtoMs(h))).toBe(1000);
  });

  it("takes a first sample as SRTT = R, RTTVAR = R/2 (an 800 ms SYN+ACK round trip: RTO 2.4 s)", () => {
    const b = passiveOpen().b;
    // Active open with a slow peer.
    const h = b.call((e) => e.tcpOpen(0x0a000002, 23));
    const syn = b.nextTcp();
    b.runUntil(800);
    b.sendTcp({ srcPort: 23, dstPort: syn.srcPort, seq: PEER_ISS, ack: seqAdd(syn.seq, 1), flags: 0x12, window: 4096 });
    b.nextTcp();
    expect(b.call((e) => e.tcpSrttMs(h))).toBe(800);
    expect(b.call((e) => e.tcpRtoMs(h))).toBe(2400);
    b.deviceSend(h, "z");
    expect(b.nextTcp()).toMatchObject({ atMs: 800, payload: "z" });
    expect(b.nextTcp()).toMatchObject({ atMs: 3200, payload: "z" });
  });

  it("Karn: an ACK of a retransmitted segment gives no sample; the backed-off RTO stays", () => {
    const { b, h, iss } = passiveOpen();
    b.deviceSend(h, "k");
    expectSegment(b, { atMs: 0, payload: "k" });
    expectSegment(b, { atMs: 1000, payload: "k" });
    b.runUntil(1500);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 2) }); // ambiguous: for the first or the second send?
    expect(b.call((e) => e.tcpSrttMs(h))).toBe(0);
    expect(b.call((e) => e.tcpRtoMs(h))).toBe(2000);
    b.deviceSend(h, "n");
    expectSegment(b, { atMs: 1500, payload: "n", seq: seqAdd(iss, 2) });
    expectSegment(b, { atMs: 3500, payload: "n", seq: seqAdd(iss, 2) });
  });

  it("probes a zero window with one octet, backing off, and never gives up while the peer answers", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 0 });
    b.deviceSend(h, "hold");
    b.expectNoTcpUntil(999);
    const probeTimes = [1000, 3000, 7000, 15_000, 31_000, 63_000, 123_000, 183_000, 243_000, 303_000];
    for (const atMs of probeTimes) {
      expectSegment(b, { atMs, seq: seqAdd(iss, 1), payload: "h", flags: "PSH|ACK" });
      b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 0 });
    }
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
    expect(b.tcpCounter(TcpCounter.ZERO_WINDOW_PROBES)).toBe(probeTimes.length);
    // The window opens: everything goes at once.
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 1000 });
    expectSegment(b, { atMs: 303_000, seq: seqAdd(iss, 1), payload: "hold" });
  });

  it("drops a zero-window peer that stops answering its probes, like a retransmission timeout", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 0 });
    b.deviceSend(h, "stuck");
    for (const atMs of RETRANSMIT_TIMES) {
      expectSegment(b, { atMs, seq: seqAdd(iss, 1), payload: "s" });
    }
    expectSegment(b, { atMs: ABORT_AT_MS, flags: "RST", seq: seqAdd(iss, 1), window: 0 });
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.RETRANSMIT);
  });

  it("takes the octet a zero-window probe carried when the peer accepts it", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 0 });
    b.deviceSend(h, "ab");
    expectSegment(b, { atMs: 1000, payload: "a" });
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 2), window: 10 });
    expectSegment(b, { atMs: 1000, seq: seqAdd(iss, 2), payload: "b" });
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(1);
  });

  it("sends no more than the peer's window allows (a small window after the SWS override timer)", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 3 });
    b.deviceSend(h, "abcdef");
    expectSegment(b, { atMs: 200, payload: "abc" });
    b.expectNoTcpUntil(500);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 4), window: 3 });
    expectSegment(b, { atMs: 500, seq: seqAdd(iss, 4), payload: "def" });
  });
});
