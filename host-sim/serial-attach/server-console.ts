// A simulated server console: the machine at the far end of r1's tty1 in the tech note's topology.
// Like a getty on a serial console it says nothing until spoken to; a Return gets the login banner
// and a `login: ` prompt; a fixed user and password get a shell-like prompt with a few commands.
// It echoes what is typed (the password excepted), as a real console does, so a user who reverse-
// telnets to the line sees a live server. It is deterministic and has no clock of its own: every
// answer is sent at once, toward the device, as the bytes arrive (so it works in virtual time).
import { latin1ToBytes, type UartEnd } from "./uart-end.ts";

export interface ServerConsoleOptions {
  hostname?: string;
  /** The issue line printed above the login prompt. */
  banner?: string;
  user?: string;
  password?: string;
}

export type ServerConsoleState = "idle" | "login" | "password" | "shell";

/** Longest input line kept; further characters are not echoed (a bell answers them). */
export const SERVER_CONSOLE_LINE_MAX = 256;

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const BACKSPACE = 0x08;
const DELETE = 0x7f;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_U = 0x15;
const BELL = "\x07";

export class ServerConsole {
  readonly hostname: string;
  readonly banner: string;
  readonly user: string;
  readonly password: string;
  state: ServerConsoleState = "idle";
  logins = 0;
  failedLogins = 0;
  /** Every line entered at the shell prompt, in order (what the server "ran"). */
  readonly commands: string[] = [];
  private line = "";
  private loginName = "";
  private afterCr = false;
  private readonly detachPeer: () => void;

  constructor(private readonly uart: UartEnd, options: ServerConsoleOptions = {}) {
    this.hostname = options.hostname ?? "server";
    this.banner = options.banner ?? "Debian GNU/Linux 12 server ttyS0";
    this.user = options.user ?? "admin";
    this.password = options.password ?? "cisco";
    this.detachPeer = uart.attach({ data: (bytes) => this.receive(bytes) });
  }

  /** The shell prompt after a successful login. */
  prompt(): string {
    return `${this.user}@${this.hostname}:~$ `;
  }

  detach(): void {
    this.detachPeer();
  }

  /** Bytes the terminal server transmitted on the line: keystrokes of whoever is connected. */
  private receive(bytes: Uint8Array): void {
    let reply = "";
    for (const byte of bytes) reply += this.key(byte);
    if (reply.length > 0) this.uart.send(latin1ToBytes(reply));
  }

  /** One keystroke; returns what the console prints in answer. */
  private key(byte: number): string {
    const afterCr = this.afterCr;
    this.afterCr = byte === CR;
    if (byte === CR) return this.enter();
    if (byte === LF || byte === NUL) return afterCr ? "" : byte === LF ? this.enter() : "";
    if (this.state === "idle") return ""; // a getty waiting for a Return ignores everything else
    if (byte === BACKSPACE || byte === DELETE) return this.erase();
    if (byte === CTRL_U) return this.killLine();
    if (byte === CTRL_C) return this.interrupt();
    if (byte === CTRL_D && this.state === "shell" && this.line.length === 0) return this.logout();
    if (byte < 0x20 || byte > 0x7e) return "";
    if (this.line.length >= SERVER_CONSOLE_LINE_MAX) return BELL;
    this.line += String.fromCharCode(byte);
    return this.state === "password" ? "" : String.fromCharCode(byte);
  }

  private enter(): string {
    const line = this.line;
    this.line = "";
    switch (this.state) {
      case "idle":
        this.state = "login";
        return `\r\n${this.banner}\r\n\r\n${this.hostname} login: `;
      case "login":
        if (line.length === 0) return `\r\n${this.hostname} login: `;
        this.loginName = line;
        this.state = "password";
        return "\r\nPassword: ";
      case "password":
        if (this.loginName === this.user && line === this.password) {
          this.state = "shell";
          this.logins++;
          return `\r\nLast login: on ttyS0\r\n${this.prompt()}`;
        }
        this.state = "login";
        this.failedLogins++;
        return `\r\n\r\nLogin incorrect\r\n${this.hostname} login: `;
      case "shell":
        return `\r\n${this.run(line.trim())}`;
    }
  }

  /** Runs one shell command line; returns its output followed by the next prompt. */
  private run(command: string): string {
    if (command.length === 0) return this.prompt();
    this.commands.push(command);
    const [name = "", ...args] = command.split(/\s+/);
    switch (name) {
      case "exit":
      case "logout":
        return this.logoutText();
      case "hostname":
        return `${this.hostname}\r\n${this.prompt()}`;
      case "whoami":
        return `${this.user}\r\n${this.prompt()}`;
      case "tty":
        return `/dev/ttyS0\r\n${this.prompt()}`;
      case "echo":
        return `${args.join(" ")}\r\n${this.prompt()}`;
      default:
        return `-bash: ${name}: command not found\r\n${this.prompt()}`;
    }
  }

  private erase(): string {
    if (this.line.length === 0) return "";
    this.line = this.line.slice(0, -1);
    return this.state === "password" ? "" : "\b \b";
  }

  private killLine(): string {
    const count = this.line.length;
    this.line = "";
    return this.state === "password" ? "" : "\b \b".repeat(count);
  }

  private interrupt(): string {
    this.line = "";
    if (this.state === "shell") return `^C\r\n${this.prompt()}`;
    this.state = "login";
    return `\r\n${this.hostname} login: `;
  }

  private logout(): string {
    this.line = "";
    return `\r\n${this.logoutText()}`;
  }

  /** Back to a silent getty: the next Return brings the banner again. */
  private logoutText(): string {
    this.state = "idle";
    this.loginName = "";
    return "logout\r\n";
  }
}
