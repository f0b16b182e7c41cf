// A real telnet client (Debian's inetutils `telnet`, or netkit's `telnet-ssl`) run inside the
// kernel peer's namespace on a pseudo-terminal that expect(1) provides: a piped telnet quits before
// output arrives (ENVIRONMENT.md), a pty keeps it in its interactive loop as a person's terminal
// would. expect only makes the pty (`spawn` + `interact`): Node types into it through expect's
// stdin and reads the screen from expect's stdout, so a test drives the client step by step while
// the simulation runs in real time. Everything the client prints (its own messages and what the
// device sends) lands in one transcript, as a user would see it.
//
//   const client = RealTelnet.start(peer.ns, ["192.0.2.2", "23"]);
//   await client.expect("Password: ", 5_000);
//   client.type("cisco\r");
//   const code = await client.exited(5_000);
//   client.close();
import type { ChildProcess } from "node:child_process";
import type { NetNamespace } from "../../host-sim/network/namespace.ts";
import { visible } from "../../host-sim/serial-attach/uart-end.ts";

/** Debian's default `telnet` (the alternative points here once inetutils-telnet is installed). */
export const INETUTILS_TELNET = "inetutils-telnet";
/** netkit's telnet with SSL support; plain telnet unless told otherwise. */
export const NETKIT_TELNET = "telnet-ssl";

const POLL_MS = 5;

/** The expect program: spawn the client on a pty, pass bytes both ways, exit with its status. */
function expectProgram(client: string, args: string[], size: TerminalSize): string {
  const words = [client, ...args].map((w) => `{${w}}`).join(" ");
  return `log_user 1; set stty_init {rows ${size.rows} columns ${size.columns}}; spawn -noecho ${words}; interact; catch wait result; exit [lindex $result 3]`;
}

/** The pty's window: what the client reports with NAWS. */
export interface TerminalSize {
  rows: number;
  columns: number;
}

export interface ExpectMatch {
  /** Transcript between the previous match and this one. */
  before: string;
  match: string;
  groups: string[];
}

export class RealTelnet {
  /** Everything the client printed (latin1, one character per byte). */
  private output = "";
  private cursor = 0;
  private exitCode: number | null | undefined;
  /** How many times each ignored text was cut from the transcript. */
  readonly ignored = new Map<string, number>();
  private constructor(private readonly child: ChildProcess, readonly command: string, private readonly ignore: string[]) {
    child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString("latin1")));
    child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString("latin1")));
    child.once("exit", (code) => (this.exitCode = code));
  }

  /**
   * Starts `client args...` inside `ns` on a pty (the namespace ends it by pid if the test does
   * not). `ignore`: the client's own asynchronous notices (telnet-ssl's "[SSL not available]\n"
   * lands wherever the option refusal happens to arrive), cut from the transcript and counted.
   */
  static start(ns: NetNamespace, args: string[], client = INETUTILS_TELNET, ignore: string[] = [], size: TerminalSize = { rows: 24, columns: 80 }): RealTelnet {
    const child = ns.spawn("expect", ["-c", expectProgram(client, args, size)]);
    return new RealTelnet(child, `${client} ${args.join(" ")}`, ignore);
  }

  /** Keystrokes, as typed on the terminal (Return is "\r"). */
  type(text: string): void {
    this.child.stdin?.write(Buffer.from(text, "latin1"));
  }

  /**
   * Waits in wall time until the transcript not yet matched contains `pattern`; moves past it.
   * Rejects after `limitMs`, quoting the unread transcript.
   */
  async expect(pattern: string | RegExp, limitMs: number): Promise<ExpectMatch> {
    const find = (): ExpectMatch | undefined => {
      this.cutIgnored();
      const unread = this.output.slice(this.cursor);
      if (typeof pattern === "string") {
        const at = unread.indexOf(pattern);
        if (at < 0) return undefined;
        this.cursor += at + pattern.length;
        return { before: unread.slice(0, at), match: pattern, groups: [] };
      }
      const m = pattern.exec(unread);
      if (!m) return undefined;
      this.cursor += m.index + m[0].length;
      return { before: unread.slice(0, m.index), match: m[0], groups: m.slice(1).map((g) => g ?? "") };
    };
    const deadline = Date.now() + limitMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`${this.command}: expect(${String(pattern)}) timed out after ${limitMs} ms; unread: "${visible(this.output.slice(this.cursor))}"`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Waits for the client (and expect) to end; its exit status, or rejects after `limitMs`. */
  async exited(limitMs: number): Promise<number | null> {
    const deadline = Date.now() + limitMs;
    while (this.exitCode === undefined) {
      if (Date.now() > deadline) throw new Error(`${this.command}: still running after ${limitMs} ms; unread: "${visible(this.output.slice(this.cursor))}"`);
      await sleep(POLL_MS);
    }
    // The last output may still be in the pipe when the exit is seen.
    await sleep(20);
    return this.exitCode;
  }

  private cutIgnored(): void {
    for (const text of this.ignore) {
      for (let at = this.output.indexOf(text, this.cursor); at >= 0; at = this.output.indexOf(text, this.cursor)) {
        this.output = this.output.slice(0, at) + this.output.slice(at + text.length);
        this.ignored.set(text, (this.ignored.get(text) ?? 0) + 1);
      }
    }
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The whole transcript so far. */
  transcript(): string {
    return this.output;
  }

  /** The transcript not yet matched by expect(). */
  unread(): string {
    return this.output.slice(this.cursor);
  }

  /** Ends expect (and with it the client's pty) by pid, if still running. */
  close(): void {
    if (this.exitCode === undefined && this.child.pid !== undefined) this.child.kill("SIGKILL");
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
