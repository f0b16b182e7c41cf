// RFC 5961 blind attacks on a live reverse-telnet session (host -> r1 port 2002, r1's tty2): an
// off-path attacker who knows the 4-tuple but not the sequence numbers. In-window but inexact RST
// and in-window SYN must only draw a challenge ACK; data with an unacceptable ACK (RFC 5961 5.2) or
// an inexact sequence number must not reach the line. The exact-sequence RST does kill the session:
// that is the control that shows these tests can fail.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { Prng } from "../../host-sim/prng.ts";
import { ACK, decodeFrame, PSH, RST, SYN } from "../support/packets.ts";
import { Bench, tcpCounter, type TcpPeer } from "../fuzz/kit.ts";

const TCP_CHALLENGE_ACKS = 17;

beforeAll(async () => {
  await prepareFirmware("core");
});

interface Session {
  bench: Bench;
  peer: TcpPeer;
  line: () => string;
}

function session(seed: number): Session {
  const bench = new Bench(seed);
  let text = "";
  bench.device.uart(2).attach({ data: (b) => (text += Buffer.from(b).toString("latin1")) });
  const peer = bench.connect(2002, 48002);
  bench.sim.runFor(300);
  expect(peer.established).toBe(true);
  peer.send("before|", 100);
  return { bench, peer, line: () => text };
}

/** ACK-only segments the device sent to the host since frame index `from` (challenge ACKs among them). */
function acksSince(bench: Bench, from: number): number {
  return bench.heard.slice(from).filter((f) => {
    const d = decodeFrame(f);
    return d.kind === "tcp" && d.tcp.flags === ACK && d.tcp.payload.length === 0;
  }).length;
}

/** The session still carries data both ways. */
function expectAlive(s: Session): void {
  s.peer.send("after|", 100);
  expect(s.peer.reset).toBe(false);
  expect(s.line()).toBe("before|after|");
  s.peer.received = [];
  s.bench.device.uart(2).send("reply");
  s.bench.sim.runFor(100);
  expect(s.peer.text()).toContain("reply");
}

describe("attack: blind in-window injection (RFC 5961)", () => {
  it("in-window RSTs that miss RCV.NXT draw challenge ACKs and do not kill the session", () => {
    const s = session(21);
    const prng = new Prng(21);
    const from = s.bench.heard.length;
    const challenges = tcpCounter(s.bench, TCP_CHALLENGE_ACKS);
    for (let i = 0; i < 50; i++) s.peer.emit(RST, new Uint8Array(0), s.peer.sndNxt + prng.between(1, 400), 0);
    s.bench.sim.runFor(2_000);
    expect(acksSince(s.bench, from)).toBeGreaterThan(0);
    // RFC 5961 7: challenge ACKs are rate-limited (10 a second here), never one per guess.
    expect(tcpCounter(s.bench, TCP_CHALLENGE_ACKS) - challenges).toBeLessThanOrEqual(10);
    expectAlive(s);
    s.bench.expectHealthy("after RST guesses");
  });

  it("an in-window SYN draws a challenge ACK and does not kill the session", () => {
    const s = session(22);
    const from = s.bench.heard.length;
    s.peer.emit(SYN, new Uint8Array(0), s.peer.sndNxt + 10, 0);
    s.bench.sim.runFor(200);
    expect(acksSince(s.bench, from)).toBe(1);
    expectAlive(s);
  });

  it("data with a guessed ACK (outside SND.UNA - MAX.SND.WND .. SND.NXT) or an inexact sequence never reaches the line", () => {
    const s = session(23);
    const prng = new Prng(23);
    for (let i = 0; i < 200; i++) {
      const payload = Uint8Array.from(Buffer.from("INJECTED", "latin1"));
      if (i % 2 === 0) s.peer.emit(ACK | PSH, payload, s.peer.sndNxt, prng.u32()); // exact seq, guessed ack
      else s.peer.emit(ACK | PSH, payload, s.peer.sndNxt + prng.between(1, 300), s.peer.rcvNxt); // right ack, seq off
    }
    s.bench.sim.runFor(500);
    expect(s.line()).not.toContain("INJECTED");
    expectAlive(s);
  });

  it("control: the RST at exactly RCV.NXT ends the session (so the tests above can fail)", () => {
    const s = session(24);
    s.peer.emit(RST, new Uint8Array(0), s.peer.sndNxt, 0);
    s.bench.sim.runFor(200);
    s.peer.send("after|", 200);
    expect(s.peer.reset).toBe(true);
    expect(s.line()).toBe("before|");
  });
});
