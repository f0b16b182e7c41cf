// ser2net's cost for the terminal server's basic job, for comparison with the firmware: bytes
// written into a pseudo-terminal (socat holds its master) are read by ser2net (Debian's, 4.x) and
// sent to a kernel TCP client on 127.0.0.1 through a telnet accepter (as reverse telnet 2000+n
// does). Figure: ser2net's CPU time (user + system, /proc/PID/stat) per byte delivered. The
// firmware's own figure for the same work on a device process needs the device runner (hil
// branch), not merged here: the simulator's in-firmware ns/byte (forwarding) is shown beside it.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Row } from "./row.ts";

const SER2NET = "/usr/sbin/ser2net";
const BYTES = 16 << 20;
const CHUNK = 4096;

/** user + system CPU of a process, in ms (clock ticks of 10 ms: run long enough). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  const hz = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  return (ticks * 1000) / hz;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  server.close();
  return port;
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function measureSer2net(firmwareNsPerByte: number | undefined): Promise<{ rows: Row[]; figures: Record<string, unknown> }> {
  if (!existsSync(SER2NET) || !existsSync("/usr/bin/socat")) {
    return { rows: [{ section: "ser2net", figure: "ser2net vs firmware", value: "skipped", reference: "needs ser2net and socat (apt-get install ser2net socat)" }], figures: {} };
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-ser2net-"));
  const tty = join(dir, "tty");
  const port = await freePort();
  const children: ChildProcess[] = [];
  try {
    const pty = spawn("socat", ["-u", "STDIN", `PTY,raw,echo=0,link=${tty}`], { stdio: ["pipe", "ignore", "ignore"] });
    children.push(pty);
    await waitFor(() => existsSync(tty), 5000);
    writeFileSync(join(dir, "ser2net.yaml"), `connection: &bench\n  accepter: telnet,tcp,127.0.0.1,${port}\n  connector: serialdev,${tty},115200n81,local\n`);
    const ser2net = spawn(SER2NET, ["-n", "-c", join(dir, "ser2net.yaml"), "-P", join(dir, "pid")], { stdio: "ignore" });
    children.push(ser2net);
    let received = 0;
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
    client.on("data", (data: Buffer) => {
      for (const b of data) if (b >= 0x21 && b <= 0x7e) received++; // telnet negotiation is not data
    });
    await new Promise((r) => setTimeout(r, 300)); // ser2net opens the pty once the client is in
    const pid = ser2net.pid!;
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    const chunk = Buffer.alloc(CHUNK);
    for (let i = 0; i < CHUNK; i++) chunk[i] = 0x21 + (i % 94);
    for (let sent = 0; sent < BYTES; sent += CHUNK) {
      if (!pty.stdin!.write(chunk)) await once(pty.stdin!, "drain");
    }
    await waitFor(() => received >= BYTES, 120_000);
    const wallMs = performance.now() - t0;
    const ser2netCpuMs = cpuMs(pid) - cpu0;
    client.destroy();
    const nsPerByte = (ser2netCpuMs * 1e6) / BYTES;
    return {
      rows: [
        { section: "ser2net", figure: "pty -> ser2net -> kernel TCP client", value: `${nsPerByte.toFixed(1)} ns/B cpu`, reference: `${(BYTES / 1e6 / (wallMs / 1000)).toFixed(1)} MB/s wall, ${BYTES >> 20} MiB, telnet accepter` },
        { section: "ser2net", figure: "firmware, same direction (sim)", value: firmwareNsPerByte === undefined ? "n/a" : `${firmwareNsPerByte.toFixed(1)} ns/B in firmware`, reference: "r1 tty->2000+n, 1 line; the device-runner figure needs the hil branch" },
      ],
      figures: { bytes: BYTES, wallMs, ser2netCpuMs, nsPerByte },
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}
