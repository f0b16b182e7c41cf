// ser2net's cost for the terminal server's basic job, for comparison with the firmware: bytes
// written into a pseudo-terminal (socat holds its master) are read by ser2net (Debian's, 4.x) and
// sent to a kernel TCP client on 127.0.0.1 through a telnet accepter (as reverse telnet 2000+n
// does). Figure: ser2net's CPU time (user + system, /proc/PID/stat) per data byte delivered, beside
// the device runner's on the same work (runner-pty.ts), and their ratio.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printableChunk, TelnetDataCounter, treeCpuMs, waitFor } from "./pty-to-tcp.ts";
import type { Row } from "./row.ts";
import { measureRunnerPty, runnerSkipReason, type PtyToTcpFigures } from "./runner-pty.ts";

const SER2NET = "/usr/sbin/ser2net";
const BYTES = 16 << 20;
const CHUNK = 4096;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  server.close();
  return port;
}

async function measureSer2netPty(bytes: number): Promise<PtyToTcpFigures> {
  const dir = mkdtempSync(join(tmpdir(), "bench-ser2net-"));
  const tty = join(dir, "tty");
  const port = await freePort();
  const children: ChildProcess[] = [];
  try {
    const pty = spawn("socat", ["-u", "STDIN", `PTY,raw,echo=0,link=${tty}`], { stdio: ["pipe", "ignore", "ignore"] });
    children.push(pty);
    await waitFor(() => existsSync(tty), 5000, "socat's pty");
    writeFileSync(join(dir, "ser2net.yaml"), `connection: &bench\n  accepter: telnet,tcp,127.0.0.1,${port}\n  connector: serialdev,${tty},115200n81,local\n`);
    const ser2net = spawn(SER2NET, ["-n", "-c", join(dir, "ser2net.yaml"), "-P", join(dir, "pid")], { stdio: "ignore" });
    children.push(ser2net);
    const counter = new TelnetDataCounter();
    const client = await (async () => {
      for (let i = 0; ; i++) {
        try {
          const socket = createConnection(port, "127.0.0.1");
          await once(socket, "connect");
          return socket;
        } catch (error) {
          if (i > 50) throw error;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    client.on("data", (data: Buffer) => counter.add(data));
    await new Promise((r) => setTimeout(r, 300)); // ser2net opens the pty once the client is in
    const pid = ser2net.pid!;
    const cpu0 = treeCpuMs(pid);
    const t0 = performance.now();
    const chunk = printableChunk(CHUNK);
    for (let sent = 0; sent < bytes; sent += CHUNK) {
      if (!pty.stdin!.write(chunk)) await once(pty.stdin!, "drain");
    }
    await waitFor(() => counter.data >= bytes, 120_000, `${bytes} bytes through ser2net`);
    const wallMs = performance.now() - t0;
    const cpuMs = treeCpuMs(pid) - cpu0;
    client.destroy();
    return { bytes, wallMs, cpuMs, nsPerByte: (cpuMs * 1e6) / bytes };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

function mbPerSecond(f: PtyToTcpFigures): string {
  return `${(f.bytes / 1e6 / (f.wallMs / 1000)).toFixed(1)} MB/s wall`;
}

/** ser2net and the device runner on the same work, and the ratio of their CPU per byte. */
export async function measureSer2net(): Promise<{ rows: Row[]; figures: Record<string, unknown> }> {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  let ser2net: PtyToTcpFigures | undefined;
  let runner: PtyToTcpFigures | undefined;
  if (!existsSync(SER2NET) || !existsSync("/usr/bin/socat")) {
    rows.push({ section: "ser2net", figure: "pty -> ser2net -> kernel TCP client", value: "skipped", reference: "needs ser2net and socat (apt-get install ser2net socat)" });
  } else {
    ser2net = await measureSer2netPty(BYTES);
    figures["ser2net"] = ser2net;
    rows.push({ section: "ser2net", figure: "pty -> ser2net -> kernel TCP client", value: `${ser2net.nsPerByte.toFixed(1)} ns/B cpu`, reference: `${mbPerSecond(ser2net)}, ${BYTES >> 20} MiB, telnet accepter on loopback` });
  }
  const skip = runnerSkipReason();
  if (skip !== undefined) {
    rows.push({ section: "ser2net", figure: "pty -> device runner -> TAP -> client", value: "skipped", reference: skip });
  } else {
    runner = await measureRunnerPty(BYTES);
    figures["runner"] = runner;
    rows.push({ section: "ser2net", figure: "pty -> device runner -> TAP -> client", value: `${runner.nsPerByte.toFixed(1)} ns/B cpu`, reference: `${mbPerSecond(runner)}, ${BYTES >> 20} MiB, reverse telnet 2001, node + its socats` });
  }
  if (ser2net && runner) {
    const ratio = runner.nsPerByte / ser2net.nsPerByte;
    figures["ratio"] = ratio;
    rows.push({ section: "ser2net", figure: "device runner / ser2net, cpu per byte", value: `${ratio.toFixed(1)}x`, reference: "the runner is the whole simulated board: firmware, UART, NIC, in V8" });
  }
  return { rows, figures };
}
