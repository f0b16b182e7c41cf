// One serial path (a pty of the device runner, or /dev/ttyUSB0 wired to a board's line), opened with
// the npm `serialport` package, with expect-style waiting on what arrives (wall-clock time).
import { SerialPort } from "serialport";

const POLL_MS = 5;

export interface Expected {
  /** What arrived before the match. */
  before: string;
  match: string;
}

export class SerialPeer {
  private buffer = "";
  private constructor(private readonly port: SerialPort, readonly path: string) {
    port.on("data", (chunk: Buffer) => (this.buffer += chunk.toString("latin1")));
  }

  static async open(path: string, baudRate: number): Promise<SerialPeer> {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    // Whatever the device printed before we opened is not part of any test.
    await new Promise<void>((resolve) => port.flush(() => resolve()));
    return new SerialPeer(port, path);
  }

  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(text, "latin1"), (error) => (error ? reject(error) : this.port.drain(() => resolve())));
    });
  }

  /** Unread text so far (not consumed). */
  pending(): string {
    return this.buffer;
  }

  /** Drops unread text. */
  clear(): void {
    this.buffer = "";
  }

  /** Waits for `pattern` in the unread text; consumes through the match. */
  async expect(pattern: string | RegExp, timeoutMs = 10_000): Promise<Expected> {
    const endAtMs = Date.now() + timeoutMs;
    for (;;) {
      const found = find(this.buffer, pattern);
      if (found) {
        const before = this.buffer.slice(0, found.index);
        this.buffer = this.buffer.slice(found.index + found.text.length);
        return { before, match: found.text };
      }
      if (Date.now() > endAtMs) throw new Error(`${this.path}: no ${String(pattern)} within ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Waits until exactly `length` bytes arrived, or `timeoutMs`; returns and consumes them. */
  async read(length: number, timeoutMs = 10_000): Promise<string> {
    const endAtMs = Date.now() + timeoutMs;
    while (this.buffer.length < length && Date.now() < endAtMs) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const text = this.buffer.slice(0, length);
    this.buffer = this.buffer.slice(text.length);
    return text;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}

function find(text: string, pattern: string | RegExp): { index: number; text: string } | undefined {
  if (typeof pattern === "string") {
    const index = text.indexOf(pattern);
    return index < 0 ? undefined : { index, text: pattern };
  }
  const match = pattern.exec(text);
  return match ? { index: match.index, text: match[0] } : undefined;
}
