// The far end of "whichever line the user is on": a UartEnd that forwards to one device's UART and
// can be moved to another (the menu's attach). The user's StdioAttachment sits on this switcher, so
// moving your terminal from r2's tty1 to r1's console is one call, with nothing to reopen. A line
// may have something else attached too (the server console on r1's tty1): the UART has room for
// several peers, so you then share the line with it, as a monitor tap would.
import type { Device } from "../device.ts";
import type { UartPeer } from "../serial.ts";
import type { UartEnd } from "../serial-attach/uart-end.ts";

export interface LineRef {
  device: Device;
  line: number;
}

/** "r2 tty1", "r1 con 0", "r1 aux 17": IOS's names for absolute line numbers. */
export function lineName(device: Device, line: number): string {
  if (line === 0) return `${device.name} con 0`;
  if (line === device.uarts.length - 1) return `${device.name} aux ${line}`;
  return `${device.name} tty${line}`;
}

export class SessionSwitcher implements UartEnd {
  private peer: UartPeer | undefined;
  private detachCurrent: (() => void) | undefined;

  constructor(private current: LineRef) {}

  get line(): number {
    return this.current.line;
  }

  where(): LineRef {
    return this.current;
  }

  /** Moves to another line; the peer attached to this switcher goes along. */
  switchTo(next: LineRef): void {
    next.device.uart(next.line); // throws RangeError for a line the device does not have
    this.detachCurrent?.();
    this.current = next;
    this.detachCurrent = this.peer ? this.uart().attach(this.peer) : undefined;
  }

  attach(peer: UartPeer): () => void {
    this.detachCurrent?.();
    this.peer = peer;
    this.detachCurrent = this.uart().attach(peer);
    return () => {
      this.detachCurrent?.();
      this.detachCurrent = undefined;
      this.peer = undefined;
    };
  }

  send(bytes: Uint8Array | string): void {
    this.uart().send(bytes);
  }

  setModem(bits: number): void {
    this.uart().setModem(bits);
  }

  backlogBytes(): number {
    return this.uart().backlogBytes();
  }

  private uart(): ReturnType<Device["uart"]> {
    return this.current.device.uart(this.current.line);
  }
}
