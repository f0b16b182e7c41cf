// `npm run device`: one firmware instance as a process on this machine, shaped like a terminal server
// on a bench: its serial lines are real pseudo-terminals (DIR/ttyN) or real serial ports, its
// Ethernet is a TAP whose kernel side lives in a network namespace with no default route, and time
// is the wall clock. A hardware-in-the-loop suite (test/hil) then talks to it exactly as it would to
// a board: through serial paths and an IP address, never through the firmware's memory.
//
// stdout: one JSON object a line (status.ts). Ends cleanly on SIGINT/SIGTERM: stops pacing, ends
// the socat processes it started (by pid), removes the TAP and the namespace if it made it.
import { mkdirSync, readFileSync } from "node:fs";
import { prepareFirmware } from "../device.ts";
import { NetNamespace } from "../network/namespace.ts";
import { TapBridge } from "../network/tap-bridge.ts";
import { FileNvram, MemoryNvram, type Nvram } from "../nvram.ts";
import { RealTimeDriver } from "../scheduler.ts";
import { openPtyLines, SerialPortAttachment, type Attachment } from "../serial-attach/index.ts";
import { Simulator } from "../simulator.ts";
import { decodeStartupConfig, encodeStartupConfig } from "../startup-config.ts";
import { parseRunnerOptions, RUNNER_USAGE, type RunnerOptions } from "./options.ts";
import { emit, UartStatus } from "./status.ts";

/** How often the runner checks whether the firmware crashed (wall-clock ms). */
const CRASH_CHECK_MS = 100;

function nvramFor(options: RunnerOptions): Nvram {
  const nvram = options.nvramPath === undefined ? new MemoryNvram() : new FileNvram(options.nvramPath);
  if (options.configPath !== undefined && decodeStartupConfig(nvram.read(0, nvram.size)) === undefined) {
    nvram.write(0, encodeStartupConfig(readFileSync(options.configPath, "utf8")));
  }
  return nvram;
}

async function main(): Promise<void> {
  const options = parseRunnerOptions(process.argv.slice(2));
  if (!options) {
    console.log(RUNNER_USAGE);
    return;
  }
  await prepareFirmware("core");
  const sim = new Simulator(options.seed);
  const device = sim.addDevice({
    name: options.name,
    mac: options.mac,
    nvram: nvramFor(options),
    logSink: (_d, entry) => {
      if (options.logs || entry.level === 0) process.stderr.write(`${options.name} ${(entry.atMs / 1000).toFixed(3)}: ${entry.text}\n`);
    },
  });
  if (options.fast) for (const uart of device.uarts) uart.paced = false;
  const driver = new RealTimeDriver(sim.scheduler);
  const wake = (): void => driver.tick();
  const status = new UartStatus(device.uarts, options.statusPath, () => sim.nowMs);

  const attachments: Attachment[] = [];
  let ns: NetNamespace | undefined;
  let bridge: TapBridge | undefined;
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    driver.stop();
    // The network first and synchronously, before the exit-time cleanup (cleanup.ts) gets to it.
    try {
      bridge?.close();
      ns?.delete();
    } catch (error) {
      process.stderr.write(`device runner: stopping the network: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    for (const attachment of attachments.splice(0).reverse()) await attachment.close().catch(() => undefined);
    emit({ event: "stopped", code });
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  if (options.stopOnEof) {
    process.stdin.on("end", () => void stop(0));
    process.stdin.resume();
  }

  const paths: Record<string, string> = {};
  try {
    if (options.linesDir !== undefined && options.lines.length > 0) {
      mkdirSync(options.linesDir, { recursive: true });
      const ptys = await openPtyLines(options.lines.map((line) => device.uart(line)), {
        dir: options.linesDir,
        wake,
        onEnd: (line, reason) => emit({ event: "line-ended", line, reason }),
      });
      attachments.push(ptys);
      for (const [line, path] of ptys.paths) paths[line] = path;
    }
    for (const spec of options.serialPorts) {
      const port = await SerialPortAttachment.open(device.uart(spec.line), {
        path: spec.path,
        wake,
        ...(spec.baudRate === undefined ? {} : { baudRate: spec.baudRate }),
        onEnd: (reason) => emit({ event: "line-ended", line: spec.line, reason }),
      });
      attachments.push(port);
      paths[spec.line] = spec.path;
    }
    if (options.netns !== undefined) {
      ns = NetNamespace.named(options.netns);
      bridge = await TapBridge.open(sim.scheduler, {
        namespace: ns,
        address: options.kernelAddress,
        driver,
        ...(options.tapName === undefined ? {} : { tapName: options.tapName }),
      });
      sim.network.connect(bridge.port, device);
    }
  } catch (error) {
    process.stderr.write(`device runner: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop(1);
    return;
  }

  device.powerOn();
  driver.start();
  setInterval(() => {
    if (device.state === "crashed") {
      emit({ event: "crashed", message: device.crashMessage ?? "" });
      void stop(2);
    }
  }, CRASH_CHECK_MS).unref();
  emit({
    event: "ready",
    pid: process.pid,
    name: options.name,
    lines: paths,
    netns: ns?.name ?? null,
    tap: bridge?.tapName ?? null,
    kernelAddress: ns ? options.kernelAddress : null,
    uarts: status.snapshot(),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`device runner: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
