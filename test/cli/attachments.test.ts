// `npm start` attaches the topology's `serial:` entries: a line on a TCP port and a line on a pty
// are live while your terminal is elsewhere (here, piped stdin held open on r1's console).
import { spawn, spawnSync } from "node:child_process";
import { constants, mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const HAVE_SOCAT = spawnSync("socat", ["-V"]).status === 0;

async function until<T>(get: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!HAVE_SOCAT && process.env["CI"] !== "true")("npm start attaches serial: entries", () => {
  it("a tcp line and a pty line each reach their device's exec", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-attach-"));
    const ptyPath = join(dir, "r1-tty3");
    const topology = join(dir, "lines.yaml");
    writeFileSync(
      topology,
      [
        "name: lines",
        "console: r1:0",
        "devices:",
        "  - name: r1",
        "    config: |",
        "      hostname lines",
        "    serial:",
        "      - { line: 2, attach: tcp, target: 0 }",
        `      - { line: 3, attach: pty, target: ${ptyPath} }`,
      ].join("\n"),
    );
    const child = spawn(process.execPath, ["--import", "tsx", "host-sim/cli/main.ts", "--fast", "--topology", topology], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("latin1")));
    try {
      const port = await until(() => /r1 tty2: raw TCP on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1], "the tcp line in the banner");
      expect(stderr).toContain(`[r1 tty3: pty ${ptyPath} (/dev/pts/`);
      const socket = connect(Number(port), "127.0.0.1");
      let tcpText = "";
      socket.on("data", (chunk: Buffer) => (tcpText += chunk.toString("latin1")));
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write("\r");
      await until(() => (tcpText.includes("lines>") ? true : undefined), "the exec on the tcp line");
      socket.destroy();

      const fd = openSync(ptyPath, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY); // reads never block the test
      try {
        writeFileSync(fd, "\r");
        const buffer = Buffer.alloc(256);
        let ptyText = "";
        await until(() => {
          try {
            const n = readSync(fd, buffer, 0, buffer.length, null);
            ptyText += buffer.toString("latin1", 0, n);
          } catch {
            // EAGAIN: nothing yet
          }
          return ptyText.includes("lines>") ? true : undefined;
        }, "the exec on the pty line");
      } finally {
        closeSync(fd);
      }
    } finally {
      child.stdin.end("\x1dq");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
