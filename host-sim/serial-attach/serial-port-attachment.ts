// A virtual UART joined to a real serial port (the npm `serialport` package), for hardware-in-the-
// loop work: the simulated device's line drives a USB adapter's wire, or a real device's port is
// reached through the simulator. Opened by path and baud. The device's line settings follow its
// uart-config and uart-control calls where the port allows: the baud with port.update, DTR/RTS/BREAK
// with port.set; a change of framing (data bits, parity, stop bits, flow) needs a reopen and is only
// counted. CTS/DSR/DCD of the real port are polled and given to the device as its modem inputs.
// A pty is a serial port to `serialport` too (how this is tested), but has no baud rate on the wire
// and no modem lines: there set/get fail, which is counted, never fatal.
import { existsSync } from "node:fs";
import type { SerialPort } from "serialport";
import { Flow, Modem, Parity, Signal, StopBits, type UartSettings } from "../firmware/abi.ts";
import { DEFAULT_UART_SETTINGS } from "../serial.ts";
import { InputGate } from "./input-gate.ts";
import type { Attachment, UartEnd, Wake } from "./uart-end.ts";

/** Device output buffered for a port slower than the simulation; past this, bytes are dropped. */
export const SERIAL_PORT_OUTPUT_BUFFERED_MAX = 64 * 1024;
/** How often the port's modem inputs are read, by default (wall-clock ms). */
export const MODEM_POLL_MS_DEFAULT = 100;
/** How often the port's device node is checked for having gone away. */
const PRESENCE_POLL_MS = 250;

export interface SerialPortAttachmentOptions {
  path: string;
  /** Line settings at open (default 9600 8N1, no flow control); `baudRate` overrides the baud. */
  settings?: UartSettings;
  baudRate?: number;
  /** Apply the device's later uart-config / uart-control calls to the port (default true). */
  followDevice?: boolean;
  /** Period of reading CTS/DSR/DCD; 0 never reads them. */
  modemPollMs?: number;
  wake?: Wake;
  /** Called once if the port closes or fails without close(); the attachment is then closed. */
  onEnd?: (reason: string) => void;
}

type SerialOpenOptions = ConstructorParameters<typeof SerialPort>[0];

/** The `serialport` open options for RFC 2217-coded line settings (abi.ts). */
export function portOptionsFor(path: string, settings: UartSettings): SerialOpenOptions {
  const names = ["none", "odd", "even", "mark", "space"] as const; // RFC 2217 codes 1..5, abi.ts Parity
  const parity = names[settings.parity - Parity.none] ?? "none";
  const stopBits = settings.stopBits === StopBits.two ? 2 : settings.stopBits === StopBits.oneAndHalf ? 1.5 : 1;
  const dataBits = Math.min(8, Math.max(5, settings.dataBits)) as 5 | 6 | 7 | 8;
  return {
    path,
    baudRate: settings.baud,
    dataBits,
    parity,
    stopBits,
    rtscts: settings.flow === Flow.hardware,
    xon: settings.flow === Flow.xonXoff,
    xoff: settings.flow === Flow.xonXoff,
    autoOpen: false,
  };
}

export class SerialPortAttachment implements Attachment {
  bytesToDevice = 0;
  bytesFromDevice = 0;
  bytesDropped = 0;
  baudUpdates = 0;
  signalUpdates = 0;
  /** Framing changes from the device that the open port cannot take without a reopen. */
  settingsNotApplied = 0;
  /** port.update/set/get calls the port refused (a pty refuses modem-line calls). */
  portErrors = 0;
  lastPortError: string | undefined;
  closed = false;
  private settings: UartSettings;
  private modemIn = -1;
  /** DTR/RTS/BREAK last given to the port (-1: never). */
  private lastSignals = -1;
  private modemTimer: NodeJS.Timeout | undefined;
  private readonly presenceTimer: NodeJS.Timeout;
  private readonly gate: InputGate;
  private readonly detachPeer: () => void;

  static async open(uart: UartEnd, options: SerialPortAttachmentOptions): Promise<SerialPortAttachment> {
    const { SerialPort: Port } = await import("serialport");
    const settings = { ...(options.settings ?? DEFAULT_UART_SETTINGS), ...(options.baudRate ? { baud: options.baudRate } : {}) };
    const port = new Port(portOptionsFor(options.path, settings));
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    return new SerialPortAttachment(uart, options, port, settings);
  }

  private constructor(
    private readonly uart: UartEnd,
    private readonly options: SerialPortAttachmentOptions,
    private readonly port: SerialPort,
    settings: UartSettings,
  ) {
    this.settings = settings;
    this.gate = new InputGate(uart, port, options.wake);
    port.on("data", (chunk: Buffer) => {
      if (this.closed) return;
      this.bytesToDevice += chunk.length;
      this.gate.push(new Uint8Array(chunk));
    });
    port.on("error", (error: Error) => this.portError(error));
    port.on("close", () => this.ended());
    // The driver does not always report a vanished port (a pty whose other side ended can stay
    // readable-but-silent): the device node disappearing (USB unplugged, socat's link removed)
    // ends the attachment too.
    this.presenceTimer = setInterval(() => {
      if (!existsSync(options.path)) this.ended();
    }, PRESENCE_POLL_MS);
    this.detachPeer = uart.attach({
      data: (bytes) => this.write(bytes),
      control: (signals, lineSettings) => {
        if (options.followDevice ?? true) this.follow(signals, lineSettings);
      },
    });
    const pollMs = options.modemPollMs ?? MODEM_POLL_MS_DEFAULT;
    if (pollMs > 0) {
      this.modemTimer = setInterval(() => this.pollModem(), pollMs);
      this.pollModem();
    }
  }

  get path(): string {
    return this.options.path;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.shutDown();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private write(bytes: Uint8Array): void {
    if (this.closed || this.port.writableLength + bytes.length > SERIAL_PORT_OUTPUT_BUFFERED_MAX) {
      this.bytesDropped += bytes.length;
      return;
    }
    this.bytesFromDevice += bytes.length;
    this.port.write(Buffer.from(bytes));
  }

  /** The device's uart-config or uart-control: apply what an open port can take. */
  private follow(signals: number, settings: UartSettings): void {
    const old = this.settings;
    this.settings = { ...settings };
    if (settings.baud !== old.baud) {
      this.port.update({ baudRate: settings.baud }, (error) => (error ? this.portError(error) : this.baudUpdates++));
    }
    if (settings.dataBits !== old.dataBits || settings.parity !== old.parity || settings.stopBits !== old.stopBits || settings.flow !== old.flow) {
      this.settingsNotApplied++;
    }
    const wanted = { dtr: (signals & Signal.dtr) !== 0, rts: (signals & Signal.rts) !== 0, brk: (signals & Signal.brk) !== 0 };
    if (signals !== this.lastSignals) {
      this.lastSignals = signals;
      this.port.set(wanted, (error) => (error ? this.portError(error) : this.signalUpdates++));
    }
  }

  private pollModem(): void {
    if (this.closed || !this.port.isOpen) return;
    this.port.get((error, status) => {
      if (this.closed) return;
      if (error || !status) {
        this.portError(error ?? new Error("no modem status"));
        this.stopModemPoll(); // a port without modem lines (a pty) will not grow them
        return;
      }
      const bits = (status.cts ? Modem.cts : 0) | (status.dsr ? Modem.dsr : 0) | (status.dcd ? Modem.dcd : 0);
      if (bits === this.modemIn) return;
      this.modemIn = bits;
      this.uart.setModem(bits);
      this.options.wake?.();
    });
  }

  private portError(error: Error): void {
    this.portErrors++;
    this.lastPortError = error.message;
  }

  private ended(): void {
    if (this.closed) return;
    this.shutDown();
    if (this.port.isOpen) this.port.close(() => undefined);
    this.options.onEnd?.(`serial port ${this.options.path} closed`);
  }

  private stopModemPoll(): void {
    if (this.modemTimer !== undefined) clearInterval(this.modemTimer);
    this.modemTimer = undefined;
  }

  private shutDown(): void {
    this.closed = true;
    this.detachPeer();
    this.gate.stop();
    this.stopModemPoll();
    clearInterval(this.presenceTimer);
  }
}
