// StdioAttachment: the user's terminal at the far end of a UART. Streams stand in for stdin/stdout
// in most tests; one runs in tmux, a real terminal, to prove raw mode and the escape key.
import { execFileSync, spawnSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { RealTimeDriver, Scheduler } from "../../host-sim/scheduler.ts";
import { ESCAPE_BYTE_DEFAULT, StdioAttachment, type StdioAttachmentOptions } from "../../host-sim/serial-attach/stdio-attachment.ts";
import { echoUart, upperCase } from "./fake-port.ts";
import { waitFor } from "./real-world.ts";

/** A stdin that claims to be a TTY and records setRawMode calls. */
function fakeTty(): PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode: (mode: boolean) => void; modes: boolean[] } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode: (mode: boolean) => void; modes: boolean[] };
  stream.isTTY = true;
  stream.isRaw = false;
  stream.modes = [];
  stream.setRawMode = (mode) => {
    stream.isRaw = mode;
    stream.modes.push(mode);
  };
  return stream;
}

describe("StdioAttachment", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function setup(input: PassThrough, options: Partial<StdioAttachmentOptions> = {}) {
    const scheduler = new Scheduler();
    const driver = new RealTimeDriver(scheduler);
    const { uart, port } = echoUart(scheduler, upperCase);
    uart.paced = false;
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on("data", (chunk: Buffer) => chunks.push(chunk));
    const stdio = new StdioAttachment(uart, { input, output, wake: () => driver.tick(), ...options });
    driver.start();
    cleanups.push(() => driver.stop(), () => stdio.close());
    return { stdio, port, screen: () => Buffer.concat(chunks).toString("latin1") };
  }

  it("passes piped input to the device and its output to the screen; reports the end of input", async () => {
    const input = new PassThrough();
    let ended = false;
    const { stdio, port, screen } = setup(input, { onEnd: () => (ended = true) });
    expect(stdio.escapeByte).toBe(null); // piped: every byte is data, Ctrl-] included
    input.end("show line\r\x1d");
    await waitFor(() => screen() === "SHOW LINE\r\x1d", 5_000, "the echo");
    expect(String.fromCharCode(...port.received)).toBe("show line\r\x1d");
    await waitFor(() => ended, 5_000, "the end of input");
  });

  it("on a TTY: raw mode while attached, restored on close", async () => {
    const input = fakeTty();
    const { stdio } = setup(input);
    expect(input.modes).toEqual([true]);
    expect(stdio.escapeByte).toBe(ESCAPE_BYTE_DEFAULT);
    await stdio.close();
    expect(input.modes).toEqual([true, false]);
  });

  it("the escape key suspends: the device never sees it, the menu gets what follows, output is held until resume", async () => {
    const input = fakeTty();
    const menu: string[] = [];
    let escapes = 0;
    const { stdio, port, screen } = setup(input, {
      onEscape: () => escapes++,
      onSuspendedInput: (bytes) => menu.push(Buffer.from(bytes).toString("latin1")),
    });
    input.write("ab\x1dq");
    await waitFor(() => screen() === "AB", 5_000, "the echo before the escape");
    expect(escapes).toBe(1);
    expect(stdio.suspended).toBe(true);
    expect(menu).toEqual(["q"]);
    port.transmit(new TextEncoder().encode("while away"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen()).toBe("AB"); // held
    input.write("r");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(menu).toEqual(["q", "r"]);
    stdio.resume();
    expect(screen()).toBe("ABwhile away");
    input.write("c");
    await waitFor(() => screen() === "ABwhile awayC", 5_000, "typing after resume");
    expect(String.fromCharCode(...port.received)).toBe("abc");
  });

  it("escape handling can be forced on for piped input, or turned off on a TTY", async () => {
    const piped = new PassThrough();
    let escapes = 0;
    const forced = setup(piped, { escapeByte: 0x1d, onEscape: () => escapes++ });
    piped.write("x\x1d");
    await waitFor(() => escapes === 1, 5_000, "the forced escape");
    expect(forced.stdio.suspended).toBe(true);
    const tty = fakeTty();
    const off = setup(tty, { escapeByte: null });
    tty.write("\x1d");
    await waitFor(() => off.screen() === "\x1d", 5_000, "Ctrl-] passed through");
  });
});

const HAS_TMUX = spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0;
const UNDER_CI = process.env["CI"] === "true";
if (!HAS_TMUX && !UNDER_CI) console.warn("SKIP StdioAttachment in tmux: tmux is not installed; CI=true makes this a failure");

describe.skipIf(!HAS_TMUX && !UNDER_CI)("StdioAttachment in a real terminal (tmux)", () => {
  it("logs in to the server console through the user's terminal and leaves with Ctrl-]", async () => {
    if (!HAS_TMUX) throw new Error("tmux is not installed, and CI=true requires it");
    const session = `stdio-attach-${process.pid}`;
    const capture = (): string => execFileSync("tmux", ["capture-pane", "-p", "-t", session]).toString();
    const keys = (...k: string[]): void => void execFileSync("tmux", ["send-keys", "-t", session, ...k]);
    // capture-pane trims trailing spaces: prompts are matched without theirs.
    execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "100", "-y", "20", "node_modules/.bin/tsx test/serial/stdio-fixture.ts; sleep 30"]);
    try {
      await waitFor(() => capture().includes("[attached: Ctrl-] leaves]"), 20_000, "the fixture to start");
      keys("Enter");
      await waitFor(() => capture().includes("server login:"), 5_000, "the login prompt");
      keys("admin", "Enter");
      await waitFor(() => capture().includes("Password:"), 5_000, "the password prompt");
      keys("cisco", "Enter");
      await waitFor(() => capture().includes("admin@server:~$"), 5_000, "the shell prompt");
      keys("C-c"); // raw mode: Ctrl-C goes to the server, not to node
      await waitFor(() => capture().includes("^C"), 5_000, "^C at the server");
      keys("C-]");
      await waitFor(() => capture().includes("[escape] raw mode restored: true"), 5_000, "the escape");
      expect(capture()).not.toContain("cisco"); // the password was never echoed
    } finally {
      spawnSync("tmux", ["kill-session", "-t", session]);
    }
  });
});
