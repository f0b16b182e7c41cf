// The user's terminal in `npm start`: a StdioAttachment on the session switcher (so the menu can move
// it between lines), the escape menu, and the order of things for piped scripts. Interactive: keys
// go to the line until Ctrl-], which opens the menu. Piped: the script is typed into the line after
// one Return; a Ctrl-] in the script waits until the line has taken everything typed before it and
// its output has been quiet for a moment, then runs one menu action, so `reload r2` happens after
// the text before it was answered, not while it is still queued. The session ends with `q`, or
// once piped stdin has ended and the output has settled.
import type { Readable, Writable } from "node:stream";
import { StdioAttachment, ESCAPE_BYTE_DEFAULT } from "../serial-attach/stdio-attachment.ts";
import type { Wake } from "../serial-attach/uart-end.ts";
import type { Controls } from "./controls.ts";
import { EscapeMenu } from "./menu.ts";
import type { SessionSwitcher } from "./session-switcher.ts";

/** Wall-clock quiet after which piped output counts as settled. */
export const PIPE_QUIET_MS = 400;
const SETTLE_CHECK_MS = 25;

export interface UserSessionOptions {
  wake: Wake;
  quit: () => void;
  /** Default process.stdin / process.stdout (tests give streams). */
  input?: Readable & { isTTY?: boolean; isRaw?: boolean; setRawMode?(mode: boolean): unknown };
  output?: Writable;
}

export class UserSession {
  readonly attachment: StdioAttachment;
  readonly menu: EscapeMenu;
  readonly piped: boolean;
  private queued: number[] = [];
  /** Wall-clock instant of the last byte either way on the line. */
  private lastTrafficAtMs = Date.now();
  private inputEnded = false;
  private settling = false;
  private endTimer: NodeJS.Timeout | undefined;
  private readonly output: Writable;

  constructor(private readonly switcher: SessionSwitcher, controls: Controls, options: UserSessionOptions) {
    const input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.piped = input.isTTY !== true;
    const session = this;
    const watched = {
      get line(): number {
        return switcher.line;
      },
      attach: (peer: Parameters<SessionSwitcher["attach"]>[0]) =>
        switcher.attach({
          ...peer,
          data: (bytes) => {
            session.lastTrafficAtMs = Date.now();
            peer.data(bytes);
          },
        }),
      send: (bytes: Uint8Array) => {
        session.lastTrafficAtMs = Date.now(); // an answer is due: quiet counts from here too
        switcher.send(bytes);
      },
      setModem: (bits: number) => switcher.setModem(bits),
      backlogBytes: () => switcher.backlogBytes(),
    };
    this.menu = new EscapeMenu(controls, {
      print: (text) => this.output.write(text),
      closed: (leftover) => this.menuClosed(leftover),
      sendToLine: (bytes) => this.attachment.send(bytes),
      quit: () => options.quit(),
    }, ESCAPE_BYTE_DEFAULT);
    this.attachment = new StdioAttachment(watched, {
      input,
      output: this.output,
      wake: options.wake,
      escapeByte: ESCAPE_BYTE_DEFAULT,
      onEscape: () => void this.openMenu(),
      onSuspendedInput: (bytes) => this.suspendedInput(bytes),
      onEnd: () => {
        this.inputEnded = true;
      },
    });
    if (this.piped) {
      this.attachment.send(Uint8Array.of(0x0d)); // the line starts its exec (or autocommand) on Return
      this.endTimer = setInterval(() => {
        if (this.inputEnded && !this.menu.isOpen && !this.settling && this.queued.length === 0 && this.isSettled()) options.quit();
      }, SETTLE_CHECK_MS * 2);
    }
  }

  async close(): Promise<void> {
    if (this.endTimer) clearInterval(this.endTimer);
    await this.attachment.close();
  }

  /** The line took what was typed (a device that is off takes nothing: no use waiting) and its
   * output has been quiet a moment. */
  private isSettled(): boolean {
    const taken = this.switcher.backlogBytes() === 0 || this.switcher.where().device.state !== "running";
    return taken && Date.now() - this.lastTrafficAtMs >= PIPE_QUIET_MS;
  }

  /** Piped: resolves once the line took what was typed and its output has been quiet a moment. */
  private settle(): Promise<void> {
    if (!this.piped || this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        if (!this.isSettled()) return;
        clearInterval(timer);
        resolve();
      }, SETTLE_CHECK_MS);
    });
  }

  private suspendedInput(bytes: Uint8Array): void {
    if (this.menu.isOpen) this.menu.input(bytes);
    else for (const byte of bytes) this.queued.push(byte);
  }

  /** The attachment is suspended (the escape key); output is held until the menu shows. */
  private async openMenu(): Promise<void> {
    this.settling = true;
    await this.settle();
    this.settling = false;
    this.attachment.resume(); // show what the line printed before the escape, then hold again
    this.attachment.suspend();
    this.menu.open();
    const queued = Uint8Array.from(this.queued);
    this.queued = [];
    if (queued.length > 0) this.menu.input(queued);
  }

  /** Back to the line; input that came after the menu's action goes on as if typed now. */
  private menuClosed(leftover: Uint8Array): void {
    this.attachment.resume();
    const at = leftover.indexOf(ESCAPE_BYTE_DEFAULT);
    const toLine = at < 0 ? leftover : leftover.subarray(0, at);
    if (toLine.length > 0) this.attachment.send(toLine);
    if (at < 0) return;
    this.attachment.suspend();
    for (const byte of leftover.subarray(at + 1)) this.queued.push(byte);
    void this.openMenu();
  }
}
