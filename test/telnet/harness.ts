// A typed driver over the telnet test entry (firmware/testing/telnet.ts): feed bytes, read what the
// engine wrote to the line and to the network.
import { loadEntry, type TestEntry } from "../support/entry.ts";

export interface TelnetExports {
  boot(): void;
  setCaps(lineCap: number, netCap: number): void;
  open(h: number, role: number): number;
  close(h: number): void;
  receive(h: number, ptr: number, len: number): number;
  receiveAll(h: number, ptr: number, len: number): number;
  eventLogCount(): number;
  eventLogAt(i: number, field: number): number;
  resetLog(): void;
  calls(): number;
  send(h: number, ptr: number, len: number): number;
  takeEvents(h: number): number;
  lineTake(): number;
  netTake(): number;
  clearRings(): void;
  outPtr(): number;
  request(h: number, code: number, him: number, enable: number): number;
  optionOn(h: number, code: number, him: number): number;
  remoteEcho(h: number): number;
  weEcho(h: number): number;
  binaryIn(h: number): number;
  binaryOut(h: number): number;
  setWindow(h: number, cols: number, rows: number): void;
  setTerminalType(h: number, ptr: number, len: number): void;
  ttypePtr(h: number): number;
  ttypeLen(h: number): number;
  windowCols(h: number): number;
  windowRows(h: number): number;
  protocolErrors(h: number): number;
  sbTruncations(h: number): number;
  sbTruncatedTotal(): number;
  badHandleCalls(): number;
  unknownRefused(): number;
  comActive(h: number): number;
  comSetLine(h: number, baud: number, dataBits: number, parity: number, stopBits: number, flow: number): void;
  comBaud(h: number): number;
  comDataSize(h: number): number;
  comParity(h: number): number;
  comStopSize(h: number): number;
  comFlow(h: number): number;
  comFlowIn(h: number): number;
  comSignals(h: number): number;
  comPurge(h: number): number;
  comSuspended(h: number): number;
  comPeerModem(h: number): number;
  comPeerLine(h: number): number;
  comModem(h: number, state: number): number;
  comLineState(h: number, state: number): number;
  setSignature(ptr: number, len: number): void;
  heap(): number;
  memoryBytes(): number;
}

export const Role = { vty: 0, reverse: 1, binary: 2, client: 3, clientTelnetPort: 4 } as const;
export const Opt = { binary: 0, echo: 1, sga: 3, ttype: 24, naws: 31, linemode: 34, comPort: 44 } as const;
export const Ev = {
  brk: 1 << 0, ip: 1 << 1, ao: 1 << 2, ayt: 1 << 3, ec: 1 << 4, el: 1 << 5, options: 1 << 6, ttype: 1 << 7,
  naws: 1 << 8, comLine: 1 << 9, comControl: 1 << 10, comPurge: 1 << 11, comFlow: 1 << 12, comNotify: 1 << 13,
  susp: 1 << 14, abort: 1 << 15, eof: 1 << 16,
} as const;
export const Sig = { brk: 1, dtr: 2, rts: 4, suspended: 8 } as const;

export interface Received {
  consumed: number;
  line: Uint8Array;
  net: Uint8Array;
}

export class TelnetHarness {
  readonly entry: TestEntry<TelnetExports>;
  readonly x: TelnetExports;

  constructor() {
    this.entry = loadEntry<TelnetExports>("telnet");
    this.x = this.entry.exports;
    this.x.boot();
  }

  /** Opens engine `h` in `role`; returns the greeting it wrote to the network. */
  open(role: number, h = 0): Uint8Array {
    if (this.x.open(h, role) !== 1) throw new Error(`open(${h}, ${role}) refused`);
    return this.net();
  }

  /** Everything the engine wrote to the line ring so far (drained). */
  line(): Uint8Array {
    const n = this.x.lineTake();
    return this.entry.bytes(this.x.outPtr(), n);
  }

  /** Everything the engine wrote to the network ring so far (drained). */
  net(): Uint8Array {
    const n = this.x.netTake();
    return this.entry.bytes(this.x.outPtr(), n);
  }

  /** Feeds bytes as a terminal line would (calls again after each event); drains both rings. */
  receive(bytes: Uint8Array, h = 0): Received {
    const ptr = this.entry.put(bytes);
    const consumed = this.x.receiveAll(h, ptr, bytes.length);
    return { consumed, line: this.line(), net: this.net() };
  }

  /** One raw telnetReceive call; leaves the rings as they are. */
  receiveOnce(bytes: Uint8Array, h = 0): number {
    return this.x.receive(h, this.entry.put(bytes), bytes.length);
  }

  /** Encodes line bytes for the network; returns what went out (drained) and the bytes consumed. */
  send(bytes: Uint8Array, h = 0): { consumed: number; net: Uint8Array } {
    const consumed = this.x.send(h, this.entry.put(bytes), bytes.length);
    return { consumed, net: this.net() };
  }

  events(h = 0): number {
    return this.x.takeEvents(h);
  }

  /** The (line position, events) pairs logged by receiveAll, oldest first. */
  eventLog(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.x.eventLogCount(); i++) out.push([this.x.eventLogAt(i, 0), this.x.eventLogAt(i, 1)]);
    return out;
  }

  on(code: number, him: boolean, h = 0): boolean {
    return this.x.optionOn(h, code, him ? 1 : 0) === 1;
  }

  terminalType(h = 0): string {
    return this.entry.text(this.x.ttypePtr(h), this.x.ttypeLen(h));
  }

  setTerminalType(name: string, h = 0): void {
    const bytes = Uint8Array.from(name, (c) => c.charCodeAt(0));
    this.x.setTerminalType(h, this.entry.put(bytes), bytes.length);
  }
}
