// The device under test for the hardware-in-the-loop suite, chosen by configuration. The suite only
// knows serial paths and an IP address (reached from a network namespace); it never touches the
// firmware's memory. Two kinds of target:
//
// - a real board: HIL_TARGET=FILE.json, or the HIL_* variables below (see docs/hil.md);
// - by default (and in CI) a device runner (`npm run device`, host-sim/runner) spawned here: its lines
//   are ptys, its Ethernet a TAP in a fresh namespace. The runner also reports every UART setting
//   change on stdout (a pty carries no baud rate), which the RFC 2217 test checks.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { UartState } from "../../host-sim/runner/status.ts";

export interface HilTarget {
  /** Serial path of the console (line 0). */
  console: string;
  /** Serial paths of the other lines wired to this machine, by absolute line number. */
  lines: Record<number, string>;
  /** The line the reverse-telnet tests use, and the one the RFC 2217 tests use. */
  telnetLine: number;
  comPortLine: number;
  /** The device's address, and the namespace clients run in (`ip netns exec`). */
  deviceIp: string;
  netns: string;
  /** Line baud rate of the serial paths (a pty ignores it). */
  baudRate: number;
  consolePassword: string | undefined;
  enableSecret: string;
  /** Only for a device runner: its UART changes, in order. */
  runner: RunnerHandle | undefined;
  close(): Promise<void>;
}

export interface RunnerHandle {
  readonly pid: number;
  readonly uartEvents: (UartState & { atMs: number })[];
  readonly stderr: () => string;
}

const RUNNER_MAIN = fileURLToPath(new URL("../../host-sim/runner/main.ts", import.meta.url));
const RUNNER_READY_TIMEOUT_MS = 30_000;
const RUNNER_STOP_TIMEOUT_MS = 5_000;
export const RUNNER_DEVICE_IP = "192.0.2.2";
export const RUNNER_KERNEL_ADDRESS = "192.0.2.1/24";
export const RUNNER_ENABLE_SECRET = "cisco";

/** Whether the suite runs against a real board (HIL_TARGET or HIL_CONSOLE set). */
export function realTargetConfigured(): boolean {
  return process.env["HIL_TARGET"] !== undefined || process.env["HIL_CONSOLE"] !== undefined;
}

interface TargetFile {
  console: string;
  lines?: Record<string, string>;
  telnetLine?: number;
  comPortLine?: number;
  deviceIp: string;
  netns: string;
  baudRate?: number;
  consolePassword?: string;
  enableSecret?: string;
}

function fromEnvironment(): TargetFile {
  const env = process.env;
  const file = env["HIL_TARGET"];
  const base: Partial<TargetFile> = file ? (JSON.parse(readFileSync(file, "utf8")) as TargetFile) : {};
  const lines: Record<string, string> = { ...(base.lines ?? {}) };
  for (const [key, value] of Object.entries(env)) {
    const match = /^HIL_LINE(\d+)$/.exec(key);
    if (match && value) lines[match[1]!] = value;
  }
  const pick = <T>(value: T | undefined, name: string): T => {
    if (value === undefined || value === "") throw new Error(`hil: ${name} is not configured (see docs/hil.md)`);
    return value;
  };
  const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  const consolePassword = env["HIL_CONSOLE_PASSWORD"] ?? base.consolePassword;
  return {
    console: pick(env["HIL_CONSOLE"] ?? base.console, "HIL_CONSOLE (console serial path)"),
    lines,
    telnetLine: number(env["HIL_TELNET_LINE"]) ?? base.telnetLine ?? 1,
    comPortLine: number(env["HIL_COMPORT_LINE"]) ?? base.comPortLine ?? 2,
    deviceIp: pick(env["HIL_DEVICE_IP"] ?? base.deviceIp, "HIL_DEVICE_IP (the device's address)"),
    netns: pick(env["HIL_NETNS"] ?? base.netns, "HIL_NETNS (the namespace that reaches the device)"),
    baudRate: number(env["HIL_BAUD"]) ?? base.baudRate ?? 9600,
    ...(consolePassword === undefined ? {} : { consolePassword }),
    enableSecret: env["HIL_ENABLE_SECRET"] ?? base.enableSecret ?? RUNNER_ENABLE_SECRET,
  };
}

/** The configured real board, or a freshly spawned device runner. */
export async function openTarget(): Promise<HilTarget> {
  if (realTargetConfigured()) {
    const t = fromEnvironment();
    const lines: Record<number, string> = {};
    for (const [line, path] of Object.entries(t.lines ?? {})) lines[Number(line)] = path;
    return {
      console: t.console,
      lines,
      telnetLine: t.telnetLine!,
      comPortLine: t.comPortLine!,
      deviceIp: t.deviceIp,
      netns: t.netns,
      baudRate: t.baudRate!,
      consolePassword: t.consolePassword,
      enableSecret: t.enableSecret!,
      runner: undefined,
      close: async () => undefined,
    };
  }
  return spawnRunner();
}

async function spawnRunner(): Promise<HilTarget> {
  const dir = mkdtempSync(join(tmpdir(), "hil-"));
  const configPath = join(dir, "startup-config");
  writeFileSync(configPath, `hostname hil\nenable secret ${RUNNER_ENABLE_SECRET}\ninterface ethernet0\n ip address ${RUNNER_DEVICE_IP} 255.255.255.0\n`);
  // Named after this process, so NetNamespace's sweep removes it if this process is killed.
  const netns = `tsim${process.pid}n90`;
  const args = [
    "--import", "tsx", RUNNER_MAIN,
    "--lines-dir", join(dir, "lines"), "--lines", "0-2",
    "--netns", netns, "--kernel-address", RUNNER_KERNEL_ADDRESS,
    "--config", configPath, "--nvram", join(dir, "nvram"),
    "--stop-on-eof",
  ];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const uartEvents: (UartState & { atMs: number })[] = [];
  const ready = new Promise<{ lines: Record<string, string> }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`device runner not ready in ${RUNNER_READY_TIMEOUT_MS} ms: ${stderr}`)), RUNNER_READY_TIMEOUT_MS);
    child.once("exit", (code) => reject(new Error(`device runner exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      let event: { event: string } & Record<string, unknown>;
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        stderr += `(stdout) ${line}\n`; // not a status line: keep it for the error message
        return;
      }
      if (event.event === "ready") {
        clearTimeout(timer);
        resolve(event as unknown as { lines: Record<string, string> });
      } else if (event.event === "uart") uartEvents.push(event as unknown as UartState & { atMs: number });
    });
  });
  const close = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  let readyEvent: { lines: Record<string, string> };
  try {
    readyEvent = await ready;
  } catch (error) {
    await close();
    throw error;
  }
  const lines: Record<number, string> = {};
  for (const [line, path] of Object.entries(readyEvent.lines)) if (line !== "0") lines[Number(line)] = path;
  return {
    console: readyEvent.lines["0"]!,
    lines,
    telnetLine: 1,
    comPortLine: 2,
    deviceIp: RUNNER_DEVICE_IP,
    netns,
    baudRate: 9600,
    consolePassword: undefined,
    enableSecret: RUNNER_ENABLE_SECRET,
    runner: { pid: child.pid!, uartEvents, stderr: () => stderr },
    close,
  };
}

/** SIGTERM (the runner's clean stop), SIGKILL if it does not end in time; by pid, ours only. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), RUNNER_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
