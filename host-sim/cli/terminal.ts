// The user's terminal attached to a device's console UART. Interactive (a TTY): raw mode, every key
// goes to the device except the escape key, Ctrl-] (as in telnet): Ctrl-] q leaves, Ctrl-] Ctrl-]
// sends a Ctrl-], anything else prints the escape help. Piped (not a TTY): stdin is typed into the
// console after one Return (the console starts its exec on Return), and the session ends once stdin
// has ended and the console has been quiet for a moment.
import type { Uart } from "../serial.ts";

export const ESCAPE_KEY = 0x1d; // Ctrl-]
const ESCAPE_HELP = "\r\n[Ctrl-] q: quit, Ctrl-] Ctrl-]: send Ctrl-]]\r\n";
/** Quiet time after stdin ended before a piped session ends. */
const PIPE_QUIET_MS = 400;

export class TerminalAttachment {
  private escaped = false;
  private lastOutputAtMs = Date.now();
  private stdinEnded = false;
  private checkTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly uart: Uart,
    private readonly onQuit: () => void,
    private readonly afterInput: () => void,
  ) {}

  start(): void {
    this.uart.attach({
      data: (bytes) => {
        this.lastOutputAtMs = Date.now();
        process.stdout.write(bytes);
      },
    });
    if (process.stdin.isTTY) this.startInteractive();
    else this.startPiped();
  }

  stop(): void {
    if (this.checkTimer) clearInterval(this.checkTimer);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
  }

  private send(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.uart.send(bytes);
    this.afterInput();
  }

  private startInteractive(): void {
    process.stdin.setRawMode(true);
    process.stdin.on("data", (chunk: Buffer) => {
      const passed: number[] = [];
      for (const byte of chunk) {
        if (this.escaped) {
          this.escaped = false;
          if (byte === 0x71 || byte === 0x51) {
            this.send(Uint8Array.from(passed));
            this.onQuit();
            return;
          }
          if (byte === ESCAPE_KEY) passed.push(byte);
          else process.stdout.write(ESCAPE_HELP);
        } else if (byte === ESCAPE_KEY) {
          this.escaped = true;
        } else {
          passed.push(byte);
        }
      }
      this.send(Uint8Array.from(passed));
    });
  }

  private startPiped(): void {
    this.send(Uint8Array.of(0x0d));
    process.stdin.on("data", (chunk: Buffer) => this.send(new Uint8Array(chunk)));
    process.stdin.on("end", () => {
      this.stdinEnded = true;
    });
    this.checkTimer = setInterval(() => {
      const quiet = Date.now() - this.lastOutputAtMs >= PIPE_QUIET_MS;
      if (this.stdinEnded && quiet && this.uart.backlogBytes() === 0) this.onQuit();
    }, 50);
  }
}
