// Command-line options of `npm run device` (host-sim/runner/main.ts): one firmware instance as a
// process, its serial lines on pseudo-terminals or real serial ports, its Ethernet on a TAP inside a
// network namespace.
import { parseArgs } from "node:util";
import { UART_COUNT_DEFAULT } from "../device.ts";

export const KERNEL_ADDRESS_DEFAULT = "192.0.2.1/24";
export const LINES_DEFAULT = "0-4";

export interface SerialPortSpec {
  line: number;
  path: string;
  baudRate: number | undefined;
}

export interface RunnerOptions {
  /** Where line n appears as a pty link, DIR/ttyN; undefined: no ptys. */
  linesDir: string | undefined;
  /** The lines given ptys (in linesDir). */
  lines: number[];
  /** Lines opened on real serial ports instead of ptys. */
  serialPorts: SerialPortSpec[];
  /** The namespace for the kernel side of the TAP (made if missing); undefined: no network. */
  netns: string | undefined;
  tapName: string | undefined;
  /** The kernel's address on the TAP, with its prefix. */
  kernelAddress: string;
  /** A startup-config (CLI text) written to NVRAM when NVRAM holds none. */
  configPath: string | undefined;
  /** NVRAM kept in this file (a new file starts with --config). */
  nvramPath: string | undefined;
  /** The UARTs' settings and signals as JSON, rewritten on every change. */
  statusPath: string | undefined;
  name: string;
  seed: number;
  mac: bigint;
  /** Serial bytes move at once instead of at the line's baud rate. */
  fast: boolean;
  /** The device's log lines on stderr. */
  logs: boolean;
  /** Stop when stdin ends (a parent that spawned the runner died or closed the pipe). */
  stopOnEof: boolean;
}

export const RUNNER_USAGE = `usage: npm run device -- [options]
  --lines-dir DIR   serial lines as pseudo-terminals linked at DIR/tty0, DIR/tty1 ... (DIR is made)
  --lines LIST      which lines get a pty: "0-4" (default), "0,1,5", "all" (0-${UART_COUNT_DEFAULT - 1})
  --serial N=PATH[@BAUD]  line N on a real serial port (repeatable), e.g. 1=/dev/ttyUSB0@9600
  --netns NAME      the kernel side of the device's Ethernet lives in this namespace (made if
                    missing and then deleted at exit; an existing one is used and kept)
  --tap NAME        the TAP's name (default tsim<pid>t1); it is moved into --netns
  --kernel-address A  the namespace's address on the TAP (default ${KERNEL_ADDRESS_DEFAULT})
  --config FILE     startup-config text, written to NVRAM when NVRAM holds no startup-config
  --nvram FILE      keep NVRAM in this file (write memory survives restarts)
  --status FILE     every UART's settings and DTR/RTS/BREAK as JSON, rewritten on each change
  --name NAME       device name (default r1); --seed N (default 1); --mac 02:00:00:00:00:01
  --fast            serial bytes move at once instead of at the line's baud rate
  --logs            the device's log lines on stderr
  --stop-on-eof     stop when stdin ends (for a test that spawns the runner with a pipe)
stdout carries one JSON object a line: {"event":"ready",...} once everything is up, then
{"event":"uart",...} on every change of a line's settings or signals, {"event":"stopped"} at the end.
SIGINT or SIGTERM stops it cleanly (its socat processes, TAP and namespace, if it made it).`;

function parseLines(text: string): number[] {
  if (text === "all") return Array.from({ length: UART_COUNT_DEFAULT }, (_, i) => i);
  const lines = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`bad --lines ${JSON.stringify(text)}`);
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    for (let line = low; line <= high; line++) {
      if (line >= UART_COUNT_DEFAULT) throw new Error(`--lines: line ${line} is past the last UART (${UART_COUNT_DEFAULT - 1})`);
      lines.add(line);
    }
  }
  return [...lines].sort((a, b) => a - b);
}

function parseSerial(text: string): SerialPortSpec {
  const match = /^(\d+)=([^@]+)(?:@(\d+))?$/.exec(text);
  if (!match) throw new Error(`bad --serial ${JSON.stringify(text)} (N=PATH[@BAUD])`);
  return { line: Number(match[1]), path: match[2]!, baudRate: match[3] === undefined ? undefined : Number(match[3]) };
}

function parseMac(text: string): bigint {
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(text)) throw new Error(`bad --mac ${text}`);
  return BigInt(`0x${text.replaceAll(":", "")}`);
}

/** undefined for --help. */
export function parseRunnerOptions(argv: string[]): RunnerOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      "lines-dir": { type: "string" },
      lines: { type: "string", default: LINES_DEFAULT },
      serial: { type: "string", multiple: true, default: [] },
      netns: { type: "string" },
      tap: { type: "string" },
      "kernel-address": { type: "string", default: KERNEL_ADDRESS_DEFAULT },
      config: { type: "string" },
      nvram: { type: "string" },
      status: { type: "string" },
      name: { type: "string", default: "r1" },
      seed: { type: "string", default: "1" },
      mac: { type: "string", default: "02:00:00:00:00:01" },
      fast: { type: "boolean", default: false },
      logs: { type: "boolean", default: false },
      "stop-on-eof": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const seed = Number.parseInt(values.seed, 10);
  if (!Number.isInteger(seed)) throw new Error(`bad --seed\n${RUNNER_USAGE}`);
  if (values.tap !== undefined && values.netns === undefined) throw new Error(`--tap needs --netns (the kernel side must live in a namespace)\n${RUNNER_USAGE}`);
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(values["kernel-address"])) throw new Error(`bad --kernel-address (A.B.C.D/LEN)`);
  const serialPorts = values.serial.map(parseSerial);
  const lines = values["lines-dir"] === undefined ? [] : parseLines(values.lines).filter((line) => !serialPorts.some((s) => s.line === line));
  return {
    linesDir: values["lines-dir"],
    lines,
    serialPorts,
    netns: values.netns,
    tapName: values.tap,
    kernelAddress: values["kernel-address"],
    configPath: values.config,
    nvramPath: values.nvram,
    statusPath: values.status,
    name: values.name,
    seed: seed >>> 0,
    mac: parseMac(values.mac),
    fast: values.fast,
    logs: values.logs,
    stopOnEof: values["stop-on-eof"],
  };
}
