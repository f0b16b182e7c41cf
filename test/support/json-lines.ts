// Reads a child process's stdout as JSON lines ({"event": ..., ...}), the way the kernel-side
// scripts of the interop tests report, and waits for a given event in wall time.
import type { ChildProcess } from "node:child_process";

export interface ChildEvent {
  event: string;
  atMs: number;
  [field: string]: unknown;
}

export class JsonLines {
  readonly events: ChildEvent[] = [];
  stderr = "";
  private buffered = "";
  exitCode: number | null | undefined;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.take(chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    child.once("exit", (code) => (this.exitCode = code));
  }

  /** The first event named `name`, if it came. */
  find(name: string): ChildEvent | undefined {
    return this.events.find((e) => e.event === name);
  }

  /** Waits (wall time) for the event `name`; rejects after `limitMs` or when the child exits first. */
  waitFor(name: string, limitMs: number): Promise<ChildEvent> {
    const deadline = Date.now() + limitMs;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.find(name);
        if (found) resolve(found);
        else if (this.exitCode !== undefined) reject(new Error(`child exited (${this.exitCode}) before "${name}": ${this.describe()}`));
        else if (Date.now() > deadline) reject(new Error(`no "${name}" within ${limitMs} ms: ${this.describe()}`));
        else setTimeout(check, 5);
      };
      check();
    });
  }

  describe(): string {
    return `events ${JSON.stringify(this.events.map((e) => e.event))}, stderr ${JSON.stringify(this.stderr.slice(-500))}`;
  }

  private take(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf("\n")) >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (line.startsWith("{")) this.events.push(JSON.parse(line) as ChildEvent);
    }
  }
}
