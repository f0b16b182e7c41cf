// Segment templates and connection set-ups shared by the TCP tests (smoltcp's SEND_TEMPL and
// RECV_TEMPL): a test overrides only the fields it is about, so each reads like a trace.
import { expect } from "vitest";
import { StackBench, State, seqAdd, type SegmentView, type BenchOptions } from "../support/stack-bench.ts";
import { ACK, SYN, linuxSynOptions, type TcpSegment } from "../support/packets.ts";

export const LOCAL_PORT = 2001;
export const REMOTE_PORT = 11000;
export const PEER_ISS = 10_000;
export const PEER_WINDOW = 4096;
/** The device's receive ring: its window when nothing is unread. */
export const DEVICE_WINDOW = 1024;
export const DEVICE_MSS = 1460;

/** From the peer: an ACK at the peer's next sequence number (fill in ack). */
export const SEND: TcpSegment = { srcPort: REMOTE_PORT, dstPort: LOCAL_PORT, seq: PEER_ISS + 1, ack: 0, flags: ACK, window: PEER_WINDOW };

/** From the device: what most of its segments look like. */
export const RECV: Partial<SegmentView> = { srcPort: LOCAL_PORT, dstPort: REMOTE_PORT, flags: "ACK", window: DEVICE_WINDOW, payload: "", mss: undefined };

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Asserts the device's next segment, including the virtual time it left at. */
export function expectSegment(b: StackBench, expected: Partial<SegmentView>): SegmentView {
  const segment = b.nextTcp();
  // Segments with data carry PSH (the device pushes every send: terminal traffic is interactive).
  const flags = expected.payload ? { flags: "PSH|ACK" } : {};
  expect(segment).toMatchObject({ ...RECV, ...flags, ...expected });
  return segment;
}

export interface Connection {
  b: StackBench;
  /** The device's handle. */
  h: number;
  /** The device's ISS. */
  iss: number;
}

/** A connection the peer opened to LOCAL_PORT at t = 0, accepted by the device user. */
export function passiveOpen(options: BenchOptions & { before?: (b: StackBench) => void } = {}): Connection {
  const b = new StackBench(options);
  options.before?.(b);
  const l = b.call((e) => e.tcpListen(LOCAL_PORT, LOCAL_PORT));
  b.sendTcp({ ...SEND, seq: PEER_ISS, flags: SYN, options: linuxSynOptions() });
  const synAck = expectSegment(b, { flags: "SYN|ACK", ack: PEER_ISS + 1, mss: DEVICE_MSS });
  const iss = synAck.seq;
  b.sendTcp({ ...SEND, ack: seqAdd(iss, 1) });
  const h = b.call((e) => e.tcpAccept(l, 0));
  expect(h).toBeGreaterThanOrEqual(0);
  expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
  return { b, h, iss };
}

/** A connection the device opened to the peer's REMOTE_PORT... from its ephemeral port. */
export interface ActiveConnection extends Connection {
  localPort: number;
}

export function activeOpen(options: BenchOptions & { before?: (b: StackBench) => void } = {}): ActiveConnection {
  const b = new StackBench(options);
  options.before?.(b);
  const h = b.call((e) => e.tcpOpen(b.sim.devices.size > 0 ? 0x0a000002 : 0, 23));
  expect(h).toBeGreaterThanOrEqual(0);
  const syn = b.nextTcp();
  expect(syn).toMatchObject({ flags: "SYN", dstPort: 23, ack: 0, mss: DEVICE_MSS, window: DEVICE_WINDOW, payload: "" });
  b.sendTcp({ srcPort: 23, dstPort: syn.srcPort, seq: PEER_ISS, ack: seqAdd(syn.seq, 1), flags: SYN | ACK, window: PEER_WINDOW, options: linuxSynOptions() });
  expect(b.nextTcp()).toMatchObject({ flags: "ACK", seq: seqAdd(syn.seq, 1), ack: PEER_ISS + 1, srcPort: syn.srcPort, dstPort: 23 });
  expect(b.call((e) => e.tcpState(h))).toBe(State.ESTABLISHED);
  return { b, h, iss: syn.seq, localPort: syn.srcPort };
}
