// The far end of a device's UART in real time (the TAP bridge paces the simulation on the wall
// clock): records what the device transmits and types toward it; `expect` waits in wall time. The
// virtual-time ScriptedTerminal cannot be used there: its expect runs the scheduler itself.
import { visible, type UartEnd } from "../../host-sim/serial-attach/uart-end.ts";
import { sleep } from "./real-telnet.ts";

const POLL_MS = 5;

export class LiveUart {
  /** Everything the device transmitted on this UART since attach (latin1). */
  private output = "";
  private cursor = 0;
  private readonly detachPeer: () => void;

  constructor(private readonly uart: UartEnd, private readonly wake: () => void = () => {}) {
    this.detachPeer = uart.attach({ data: (bytes) => (this.output += Buffer.from(bytes).toString("latin1")) });
  }

  type(text: string): void {
    this.uart.send(Buffer.from(text, "latin1"));
    this.wake();
  }

  /** Waits in wall time for `text` in the output not yet matched; returns what came before it. */
  async expect(text: string, limitMs: number): Promise<string> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const at = this.output.indexOf(text, this.cursor);
      if (at >= 0) {
        const before = this.output.slice(this.cursor, at);
        this.cursor = at + text.length;
        return before;
      }
      if (Date.now() > deadline) throw new Error(`UART ${this.uart.line}: no "${visible(text)}" within ${limitMs} ms; unread: "${visible(this.output.slice(this.cursor))}"`);
      await sleep(POLL_MS);
    }
  }

  /** Everything received so far. */
  screen(): string {
    return this.output;
  }

  detach(): void {
    this.detachPeer();
  }
}
