// Flow control from the real world into a virtual UART. The UART queues what the firmware has not
// taken yet (as RTS would hold it); a paste into a 9600-baud line from a socket or a pty arrives far
// faster than the line drains, so past a bound the source stream is paused, and resumed once the
// queue has drained below half of it. Nothing is dropped; memory stays bounded.
import type { UartEnd, Wake } from "./uart-end.ts";

/** Bytes queued toward the device before the source is paused. */
export const INPUT_BACKLOG_MAX = 16 * 1024;
/** How often a paused source checks whether the queue has drained (wall-clock ms). */
const RESUME_CHECK_MS = 10;

export interface PausableSource {
  pause(): unknown;
  resume(): unknown;
}

export class InputGate {
  bytesIn = 0;
  /** Times the source was paused because the device was behind. */
  pauses = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly uart: UartEnd,
    private readonly source: PausableSource,
    private readonly wake: Wake | undefined,
  ) {}

  /** Bytes from the real world toward the device. */
  push(bytes: Uint8Array): void {
    this.bytesIn += bytes.length;
    this.uart.send(bytes);
    this.wake?.();
    if (this.timer === undefined && this.uart.backlogBytes() > INPUT_BACKLOG_MAX) {
      this.pauses++;
      this.source.pause();
      this.timer = setInterval(() => this.check(), RESUME_CHECK_MS);
    }
  }

  get paused(): boolean {
    return this.timer !== undefined;
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    this.wake?.();
    if (this.uart.backlogBytes() > INPUT_BACKLOG_MAX / 2) return;
    this.stop();
    this.source.resume();
  }
}
