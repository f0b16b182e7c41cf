// A virtual UART exposed as a real pseudo-terminal, so real programs (cat, screen, minicom, a
// pyserial or `serialport` client, a hardware-in-the-loop suite) can open the device's serial line
// by path. socat makes the pty and links it at the caller's path; it runs as our child process and
// carries the bytes over its stdin/stdout (`socat pty,raw,echo=0,link=PATH STDIO`), which beats a
// UNIX socket: no socket file to clean up, and socat ends by itself if this process dies (EOF).
//
// Real time only: bytes from the pty arrive on the wall clock, so the scheduler must be paced by a
// RealTimeDriver while a pty is attached; pass `wake: () => driver.tick()` so input is handled at
// once. A pty has no baud rate and no modem lines (ENVIRONMENT.md): the device's line settings and
// DTR/RTS cannot reach the other side and are ignored here. Output nobody reads fills the pty, then
// socat blocks writing it (both directions stall until a reader drains the pty); the simulation
// never waits: past PTY_OUTPUT_BUFFERED_MAX here, device output is dropped and counted.
import { readlinkSync, unlinkSync } from "node:fs";
import { InputGate } from "./input-gate.ts";
import { checkLinkPath, startSocat, stopSocat, type SocatChild } from "./socat-process.ts";
import type { Attachment, UartEnd, Wake } from "./uart-end.ts";

/** Device output buffered for the pty while nobody reads it; past this, bytes are dropped (as on a wire). */
export const PTY_OUTPUT_BUFFERED_MAX = 64 * 1024;

export interface PtyAttachmentOptions {
  /** Where the pty's symbolic link goes (an absolute path; an old link there is replaced). */
  path: string;
  /** Runs the simulation after input arrived (usually `() => driver.tick()`). */
  wake?: Wake;
  /** Called once if socat ends without close() (killed, crashed); the attachment is then closed. */
  onEnd?: (reason: string) => void;
  /** The socat executable. */
  socatPath?: string;
}

export class PtyAttachment implements Attachment {
  /** The /dev/pts/N behind the link. */
  readonly ptyName: string;
  readonly pid: number;
  bytesToDevice = 0;
  bytesFromDevice = 0;
  /** Device output dropped because nobody drained the pty. */
  bytesDropped = 0;
  closed = false;
  private readonly detachPeer: () => void;
  private readonly gate: InputGate;

  /** Starts socat and attaches to the UART once the pty exists. */
  static async open(uart: UartEnd, options: PtyAttachmentOptions): Promise<PtyAttachment> {
    checkLinkPath(options.path);
    const started = await startSocat([`pty,raw,echo=0,link=${options.path}`, "STDIO"], options.socatPath);
    const ptyName = started.ptyNames[0];
    if (ptyName === undefined) {
      await stopSocat(started.child);
      throw new Error(`socat did not report its pty: ${started.stderrLines.join(" | ")}`);
    }
    return new PtyAttachment(uart, options, started.child, ptyName);
  }

  private constructor(
    uart: UartEnd,
    private readonly options: PtyAttachmentOptions,
    private readonly child: SocatChild,
    ptyName: string,
  ) {
    this.ptyName = ptyName;
    this.pid = child.pid!;
    this.detachPeer = uart.attach({ data: (bytes) => this.write(bytes) });
    this.gate = new InputGate(uart, child.stdout, options.wake);
    child.stdout.on("data", (chunk: Buffer) => {
      if (this.closed) return;
      this.bytesToDevice += chunk.length;
      this.gate.push(new Uint8Array(chunk));
    });
    child.stdin.on("error", () => undefined); // EPIPE after socat ended: the exit handler reports it
    child.on("exit", (code, signal) => {
      if (this.closed) return;
      this.shutDown();
      options.onEnd?.(`socat ended (${signal ?? code})`);
    });
  }

  get path(): string {
    return this.options.path;
  }

  /** Detaches from the UART, stops our socat (by pid) and removes the link if socat left it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.shutDown();
    await stopSocat(this.child);
    this.removeLink();
  }

  private write(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.child.stdin.writableLength + bytes.length > PTY_OUTPUT_BUFFERED_MAX) {
      this.bytesDropped += bytes.length;
      return;
    }
    this.bytesFromDevice += bytes.length;
    this.child.stdin.write(bytes);
  }

  private shutDown(): void {
    this.closed = true;
    this.detachPeer();
    this.gate.stop();
  }

  private removeLink(): void {
    const path = this.options.path;
    try {
      if (readlinkSync(path) === this.ptyName) unlinkSync(path);
    } catch {
      // gone already, or not our link: leave it
    }
  }
}
