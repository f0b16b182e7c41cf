// A virtual UART between a device's firmware and whatever is attached to its far end (a scripted
// terminal, the user's terminal, a pty, a TCP socket, a real port). Bytes move in virtual time at
// the line's baud rate in both directions, and the firmware's flow control is honoured: what it
// does not accept stays queued here (as RTS or XOFF would hold it), never dropped.
import { copyBytes } from "./byte-slab.ts";
import type { UartSettings } from "./firmware/abi.ts";
import type { Scheduler } from "./scheduler.ts";

/** Bytes the far side of the device's transmitter buffers (a driver FIFO) before it pushes back. */
export const UART_TX_FIFO_BYTES = 256;
/** Largest chunk offered to the firmware in one serial() call (below the firmware's staging buffer). */
export const UART_RX_CHUNK_MAX = 1024;

export const DEFAULT_UART_SETTINGS: UartSettings = { baud: 9600, dataBits: 8, parity: 1, stopBits: 1, flow: 1 };

export interface UartPeer {
  /** Bytes the device transmitted, as they finish arriving at the far end. */
  data(bytes: Uint8Array): void;
  /** The device changed DTR/RTS/BREAK or the line settings. */
  control?(signals: number, settings: UartSettings): void;
}

export interface UartPort {
  /** Offers bytes to the firmware; returns how many it accepted. */
  deliver(bytes: Uint8Array): number;
  /** Input modem signals changed. */
  modem(state: number): void;
  /** Asks the device to poll at the current instant. */
  kick(): void;
  /** The firmware refused input (all or part of an offer): call onDevicePolled after its next
   * poll. A port without it must call onDevicePolled after every poll itself. */
  waitForPoll?(): void;
}

export class Uart {
  settings: UartSettings = { ...DEFAULT_UART_SETTINGS };
  signalsOut = 0;
  modemIn = 0;
  /** Pace bytes at the baud rate (true), or move them as fast as the firmware takes them. */
  paced = true;
  private peers: UartPeer[] = [];
  private txInFlight = 0;
  private txFreeAtMs = 0;
  private readonly rxBacklog: Uint8Array[] = [];
  /** Bytes of rxBacklog[0] already taken by the firmware (an index, not a new view per offer). */
  private rxHeadTaken = 0;
  private rxPumpScheduled = false;
  /** Paced receive: the instant (fractional ms) the last byte offered to the firmware finished
   * arriving; the next byte finishes one character time later. */
  private rxWireAtMs = 0;
  private port: UartPort | undefined;
  bytesFromDevice = 0;
  bytesToDevice = 0;
  /** The scheduler's events, made once (Scheduler.atCall): a chunk reaching the far end, a pump. */
  private readonly txArrivedEvent = (chunk: Uint8Array): void => this.txArrived(chunk);
  private readonly pumpEvent = (): void => this.pump();

  constructor(readonly line: number, private readonly scheduler: Scheduler) {}

  /** Connects the firmware side (done by the device on power-on; undefined while powered off). */
  bindPort(port: UartPort | undefined): void {
    this.port = port;
    this.txInFlight = 0;
    if (port) this.schedulePump();
  }

  attach(peer: UartPeer): () => void {
    this.peers.push(peer);
    return () => {
      this.peers = this.peers.filter((p) => p !== peer);
    };
  }

  /** Milliseconds one character occupies the wire at the current settings. */
  charTimeMs(): number {
    const parityBits = this.settings.parity === 1 ? 0 : 1;
    const stopBits = this.settings.stopBits === 2 ? 2 : this.settings.stopBits === 3 ? 1.5 : 1;
    return ((1 + this.settings.dataBits + parityBits + stopBits) * 1000) / Math.max(1, this.settings.baud);
  }

  // --- device to far end ---

  /** The firmware's uart-tx: accepts what fits in the FIFO, delivers it after its wire time.
   * `bytes` is only lent for the call (on the core path, a view of the firmware's memory, which
   * the next call overwrites): the accepted part is copied, once, here; nothing refused is. */
  fromDevice(bytes: Uint8Array): number {
    const accepted = Math.min(bytes.length, UART_TX_FIFO_BYTES - this.txInFlight);
    if (accepted <= 0) return 0;
    const chunk = copyBytes(bytes, 0, accepted);
    this.txInFlight += accepted;
    const now = this.scheduler.nowMs;
    const doneMs = this.paced ? Math.max(now, this.txFreeAtMs) + accepted * this.charTimeMs() : now;
    this.txFreeAtMs = doneMs;
    this.scheduler.atCall(Math.ceil(doneMs), this.txArrivedEvent, chunk);
    return accepted;
  }

  /** A chunk finished its wire time: the far end has it, and the FIFO has room again. */
  private txArrived(chunk: Uint8Array): void {
    this.txInFlight -= chunk.length;
    this.bytesFromDevice += chunk.length;
    const peers = this.peers;
    for (let i = 0; i < peers.length; i++) peers[i]!.data(chunk);
    this.port?.kick();
  }

  configure(settings: UartSettings): void {
    this.settings = { ...settings };
    for (const peer of this.peers) peer.control?.(this.signalsOut, this.settings);
  }

  control(signals: number): void {
    this.signalsOut = signals;
    for (const peer of this.peers) peer.control?.(signals, this.settings);
  }

  // --- far end to device ---

  /** The far end sends bytes toward the device. */
  send(bytes: Uint8Array | string): void {
    const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
    if (data.length === 0) return;
    if (this.rxBacklog.length === 0) this.rxWireAtMs = Math.max(this.rxWireAtMs, this.scheduler.nowMs);
    this.rxBacklog.push(copyBytes(data));
    this.schedulePump();
  }

  setModem(state: number): void {
    this.modemIn = state;
    this.port?.modem(state);
  }

  backlogBytes(): number {
    return this.rxBacklog.reduce((sum, chunk) => sum + chunk.length, 0) - this.rxHeadTaken;
  }

  /** Called by the device after each poll: the firmware may have room again. */
  onDevicePolled(): void {
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.rxPumpScheduled || this.rxBacklog.length === 0 || !this.port) return;
    this.rxPumpScheduled = true;
    const nextByteAtMs = this.paced ? Math.ceil(this.rxWireAtMs + this.charTimeMs() - 1e-9) : this.scheduler.nowMs;
    this.scheduler.atCall(Math.max(this.scheduler.nowMs, nextByteAtMs), this.pumpEvent, undefined);
  }

  /** Offers the firmware every byte that has finished arriving by now (at least one), at the
   * line's pace: 9600 baud 8N1 delivers 960 bytes a second however the instants fall. */
  private pump(): void {
    this.rxPumpScheduled = false;
    const port = this.port;
    const head = this.rxBacklog[0];
    if (!port || !head) return;
    const now = this.scheduler.nowMs;
    const charMs = this.charTimeMs();
    const arrived = this.paced ? Math.max(1, Math.floor((now - this.rxWireAtMs) / charMs + 1e-9)) : UART_RX_CHUNK_MAX;
    const taken = this.rxHeadTaken;
    const left = head.length - taken;
    const offerLength = Math.min(left, arrived, UART_RX_CHUNK_MAX);
    const offer = offerLength === head.length ? head : head.subarray(taken, taken + offerLength);
    const accepted = port.deliver(offer);
    this.bytesToDevice += accepted;
    if (accepted >= left) {
      this.rxBacklog.shift();
      this.rxHeadTaken = 0;
    } else this.rxHeadTaken = taken + accepted;
    // Held back bytes are sent again from now on (the far end stopped, as on RTS or XOFF).
    this.rxWireAtMs = accepted < offer.length ? now : this.rxWireAtMs + accepted * charMs;
    if (accepted === 0) {
      // Held back until the device polls (onDevicePolled); no kick, or poll and pump would spin.
      port.waitForPoll?.();
      return;
    }
    port.kick();
    // Taken in part: the firmware is full until it polls, and the poll offers the rest
    // (onDevicePolled); offering again before it would only be refused.
    if (accepted === offer.length) this.schedulePump();
    else port.waitForPoll?.();
  }
}
