// What every far-end attachment needs from a virtual UART (host-sim/serial.ts `Uart`): a way to
// hear what the device transmits, a way to send toward the device, and the input modem signals.
// Attachments take this narrow view, so a test can hand them anything shaped like a UART's far end.
import type { Uart } from "../serial.ts";

/** The far end of a virtual UART. */
export type UartEnd = Pick<Uart, "line" | "attach" | "send" | "setModem" | "backlogBytes">;

/** Something attached to a UART's far end that holds resources (a process, a socket, a port). */
export interface Attachment {
  /** Detaches from the UART and releases everything it opened; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Runs the simulation right after input arrived from the real world, so an echo does not wait for
 * the next tick of the real-time driver. Pass `() => driver.tick()` for a RealTimeDriver.
 */
export type Wake = () => void;

/** Bytes to text, one character per byte (the firmware speaks 8-bit ASCII; no UTF-8 state). */
export function bytesToLatin1(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** Text to bytes, one byte per character; characters above 0xff are an error in the caller. */
export function latin1ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new RangeError(`character U+${code.toString(16)} at ${i} is not one byte`);
    bytes[i] = code;
  }
  return bytes;
}

/** A printable rendering of bytes for error messages: control characters as \r, \n, \xNN. */
export function visible(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => {
    if (c === "\r") return "\\r";
    if (c === "\n") return "\\n";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}
