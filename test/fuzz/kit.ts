// The fuzzers' and attack tests' bench: one device running the stack test entry (the whole firmware
// plus the socket API) with a startup-config that has every kind of line (a TTY with login, reverse
// lines, vtys with login), cabled straight to a Port the test drives (a host at 10.0.0.9 that
// answers ARP and can hold TCP connections of its own: TcpPeer), plus the health check every fuzzer
// runs after every input: the device never crashed and its heap and memory size never changed.
import { expect } from "vitest";
import type { Device } from "../../host-sim/device.ts";
import { Port } from "../../host-sim/network/port.ts";
import { MemoryNvram, NVRAM_BYTES_DEFAULT } from "../../host-sim/nvram.ts";
import type { Prng } from "../../host-sim/prng.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { encodeStartupConfig } from "../../host-sim/startup-config.ts";
import {
  ACK, ARP_REPLY, ARP_REQUEST, arpFrame, decodeFrame, ip, RST, SYN, tcpFrame, type Endpoint, type ParsedTcp,
} from "../support/packets.ts";

export const STACK_ENTRY = "build/testing/stack.wasm";
export const DEVICE_IP = ip("10.0.0.1");
export const HOST_IP = ip("10.0.0.9");
export const HOST_MAC = 0x02_00_00_00_00_99n;

export const BENCH_CONFIG = [
  "hostname r1",
  "enable secret cisco",
  "service tcp-keepalives-in",
  "interface ethernet0",
  " ip address 10.0.0.1 255.255.255.0",
  "line 1",
  " login",
  " password cisco",
  "line 2 3",
  " no exec",
  " transport input telnet",
  "line vty 0 4",
  " login",
  " password cisco",
  "",
].join("\n");

export class Bench {
  readonly sim: Simulator;
  readonly device: Device;
  readonly port: Port;
  readonly host: Endpoint = { mac: HOST_MAC, ip: HOST_IP };
  readonly deviceEnd: Endpoint;
  /** Frames the device sent to the host, in order. */
  readonly heard: Uint8Array[] = [];
  private baseline: { heapBytes: number; memoryBytes: number } | undefined;
  private readonly peers: TcpPeer[] = [];

  constructor(seed: number, config = BENCH_CONFIG) {
    this.sim = new Simulator(seed);
    const nvram = new MemoryNvram(NVRAM_BYTES_DEFAULT, encodeStartupConfig(config));
    this.device = this.sim.addDevice({ name: "r1", firmwarePath: STACK_ENTRY, nvram });
    for (const uart of this.device.uarts) uart.paced = false;
    this.port = new Port("host", this.sim.scheduler, (frame) => this.receive(frame));
    this.sim.network.connect(this.device, this.port);
    this.deviceEnd = { mac: this.device.mac, ip: DEVICE_IP };
    this.device.powerOn();
    this.sim.runFor(1_000);
    this.baseline = this.device.memoryFacts();
  }

  send(frame: Uint8Array): void {
    this.port.send(frame);
  }

  /** Throws unless the device runs with the heap and memory it booted with. */
  expectHealthy(context: string): void {
    expect(this.device.state, `${context}: ${this.device.crashMessage ?? ""}`).toBe("running");
    expect(this.device.memoryFacts(), context).toEqual(this.baseline);
  }

  /** A TCP connection from the host to the device's port (handshake done when `established`). */
  connect(port: number, srcPort: number): TcpPeer {
    const peer = new TcpPeer(this, port, srcPort);
    this.peers.push(peer);
    peer.open();
    return peer;
  }

  private receive(frame: Uint8Array): void {
    this.heard.push(frame);
    let decoded;
    try {
      decoded = decodeFrame(frame);
    } catch {
      return;
    }
    if (decoded.kind === "arp" && decoded.arp.op === ARP_REQUEST && decoded.arp.targetIp === HOST_IP) {
      this.send(arpFrame({ op: ARP_REPLY, senderMac: HOST_MAC, senderIp: HOST_IP, targetMac: decoded.arp.senderMac, targetIp: decoded.arp.senderIp }));
    }
    if (decoded.kind === "tcp" && decoded.ip.dst === HOST_IP) {
      for (const peer of this.peers) if (peer.srcPort === decoded.tcp.dstPort) peer.segment(decoded.tcp);
    }
  }
}

/** The host's side of one TCP connection: enough of RFC 9293 to hold a session and push bytes. */
export class TcpPeer {
  sndNxt: number;
  rcvNxt = 0;
  established = false;
  reset = false;
  /** Payload the device sent, in order (duplicates dropped by sequence number). */
  received: number[] = [];
  /** The device's last advertised window. */
  window = 0;
  /** The window this host advertises; payload beyond it (a zero-window probe) is not taken. */
  advertisedWindow = 8192;

  constructor(private readonly bench: Bench, readonly dstPort: number, readonly srcPort: number, iss = 0x1000_0000 + srcPort * 7919) {
    this.sndNxt = iss >>> 0;
  }

  open(): void {
    this.emit(SYN, new Uint8Array(0), this.sndNxt, 0);
    this.sndNxt = (this.sndNxt + 1) >>> 0;
    this.bench.sim.runFor(50);
  }

  /** Sends payload at SND.NXT (ACKing what arrived) and lets the device answer. */
  send(payload: Uint8Array | string, runMs = 20): void {
    const bytes = typeof payload === "string" ? Uint8Array.from(Buffer.from(payload, "latin1")) : payload;
    this.emit(ACK | 0x08, bytes, this.sndNxt, this.rcvNxt);
    this.sndNxt = (this.sndNxt + bytes.length) >>> 0;
    this.bench.sim.runFor(runMs);
  }

  /** A segment with any fields (for blind-injection tests); sequence state is not touched. */
  emit(flags: number, payload: Uint8Array, seq: number, ack: number): void {
    this.bench.send(tcpFrame(this.bench.host, this.bench.deviceEnd, { srcPort: this.srcPort, dstPort: this.dstPort, seq: seq >>> 0, ack: ack >>> 0, flags, window: this.advertisedWindow, payload, ...((flags & SYN) !== 0 ? { options: new Uint8Array([2, 4, 5, 0xb4]) } : {}) }));
  }

  text(): string {
    return Buffer.from(this.received).toString("latin1");
  }

  segment(tcp: ParsedTcp): void {
    if ((tcp.flags & RST) !== 0) {
      this.reset = true;
      this.established = false;
      return;
    }
    this.window = tcp.window;
    if ((tcp.flags & SYN) !== 0 && (tcp.flags & ACK) !== 0) {
      this.rcvNxt = (tcp.seq + 1) >>> 0;
      this.established = true;
      this.emit(ACK, new Uint8Array(0), this.sndNxt, this.rcvNxt);
      return;
    }
    const fin = (tcp.flags & 0x01) !== 0;
    // A keepalive probe (SEQ = RCV.NXT - 1, no data) is answered, as every real stack does.
    if (tcp.payload.length === 0 && !fin && tcp.seq === ((this.rcvNxt - 1) >>> 0)) {
      this.emit(ACK, new Uint8Array(0), this.sndNxt, this.rcvNxt);
      return;
    }
    if (tcp.payload.length > 0 || fin) {
      if (tcp.seq === this.rcvNxt && tcp.payload.length <= this.advertisedWindow) {
        for (const b of tcp.payload) this.received.push(b);
        this.rcvNxt = (this.rcvNxt + tcp.payload.length + (fin ? 1 : 0)) >>> 0;
      }
      this.emit(ACK, new Uint8Array(0), this.sndNxt, this.rcvNxt);
    }
  }
}

/** Wall-clock budget for a fuzz loop: stops early rather than slow CI down. */
export function budget(ms: number): () => boolean {
  const end = Date.now() + ms;
  return () => Date.now() < end;
}

/** A mutation of `frame`: bit flips, byte sets, truncation or extension (what a fuzzer's havoc does). */
export function mutate(frame: Uint8Array, prng: Prng): Uint8Array {
  let out = frame.slice();
  const rounds = prng.between(1, 4);
  for (let r = 0; r < rounds; r++) {
    switch (prng.below(5)) {
      case 0: {
        const at = prng.below(out.length);
        out[at] = out[at]! ^ (1 << prng.below(8));
        break;
      }
      case 1: {
        out[prng.below(out.length)] = prng.pick([0, 0xff, 0x7f, 0x80, 1, prng.below(256)]);
        break;
      }
      case 2:
        out = out.slice(0, prng.below(out.length + 1));
        if (out.length === 0) out = new Uint8Array([prng.below(256)]);
        break;
      case 3: {
        const more = new Uint8Array(out.length + prng.between(1, 64));
        more.set(out);
        more.set(prng.bytes(more.length - out.length), out.length);
        out = more;
        break;
      }
      default: {
        // A 16-bit field set to an edge value (lengths, ports, window, checksum).
        const at = prng.below(Math.max(1, out.length - 1));
        const value = prng.pick([0, 0xffff, 0x8000, 20, 40, 60, 1500, prng.below(0x10000)]);
        out[at] = value >> 8;
        if (at + 1 < out.length) out[at + 1] = value & 0xff;
      }
    }
  }
  return out;
}

function onesSum(bytes: Uint8Array, from: number, to: number, sum = 0): number {
  for (let i = from; i < to; i += 2) sum += (bytes[i]! << 8) | (i + 1 < to ? bytes[i + 1]! : 0);
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/**
 * Makes a mutated IPv4 frame's checksums right again (header, then TCP or ICMP over what the total
 * length covers), so mutations of lengths, flags, sequence numbers and options get past the
 * checksum gate and reach the parsers and the state machines behind it.
 */
export function fixChecksums(frame: Uint8Array): void {
  if (frame.length < 34 || frame[12] !== 0x08 || frame[13] !== 0x00) return;
  const ihl = (frame[14]! & 0x0f) * 4;
  if (ihl < 20 || 14 + ihl > frame.length) return;
  frame[24] = 0;
  frame[25] = 0;
  const headerSum = fold(onesSum(frame, 14, 14 + ihl));
  frame[24] = headerSum >> 8;
  frame[25] = headerSum & 0xff;
  const total = Math.min(frame.length - 14, (frame[16]! << 8) | frame[17]!);
  const start = 14 + ihl;
  const end = 14 + total;
  if (end <= start) return;
  const protocol = frame[23];
  if (protocol === 6 && end - start >= 20) {
    frame[start + 16] = 0;
    frame[start + 17] = 0;
    let sum = onesSum(frame, 26, 34); // source and destination addresses
    sum += 6 + (end - start);
    const tcpSum = fold(onesSum(frame, start, end, sum));
    frame[start + 16] = tcpSum >> 8;
    frame[start + 17] = tcpSum & 0xff;
  } else if (protocol === 1 && end - start >= 8) {
    frame[start + 2] = 0;
    frame[start + 3] = 0;
    const icmpSum = fold(onesSum(frame, start, end));
    frame[start + 2] = icmpSum >> 8;
    frame[start + 3] = icmpSum & 0xff;
  }
}

interface TableCalls {
  tcpInUse(h: number): number;
  tcpState(h: number): number;
  tcpCounter(id: number): number;
}

/** TCBs in use, by state number (firmware/tcp/tcb.ts). */
export function tcbStates(bench: Bench): number[] {
  const states: number[] = [];
  bench.device.callExports((raw) => {
    const e = raw as unknown as TableCalls;
    for (let h = 0; h < 24; h++) if (e.tcpInUse(h) !== 0 && e.tcpState(h) !== 0) states.push(e.tcpState(h));
  });
  return states;
}

export function tcpCounter(bench: Bench, id: number): number {
  let value = 0;
  bench.device.callExports((raw) => {
    value = (raw as unknown as TableCalls).tcpCounter(id);
  });
  return value;
}
