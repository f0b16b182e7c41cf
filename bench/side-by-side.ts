// Side by side: the same bulk transfer (1 MiB, one stream) through two firmware instances in the
// simulator (r1 tty1 -> reverse telnet -> r2's telnet client -> r2 tty1, bench/forwarding.ts) and
// through Node's own kernel TCP on loopback (net.Server + net.Socket on 127.0.0.1, written in the
// same 1 KiB chunks the simulated UART offers the firmware). Figure: kernel MB/s / firmware MB/s.
import { once } from "node:events";
import { createServer, createConnection, type AddressInfo } from "node:net";
import { uninstallFirmwareTimer } from "./firmware-timer.ts";
import { fastest, stream } from "./forwarding.ts";
import type { Row } from "./row.ts";
import { World } from "./world.ts";

const BYTES = 1 << 20;
const CHUNK = 1024;
/** The firmware runs this many times, the kernel 4x as many (a run takes milliseconds); the fastest
 * run of each is reported (the least disturbed by other load). */
const RUNS = 3;

async function kernelTransfer(): Promise<{ wallMs: number; cpuMs: number }> {
  let received = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const server = createServer((socket) => {
    socket.on("data", (data: Buffer) => {
      received += data.length;
      if (received >= BYTES) finish();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = createConnection((server.address() as AddressInfo).port, "127.0.0.1");
  await once(client, "connect");
  const chunk = Buffer.alloc(CHUNK, 0x61);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let sent = 0; sent < BYTES; sent += CHUNK) {
    if (!client.write(chunk)) await once(client, "drain");
  }
  await done;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  client.destroy();
  server.close();
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

export async function measureSideBySide(): Promise<{ rows: Row[]; figures: Record<string, unknown> }> {
  uninstallFirmwareTimer(); // wall and CPU time only: no timer cost per firmware call
  await kernelTransfer(); // warm up
  const kernels: { wallMs: number; cpuMs: number }[] = [];
  for (let r = 0; r < 4 * RUNS; r++) kernels.push(await kernelTransfer()); // a run takes milliseconds
  const kernel = kernels.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const world = new World();
  world.connect(1);
  stream(world, 1, 4096, false);
  const firmware = fastest(Array.from({ length: RUNS }, () => stream(world, 1, BYTES, false)));
  const mbs = (ms: number): number => BYTES / 1e6 / (ms / 1000);
  const ratio = mbs(kernel.wallMs) / mbs(firmware.wallMs);
  return {
    rows: [
      { section: "vs kernel", figure: "1 MiB, firmware x2 (sim, 1 line)", value: `${mbs(firmware.wallMs).toFixed(2)} MB/s wall`, reference: `${((firmware.wallMs * 1e6) / BYTES).toFixed(0)} ns/B wall, ${((firmware.cpuMs * 1e6) / BYTES).toFixed(0)} cpu` },
      { section: "vs kernel", figure: "1 MiB, Node net on 127.0.0.1", value: `${mbs(kernel.wallMs).toFixed(1)} MB/s wall`, reference: `${((kernel.wallMs * 1e6) / BYTES).toFixed(0)} ns/B wall, ${((kernel.cpuMs * 1e6) / BYTES).toFixed(0)} cpu (this process)` },
      { section: "vs kernel", figure: "kernel / firmware", value: `${ratio.toFixed(1)} x wall`, reference: `${(firmware.cpuMs / kernel.cpuMs).toFixed(1)} x cpu` },
    ],
    figures: { bytes: BYTES, kernel, firmware, ratio },
  };
}
