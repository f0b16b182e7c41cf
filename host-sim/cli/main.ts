// `npm start`: a topology in real time (the tech note's by default), your terminal on the line its
// `console:` names (r2's tty1), the other lines attached as its `serial:` entries say, and an escape
// menu (Ctrl-]) to move between lines, reload, power, cut links, toggle keepalives, change the
// speed of time and capture. See options.ts for the options, menu.ts for the keys.
import { join } from "node:path";
import { prepareFirmware } from "../device.ts";
import { FileNvram, type Nvram } from "../nvram.ts";
import { RealTimeDriver } from "../scheduler.ts";
import { Simulator } from "../simulator.ts";
import { buildTopology } from "../topology/build.ts";
import { loadTopology } from "../topology/spec.ts";
import { Controls } from "./controls.ts";
import { attachLines } from "./line-attachments.ts";
import { parseCliOptions, USAGE, type CliOptions } from "./options.ts";
import { openSegmentTap, type SegmentTap } from "./segment-tap.ts";
import { lineName, SessionSwitcher } from "./session-switcher.ts";
import { UserSession } from "./user-session.ts";

function nvramFor(options: CliOptions, firstDevice: string): (name: string) => Nvram | undefined {
  return (name) => {
    if (options.nvramDir !== undefined) return new FileNvram(join(options.nvramDir, `${name}.nvram`));
    if (options.nvramPath !== undefined && name === firstDevice) return new FileNvram(options.nvramPath);
    return undefined;
  };
}

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return;
  }
  const spec = loadTopology(options.topologyPath);
  await prepareFirmware(options.firmware);
  const sim = new Simulator(options.seed ?? spec.seed);
  const say = (text: string): void => void process.stderr.write(`[${text}]${process.stdin.isTTY ? "\r\n" : "\n"}`);
  const built = buildTopology(sim, spec, {
    firmware: options.firmware,
    nvramFor: nvramFor(options, spec.devices[0]!.name),
    logSink: (d, entry) => {
      if (options.logs || entry.level === 0) say(`${d.name} ${(entry.atMs / 1000).toFixed(3)}: ${entry.text}`);
    },
  });
  if (options.fast) for (const device of built.devices.values()) for (const uart of device.uarts) uart.paced = false;

  const driver = new RealTimeDriver(sim.scheduler, options.speed);
  const wake = (): void => driver.tick();
  const start = options.attach ?? `${spec.console.device}:${spec.console.line}`;
  const firstDevice = built.devices.get(spec.console.device)!;
  const switcher = new SessionSwitcher({ device: firstDevice, line: spec.console.line });
  const controls = new Controls(sim, built, switcher, driver, join(options.captureDir, spec.name));
  const attached = controls.attach(start);
  if (attached.startsWith("%")) throw new Error(`--attach ${start}: ${attached}`);
  const lines = await attachLines(built, wake, say);
  const tap: SegmentTap | undefined = options.tap === undefined ? undefined : await openSegmentTap(sim, options.tap, driver);

  let session: UserSession | undefined;
  let quitting = false;
  const quit = (): void => {
    if (quitting) return;
    quitting = true;
    driver.stop();
    controls.stopCaptures();
    tap?.close();
    const crashed = [...built.devices.values()].some((d) => d.state === "crashed");
    void Promise.allSettled([session?.close(), lines.closeAll()]).then(() => {
      process.stdout.write(process.stdin.isTTY ? "\r\n" : "\n");
      process.exit(crashed ? 1 : 0);
    });
  };
  driver.start(); // before any input: the driver's wall-clock origin must be set first
  session = new UserSession(switcher, controls, { wake, quit });
  const { device, line } = switcher.where();
  const names = [...built.devices.keys()].join(", ");
  say(`${spec.name}: ${names}${spec.segments.length ? ` on ${spec.segments.map((s) => s.name).join(", ")}` : ""}. You are on ${lineName(device, line)}: press Return. Ctrl-] opens the menu, Ctrl-] q quits.`);
  for (const note of lines.notes) say(note);
  if (tap) say(tap.note);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
