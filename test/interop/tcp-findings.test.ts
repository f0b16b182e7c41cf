// Minimal packet-level reproductions of TCP defects the end-to-end tests found, for the TCP stack's
// owner. A test marked `it.fails` is a KNOWN BUG: it passes while the bug is there and fails once
// the stack is fixed; then drop `.fails` (and the workaround named in its comment).
import { describe, expect, it } from "vitest";
import { State, TcpCounter, seqAdd } from "../support/stack-bench.ts";
import { PEER_ISS, DEVICE_WINDOW, SEND, expectSegment, passiveOpen } from "../tcp/fixture.ts";

/**
 * The peer's pure ACK after it sent a full window that was lost: its SEQ is its SND.NXT, which is
 * the device's RCV.NXT + RCV.WND. RFC 9293's acceptability table read literally rejects a
 * zero-length segment there (RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND), so the ACK field is ignored;
 * Linux (tcp_sequence: !after(seq, rcv_nxt + window)) and BSD (todrop = 0 at the right edge)
 * accept it. With a 512-byte window every data segment is a full window, so after one lost data
 * segment every pure ACK of that side is thrown away until its data gets through: the lossy-link
 * test loses about one seed in five to the retransmission limit, and two instances answer each
 * other's "unacceptable" ACKs with ACKs (an ACK war) until the link happens to drop one.
 */
function ackFromTheRightEdge() {
  const { b, h, iss } = passiveOpen();
  expect(b.deviceSend(h, "hello")).toBe(5);
  expectSegment(b, { flags: "PSH|ACK", seq: seqAdd(iss, 1), ack: PEER_ISS + 1, payload: "hello" });
  return { b, h, iss };
}

describe("pure ACK at the right edge of the receive window", () => {
  it("control: a pure ACK one octet inside the window acknowledges the data", () => {
    const { b, h, iss } = ackFromTheRightEdge();
    b.sendTcp({ ...SEND, seq: PEER_ISS + 1 + DEVICE_WINDOW - 1, ack: seqAdd(iss, 6) });
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(0);
    b.expectNoTcpUntil(b.nowMs + 3_000);
  });

  // KNOWN BUG (right edge): the ACK is dropped as out of window and answered with an ACK, and
  // "hello" is retransmitted at 1 s. Workaround in lossy-link.test.ts: a pinned default seed.
  it.fails("a pure ACK at SEQ = RCV.NXT + RCV.WND (the peer's full window was lost) acknowledges the data", () => {
    const { b, h, iss } = ackFromTheRightEdge();
    b.sendTcp({ ...SEND, seq: PEER_ISS + 1 + DEVICE_WINDOW, ack: seqAdd(iss, 6) });
    expect(b.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW)).toBe(0);
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(0);
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
    b.expectNoTcpUntil(b.nowMs + 3_000);
  });
});

/**
 * RFC 1122 4.2.3.4 (MUST): sender-side silly window avoidance. With D bytes queued and a usable
 * window U, send when min(D, U) >= MSS, or (pushed) D <= U, or (pushed) U >= Fs x max window
 * (Fs = 1/2), or an override timer (0.1 to 1 s) runs out. The stack sends into any usable window,
 * so a peer that advertises 1 byte gets a 1-byte segment at once. Between two instances this
 * shows in the lossy-link captures: the zero- or 1-byte window ACK that goes out before the user
 * reads, then the window update, split every later segment into 1 + 511 bytes.
 */
describe("sender-side silly window avoidance", () => {
  const kilobyte = new Uint8Array(1000).fill(0x61);

  it("control: a window of half the largest one seen is used at once", () => {
    const { b, h, iss } = passiveOpen();
    expect(b.deviceSend(h, kilobyte)).toBe(1000);
    expectSegment(b, { flags: "PSH|ACK", seq: seqAdd(iss, 1), payload: "a".repeat(1000) });
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1001), window: 2048 });
    expect(b.deviceSend(h, kilobyte)).toBe(1000);
    expectSegment(b, { flags: "PSH|ACK", seq: seqAdd(iss, 1001), payload: "a".repeat(1000), atMs: b.nowMs });
  });

  // KNOWN BUG (sender SWS): a 1-byte segment leaves at once.
  it.fails("a 1-byte window with 1000 bytes queued: nothing is sent before the override timer (0.1 s at least)", () => {
    const { b, h, iss } = passiveOpen();
    expect(b.deviceSend(h, kilobyte)).toBe(1000);
    expectSegment(b, { flags: "PSH|ACK", seq: seqAdd(iss, 1), payload: "a".repeat(1000) });
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1001), window: 1 });
    expect(b.deviceSend(h, kilobyte)).toBe(1000);
    b.expectNoTcpUntil(b.nowMs + 99);
  });
});

