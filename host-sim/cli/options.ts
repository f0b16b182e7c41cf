// Command-line options of `npm start` (host-sim/cli/main.ts).
import { parseArgs } from "node:util";

export interface CliOptions {
  name: string;
  /** NVRAM file; undefined keeps the NVRAM in memory (lost when the program ends). */
  nvramPath: string | undefined;
  seed: number;
  firmware: "core" | "component";
  /** Virtual time per real time. */
  speed: number;
  /** Move UART bytes at once instead of at the line's baud rate. */
  fast: boolean;
  /** Print the device's log lines on stderr. */
  logs: boolean;
}

export const USAGE = `usage: npm start -- [options]
  --nvram PATH     keep the NVRAM (the startup-config) in this file (default: in memory)
  --name NAME      device name (default r1)
  --seed N         simulation seed (default 1)
  --component      run the firmware as a WebAssembly component (jco) instead of the core module
  --speed X        virtual time runs X times as fast as real time (default 1)
  --fast           serial bytes move at once instead of at the line's baud rate
  --logs           print the device's log lines on stderr
Interactive: the console (line con 0) is your terminal. Press Return to start. Leave with Ctrl-] then q.
Piped: stdin is typed into the console (after one Return), the program exits when the output settles.`;

export function parseCliOptions(argv: string[]): CliOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      nvram: { type: "string" },
      name: { type: "string", default: "r1" },
      seed: { type: "string", default: "1" },
      component: { type: "boolean", default: false },
      speed: { type: "string", default: "1" },
      fast: { type: "boolean", default: false },
      logs: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const speed = Number(values.speed);
  const seed = Number.parseInt(values.seed, 10);
  if (!(speed > 0) || !Number.isInteger(seed)) throw new Error(`bad --speed or --seed\n${USAGE}`);
  return {
    name: values.name,
    nvramPath: values.nvram,
    seed: seed >>> 0,
    firmware: values.component ? "component" : "core",
    speed,
    fast: values.fast,
    logs: values.logs,
  };
}
