// The swarm's world: N devices on one switch (10.0.0.1..N), each running the stack test entry (the
// whole firmware plus the TCP socket API, so the checker can read every TCB), configured by a
// startup-config in NVRAM. A recorder sits at the far end of every line that is used: reverse lines
// (a serial device that records what reaches it and can send), client lines and the console (a
// terminal that records what the exec prints). Every frame and every byte feeds the trace hash.
import { createHash, type Hash } from "node:crypto";
import { Device } from "../device.ts";
import { MemoryNvram, NVRAM_BYTES_DEFAULT } from "../nvram.ts";
import { bytesToLatin1, latin1ToBytes } from "../serial-attach/uart-end.ts";
import { Simulator } from "../simulator.ts";
import { encodeStartupConfig } from "../startup-config.ts";
import { AUTOCOMMAND_LINE, CLIENT_LINE_FIRST, deviceConfig, type SwarmOptions } from "./options.ts";

export const STACK_ENTRY_PATH = "build/testing/stack.wasm";
export const SWITCH_NAME = "lan0";
/** Link latency once healed (and the floor during faults). */
export const LINK_DELAY_MS = 1;

/** TCP states as firmware/tcp/tcb.ts numbers them. */
export const TcpState = {
  CLOSED: 0, LISTEN: 1, SYN_SENT: 2, SYN_RECEIVED: 3, ESTABLISHED: 4, FIN_WAIT_1: 5, FIN_WAIT_2: 6,
  CLOSE_WAIT: 7, CLOSING: 8, LAST_ACK: 9, TIME_WAIT: 10,
} as const;
const TCB_COUNT = 24;
const IP_PROTOCOL_TCP = 6;

function connectionKey(deviceIndex: number, localPort: number, remoteIp: number, remotePort: number): string {
  return `${deviceIndex}:${localPort}:${remoteIp >>> 0}:${remotePort}`;
}

/** What the far end of one line recorded, as latin1 text (one char per byte). */
export class LineEnd {
  text = "";
  /** When the text reached each length: [atMs, length after the chunk], in order. */
  readonly marks: [atMs: number, length: number][] = [];
  constructor(readonly device: Device, readonly line: number, trace: TraceSink, private readonly clock: { readonly nowMs: number }) {
    device.uart(line).paced = false;
    device.uart(line).attach({
      data: (bytes) => {
        this.text += bytesToLatin1(bytes);
        this.marks.push([this.clock.nowMs, this.text.length]);
        trace.update(`u${device.name}.${line}:`).update(bytes);
      },
    });
  }

  send(text: string): void {
    this.device.uart(this.line).send(latin1ToBytes(text));
  }

  /** The virtual instant the text first reached `length` characters. */
  timeOf(length: number): number {
    for (const [atMs, reached] of this.marks) if (reached >= length) return atMs;
    return Infinity;
  }

  /** How long the text was at instant `atMs` (everything that arrived by then). */
  lengthAt(atMs: number): number {
    let length = 0;
    for (const [at, reached] of this.marks) {
      if (at > atMs) break;
      length = reached;
    }
    return length;
  }
}

export interface TraceSink {
  update(data: string | Uint8Array): TraceSink;
  digest(): string;
}

export interface TcbView {
  handle: number;
  state: number;
  localIp: number;
  localPort: number;
  remoteIp: number;
  remotePort: number;
  queued: number;
}

interface StackCalls {
  tcpInUse(h: number): number;
  tcpState(h: number): number;
  tcpLocalIp(h: number): number;
  tcpLocalPort(h: number): number;
  tcpRemoteIp(h: number): number;
  tcpRemotePort(h: number): number;
  tcpSendQueued(h: number): number;
}

export class SwarmWorld {
  readonly sim: Simulator;
  readonly devices: Device[] = [];
  /** reverse[d][l-1]: the serial device at device d's tty l. */
  readonly reverse: LineEnd[][] = [];
  /** clients[d][i]: the terminal at device d's tty CLIENT_LINE_FIRST + i; the last one is the
   * autocommand line (AUTOCOMMAND_LINE). */
  readonly clients: LineEnd[][] = [];
  readonly consoles: LineEnd[] = [];
  private readonly hash: Hash = createHash("sha256");
  /** connectionKey -> the last instant a segment of that connection reached the device. */
  private readonly heardAtMs = new Map<string, number>();
  private traceDigest: string | undefined;
  /** Feeds the trace hash (ignored once digested, so a world can run on for debugging). */
  readonly trace: TraceSink = {
    update: (data: string | Uint8Array): TraceSink => {
      if (this.traceDigest === undefined) this.hash.update(data);
      return this.trace;
    },
    digest: (): string => (this.traceDigest ??= this.hash.digest("hex")),
  };

  constructor(readonly options: SwarmOptions) {
    this.sim = new Simulator(options.seed);
    const sw = this.sim.network.addSwitch(SWITCH_NAME);
    for (let i = 1; i <= options.deviceCount; i++) {
      const nvram = new MemoryNvram(NVRAM_BYTES_DEFAULT, encodeStartupConfig(deviceConfig(options, i)));
      const device = this.sim.addDevice({ name: `r${i}`, firmwarePath: STACK_ENTRY_PATH, nvram });
      this.devices.push(device);
      this.sim.network.connect(device, sw, { faults: { delayMs: LINK_DELAY_MS } });
      const deviceIndex = i - 1;
      this.sim.network.nic(device).tap((frame, direction, atMs) => {
        if (direction === "out") this.trace.update(`f${device.name}@${atMs}:`).update(frame);
        else this.noteHeard(deviceIndex, frame, atMs);
      });
      this.reverse.push(Array.from({ length: options.reverseLines }, (_, l) => new LineEnd(device, l + 1, this.trace, this.sim)));
      const clients = Array.from({ length: options.clientLines }, (_, c) => new LineEnd(device, CLIENT_LINE_FIRST + c, this.trace, this.sim));
      this.clients.push([...clients, new LineEnd(device, AUTOCOMMAND_LINE, this.trace, this.sim)]);
      this.consoles.push(new LineEnd(device, 0, this.trace, this.sim));
    }
    for (const device of this.devices) device.powerOn();
  }

  /** The last instant device `deviceIndex` received a segment of the connection (its local port,
   * the peer's address and port), or -1: what a keepalive bound counts from. */
  lastHeardMs(deviceIndex: number, localPort: number, remoteIp: number, remotePort: number): number {
    return this.heardAtMs.get(connectionKey(deviceIndex, localPort, remoteIp, remotePort)) ?? -1;
  }

  private noteHeard(deviceIndex: number, frame: Uint8Array, atMs: number): void {
    if (frame.length < 34 || frame[12] !== 0x08 || frame[13] !== 0x00 || frame[23] !== IP_PROTOCOL_TCP) return;
    const tcpAt = 14 + (frame[14]! & 0x0f) * 4;
    if (frame.length < tcpAt + 4) return;
    const sourceIp = ((frame[26]! << 24) | (frame[27]! << 16) | (frame[28]! << 8) | frame[29]!) >>> 0;
    const sourcePort = (frame[tcpAt]! << 8) | frame[tcpAt + 1]!;
    const destinationPort = (frame[tcpAt + 2]! << 8) | frame[tcpAt + 3]!;
    this.heardAtMs.set(connectionKey(deviceIndex, destinationPort, sourceIp, sourcePort), atMs);
  }

  ipOf(deviceIndex: number): number {
    return (0x0a000000 + deviceIndex + 1) >>> 0;
  }

  indexOfIp(ip: number): number {
    const index = ip - 0x0a000001;
    return index >= 0 && index < this.devices.length ? index : -1;
  }

  /** Every TCB in use on a running device (empty when it is off or crashed). */
  tcbs(deviceIndex: number): TcbView[] {
    const device = this.devices[deviceIndex]!;
    if (device.state !== "running") return [];
    const views: TcbView[] = [];
    device.callExports((raw) => {
      const e = raw as unknown as StackCalls;
      for (let h = 0; h < TCB_COUNT; h++) {
        if (e.tcpInUse(h) === 0) continue;
        const state = e.tcpState(h);
        if (state === TcpState.CLOSED) continue;
        views.push({
          handle: h,
          state,
          localIp: e.tcpLocalIp(h) >>> 0,
          localPort: e.tcpLocalPort(h),
          remoteIp: e.tcpRemoteIp(h) >>> 0,
          remotePort: e.tcpRemotePort(h),
          queued: e.tcpSendQueued(h),
        });
      }
    });
    return views;
  }
}
