// Packet-level tests of the TCP state machine (RFC 9293 3.10), grouped by state. The device runs
// the whole firmware in a Simulator; the test plays the peer, segment by segment, at exact times.
import { describe, expect, it } from "vitest";
import { StackBench, State, Reason, TcpCounter, seqAdd, PEER, DEVICE, type SegmentView } from "../support/stack-bench.ts";
import { ACK, FIN, RST, SYN, PSH, TcpOption, ARP_REQUEST, arpFrame } from "../support/packets.ts";
import {
  SEND, RECV, LOCAL_PORT, REMOTE_PORT, PEER_ISS, DEVICE_WINDOW, expectSegment, passiveOpen, activeOpen, text,
} from "./fixture.ts";

describe("CLOSED (no listener)", () => {
  it("answers a SYN with RST+ACK, seq 0 and ack SEG.SEQ+1: connection refused", () => {
    const b = new StackBench();
    b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN });
    expectSegment(b, { atMs: 0, flags: "RST|ACK", seq: 0, ack: PEER_ISS + 1, window: 0 });
    expect(b.tcpCounter(TcpCounter.DROP_NO_LISTENER)).toBe(1);
  });

  it("answers an ACK with RST at SEG.ACK and no ACK bit", () => {
    const b = new StackBench();
    b.sendTcp({ ...SEND, ack: 777, payload: text("x") });
    expectSegment(b, { flags: "RST", seq: 777, ack: 0, window: 0 });
    expect(b.tcpCounter(TcpCounter.DROP_NO_CONNECTION)).toBe(1);
  });

  it("never answers a RST", () => {
    const b = new StackBench();
    b.sendTcp({ ...SEND, flags: RST });
    b.expectNoTcpUntil(10_000);
  });

  it("drops a segment with a bad checksum silently and counts it", () => {
    const b = new StackBench();
    b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN, checksum: 0x1234 });
    b.expectNoTcpUntil(5_000);
    expect(b.tcpCounter(TcpCounter.DROP_BAD_CHECKSUM)).toBe(1);
  });
});

describe("LISTEN", () => {
  it("answers a Linux SYN (MSS, SACK-permitted, timestamps, window scale) with SYN+ACK carrying only MSS", () => {
    const { b, iss } = passiveOpen();
    expect(b.frames.filter((f) => f.frame.kind === "tcp")).toHaveLength(1);
    expect(iss).toBeGreaterThanOrEqual(0);
    expect(b.tcpCounter(TcpCounter.PASSIVE_OPENS)).toBe(1);
    expect(b.tcpCounter(TcpCounter.ESTABLISHED)).toBe(1);
  });

  it("answers an ACK with RST at SEG.ACK", () => {
    const b = new StackBench();
    b.call((e) => e.tcpListen(LOCAL_PORT, LOCAL_PORT));
    b.sendTcp({ ...SEND, ack: 4242 });
    expectSegment(b, { flags: "RST", seq: 4242, ack: 0, window: 0 });
  });

  it("listens on a port range and hands each connection to the line that asks for its port", () => {
    const b = new StackBench();
    const l = b.call((e) => e.tcpListen(2001, 2016));
    b.sendTcp({ ...SEND, dstPort: 2005, seq: PEER_ISS, flags: SYN });
    const synAck = expectSegment(b, { flags: "SYN|ACK", srcPort: 2005, mss: 1460 });
    b.sendTcp({ ...SEND, dstPort: 2005, ack: seqAdd(synAck.seq, 1) });
    expect(b.call((e) => e.tcpAccept(l, 2001))).toBe(-1);
    const h = b.call((e) => e.tcpAccept(l, 2005));
    expect(b.call((e) => e.tcpLocalPort(h))).toBe(2005);
    expect(b.call((e) => e.tcpRemotePort(h))).toBe(REMOTE_PORT);
    expect(b.call((e) => e.tcpRemoteIp(h)) >>> 0).toBe(PEER.ip);
    expect(b.call((e) => e.tcpIsPassive(h))).toBe(1);
    expect(b.call((e) => e.tcpListen(2010, 2020))).toBe(-1); // overlaps
  });

  it("refuses (RST) once the listener is gone: a busy line's port", () => {
    const b = new StackBench();
    const l = b.call((e) => e.tcpListen(LOCAL_PORT, LOCAL_PORT));
    b.call((e) => e.tcpUnlisten(l));
    b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN });
    expectSegment(b, { flags: "RST|ACK", seq: 0, ack: PEER_ISS + 1, window: 0 });
  });
});

describe("SYN-RECEIVED", () => {
  function synReceived(): { b: StackBench; iss: number } {
    const b = new StackBench();
    b.call((e) => e.tcpListen(LOCAL_PORT, LOCAL_PORT));
    b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN });
    const synAck = expectSegment(b, { atMs: 0, flags: "SYN|ACK", ack: PEER_ISS + 1, mss: 1460 });
    return { b, iss: synAck.seq };
  }

  it("retransmits SYN+ACK with a doubling RTO, then gives up at 30 s with a RST", () => {
    const { b, iss } = synReceived();
    for (const atMs of [1000, 3000, 7000, 15_000]) expectSegment(b, { atMs, flags: "SYN|ACK", seq: iss, ack: PEER_ISS + 1, mss: 1460 });
    expectSegment(b, { atMs: 30_000, flags: "RST", seq: seqAdd(iss, 1), window: 0 });
    expect(b.tcpCounter(TcpCounter.RETRANSMITS)).toBe(4);
  });

  it("sends SYN+ACK again at once for a retransmitted SYN", () => {
    const { b, iss } = synReceived();
    b.runUntil(500);
    b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN });
    expectSegment(b, { atMs: 500, flags: "SYN|ACK", seq: iss, mss: 1460 });
  });

  it("goes back to LISTEN on a RST at RCV.NXT (the TCB is freed, no user saw it)", () => {
    const { b } = synReceived();
    b.sendTcp({ ...SEND, flags: RST });
    b.expectNoTcpUntil(60_000);
    expect(b.call((e) => e.tcpInUse(0))).toBe(0);
  });

  it("answers an unacceptable ACK with RST at SEG.ACK", () => {
    const { b, iss } = synReceived();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 5) });
    expectSegment(b, { flags: "RST", seq: seqAdd(iss, 5), window: 0 });
  });
});

describe("SYN-SENT", () => {
  it("opens with SYN and MSS, completes on SYN+ACK, and honours the peer's MSS", () => {
    const { b, h, iss, localPort } = activeOpen({ before: (bench) => bench.call((e) => e.tcpSetSynwaitMs(30_000)) });
    expect(localPort).toBeGreaterThanOrEqual(49152);
    expect(b.call((e) => e.tcpIsPassive(h))).toBe(0);
    // MSS 1460 from the peer's SYN: a 1024-byte ring goes out in one segment.
    const data = "x".repeat(1024);
    expect(b.deviceSend(h, data)).toBe(1024);
    expect(b.nextTcp()).toMatchObject({ flags: "PSH|ACK", seq: seqAdd(iss, 1), payload: data });
  });

  it("is refused by RST+ACK: reason refused, no RST back", () => {
    const b = new StackBench();
    const h = b.call((e) => e.tcpOpen(PEER.ip, 2001));
    const syn = b.nextTcp();
    b.sendTcp({ srcPort: 2001, dstPort: syn.srcPort, seq: 0, ack: seqAdd(syn.seq, 1), flags: RST | ACK, window: 0 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSED);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.REFUSED);
    b.expectNoTcpUntil(10_000);
    b.call((e) => e.tcpClose(h));
    expect(b.call((e) => e.tcpInUse(h))).toBe(0);
  });

  it("retransmits SYN at 1, 3, 7, 15 s and times out at the synwait time (30 s) without a RST", () => {
    const b = new StackBench();
    const h = b.call((e) => e.tcpOpen(PEER.ip, 23));
    const syn = b.nextTcp();
    expect(syn).toMatchObject({ atMs: 0, flags: "SYN", dstPort: 23, ack: 0, mss: 1460, window: DEVICE_WINDOW });
    for (const atMs of [1000, 3000, 7000, 15_000]) expectSegment(b, { atMs, flags: "SYN", seq: syn.seq, srcPort: syn.srcPort, dstPort: 23, ack: 0, mss: 1460 });
    b.expectNoTcpUntil(29_999);
    expect(b.call((e) => e.tcpState(h))).toBe(State.SYN_SENT);
    b.runUntil(30_000);
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSED);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.TIMED_OUT);
    b.expectNoTcpUntil(100_000);
    expect(b.tcpCounter(TcpCounter.CONNECT_TIMEOUTS)).toBe(1);
  });

  it("honours ip tcp synwait-time", () => {
    const b = new StackBench();
    b.call((e) => e.tcpSetSynwaitMs(5000));
    const h = b.call((e) => e.tcpOpen(PEER.ip, 23));
    b.runUntil(4999);
    expect(b.call((e) => e.tcpState(h))).toBe(State.SYN_SENT);
    b.runUntil(5000);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.TIMED_OUT);
  });

  it("uses 536 as the send MSS when the SYN+ACK has no MSS option", () => {
    const b = new StackBench();
    const h = b.call((e) => e.tcpOpen(PEER.ip, 23));
    const syn = b.nextTcp();
    b.sendTcp({ srcPort: 23, dstPort: syn.srcPort, seq: PEER_ISS, ack: seqAdd(syn.seq, 1), flags: SYN | ACK, window: 8192 });
    b.nextTcp(); // ACK
    b.deviceSend(h, "y".repeat(1000));
    expect(b.nextTcp()).toMatchObject({ seq: seqAdd(syn.seq, 1), payload: "y".repeat(536) });
    expect(b.nextTcp()).toMatchObject({ seq: seqAdd(syn.seq, 537), payload: "y".repeat(464) });
  });

  it("reports an unreachable destination at once (no route)", () => {
    const b = new StackBench();
    b.call((e) => e.netSetGateway(0));
    expect(b.call((e) => e.tcpOpen(0xc0a80101, 23))).toBe(-2);
  });

  it("handles a simultaneous open: SYN crosses SYN, both answer SYN+ACK", () => {
    const b = new StackBench();
    const h = b.call((e) => e.tcpOpen(PEER.ip, 23));
    const syn = b.nextTcp();
    b.sendTcp({ srcPort: 23, dstPort: syn.srcPort, seq: PEER_ISS, ack: 0, flags: SYN, window: 4096 });
    expect(b.nextTcp()).toMatchObject({ flags: "SYN|ACK", seq: syn.seq, ack: PEER_ISS + 1, mss: 1460 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.SYN_RECEIVED);
    b.sendTcp({ srcPort: 23, dstPort: syn.srcPort, seq: PEER_ISS + 1, ack: seqAdd(syn.seq, 1), flags: ACK, window: 4096 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
  });
});

describe("ESTABLISHED", () => {
  it("receives data, ACKs it with the window shrunk, and reopens the window when read", () => {
    const { b, h, iss } = passiveOpen();
    b.runUntil(100);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), flags: ACK | PSH, payload: text("hello") });
    expectSegment(b, { atMs: 100, seq: seqAdd(iss, 1), ack: PEER_ISS + 6, window: DEVICE_WINDOW - 5 });
    expect(b.deviceRecv(h)).toBe("hello");
    expect(b.call((e) => e.tcpBytesIn(h))).toBe(5);
    // 5 bytes read: less than min(ring/2, MSS), so no window update is sent.
    b.expectNoTcpUntil(200);
  });

  it("sends data, keeps it until ACKed, and frees the ring on the ACK", () => {
    const { b, h, iss } = passiveOpen();
    expect(b.deviceSend(h, "world")).toBe(5);
    expectSegment(b, { atMs: 0, flags: "PSH|ACK", seq: seqAdd(iss, 1), ack: PEER_ISS + 1, payload: "world" });
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(5);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 6) });
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(0);
    expect(b.call((e) => e.tcpBytesOut(h))).toBe(5);
    b.expectNoTcpUntil(10_000); // nothing to retransmit
  });

  it("advertises a zero window when the ring is full, and a window update once the user reads", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), payload: new Uint8Array(DEVICE_WINDOW).fill(65) });
    expectSegment(b, { ack: PEER_ISS + 1 + DEVICE_WINDOW, window: 0 });
    // More data into a zero window is not acceptable: dropped, answered with an ACK.
    b.sendTcp({ ...SEND, seq: PEER_ISS + 1 + DEVICE_WINDOW, ack: seqAdd(iss, 1), payload: text("B") });
    expectSegment(b, { ack: PEER_ISS + 1 + DEVICE_WINDOW, window: 0 });
    expect(b.deviceRecv(h, 600)).toBe("A".repeat(600));
    expectSegment(b, { ack: PEER_ISS + 1 + DEVICE_WINDOW, window: 600 });
  });

  // Receiver-side silly window avoidance (RFC 1122 4.2.3.3): the right edge RCV.NXT + RCV.WND moves
  // only by min(ring / 2, Eff.snd.MSS) = 512 octets or more.
  it("receiver SWS: ACKs keep the right edge until reading frees 512 octets more, then a window update moves it", () => {
    const { b, h, iss } = passiveOpen();
    const data = (n: number) => new Uint8Array(n).fill(66);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), payload: data(100) });
    expectSegment(b, { ack: PEER_ISS + 101, window: 924 });
    expect(b.deviceRecv(h)).toHaveLength(100);
    b.sendTcp({ ...SEND, seq: PEER_ISS + 101, ack: seqAdd(iss, 1), payload: data(50) });
    expectSegment(b, { ack: PEER_ISS + 151, window: 874 }); // not 974: the edge stays at +1025
    expect(b.deviceRecv(h)).toHaveLength(50);
    b.sendTcp({ ...SEND, seq: PEER_ISS + 151, ack: seqAdd(iss, 1), payload: data(400) });
    expectSegment(b, { ack: PEER_ISS + 551, window: 474 });
    b.expectNoTcpUntil(100);
    // 400 more read: 550 free beyond the edge the peer knows, past 512: the window update goes.
    b.runUntil(100);
    expect(b.deviceRecv(h)).toHaveLength(400);
    expectSegment(b, { atMs: 100, ack: PEER_ISS + 551, window: DEVICE_WINDOW });
  });

  it("receiver SWS: a full ring read by 10 octets stays closed, even to the zero-window probe it takes", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), payload: new Uint8Array(DEVICE_WINDOW).fill(65) });
    expectSegment(b, { ack: PEER_ISS + 1 + DEVICE_WINDOW, window: 0 });
    expect(b.deviceRecv(h, 10)).toBe("A".repeat(10));
    b.expectNoTcpUntil(1000);
    // The peer's probe octet fits in the ring, so it is taken; the window stays 0, not 9.
    b.sendTcp({ ...SEND, seq: PEER_ISS + 1 + DEVICE_WINDOW, ack: seqAdd(iss, 1), payload: text("P") });
    expectSegment(b, { atMs: 1000, ack: PEER_ISS + 2 + DEVICE_WINDOW, window: 0 });
    expect(b.deviceRecv(h, 600)).toHaveLength(600);
    expectSegment(b, { atMs: 1000, ack: PEER_ISS + 2 + DEVICE_WINDOW, window: 609 });
  });

  // Sender-side silly window avoidance (RFC 1122 4.2.3.4): D queued, U usable, Eff.snd.MSS 1460.
  const kilobyte = new Uint8Array(1000).fill(0x61);

  it("sender SWS: a 1-byte window with 1000 bytes queued holds them for the 200 ms override timer, then sends 1 octet", () => {
    const { b, h, iss } = passiveOpen();
    b.runUntil(50);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 1 });
    expect(b.deviceSend(h, kilobyte)).toBe(1000);
    b.expectNoTcpUntil(249);
    expectSegment(b, { atMs: 250, seq: seqAdd(iss, 1), payload: "a" });
    // Data in flight: its ACK decides, not a timer. A window of 100 is still too small...
    b.runUntil(300);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 2), window: 100 });
    b.expectNoTcpUntil(499);
    expectSegment(b, { atMs: 500, seq: seqAdd(iss, 2), payload: "a".repeat(100) });
    // ...and a window that takes all that is left (D <= U) is used at once.
    b.runUntil(600);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 102), window: 2000 });
    expectSegment(b, { atMs: 600, seq: seqAdd(iss, 102), payload: "a".repeat(899) });
  });

  it("sender SWS: a window that closes while the override timer runs falls back to zero-window probing", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 10 });
    b.deviceSend(h, kilobyte);
    b.runUntil(100);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 0 });
    // The override runs out at 200 with nothing usable: the persist timer takes over (RTO 1 s).
    expectSegment(b, { atMs: 1200, seq: seqAdd(iss, 1), payload: "a" });
    expect(b.tcpCounter(TcpCounter.ZERO_WINDOW_PROBES)).toBe(1);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 0 });
    expectSegment(b, { atMs: 3200, seq: seqAdd(iss, 1), payload: "a" });
  });

  it("sender SWS: with a peer whose largest window is 1000, 500 usable octets (Fs = 1/2) go at once, 499 wait", () => {
    const b = new StackBench();
    const l = b.call((e) => e.tcpListen(LOCAL_PORT, LOCAL_PORT));
    b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN, window: 1000, options: new Uint8Array(TcpOption.mss(1460)) });
    const iss = expectSegment(b, { flags: "SYN|ACK", mss: 1460 }).seq;
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), window: 499 });
    const h = b.call((e) => e.tcpAccept(l, 0));
    b.deviceSend(h, kilobyte);
    expectSegment(b, { atMs: 200, seq: seqAdd(iss, 1), payload: "a".repeat(499) });
    b.runUntil(300);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 500), window: 500 });
    expectSegment(b, { atMs: 300, seq: seqAdd(iss, 500), payload: "a".repeat(500) });
  });

  it("answers a segment outside the window with an ACK and counts it", () => {
    const { b, iss } = passiveOpen();
    b.sendTcp({ ...SEND, seq: PEER_ISS + 100_000, ack: seqAdd(iss, 1), payload: text("zz") });
    expectSegment(b, { seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
    expect(b.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW)).toBe(1);
  });

  it("takes the ACK of a pure ACK at the right edge, SEQ = RCV.NXT + RCV.WND (the peer's full window was lost)", () => {
    const { b, h, iss } = passiveOpen();
    b.deviceSend(h, "hello");
    expectSegment(b, { seq: seqAdd(iss, 1), payload: "hello" });
    b.sendTcp({ ...SEND, seq: PEER_ISS + 1 + DEVICE_WINDOW, ack: seqAdd(iss, 6) });
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(0);
    expect(b.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW)).toBe(0);
    b.expectNoTcpUntil(5_000); // no answer, no retransmission
    // One octet further is outside: dropped and answered, the data stays unacknowledged.
    b.deviceSend(h, "again");
    expectSegment(b, { atMs: 5_000, seq: seqAdd(iss, 6), payload: "again" });
    b.sendTcp({ ...SEND, seq: PEER_ISS + 2 + DEVICE_WINDOW, ack: seqAdd(iss, 11) });
    expectSegment(b, { atMs: 5_000, seq: seqAdd(iss, 11), ack: PEER_ISS + 1 });
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(5);
    expect(b.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW)).toBe(1);
  });

  it("with a zero window, takes a pure ACK at RCV.NXT (the right edge) and answers one an octet further", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), payload: new Uint8Array(DEVICE_WINDOW).fill(65) });
    expectSegment(b, { ack: PEER_ISS + 1 + DEVICE_WINDOW, window: 0 });
    b.deviceSend(h, "x");
    expectSegment(b, { seq: seqAdd(iss, 1), payload: "x", window: 0 });
    b.sendTcp({ ...SEND, seq: PEER_ISS + 1 + DEVICE_WINDOW, ack: seqAdd(iss, 2) });
    expect(b.call((e) => e.tcpSendQueued(h))).toBe(0);
    b.sendTcp({ ...SEND, seq: PEER_ISS + 2 + DEVICE_WINDOW, ack: seqAdd(iss, 2) });
    expectSegment(b, { seq: seqAdd(iss, 2), ack: PEER_ISS + 1 + DEVICE_WINDOW, window: 0 });
    expect(b.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW)).toBe(1);
  });

  it("answers unacceptable pure ACKs within the RFC 5961 rate limit (no ACK loop), data segments always", () => {
    const { b, iss } = passiveOpen();
    // A peer that rejects every ACK and answers it with one: the device's answers stop at 10 a second.
    for (let i = 0; i < 12; i++) b.sendTcp({ ...SEND, seq: PEER_ISS + 100_000, ack: seqAdd(iss, 1) });
    expect(b.take("tcp")).toHaveLength(10);
    expect(b.tcpCounter(TcpCounter.CHALLENGE_ACKS_SUPPRESSED)).toBe(2);
    expect(b.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW)).toBe(12);
    // A segment with data cannot be part of an ACK loop: it is answered even over the limit.
    b.sendTcp({ ...SEND, seq: PEER_ISS + 100_000, ack: seqAdd(iss, 1), payload: text("zz") });
    expectSegment(b, { atMs: 0, seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
    // A keepalive probe (SEQ = RCV.NXT - 1) a second later is answered again.
    b.runUntil(1000);
    b.sendTcp({ ...SEND, seq: PEER_ISS, ack: seqAdd(iss, 1) });
    expectSegment(b, { atMs: 1000, seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
  });

  it("answers out-of-order data with a duplicate ACK and does not keep it", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, seq: PEER_ISS + 11, ack: seqAdd(iss, 1), payload: text("later") });
    expectSegment(b, { ack: PEER_ISS + 1, window: DEVICE_WINDOW });
    expect(b.call((e) => e.tcpRecvAvailable(h))).toBe(0);
    expect(b.tcpCounter(TcpCounter.DROP_OUT_OF_ORDER)).toBe(1);
  });

  it("takes only the new part of a segment that overlaps data already received", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), payload: text("abc") });
    b.nextTcp();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), payload: text("abcdef") });
    expectSegment(b, { ack: PEER_ISS + 7, window: DEVICE_WINDOW - 6 });
    expect(b.deviceRecv(h)).toBe("abcdef");
  });

  it("sends a challenge ACK for a RST inside the window but not at RCV.NXT (RFC 5961 3.2)", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, seq: PEER_ISS + 10, flags: RST });
    expectSegment(b, { seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
    expect(b.tcpCounter(TcpCounter.CHALLENGE_ACKS)).toBe(1);
  });

  it("ignores a RST outside the window", () => {
    const { b, h } = passiveOpen();
    b.sendTcp({ ...SEND, seq: PEER_ISS + 100_000, flags: RST });
    b.expectNoTcpUntil(1000);
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
  });

  it("closes on a RST at RCV.NXT: reason reset by peer, handle kept until closed", () => {
    const { b, h } = passiveOpen();
    b.sendTcp({ ...SEND, flags: RST });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSED);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.RESET);
    expect(b.call((e) => e.tcpInUse(h))).toBe(1);
    expect(b.call((e) => e.tcpRecvEof(h))).toBe(1);
    b.call((e) => e.tcpClose(h));
    expect(b.call((e) => e.tcpInUse(h))).toBe(0);
    b.expectNoTcpUntil(5000);
  });

  it("sends a challenge ACK for a SYN (RFC 5961 4.2), rate limited to 10 per second", () => {
    const { b, h, iss } = passiveOpen();
    for (let i = 0; i < 12; i++) b.sendTcp({ ...SEND, seq: PEER_ISS + 1000 + i, flags: SYN });
    const acks = b.take("tcp");
    expect(acks).toHaveLength(10);
    for (const a of acks) expect(b.describe(a)).toMatchObject({ ...RECV, seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
    expect(b.tcpCounter(TcpCounter.CHALLENGE_ACKS_SUPPRESSED)).toBe(2);
    expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
    b.runUntil(1000);
    b.sendTcp({ ...SEND, seq: PEER_ISS + 5, flags: SYN });
    expectSegment(b, { atMs: 1000, ack: PEER_ISS + 1 });
  });

  it("challenges an ACK older than SND.UNA - MAX.SND.WND (RFC 5961 5.2) and ignores its data", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, -100_000), payload: text("old") });
    expectSegment(b, { seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
    expect(b.call((e) => e.tcpRecvAvailable(h))).toBe(0);
    expect(b.tcpCounter(TcpCounter.CHALLENGE_ACKS)).toBe(1);
  });

  it("answers an ACK of data never sent with an ACK and drops it", () => {
    const { b, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1000), payload: text("q") });
    expectSegment(b, { seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
    expect(b.tcpCounter(TcpCounter.DROP_BAD_ACK)).toBe(1);
  });
});

describe("closing", () => {
  it("peer closes first: CLOSE-WAIT, then our FIN, LAST-ACK, CLOSED", () => {
    const { b, h, iss } = passiveOpen();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), flags: FIN | ACK | PSH, payload: text("bye") });
    expectSegment(b, { ack: PEER_ISS + 5, window: DEVICE_WINDOW - 3 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSE_WAIT);
    expect(b.call((e) => e.tcpCloseReason(h))).toBe(Reason.CLOSED_BY_PEER);
    expect(b.deviceRecv(h)).toBe("bye");
    expect(b.call((e) => e.tcpRecvEof(h))).toBe(1);
    b.call((e) => e.tcpClose(h));
    expectSegment(b, { flags: "FIN|ACK", seq: seqAdd(iss, 1), ack: PEER_ISS + 5 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.LAST_ACK);
    b.sendTcp({ ...SEND, seq: PEER_ISS + 5, ack: seqAdd(iss, 2) });
    expect(b.call((e) => e.tcpInUse(h))).toBe(0);
  });

  it("we close first: FIN after the queued data, FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT for exactly 60 s", () => {
    const { b, h, iss } = passiveOpen();
    b.call((e) => e.tcpSetDebug(1));
    // Send and close in one go (as a line does when its session ends): the FIN rides on the data.
    b.call((e, memory) => {
      memory.set(text("last words"), e.testBuffer());
      e.tcpSend(h, e.testBuffer(), 10);
      e.tcpClose(h);
    });
    expectSegment(b, { atMs: 0, flags: "FIN|PSH|ACK", seq: seqAdd(iss, 1), payload: "last words" });
    expect(b.call((e) => e.tcpState(h))).toBe(State.FIN_WAIT_1);
    b.runUntil(200);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 12) });
    expect(b.call((e) => e.tcpState(h))).toBe(State.FIN_WAIT_2);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 12), flags: FIN | ACK });
    expectSegment(b, { atMs: 200, seq: seqAdd(iss, 12), ack: PEER_ISS + 2 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.TIME_WAIT);
    b.runUntil(60_199);
    expect(b.call((e) => e.tcpState(h))).toBe(State.TIME_WAIT);
    b.runUntil(60_200);
    expect(b.call((e) => e.tcpInUse(h))).toBe(0);
    expect(b.logs().filter((line) => line.startsWith("TCP"))).toEqual([
      "TCP0: state was ESTAB -> FINWAIT1 [2001 -> 10.0.0.2(11000)]",
      "TCP0: state was FINWAIT1 -> FINWAIT2 [2001 -> 10.0.0.2(11000)]",
      "TCP0: state was FINWAIT2 -> TIMEWAIT [2001 -> 10.0.0.2(11000)]",
      "TCP0: state was TIMEWAIT -> CLOSED [2001 -> 10.0.0.2(11000)]",
    ]);
  });

  it("gives up an orphaned FIN-WAIT-2 after 60 s with a RST (a vanished peer cannot hold a TCB)", () => {
    const { b, h, iss } = passiveOpen();
    b.call((e) => e.tcpClose(h));
    expectSegment(b, { atMs: 0, flags: "FIN|ACK", seq: seqAdd(iss, 1) });
    b.runUntil(100);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 2) });
    expect(b.call((e) => e.tcpState(h))).toBe(State.FIN_WAIT_2);
    expectSegment(b, { atMs: 60_100, flags: "RST", seq: seqAdd(iss, 2), window: 0 });
    expect(b.call((e) => e.tcpInUse(h))).toBe(0);
  });

  it("simultaneous close: FINs cross, CLOSING, then TIME-WAIT", () => {
    const { b, h, iss } = passiveOpen();
    b.call((e) => e.tcpClose(h));
    expectSegment(b, { flags: "FIN|ACK", seq: seqAdd(iss, 1), ack: PEER_ISS + 1 });
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), flags: FIN | ACK });
    expectSegment(b, { seq: seqAdd(iss, 2), ack: PEER_ISS + 2 });
    expect(b.call((e) => e.tcpState(h))).toBe(State.CLOSING);
    b.sendTcp({ ...SEND, seq: PEER_ISS + 2, ack: seqAdd(iss, 2) });
    expect(b.call((e) => e.tcpState(h))).toBe(State.TIME_WAIT);
  });

  it("re-ACKs a retransmitted FIN in TIME-WAIT", () => {
    const { b, h, iss } = passiveOpen();
    b.call((e) => e.tcpClose(h));
    b.nextTcp();
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 2), flags: FIN | ACK });
    b.nextTcp();
    b.runUntil(5000);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 2), flags: FIN | ACK });
    expectSegment(b, { atMs: 5000, seq: seqAdd(iss, 2), ack: PEER_ISS + 2 });
  });

  it("abort sends RST at SND.NXT and frees the TCB", () => {
    const { b, h, iss } = passiveOpen();
    b.call((e) => e.tcpAbort(h));
    expectSegment(b, { flags: "RST", seq: seqAdd(iss, 1), ack: 0, window: 0 });
    expect(b.call((e) => e.tcpInUse(h))).toBe(0);
  });
});

describe("the TCB table", () => {
  it("refuses a SYN with RST when every TCB is in use, and recycles TIME-WAIT first", () => {
    // Port 23 belongs to the firmware's vty listener (tty/vty.ts): this listener covers the rest.
    const b = new StackBench();
    const l = b.call((e) => e.tcpListen(24, 65535));
    const isses: number[] = [];
    for (let i = 0; i < 24; i++) {
      const port = 20_000 + i;
      b.sendTcp({ ...SEND, srcPort: port, dstPort: 24, seq: PEER_ISS, flags: SYN });
      const synAck = b.nextTcp();
      isses.push(synAck.seq);
      b.sendTcp({ ...SEND, srcPort: port, dstPort: 24, ack: seqAdd(synAck.seq, 1) });
      expect(b.call((e) => e.tcpAccept(l, 0))).toBe(i);
    }
    b.sendTcp({ ...SEND, srcPort: 30_000, dstPort: 24, seq: PEER_ISS, flags: SYN });
    expectSegment(b, { flags: "RST|ACK", srcPort: 24, dstPort: 30_000, seq: 0, ack: PEER_ISS + 1, window: 0 });
    expect(b.tcpCounter(TcpCounter.DROP_TABLE_FULL)).toBe(1);
    // Connection 0 goes to TIME-WAIT; a new SYN then takes its TCB.
    b.call((e) => e.tcpClose(0));
    b.nextTcp();
    b.sendTcp({ ...SEND, srcPort: 20_000, dstPort: 24, ack: seqAdd(isses[0]!, 2), flags: FIN | ACK });
    b.nextTcp();
    expect(b.call((e) => e.tcpState(0))).toBe(State.TIME_WAIT);
    b.sendTcp({ ...SEND, srcPort: 30_001, dstPort: 24, seq: PEER_ISS, flags: SYN });
    expectSegment(b, { flags: "SYN|ACK", srcPort: 24, dstPort: 30_001, mss: 1460 });
    expect(b.tcpCounter(TcpCounter.TIME_WAIT_RECYCLED)).toBe(1);
  });

  it("refuses an active open when the table is full (-1), and takes a TIME-WAIT TCB when there is one", () => {
    const b = new StackBench();
    // The peer announces itself first, so no SYN waits for ARP (the queue holds one per host).
    b.inject(arpFrame({ op: ARP_REQUEST, senderMac: PEER.mac, senderIp: PEER.ip, targetMac: 0n, targetIp: DEVICE.ip }));
    b.take("arp");
    const handles: number[] = [];
    for (let i = 0; i < 24; i++) handles.push(b.call((e) => e.tcpOpen(PEER.ip, 23)));
    expect(handles).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(b.call((e) => e.tcpOpen(PEER.ip, 23))).toBe(-1);
    // Complete connection 5 and take it to TIME-WAIT: the next open gets its slot.
    b.run(0);
    const local = b.call((e) => e.tcpLocalPort(5));
    const syn = b.take("tcp").map((c) => b.describe(c)).find((v): v is SegmentView => typeof v !== "string" && v.flags === "SYN" && v.srcPort === local);
    if (!syn) throw new Error("no SYN from connection 5");
    b.sendTcp({ srcPort: 23, dstPort: local, seq: PEER_ISS, ack: seqAdd(syn.seq, 1), flags: SYN | ACK, window: 4096 });
    b.call((e) => e.tcpClose(5));
    b.run(0); // our FIN goes out
    b.sendTcp({ srcPort: 23, dstPort: local, seq: PEER_ISS + 1, ack: seqAdd(syn.seq, 2), flags: FIN | ACK, window: 4096 });
    expect(b.call((e) => e.tcpState(5))).toBe(State.TIME_WAIT);
    expect(b.call((e) => e.tcpOpen(PEER.ip, 23))).toBe(5);
    expect(b.tcpCounter(TcpCounter.TIME_WAIT_RECYCLED)).toBe(1);
  });

  it("picks ISNs that differ per 4-tuple and per boot (RFC 6528)", () => {
    const isn = (seed: number, port: number): number => {
      const b = new StackBench({ seed });
      b.call((e) => e.tcpListen(LOCAL_PORT, LOCAL_PORT));
      b.sendTcp({ ...SEND, srcPort: port, seq: PEER_ISS, flags: SYN });
      return b.nextTcp().seq;
    };
    expect(isn(1, 11000)).toBe(isn(1, 11000));
    expect(isn(1, 11000)).not.toBe(isn(1, 11001));
    expect(isn(1, 11000)).not.toBe(isn(2, 11000));
  });

  it("finds a TCB only by its 4-tuple: the same segment from another port gets RST", () => {
    const { b, iss } = passiveOpen();
    b.sendTcp({ ...SEND, srcPort: REMOTE_PORT + 1, ack: seqAdd(iss, 1) });
    expect(b.nextTcp()).toMatchObject({ flags: "RST", seq: seqAdd(iss, 1) });
  });
});

describe("options", () => {
  it("accepts options it does not implement anywhere in a segment", () => {
    const { b, h, iss } = passiveOpen();
    const options = new Uint8Array([...TcpOption.nop(), ...TcpOption.nop(), ...TcpOption.timestamps(5, 6)]);
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1), options, payload: text("ts") });
    expectSegment(b, { ack: PEER_ISS + 3, window: DEVICE_WINDOW - 2 });
    expect(b.deviceRecv(h)).toBe("ts");
  });

  it("honours a small MSS from the peer's SYN", () => {
    const b = new StackBench();
    const l = b.call((e) => e.tcpListen(LOCAL_PORT, LOCAL_PORT));
    b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN, options: new Uint8Array(TcpOption.mss(100)) });
    const iss = b.nextTcp().seq;
    b.sendTcp({ ...SEND, ack: seqAdd(iss, 1) });
    const h = b.call((e) => e.tcpAccept(l, 0));
    b.deviceSend(h, "m".repeat(250));
    expect(b.nextTcp().payload).toHaveLength(100);
    expect(b.nextTcp().payload).toHaveLength(100);
    expect(b.nextTcp().payload).toHaveLength(50);
  });
});
