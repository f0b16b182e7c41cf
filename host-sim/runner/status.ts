// What the device runner tells the world about itself: JSON lines on stdout, and (--status FILE) a
// JSON file of every UART's settings and output signals. A pty carries no baud rate and no DTR/RTS,
// so this is how a test sees what an RFC 2217 client did to the line.
import { renameSync, writeFileSync } from "node:fs";
import { Signal, type UartSettings } from "../firmware/abi.ts";
import type { Uart } from "../serial.ts";

export interface UartState extends UartSettings {
  line: number;
  dtr: boolean;
  rts: boolean;
  brk: boolean;
}

/** One JSON object on one stdout line. */
export function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function stateOf(uart: Uart): UartState {
  const signals = uart.signalsOut;
  return {
    line: uart.line,
    ...uart.settings,
    dtr: (signals & Signal.dtr) !== 0,
    rts: (signals & Signal.rts) !== 0,
    brk: (signals & Signal.brk) !== 0,
  };
}

/** Watches every UART's uart-config / uart-control; reports each change once. */
export class UartStatus {
  private readonly last = new Map<number, string>();

  constructor(private readonly uarts: readonly Uart[], private readonly path: string | undefined, private readonly nowMs: () => number) {
    for (const uart of uarts) {
      this.last.set(uart.line, JSON.stringify(stateOf(uart)));
      uart.attach({ data: () => undefined, control: () => this.changed(uart) });
    }
    this.write();
  }

  snapshot(): UartState[] {
    return this.uarts.map(stateOf);
  }

  private changed(uart: Uart): void {
    const state = stateOf(uart);
    const text = JSON.stringify(state);
    if (this.last.get(uart.line) === text) return;
    this.last.set(uart.line, text);
    emit({ event: "uart", atMs: this.nowMs(), ...state });
    this.write();
  }

  private write(): void {
    if (this.path === undefined) return;
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.snapshot())}\n`);
    renameSync(temp, this.path);
  }
}
