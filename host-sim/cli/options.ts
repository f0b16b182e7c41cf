// Command-line options of `npm start` (host-sim/cli/main.ts). Every run is a topology: the tech
// note's by default, another file with --topology, or one bare device with --single (which is
// topologies/single.yaml, a topology with one device: one mechanism for both).
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const TOPOLOGY_DEFAULT = fileURLToPath(new URL("../../topologies/technote.yaml", import.meta.url));
export const TOPOLOGY_SINGLE = fileURLToPath(new URL("../../topologies/single.yaml", import.meta.url));

export interface CliOptions {
  topologyPath: string;
  /** Where the user's terminal starts, overriding the topology's `console:` ("r1:0"). */
  attach: string | undefined;
  /** NVRAM file of the (first) device; undefined keeps NVRAM in memory. */
  nvramPath: string | undefined;
  /** A directory holding one NVRAM file per device (NAME.nvram). */
  nvramDir: string | undefined;
  /** Where the menu's captures go (default: the current directory). */
  captureDir: string;
  /** Overrides the topology's seed. */
  seed: number | undefined;
  firmware: "core" | "component";
  /** Virtual time per real time. */
  speed: number;
  /** Move UART bytes at once instead of at the line's baud rate. */
  fast: boolean;
  /** Print the devices' log lines on stderr. */
  logs: boolean;
  /** Bridge a segment to a Linux TAP in a fresh namespace: "lan0=10.0.0.9/24" (segment-tap.ts). */
  tap: string | undefined;
}

export const USAGE = `usage: npm start -- [options]
  --topology FILE  the network to run (default topologies/technote.yaml: r2 -- lan0 -- r1)
  --single         one bare device, its console on your terminal (topologies/single.yaml)
  --attach DEV:LINE  start on this device's line instead of the topology's console (e.g. r1:0)
  --nvram PATH     keep the first device's NVRAM (its startup-config) in this file
  --nvram-dir DIR  keep every device's NVRAM in DIR/NAME.nvram (a new file starts with the topology's config)
  --capture-dir DIR  where the menu's pcap captures go (default: the current directory)
  --seed N         simulation seed (default: the topology's)
  --component      run the firmware as a WebAssembly component (jco) instead of the core module
  --speed X        virtual time runs X times as fast as real time (default 1)
  --fast           serial bytes move at once instead of at the line's baud rate
  --logs           print the devices' log lines on stderr
  --tap SEG=A/LEN  bridge segment SEG to a Linux TAP in a new network namespace (no default route),
                   the kernel at address A there (root; e.g. --tap lan0=10.0.0.9/24)
Interactive: your terminal is the line the topology's console: names (r2's tty1 by default; press
Return). Ctrl-] opens the menu: attach elsewhere, reload, power, cut a link, keepalives, speed,
capture, status, quit (Ctrl-] q). Piped: stdin is typed into that line (after one Return); Ctrl-]
and a menu key work in the script too, each after the output before it has settled; the program
exits once stdin has ended and the output settles.`;

export function parseCliOptions(argv: string[]): CliOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      topology: { type: "string" },
      single: { type: "boolean", default: false },
      attach: { type: "string" },
      nvram: { type: "string" },
      "nvram-dir": { type: "string" },
      "capture-dir": { type: "string", default: "." },
      seed: { type: "string" },
      component: { type: "boolean", default: false },
      speed: { type: "string", default: "1" },
      fast: { type: "boolean", default: false },
      logs: { type: "boolean", default: false },
      tap: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const speed = Number(values.speed);
  const seed = values.seed === undefined ? undefined : Number.parseInt(values.seed, 10);
  if (!(speed > 0) || (seed !== undefined && !Number.isInteger(seed))) throw new Error(`bad --speed or --seed\n${USAGE}`);
  if (values.single && values.topology !== undefined) throw new Error(`--single and --topology exclude each other\n${USAGE}`);
  return {
    topologyPath: values.single ? TOPOLOGY_SINGLE : (values.topology ?? TOPOLOGY_DEFAULT),
    attach: values.attach,
    nvramPath: values.nvram,
    nvramDir: values["nvram-dir"],
    captureDir: values["capture-dir"],
    seed: seed === undefined ? undefined : seed >>> 0,
    firmware: values.component ? "component" : "core",
    speed,
    fast: values.fast,
    logs: values.logs,
    tap: values.tap,
  };
}
