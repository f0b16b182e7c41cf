// Keepalive (RFC 1122 4.2.3.6; IOS `service tcp-keepalives-in/out`): probes at exact virtual times,
// abort after the count, a RST answer aborts at once, any accepted segment restarts the idle timer.
import { describe, expect, it } from "vitest";
import { State, Reason, TcpCounter, seqAdd } from "../support/stack-bench.ts";
import { ACK, RST } from "../support/packets.ts";
import { SEND, PEER_ISS, DEVICE_WINDOW, expectSegment, passiveOpen, activeOpen, text } from "./fixture.ts";

const MINUTE = 60_000;

describe("keepalive", () => {
  it("is off by default: an idle connection stays silent for a day", () => {
    const { b, h } = passiveOpen();
    b.expectNoTcpUntil(24 * 3600 * 1000);
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
  });

  it("keepalive-in probes an idle passive connection at 60 s, then every 60 s, and aborts after 4 unanswered (IOS profile)", () => {
    const { b, h, iss } = passiveOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    // The probe: SEG.SEQ = SND.NXT - 1, no data (no garbage octet), ACK = RCV.NXT.
    for (const atMs of [MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE]) {
      expectSegment(b, { atMs, flags: "ACK", seq: iss, ack: PEER_ISS + 1, payload: "" });
    }
    expect(b.call((e) => e.tcpKeepaliveProbes(h))).toBe(4);
    b.expectNoTcpUntil(5 * MINUTE - 1);
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
    expectSegment(b, { atMs: 5 * MINUTE, flags: "RST", seq: seqAdd(iss, 1), ack: 0, window: 0 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSED);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.KEEPALIVE);
    expect(b.tcpCounter(TcpCounter.KEEPALIVE_PROBES)).toBe(4);
    expect(b.tcpCounter(TcpCounter.KEEPALIVE_DROPS)).toBe(1);
  });

  it("keepalive-in does not apply to connections this box opened; keepalive-out does", () => {
    const inOnly = activeOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    inOnly.b.expectNoTcpUntil(10 * MINUTE);
    const out = activeOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveOut(1)) });
    expect(out.b.nextTcp()).toMatchObject({ atMs: MINUTE, flags: "ACK", seq: out.iss, ack: PEER_ISS + 1, payload: "" });
  });

  it("an answered probe restarts the idle time and the probe count", () => {
    const { b, h, iss } = passiveOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    expectSegment(b, { atMs: MINUTE, seq: iss });
    expectSegment(b, { atMs: 2 * MINUTE, seq: iss });
    b.runUntil(2 * MINUTE + 50);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1) }); // the peer's ACK of the probe
    expect(b.call((e) => e.tcpKeepaliveProbes(h))).toBe(0);
    expectSegment(b, { atMs: 3 * MINUTE + 50, seq: iss });
    for (const atMs of [4 * MINUTE + 50, 5 * MINUTE + 50, 6 * MINUTE + 50]) expectSegment(b, { atMs, seq: iss });
    expectSegment(b, { atMs: 7 * MINUTE + 50, flags: "RST", window: 0 });
  });

  it("a RST answering the probe aborts at once (the peer rebooted and forgot the connection)", () => {
    const { b, h, iss } = passiveOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    const probe = expectSegment(b, { atMs: MINUTE, seq: iss });
    // A peer without the connection answers <SEQ=SEG.ACK><CTL=RST>: exactly RCV.NXT.
    b.sendTcp({ ...SEND, seq: probe.ack, ack: 0, flags: RST, window: 0 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSED);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.RESET);
    b.expectNoTcpUntil(10 * MINUTE);
  });

  it("data restarts the idle timer", () => {
    const { b, h, iss } = passiveOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    b.runUntil(40_000);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), payload: text("hi") });
    expectSegment(b, { atMs: 40_000, ack: PEER_ISS + 3, window: DEVICE_WINDOW - 2 });
    expect(b.deviceRecv(h)).toBe("hi");
    // The probe keeps the right edge where it was: 2 octets read is no reason to move it (RFC 1122 4.2.3.3).
    expectSegment(b, { atMs: 100_000, flags: "ACK", seq: iss, ack: PEER_ISS + 3, payload: "", window: DEVICE_WINDOW - 2 });
  });

  it("is not sent while data is unacknowledged (retransmission covers that)", () => {
    const { b, h, iss } = passiveOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    b.runUntil(59_000);
    b.deviceSend(h, "x");
    expectSegment(b, { atMs: 59_000, flags: "PSH|ACK", seq: seqAdd(iss, 1), payload: "x" });
    expectSegment(b, { atMs: 60_000, flags: "PSH|ACK", seq: seqAdd(iss, 1), payload: "x" }); // RTO, not a probe
  });

  it("uses tunable idle, interval and count: idle 10 s, interval 5 s, 2 probes -> abort at 20 s", () => {
    const { b, h, iss } = passiveOpen({
      before: (bench) => bench.call((e) => {
        e.tcpSetKeepaliveIn(1);
        e.tcpSetKeepaliveTimers(10_000, 5_000, 2);
      }),
    });
    expectSegment(b, { atMs: 10_000, seq: iss });
    expectSegment(b, { atMs: 15_000, seq: iss });
    expectSegment(b, { atMs: 20_000, flags: "RST", seq: seqAdd(iss, 1), window: 0 });
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.KEEPALIVE);
  });

  it("can be forced on for one connection, whatever the service setting", () => {
    const { b, h, iss } = passiveOpen();
    b.call((e) => e.tcpSetConnectionKeepalive(h, 1));
    expectSegment(b, { atMs: MINUTE, seq: iss });
  });

  it("aborts a silent peer within idle + count * interval even in CLOSE-WAIT", () => {
    const { b, h, iss } = passiveOpen({ before: (bench) => bench.call((e) => e.tcpSetKeepaliveIn(1)) });
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), flags: ACK | 1 /* FIN */ });
    expectSegment(b, { atMs: 0, ack: PEER_ISS + 2 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSE_WAIT);
    for (let k = 1; k <= 4; k++) expectSegment(b, { atMs: k * MINUTE, seq: iss, ack: PEER_ISS + 2 });
    expectSegment(b, { atMs: 5 * MINUTE, flags: "RST", window: 0 });
  });
});
