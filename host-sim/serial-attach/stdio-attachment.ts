// The user's own terminal at the far end of a virtual UART: keystrokes go to the device, what the
// device prints goes to the screen. When stdin is a TTY it is put in raw mode (every key, Ctrl-C
// included, goes to the device; the device echoes) and restored on close. Piped stdin works too
// (a script fed to a console); its end is reported through `onEnd`.
//
// The escape key (default Ctrl-], telnet's) is the one key the device never sees: it suspends the
// attachment and calls `onEscape`, so the caller (the CLI) can show its menu: attach elsewhere,
// reload a device, change time speed. While suspended, keystrokes go to `onSuspendedInput` (the
// menu's input) and the device's output is held (bounded), to be shown on resume(). With piped
// stdin the escape is off by default (a file may hold any byte). Real time only: pass
// `wake: () => driver.tick()`.
import type { Readable, Writable } from "node:stream";
import { InputGate } from "./input-gate.ts";
import type { Attachment, UartEnd, Wake } from "./uart-end.ts";

/** Ctrl-] (0x1d), the escape of telnet clients. */
export const ESCAPE_BYTE_DEFAULT = 0x1d;
/** Device output held while suspended; past this it is dropped and counted. */
export const STDIO_HELD_OUTPUT_MAX = 64 * 1024;

/** What a TTY stdin offers beyond a stream (node's tty.ReadStream). */
interface TtyInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface StdioAttachmentOptions {
  /** Default process.stdin. */
  input?: Readable & TtyInput;
  /** Default process.stdout. */
  output?: Writable;
  wake?: Wake;
  /** The escape byte; null turns escape handling off. Default Ctrl-] on a TTY, off when piped. */
  escapeByte?: number | null;
  /** The escape key was typed: the attachment is now suspended until resume(). */
  onEscape?: () => void;
  /** Keystrokes typed while suspended (the caller's menu reads them here). */
  onSuspendedInput?: (bytes: Uint8Array) => void;
  /** The input ended (piped stdin at EOF, or the terminal closed). */
  onEnd?: () => void;
}

export class StdioAttachment implements Attachment {
  readonly escapeByte: number | null;
  bytesToDevice = 0;
  bytesFromDevice = 0;
  bytesDropped = 0;
  suspended = false;
  closed = false;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private readonly input: Readable & TtyInput;
  private readonly output: Writable;
  private readonly rawBefore: boolean | undefined;
  private readonly gate: InputGate;
  private readonly detachPeer: () => void;
  private readonly onData = (chunk: Buffer | string): void => this.receive(typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk);
  private readonly onInputEnd = (): void => this.options.onEnd?.();

  constructor(uart: UartEnd, private readonly options: StdioAttachmentOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    const isTty = this.input.isTTY === true && typeof this.input.setRawMode === "function";
    this.escapeByte = options.escapeByte === undefined ? (isTty ? ESCAPE_BYTE_DEFAULT : null) : options.escapeByte;
    if (isTty) {
      this.rawBefore = this.input.isRaw === true;
      this.input.setRawMode!(true);
    }
    this.gate = new InputGate(uart, this.input, options.wake);
    this.detachPeer = uart.attach({ data: (bytes) => this.show(bytes) });
    this.input.on("data", this.onData);
    this.input.on("end", this.onInputEnd);
    this.input.resume();
  }

  /** Sends bytes to the device on the user's behalf (a menu's "send break char", a macro). */
  send(bytes: Uint8Array): void {
    if (this.closed) return;
    this.bytesToDevice += bytes.length;
    this.gate.push(bytes);
  }

  /** Stops passing keystrokes to the device and holds its output (as the escape key does). */
  suspend(): void {
    this.suspended = true;
  }

  /** Back to the device: held output is shown, keystrokes go to the device again. */
  resume(): void {
    if (this.closed) return;
    this.suspended = false;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const bytes of held) this.show(bytes);
  }

  /** Detaches, stops reading input and gives the terminal its previous mode back. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.detachPeer();
    this.gate.stop();
    this.input.off("data", this.onData);
    this.input.off("end", this.onInputEnd);
    this.input.pause();
    if (this.rawBefore !== undefined) this.input.setRawMode!(this.rawBefore);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    let bytes = new Uint8Array(chunk);
    while (bytes.length > 0) {
      if (this.suspended) {
        this.options.onSuspendedInput?.(bytes);
        return;
      }
      const at = this.escapeByte === null ? -1 : bytes.indexOf(this.escapeByte);
      const toDevice = at < 0 ? bytes : bytes.subarray(0, at);
      if (toDevice.length > 0) this.send(toDevice.slice());
      if (at < 0) return;
      this.suspend();
      this.options.onEscape?.();
      bytes = bytes.subarray(at + 1);
    }
  }

  private show(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.suspended) {
      if (this.heldBytes + bytes.length > STDIO_HELD_OUTPUT_MAX) {
        this.bytesDropped += bytes.length;
        return;
      }
      this.held.push(bytes.slice());
      this.heldBytes += bytes.length;
      return;
    }
    this.bytesFromDevice += bytes.length;
    this.output.write(bytes);
  }
}
