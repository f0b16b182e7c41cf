// A TCP client inside the network namespace that reaches the device (`ip netns exec NS socat STDIO
// TCP:ADDR:PORT`): raw bytes both ways, so the test sees the telnet negotiation too. Ends only the
// process it started, by pid.
import { spawn, type ChildProcess } from "node:child_process";

const POLL_MS = 5;

export class NsClient {
  private received = "";
  stderr = "";
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(netns: string, address: string, port: number) {
    this.child = spawn("ip", ["netns", "exec", netns, "socat", "-T", "120", "STDIO", `TCP:${address}:${port},connect-timeout=5`], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.received += chunk.toString("latin1")));
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.child.stdin!.on("error", () => undefined);
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(text: string): void {
    this.child.stdin!.write(Buffer.from(text, "latin1"));
  }

  /** Everything received so far, raw (telnet commands included). */
  raw(): string {
    return this.received;
  }

  /** Received data with telnet commands removed and IAC IAC undoubled. */
  data(): string {
    return stripTelnet(this.received);
  }

  async waitForData(text: string, timeoutMs = 10_000): Promise<void> {
    const endAtMs = Date.now() + timeoutMs;
    while (!this.data().includes(text)) {
      if (Date.now() > endAtMs) throw new Error(`client: no ${JSON.stringify(text)} within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async waitForRaw(length: number, timeoutMs = 10_000): Promise<void> {
    const endAtMs = Date.now() + timeoutMs;
    while (this.received.length < length && Date.now() < endAtMs) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  /** Waits for the process to end (the connection closed or was refused). */
  async ended(timeoutMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`client still running after ${timeoutMs} ms; stderr ${this.stderr}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: the client vanishes (its kernel still closes the socket: FIN). */
  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.running) this.child.kill(signal);
  }
}

/** Removes IAC WILL/WONT/DO/DONT x, IAC SB ... IAC SE and 2-byte commands; IAC IAC -> 0xFF. */
export function stripTelnet(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0xff) {
      out += text[i];
      continue;
    }
    const command = text.charCodeAt(i + 1);
    if (command === 0xff) {
      out += "\xff";
      i++;
    } else if (command >= 0xfb && command <= 0xfe) i += 2;
    else if (command === 0xfa) {
      const end = text.indexOf("\xff\xf0", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else i++;
  }
  return out;
}
