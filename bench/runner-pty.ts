// The firmware's half of the ser2net comparison: the device runner (`npm run device`, one firmware
// instance as a process) with tty 1 on a pseudo-terminal and its Ethernet on a TAP in a namespace of
// its own; a kernel TCP client in that namespace reads reverse telnet port 2001 while this process
// writes into the pty. Figure: the runner's CPU (its whole process tree: node and the socat
// processes that carry its pty and its TAP) per data byte delivered. Needs root (the namespace).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { printableChunk, TelnetDataCounter, treeCpuMs, waitFor } from "./pty-to-tcp.ts";

const RUNNER_MAIN = fileURLToPath(new URL("../host-sim/runner/main.ts", import.meta.url));
const DEVICE_IP = "192.0.2.2";
const CHUNK = 4096;

export interface PtyToTcpFigures {
  bytes: number;
  wallMs: number;
  cpuMs: number;
  nsPerByte: number;
}

export function runnerSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (the TAP's namespace)";
  if (!existsSync("/usr/bin/socat")) return "needs socat";
  return undefined;
}

export async function measureRunnerPty(bytes: number): Promise<PtyToTcpFigures> {
  const dir = mkdtempSync(join(tmpdir(), "bench-runner-"));
  const config = join(dir, "startup-config");
  writeFileSync(config, `hostname bench\ninterface ethernet0\n ip address ${DEVICE_IP} 255.255.255.0\nline 1\n transport input telnet\n no exec\n`);
  // Named after this process, so the namespace sweep removes it if this process is killed.
  const netns = `tsim${process.pid}n91`;
  const children: ChildProcess[] = [];
  try {
    const runner = spawn(process.execPath, [
      "--import", "tsx", RUNNER_MAIN, "--lines-dir", join(dir, "lines"), "--lines", "1",
      "--netns", netns, "--kernel-address", "192.0.2.1/24", "--config", config, "--fast", "--stop-on-eof",
    ], { stdio: ["pipe", "pipe", "pipe"] });
    children.push(runner);
    let stderr = "";
    runner.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const ready = await new Promise<{ lines: Record<string, string> }>((resolve, reject) => {
      runner.once("exit", (code) => reject(new Error(`device runner exited (${code}): ${stderr}`)));
      createInterface({ input: runner.stdout! }).on("line", (line) => {
        const event = JSON.parse(line) as { event: string; lines: Record<string, string> };
        if (event.event === "ready") resolve(event);
      });
    });
    const ttyPath = ready.lines["1"];
    if (ttyPath === undefined) throw new Error("device runner: no pty for line 1");

    const counter = new TelnetDataCounter();
    const client = spawn("ip", ["netns", "exec", netns, "socat", "-u", `TCP:${DEVICE_IP}:2001,connect-timeout=5`, "STDOUT"], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(client);
    client.stdout!.on("data", (chunk: Buffer) => counter.add(chunk));
    const pty = createWriteStream(ttyPath);
    await once(pty, "open");
    // Bytes written before the session is up meet an idle line with no exec and are dropped (as on
    // a real terminal server): probe until one gets through. The ARP and the handshake are not timed.
    for (let i = 0; counter.data === 0; i++) {
      if (i > 100) throw new Error(`the reverse session did not open: ${stderr}`);
      pty.write(Buffer.from("!"));
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = counter.data;
    const cpu0 = treeCpuMs(runner.pid!);
    const t0 = performance.now();
    const chunk = printableChunk(CHUNK);
    for (let sent = 0; sent < bytes; sent += CHUNK) {
      if (!pty.write(chunk)) await once(pty, "drain");
    }
    await waitFor(() => counter.data >= before + bytes, 300_000, `${bytes} bytes through the runner`);
    const wallMs = performance.now() - t0;
    const cpuMs = treeCpuMs(runner.pid!) - cpu0;
    pty.destroy();
    return { bytes, wallMs, cpuMs, nsPerByte: (cpuMs * 1e6) / bytes };
  } finally {
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
