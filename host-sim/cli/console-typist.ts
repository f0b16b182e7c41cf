// Types configuration commands into a device's console (line con 0) the way a person would, reading
// the prompts as they come: Return to wake the exec, `enable` and the enable secret if the prompt is
// `>`, `configure terminal`, the commands, `end`, and `disable` again if it enabled. It is the
// device's own CLI that changes, never a simulator shortcut. Event-driven on the UART's output, so
// it works in virtual time (tests) and under the real-time driver (the menu) alike.
import type { Scheduler } from "../scheduler.ts";
import { bytesToLatin1, latin1ToBytes, type UartEnd } from "../serial-attach/uart-end.ts";

/** Virtual time the whole exchange may take before it is abandoned. */
export const TYPIST_TIMEOUT_MS_DEFAULT = 30_000;

export interface TypistResult {
  ok: boolean;
  /** Why it failed, in a few words. */
  reason: string;
  /** Everything the console printed meanwhile. */
  transcript: string;
}

export interface TypistOptions {
  /** Configuration commands typed at `(config)#`. */
  commands: string[];
  /** Typed when `enable` asks for a password. */
  enableSecret?: string;
  timeoutMs?: number;
  onDone: (result: TypistResult) => void;
}

/** Virtual time a Return may go unanswered before another is typed, and how many are typed. */
const WAKE_RETRY_MS = 3_000;
const WAKE_RETURNS_MAX = 5;

type Phase = "wake" | "enable" | "secret" | "configuring" | "ending" | "disabling" | "done";

const PROMPT = /(?:^|\n)[A-Za-z][A-Za-z0-9._-]*(\(config[a-z-]*\))?([>#]) ?$/;

export class ConsoleTypist {
  private phase: Phase = "wake";
  private transcript = "";
  /** Output since the last thing typed: only a prompt in there is an answer to it. */
  private fresh = "";
  private next = 0;
  private enabledHere = false;
  /** Commands the device answered with an error (`% Invalid input ...`). */
  private readonly refused: string[] = [];
  private readonly detachPeer: () => void;

  constructor(private readonly uart: UartEnd, scheduler: Scheduler, private readonly options: TypistOptions) {
    this.detachPeer = uart.attach({ data: (bytes) => this.heard(bytesToLatin1(bytes)) });
    scheduler.after(options.timeoutMs ?? TYPIST_TIMEOUT_MS_DEFAULT, () => this.finish(false, "the console did not answer in time"));
    this.wake(scheduler, WAKE_RETURNS_MAX);
  }

  /** A Return starts the exec; if no prompt answers (the console was still booting, the Return was
   * lost), another follows. Only one at a time: two Returns would give two prompts to answer. */
  private wake(scheduler: Scheduler, returnsLeft: number): void {
    if (this.phase !== "wake" || returnsLeft === 0) return;
    this.type("\r");
    scheduler.after(WAKE_RETRY_MS, () => this.wake(scheduler, returnsLeft - 1));
  }

  get done(): boolean {
    return this.phase === "done";
  }

  private type(text: string): void {
    this.fresh = "";
    this.uart.send(latin1ToBytes(text));
  }

  private heard(text: string): void {
    if (this.phase === "done") return;
    this.transcript += text;
    this.fresh += text;
    if (/Password: ?$/.test(this.fresh)) {
      this.password();
      return;
    }
    const prompt = PROMPT.exec(this.fresh);
    if (prompt) this.prompted(prompt[1] !== undefined, prompt[2] === "#");
  }

  private password(): void {
    if (this.phase === "enable" && this.options.enableSecret !== undefined) {
      this.phase = "secret";
      this.type(`${this.options.enableSecret}\r`);
    } else {
      this.finish(false, this.phase === "secret" ? "the enable secret was refused" : "the console asks for a password");
    }
  }

  private prompted(config: boolean, privileged: boolean): void {
    if (config) {
      if (this.phase !== "configuring") {
        this.type("end\r"); // someone left the console in a configuration mode
        return;
      }
      if (this.next > 0 && /(^|\n)% /.test(this.fresh)) this.refused.push(this.options.commands[this.next - 1]!);
      const command = this.options.commands[this.next++];
      if (command === undefined) {
        this.phase = "ending";
        this.type("end\r");
      } else {
        this.type(`${command}\r`);
      }
      return;
    }
    if (privileged) {
      if (this.phase === "ending") {
        if (!this.enabledHere) return this.finishConfigured();
        this.phase = "disabling";
        this.type("disable\r");
        return;
      }
      this.phase = "configuring";
      this.type("configure terminal\r");
      return;
    }
    if (this.phase === "disabling") return this.finishConfigured();
    if (this.phase === "enable" || this.phase === "secret") return this.finish(false, "enable was refused");
    this.phase = "enable";
    this.enabledHere = true;
    this.type("enable\r");
  }

  private finishConfigured(): void {
    if (this.refused.length === 0) this.finish(true, "done");
    else this.finish(false, `refused: ${this.refused.join("; ")}`);
  }

  private finish(ok: boolean, reason: string): void {
    if (this.phase === "done") return;
    this.phase = "done";
    this.detachPeer();
    this.options.onDone({ ok, reason, transcript: this.transcript });
  }
}
