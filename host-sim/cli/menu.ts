// The escape menu: after Ctrl-] one key picks an action; actions that need a name or a number read
// one line (Return ends it, an empty line takes the default in brackets). One escape, one action,
// then back to the line, as telnet's escape does; Return alone goes straight back. The same bytes
// work typed at a terminal or written in a piped script (`\x1dr r2\r` reloads r2).
import type { Controls } from "./controls.ts";
import { lineName } from "./session-switcher.ts";

export const MENU_KEYS = `a attach  r reload  o power off/on  c cut/heal link  k keepalives  s speed  p pcap  i status  w wait  q quit  Return back`;
/** Longest argument line kept. */
const ARG_MAX = 80;

export interface MenuIo {
  /** Writes menu text to the user's screen (raw mode: \r\n line ends). */
  print(text: string): void;
  /** The menu closed; `leftover` is input that came after its action (for the line, or another escape). */
  closed(leftover: Uint8Array): void;
  /** Sends bytes to the line the user is on (the escape key itself, when typed twice). */
  sendToLine(bytes: Uint8Array): void;
  quit(): void;
}

interface Argument {
  key: string;
  question: () => string;
  run: (arg: string) => string | Promise<string>;
}

type State = { kind: "closed" } | { kind: "key" } | { kind: "arg"; argument: Argument; text: string } | { kind: "busy" };

export class EscapeMenu {
  private state: State = { kind: "closed" };
  private pending: number[] = [];
  private readonly arguments: Record<string, Argument>;

  constructor(private readonly controls: Controls, private readonly io: MenuIo, private readonly escapeByte: number) {
    const current = (): string => controls.currentDevice();
    this.arguments = {
      a: { key: "a", question: () => `attach to (device:line, e.g. r1:0) [${current()}:0]: `, run: (arg) => controls.attach(arg === "" ? `${current()}:0` : arg) },
      r: { key: "r", question: () => `reload which device [${current()}]: `, run: (arg) => controls.reload(arg) },
      o: { key: "o", question: () => `power off/on which device [${current()}]: `, run: (arg) => controls.power(arg) },
      c: { key: "c", question: () => `cut/heal the link of which device [${current()}]: `, run: (arg) => controls.cutOrHeal(arg) },
      k: { key: "k", question: () => `keepalives on/off on which device [${current()}]: `, run: (arg) => controls.keepalivesToggle(arg) },
      s: { key: "s", question: () => "speed x1, x10, x60, x600 [next]: ", run: (arg) => controls.setSpeed(arg) },
      p: { key: "p", question: () => `capture start/stop on segment [${controls.segmentNames()[0] ?? "none"}]: `, run: (arg) => controls.captureToggle(arg) },
      w: { key: "w", question: () => "wait how many seconds of virtual time: ", run: (arg) => controls.wait(arg) },
    };
  }

  get isOpen(): boolean {
    return this.state.kind !== "closed";
  }

  open(): void {
    this.state = { kind: "key" };
    const { device, line } = this.controls.where();
    this.io.print(`\r\n[menu, on ${lineName(device, line)}: ${MENU_KEYS}]\r\nmenu> `);
  }

  /** Keys typed while the menu is open (or busy: they wait for the action to finish). */
  input(bytes: Uint8Array): void {
    for (const byte of bytes) this.pending.push(byte);
    this.pump();
  }

  private pump(): void {
    while (this.pending.length > 0 && (this.state.kind === "key" || this.state.kind === "arg")) {
      const byte = this.pending.shift()!;
      if (this.state.kind === "key") this.key(byte);
      else this.argByte(this.state, byte);
    }
  }

  private key(byte: number): void {
    if (byte === this.escapeByte) {
      this.io.print("^]\r\n");
      this.io.sendToLine(Uint8Array.of(byte));
      return this.close();
    }
    const key = String.fromCharCode(byte).toLowerCase();
    const argument = this.arguments[key];
    if (argument) {
      this.io.print(`${key}\r\n${argument.question()}`);
      this.state = { kind: "arg", argument, text: "" };
      return;
    }
    if (key === "i") return this.finish("i", this.controls.status());
    if (key === "q") {
      this.io.print("q\r\n[quit]\r\n");
      this.state = { kind: "busy" };
      return this.io.quit();
    }
    if (byte === 0x0d || byte === 0x0a || byte === 0x1b || key === " ") {
      this.io.print("\r\n");
      return this.close(byte === 0x0d);
    }
    this.io.print(`\r\n[${MENU_KEYS}]\r\nmenu> `); // ? or any other key: the keys again
  }

  private argByte(state: Extract<State, { kind: "arg" }>, byte: number): void {
    if (byte === 0x0d || byte === 0x0a) {
      this.io.print("\r\n");
      this.state = { kind: "busy" };
      const result = state.argument.run(state.text.trim());
      if (typeof result === "string") this.finish("", result, byte === 0x0d);
      else void result.then((text) => this.finish("", text, byte === 0x0d));
      return;
    }
    if (byte === 0x03 || byte === 0x1b) {
      this.io.print(" [cancelled]\r\n");
      return this.close();
    }
    if (byte === 0x7f || byte === 0x08) {
      if (state.text.length > 0) {
        state.text = state.text.slice(0, -1);
        this.io.print("\b \b");
      }
      return;
    }
    if (byte === 0x15) {
      this.io.print("\b \b".repeat(state.text.length));
      state.text = "";
      return;
    }
    if (byte < 0x20 || byte > 0x7e || state.text.length >= ARG_MAX) return;
    state.text += String.fromCharCode(byte);
    this.io.print(String.fromCharCode(byte));
  }

  private finish(echo: string, result: string, afterCr = false): void {
    this.io.print(`${echo}${echo ? "\r\n" : ""}${result}\r\n`);
    this.close(afterCr);
  }

  /** Back to the line; a LF right after the Return that ended the action belongs to that Return. */
  private close(afterCr = false): void {
    this.state = { kind: "closed" };
    if (afterCr && this.pending[0] === 0x0a) this.pending.shift();
    const leftover = Uint8Array.from(this.pending);
    this.pending = [];
    this.io.closed(leftover);
  }
}
