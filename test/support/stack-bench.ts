// A test bench for the network stack: the whole firmware (the test entry firmware/testing/stack.ts,
// i.e. main.ts plus the net/TCP APIs) in a Simulator Device, with a host-side peer on the wire that
// injects frames (device.receiveFrame) and captures every frame the device transmits, stamped with
// the virtual time it left. ARP requests for the peer are answered at once unless autoArp is off.
// STACK_ENTRY=path runs the same tests on another build of the entry (for example a release build:
// asc firmware/testing/stack.ts --config asconfig.json --target release --transform ./scripts/text-table.js
// --outFile ...).
import { Simulator } from "../../host-sim/simulator.ts";
import type { Device } from "../../host-sim/device.ts";
import {
  ARP_REPLY, ARP_REQUEST, ACK, arpFrame, decodeFrame, flagsText, ip, tcpFrame, type Decoded, type Endpoint,
  type ParsedTcp, type TcpSegment,
} from "./packets.ts";

export const DEVICE: Endpoint = { mac: 0x02_00_00_00_00_01n, ip: ip("10.0.0.1") };
export const PEER: Endpoint = { mac: 0x02_00_00_00_00_02n, ip: ip("10.0.0.2") };
export const NETMASK = ip("255.255.255.0");
export const GATEWAY: Endpoint = { mac: 0x02_00_00_00_00_fen, ip: ip("10.0.0.254") };

/** The test entry's exports (u32 results arrive as signed numbers: use `>>> 0`). */
export interface StackExports {
  testBuffer(): number;
  testConfigure(ip: number, mask: number, gateway: number): void;
  netSetAddress(ip: number, mask: number): void;
  netSetGateway(gateway: number): void;
  netSetShutdown(down: number): void;
  netCounter(id: number): number;
  arpEntryState(i: number): number;
  arpEntryIp(i: number): number;
  arpEntryMac(i: number): bigint;
  arpEntryAgeMs(i: number): bigint;
  arpFlush(): void;
  pingStart(ip: number, repeat: number, size: number, timeoutMs: number): number;
  pingNextResult(h: number): number;
  pingDone(h: number): number;
  pingSent(h: number): number;
  pingReceived(h: number): number;
  pingRttMinMs(h: number): number;
  pingRttAvgMs(h: number): number;
  pingRttMaxMs(h: number): number;
  pingStop(h: number): void;
  tcpListen(lo: number, hi: number): number;
  tcpUnlisten(l: number): void;
  tcpAccept(l: number, port: number): number;
  tcpOpen(ip: number, port: number): number;
  tcpSend(h: number, ptr: number, len: number): number;
  tcpSendSpace(h: number): number;
  tcpSendQueued(h: number): number;
  tcpRecv(h: number, ptr: number, max: number): number;
  tcpRecvAvailable(h: number): number;
  tcpRecvEof(h: number): number;
  tcpClose(h: number): void;
  tcpAbort(h: number): void;
  tcpKill(h: number): void;
  tcpState(h: number): number;
  tcpInUse(h: number): number;
  tcpCloseReason(h: number): number;
  tcpLocalIp(h: number): number;
  tcpLocalPort(h: number): number;
  tcpRemoteIp(h: number): number;
  tcpRemotePort(h: number): number;
  tcpIsPassive(h: number): number;
  tcpBytesIn(h: number): number;
  tcpBytesOut(h: number): number;
  tcpIdleMs(h: number): bigint;
  tcpRtoMs(h: number): number;
  tcpSrttMs(h: number): number;
  tcpKeepaliveProbes(h: number): number;
  tcpTcbAddress(h: number): number;
  tcpSetTag(h: number, tag: number): void;
  tcpSetConnectionKeepalive(h: number, mode: number): void;
  tcpSetKeepaliveIn(on: number): void;
  tcpSetKeepaliveOut(on: number): void;
  tcpSetKeepaliveTimers(idleMs: number, intervalMs: number, count: number): void;
  tcpSetSynwaitMs(ms: number): void;
  tcpSetDebug(on: number): void;
  tcpCounter(id: number): number;
}

// Mirrors of the firmware's constants (firmware/tcp/tcb.ts, firmware/net/config.ts).
export const State = {
  CLOSED: 0, LISTEN: 1, SYN_SENT: 2, SYN_RECEIVED: 3, ESTABLISHED: 4, FIN_WAIT_1: 5, FIN_WAIT_2: 6,
  CLOSE_WAIT: 7, CLOSING: 8, LAST_ACK: 9, TIME_WAIT: 10,
} as const;
export const Reason = {
  NONE: 0, RESET: 1, KEEPALIVE: 2, RETRANSMIT: 3, CLOSED_BY_PEER: 4, REFUSED: 5, TIMED_OUT: 6, ABORTED: 7, UNREACHABLE: 8,
} as const;
export const TcpCounter = {
  SEGS_IN: 0, SEGS_OUT: 1, RETRANSMITS: 2, KEEPALIVE_PROBES: 3, KEEPALIVE_DROPS: 4, RETRANSMIT_DROPS: 5,
  DROP_BAD_CHECKSUM: 6, DROP_MALFORMED: 7, DROP_NO_LISTENER: 8, DROP_NO_CONNECTION: 9, DROP_OUT_OF_WINDOW: 10,
  DROP_TABLE_FULL: 11, DROP_BACKLOG_FULL: 12, DROP_OUT_OF_ORDER: 13, DROP_BAD_ACK: 14, RST_IN: 15, RST_OUT: 16,
  CHALLENGE_ACKS: 17, CHALLENGE_ACKS_SUPPRESSED: 18, ACTIVE_OPENS: 19, PASSIVE_OPENS: 20, ESTABLISHED: 21,
  CONNECT_TIMEOUTS: 22, TIME_WAIT_RECYCLED: 23, ZERO_WINDOW_PROBES: 24,
} as const;
export const NetCounter = {
  RX_FRAMES: 0, RX_BYTES: 1, TX_FRAMES: 2, TX_BYTES: 3, RX_OVERRUNS: 4, RX_BAD_LENGTH: 5, RX_BROADCASTS: 6,
  RX_IGNORED: 7, DROPPED_DOWN: 8, IP_RX_PACKETS: 9, IP_RX_BAD_CHECKSUM: 10, IP_RX_MALFORMED: 11, IP_RX_FRAGMENTS: 12,
  IP_RX_NOT_FOR_US: 13, IP_RX_UNKNOWN_PROTOCOL: 14, IP_TX_PACKETS: 15, IP_TX_NO_ROUTE: 16, ICMP_RX_BAD: 17,
  ICMP_RX_ECHO_REQUESTS: 18, ICMP_RX_ECHO_REPLIES: 19, ICMP_TX_ECHO_REQUESTS: 20, ICMP_TX_ECHO_REPLIES: 21,
  ARP_RX_PACKETS: 22, ARP_RX_BAD: 23, ARP_TX_REQUESTS: 24, ARP_TX_REPLIES: 25, ARP_DROPPED: 26, ARP_FAILED: 27,
  ARP_EXPIRED: 28, ARP_EVICTED: 29,
} as const;
export const ArpState = { FREE: 0, PENDING: 1, STABLE: 2 } as const;

export interface Captured {
  atMs: number;
  bytes: Uint8Array;
  frame: Decoded;
}

/** A segment as the tests compare it: readable flags, numbers, payload as latin1 text. */
export interface SegmentView {
  atMs: number;
  flags: string;
  seq: number;
  ack: number;
  window: number;
  mss: number | undefined;
  payload: string;
  srcPort: number;
  dstPort: number;
}

export interface BenchOptions {
  seed?: number;
  /** Give the device 10.0.0.1/24 (default true). */
  configure?: boolean;
  /** Answer the device's ARP requests for the peer and the gateway at once (default true). */
  autoArp?: boolean;
}

const ENTRY_PATH = process.env["STACK_ENTRY"] ?? "build/testing/stack.wasm";
const latin1 = new TextDecoder("latin1");

export class StackBench {
  readonly sim: Simulator;
  readonly device: Device;
  readonly frames: Captured[] = [];
  autoArp: boolean;
  private readonly queues = new Map<Decoded["kind"], Captured[]>();

  constructor(options: BenchOptions = {}) {
    this.sim = new Simulator(options.seed ?? 1);
    this.autoArp = options.autoArp ?? true;
    this.device = this.sim.addDevice({ name: "r1", mac: DEVICE.mac, firmwarePath: ENTRY_PATH });
    this.device.transmit = (bytes) => this.capture(bytes);
    this.device.powerOn();
    if (options.configure ?? true) {
      this.call((e) => e.testConfigure(DEVICE.ip, NETMASK, GATEWAY.ip));
      this.run(0);
      this.take("arp"); // the gratuitous ARP
    }
  }

  get nowMs(): number {
    return this.sim.nowMs;
  }

  /** Calls the test entry's exports as one firmware call (Device.callExports: polls before and after). */
  call<T>(work: (e: StackExports, memory: Uint8Array) => T): T {
    let result: T | undefined;
    let called = false;
    this.device.callExports((raw, memory) => {
      called = true;
      result = work(raw as unknown as StackExports, memory);
    });
    if (!called || this.device.state !== "running") throw new Error(`device is ${this.device.state}: ${this.device.crashMessage ?? ""}`);
    return result as T;
  }

  run(durationMs: number): void {
    this.sim.runFor(durationMs);
    this.assertAlive();
  }

  runUntil(atMs: number): void {
    this.sim.scheduler.runUntil(atMs);
    this.assertAlive();
  }

  assertAlive(): void {
    if (this.device.state !== "running") throw new Error(`device ${this.device.state}: ${this.device.crashMessage ?? ""}`);
  }

  /** A frame arrives at the device now; the device handles it before this returns. */
  inject(bytes: Uint8Array): void {
    this.device.receiveFrame(bytes);
    this.run(0);
  }

  /** The peer sends a TCP segment to the device. */
  sendTcp(segment: TcpSegment, from: Endpoint = PEER): void {
    this.inject(tcpFrame(from, DEVICE, segment));
  }

  /** Runs until the device has sent a frame of `kind` not yet taken, and takes it. */
  next(kind: Decoded["kind"], limitMs = 24 * 3600 * 1000): Captured {
    const queue = this.queue(kind);
    this.sim.runUntilTrue(() => queue.length > 0 || this.device.state !== "running", limitMs);
    this.assertAlive();
    return queue.shift()!;
  }

  /** Frames of `kind` sent and not yet taken (without running the simulation). */
  take(kind: Decoded["kind"]): Captured[] {
    const queue = this.queue(kind);
    return queue.splice(0, queue.length);
  }

  /** The next TCP segment the device sends, in comparable form. */
  nextTcp(limitMs?: number): SegmentView {
    const captured = this.next("tcp", limitMs);
    if (captured.frame.kind !== "tcp") throw new Error("not TCP");
    if (!captured.frame.tcp.checksumOk || !captured.frame.ip.checksumOk) throw new Error("device sent a bad checksum");
    return segmentView(captured.atMs, captured.frame.tcp);
  }

  /** Asserts that no TCP segment leaves the device up to and including `untilMs`. */
  expectNoTcpUntil(untilMs: number): void {
    const queue = this.queue("tcp");
    if (queue.length > 0) throw new Error(`unexpected segment ${JSON.stringify(this.describe(queue[0]!))}`);
    this.runUntil(untilMs);
    if (queue.length > 0) throw new Error(`unexpected segment ${JSON.stringify(this.describe(queue[0]!))}`);
  }

  describe(captured: Captured): SegmentView | string {
    return captured.frame.kind === "tcp" ? segmentView(captured.atMs, captured.frame.tcp) : captured.frame.kind;
  }

  /** Writes `data` into the entry's buffer and queues it on connection `h`; returns bytes taken. */
  deviceSend(h: number, data: string | Uint8Array): number {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    return this.call((e, memory) => {
      const ptr = e.testBuffer();
      memory.set(bytes, ptr);
      return e.tcpSend(h, ptr, bytes.length) >>> 0;
    });
  }

  /** Reads what connection `h` received (up to `max` bytes) as latin1 text. */
  deviceRecv(h: number, max = 2048): string {
    return this.call((e, memory) => {
      const ptr = e.testBuffer();
      const n = e.tcpRecv(h, ptr, max) >>> 0;
      return latin1.decode(memory.slice(ptr, ptr + n));
    });
  }

  tcpCounter(id: number): number {
    return this.call((e) => e.tcpCounter(id) >>> 0);
  }

  netCounter(id: number): number {
    return this.call((e) => e.netCounter(id) >>> 0);
  }

  logs(): string[] {
    return this.device.logs.map((entry) => entry.text);
  }

  private queue(kind: Decoded["kind"]): Captured[] {
    let queue = this.queues.get(kind);
    if (!queue) {
      queue = [];
      this.queues.set(kind, queue);
    }
    return queue;
  }

  private capture(bytes: Uint8Array): void {
    const frame = decodeFrame(bytes);
    const captured: Captured = { atMs: this.sim.nowMs, bytes, frame };
    this.frames.push(captured);
    if (frame.kind === "arp" && this.autoArp && frame.arp.op === ARP_REQUEST) {
      const target = [PEER, GATEWAY].find((p) => p.ip === frame.arp.targetIp);
      if (target) {
        const reply = arpFrame({ op: ARP_REPLY, senderMac: target.mac, senderIp: target.ip, targetMac: DEVICE.mac, targetIp: DEVICE.ip });
        // Not re-entrant: the reply arrives as an event at this same instant.
        this.sim.scheduler.at(this.sim.nowMs, () => this.device.receiveFrame(reply));
        return;
      }
    }
    this.queue(frame.kind).push(captured);
  }
}

export function segmentView(atMs: number, tcp: ParsedTcp): SegmentView {
  return {
    atMs,
    flags: flagsText(tcp.flags),
    seq: tcp.seq,
    ack: tcp.ack,
    window: tcp.window,
    mss: tcp.mss,
    payload: latin1.decode(tcp.payload),
    srcPort: tcp.srcPort,
    dstPort: tcp.dstPort,
  };
}

/** Sequence arithmetic for expectations: (a + n) mod 2^32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

export { ACK };
