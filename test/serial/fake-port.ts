// Stand-ins for a device's firmware side of a UART (Uart.bindPort), so attachments can be tested
// without a firmware: an echo that transforms what it hears, and a bridge that joins two lines the
// way a terminal server joins a terminal to a server console.
import { Uart, type UartPort } from "../../host-sim/serial.ts";
import type { Scheduler } from "../../host-sim/scheduler.ts";

/** The firmware side of one UART: hears what the far end sends, transmits with flow control. */
export class FakePort {
  readonly received: number[] = [];
  private pending: Uint8Array[] = [];
  onBytes: (bytes: Uint8Array) => void = () => undefined;
  modemState = 0;

  constructor(readonly uart: Uart) {
    const port: UartPort = {
      deliver: (bytes) => {
        this.received.push(...bytes);
        this.onBytes(bytes.slice());
        return bytes.length;
      },
      modem: (state) => {
        this.modemState = state;
      },
      kick: () => this.flush(),
    };
    uart.bindPort(port);
  }

  /** Transmits toward the far end, keeping what the UART's FIFO refuses for the next kick. */
  transmit(bytes: Uint8Array): void {
    this.pending.push(bytes.slice());
    this.flush();
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      const accepted = this.uart.fromDevice(head);
      if (accepted < head.length) {
        this.pending[0] = head.subarray(accepted);
        return;
      }
      this.pending.shift();
    }
  }
}

/** A UART whose "device" echoes what it receives, through `transform`. */
export function echoUart(scheduler: Scheduler, transform: (bytes: Uint8Array) => Uint8Array = (b) => b, line = 1): { uart: Uart; port: FakePort } {
  const uart = new Uart(line, scheduler);
  const port = new FakePort(uart);
  port.onBytes = (bytes) => port.transmit(transform(bytes));
  return { uart, port };
}

/** Upper-cases ASCII letters: proves bytes went through the "device" and were not looped early. */
export function upperCase(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b));
}

/** Two UARTs of one "device" joined back to back: what arrives on one is transmitted on the other. */
export function bridgedUarts(scheduler: Scheduler): { a: Uart; b: Uart } {
  const a = new Uart(1, scheduler);
  const b = new Uart(2, scheduler);
  const portA = new FakePort(a);
  const portB = new FakePort(b);
  portA.onBytes = (bytes) => portB.transmit(bytes);
  portB.onBytes = (bytes) => portA.transmit(bytes);
  return { a, b };
}
