// `npm start`: one terminal server in real time, its console on your terminal. See options.ts for
// the options and terminal.ts for the keys. Later: a topology file with several devices and an
// escape menu (attach to another line, reload, cut a link).
import { prepareFirmware, type Device } from "../device.ts";
import { FileNvram, MemoryNvram } from "../nvram.ts";
import { RealTimeDriver } from "../scheduler.ts";
import { Simulator } from "../simulator.ts";
import { parseCliOptions, USAGE } from "./options.ts";
import { TerminalAttachment } from "./terminal.ts";

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return;
  }
  await prepareFirmware(options.firmware);
  const sim = new Simulator(options.seed);
  const device: Device = sim.addDevice({
    name: options.name,
    firmware: options.firmware,
    nvram: options.nvramPath ? new FileNvram(options.nvramPath) : new MemoryNvram(),
    logSink: (d, entry) => {
      if (options.logs || entry.level === 0) process.stderr.write(`[${d.name} ${(entry.atMs / 1000).toFixed(3)}] ${entry.text}\n`);
    },
  });
  if (options.fast) for (const uart of device.uarts) uart.paced = false;
  const driver = new RealTimeDriver(sim.scheduler, options.speed);
  let terminal: TerminalAttachment | undefined;
  const quit = (): void => {
    driver.stop();
    terminal?.stop();
    process.stdout.write(process.stdin.isTTY ? "\r\n" : "\n");
    process.exit(device.state === "crashed" ? 1 : 0);
  };
  terminal = new TerminalAttachment(device.uart(0), quit, () => driver.tick());
  driver.start(); // before any input: the driver's wall-clock origin must be set first
  device.powerOn();
  terminal.start();
  if (process.stdin.isTTY) process.stderr.write(`[${device.name}: console on this terminal; Ctrl-] q to quit]\r\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
