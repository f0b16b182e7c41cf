// A scripted peer for tests: it sits at the far end of a virtual UART like a person at a terminal,
// collects what the device prints as text, types keystrokes (optionally paced per character), and
// waits for output by running the simulation in virtual time (Scheduler.runUntilTrue), never the
// wall clock. It is the expect(1) of the simulator: `type("show line\r"); expect(/Tty.*\n/)`.
import type { UartSettings } from "../firmware/abi.ts";
import type { Scheduler } from "../scheduler.ts";
import { bytesToLatin1, latin1ToBytes, visible, type UartEnd } from "./uart-end.ts";

/** A Simulator or its Scheduler: anything that owns the virtual clock. */
export type Clock = Scheduler | { readonly scheduler: Scheduler };

/** Virtual time expect() waits for by default. */
export const EXPECT_TIMEOUT_MS_DEFAULT = 10_000;
/** Characters of recent output quoted in a timeout error. */
const TIMEOUT_CONTEXT_CHARS = 400;

export interface TypeOptions {
  /** Virtual milliseconds between two keystrokes; 0 (default) sends the text in one piece. */
  charDelayMs?: number;
}

export interface ExpectOptions {
  /** Virtual milliseconds to wait before failing. */
  timeoutMs?: number;
}

export interface ExpectResult {
  /** The text that matched. */
  match: string;
  /** Regex capture groups (empty for a string pattern). */
  groups: string[];
  /** Unread output before the match (skipped by this expect). */
  before: string;
  /** Virtual instant at which the match was first seen. */
  atMs: number;
}

export class ScriptedTerminal {
  /** Everything the device printed since the last clear(). */
  private output = "";
  /** expect() searches from here; each match moves it past the match. */
  private cursor = 0;
  /** Instant of the last keystroke typed or scheduled. */
  private lastKeyAtMs = 0;
  /** Earliest instant of the next paced keystroke (the last one plus its delay). */
  private nextPacedKeyAtMs = 0;
  private readonly scheduler: Scheduler;
  private readonly detachPeer: () => void;
  bytesReceived = 0;
  bytesTyped = 0;
  /** The device's last output signals (DTR/RTS/BREAK) and line settings, if it ever set them. */
  lastControl: { signals: number; settings: UartSettings } | undefined;

  constructor(private readonly uart: UartEnd, clock: Clock) {
    this.scheduler = "scheduler" in clock ? clock.scheduler : clock;
    this.detachPeer = uart.attach({
      data: (bytes) => {
        this.bytesReceived += bytes.length;
        this.output += bytesToLatin1(bytes);
      },
      control: (signals, settings) => {
        this.lastControl = { signals, settings: { ...settings } };
      },
    });
  }

  /**
   * Sends keystrokes toward the device. Paced typing is scheduled in virtual time (after any
   * paced typing still pending) and happens as the simulation runs, for example in expect().
   */
  type(text: string | Uint8Array, options: TypeOptions = {}): void {
    const bytes = typeof text === "string" ? latin1ToBytes(text) : text.slice();
    const delayMs = options.charDelayMs ?? 0;
    const nowMs = this.scheduler.nowMs;
    this.bytesTyped += bytes.length;
    if (delayMs <= 0) {
      // Right behind the last paced keystroke, if any is still to come.
      const atMs = Math.max(nowMs, this.lastKeyAtMs);
      this.lastKeyAtMs = atMs;
      if (atMs > nowMs) this.scheduler.at(atMs, () => this.uart.send(bytes));
      else this.uart.send(bytes);
      return;
    }
    let atMs = Math.max(nowMs, this.lastKeyAtMs, this.nextPacedKeyAtMs);
    for (let i = 0; i < bytes.length; i++) {
      const one = bytes.subarray(i, i + 1);
      this.scheduler.at(atMs, () => this.uart.send(one));
      this.lastKeyAtMs = atMs;
      atMs += delayMs;
    }
    this.nextPacedKeyAtMs = atMs;
  }

  /** Sets the input modem signals (CTS/DSR/RI/DCD bits of abi.ts `Modem`) the device sees. */
  setModem(bits: number): void {
    this.uart.setModem(bits);
  }

  /**
   * Runs the simulation until the output not yet matched contains `pattern`, then moves past the
   * match. A regex is tried as soon as each byte arrives, so end it with what must follow (`\r\n`,
   * a prompt): /(\w+)/ would match the first letter of a word still arriving. Throws, quoting the recent output, if it does not appear within the timeout.
   */
  expect(pattern: string | RegExp, options: ExpectOptions = {}): ExpectResult {
    const timeoutMs = options.timeoutMs ?? EXPECT_TIMEOUT_MS_DEFAULT;
    const regex = typeof pattern === "string" ? undefined : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
    let found: { index: number; match: string; groups: string[] } | undefined;
    let checkedLength = -1;
    const search = (): boolean => {
      if (this.output.length === checkedLength) return false;
      checkedLength = this.output.length;
      const unread = this.output.slice(this.cursor);
      if (regex) {
        const m = regex.exec(unread);
        if (m) found = { index: m.index, match: m[0], groups: m.slice(1).map((g) => g ?? "") };
      } else {
        const index = unread.indexOf(pattern as string);
        if (index >= 0) found = { index, match: pattern as string, groups: [] };
      }
      return found !== undefined;
    };
    try {
      this.scheduler.runUntilTrue(search, timeoutMs);
    } catch (error) {
      if (found === undefined && error instanceof Error && error.message.startsWith("condition not reached")) {
        const tail = this.output.slice(Math.max(this.cursor, this.output.length - TIMEOUT_CONTEXT_CHARS));
        throw new Error(
          `expect(${typeof pattern === "string" ? JSON.stringify(pattern) : String(pattern)}) timed out after ` +
            `${timeoutMs} ms of virtual time (now ${this.scheduler.nowMs} ms); unread output: "${visible(tail)}"`,
        );
      }
      throw error;
    }
    const hit = found!;
    const start = this.cursor + hit.index;
    const result: ExpectResult = {
      match: hit.match,
      groups: hit.groups,
      before: this.output.slice(this.cursor, start),
      atMs: this.scheduler.nowMs,
    };
    this.cursor = start + hit.match.length;
    return result;
  }

  /** Runs the simulation for `durationMs` and throws if the device printed anything meanwhile. */
  expectSilence(durationMs: number): void {
    const before = this.output.length;
    this.scheduler.runFor(durationMs);
    if (this.output.length !== before) {
      throw new Error(`expected silence for ${durationMs} ms, got "${visible(this.output.slice(before))}"`);
    }
  }

  /** Everything printed since the last clear(). */
  screen(): string {
    return this.output;
  }

  /** Output not yet consumed by expect(). */
  unread(): string {
    return this.output.slice(this.cursor);
  }

  /** Forgets the output so far (expect() then searches only what comes next). */
  clear(): void {
    this.output = "";
    this.cursor = 0;
  }

  /** Stops listening to the UART. */
  detach(): void {
    this.detachPeer();
  }
}
