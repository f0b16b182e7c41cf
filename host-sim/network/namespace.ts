// A Linux network namespace for the kernel side of a TAP bridge: fresh, so it has no default route
// and nothing in it can reach off the machine. Commands run inside it with `ip netns exec`, never
// from the root namespace. It is deleted by delete(), at process exit, or on SIGINT/SIGTERM, and
// only the processes it started (by pid) are ended.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { atExit } from "./cleanup.ts";

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const NAME_PREFIX = "tsim";
let created = 0;

function ip(args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Deletes namespaces this code made in processes that no longer exist (a killed test run). */
function sweepStale(): void {
  for (const line of ip(["netns", "list"]).split("\n")) {
    const match = /^(tsim(\d+)n\d+)\b/.exec(line);
    if (match && !alive(Number(match[2]))) execFileSync("ip", ["netns", "delete", match[1]!], { stdio: "ignore" });
  }
}

export class NetNamespace {
  private readonly children = new Map<number, ChildProcess>();
  private deleted = false;
  private readonly unregister: () => void;

  private constructor(readonly name: string, private readonly owned = true) {
    this.unregister = atExit(() => this.deleteSync());
  }

  /**
   * A namespace by name, for a long-running process (the device runner): made here when missing
   * (then delete() removes it), adopted when it exists (then delete() leaves it and ends only the
   * processes started through it). Either way it must have no default route.
   */
  static named(name: string): NetNamespace {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`bad namespace name ${JSON.stringify(name)}`);
    const exists = ip(["netns", "list"]).split("\n").some((line) => line.split(" ")[0] === name);
    if (!exists) ip(["netns", "add", name]);
    const ns = new NetNamespace(name, !exists);
    if (!exists) ns.ip(["link", "set", "lo", "up"]);
    ns.assertNoDefaultRoute();
    return ns;
  }

  /** Makes a fresh namespace, named after this process so parallel runs never collide. */
  static create(): NetNamespace {
    sweepStale();
    const name = `${NAME_PREFIX}${process.pid}n${++created}`;
    ip(["netns", "add", name]);
    const ns = new NetNamespace(name);
    ns.ip(["link", "set", "lo", "up"]);
    ns.assertNoDefaultRoute();
    return ns;
  }

  /** `ip -n NAME ...`, synchronously (configuration only: it never waits on the network). */
  ip(args: string[]): string {
    return ip(["-n", this.name, ...args]);
  }

  /** A sysctl of this namespace, e.g. ("net.ipv4.tcp_keepalive_time", "5"). */
  sysctl(key: string, value: string): void {
    execFileSync("ip", ["netns", "exec", this.name, "sysctl", "-qw", `${key}=${value}`], { stdio: "ignore" });
  }

  /** The safety rule: test traffic must have nowhere to go but the TAP's own subnet. */
  assertNoDefaultRoute(): void {
    for (const family of ["-4", "-6"]) {
      const routes = this.ip([family, "route", "show", "default"]).trim();
      if (routes !== "") throw new Error(`namespace ${this.name} has a default route: ${routes}`);
    }
  }

  /** Starts `command` inside the namespace; the process is ended by pid when the namespace goes. */
  spawn(command: string, args: string[] = []): ChildProcess {
    if (this.deleted) throw new Error(`namespace ${this.name} is deleted`);
    const child = spawn("ip", ["netns", "exec", this.name, command, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const pid = child.pid;
    if (pid !== undefined) {
      this.children.set(pid, child);
      child.once("exit", () => this.children.delete(pid));
    }
    return child;
  }

  /** Runs `command` inside the namespace to its end (asynchronously: the event loop keeps
   * bridging frames meanwhile); kills it after `timeoutMs`. */
  exec(command: string, args: string[] = [], timeoutMs = 30_000): Promise<ExecResult> {
    const child = this.spawn(command, args);
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  /** A Node process inside the namespace (a .ts script runs through tsx). */
  node(script: string, args: string[] = []): ChildProcess {
    const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
    return this.spawn(process.execPath, [...loader, script, ...args]);
  }

  /** Ends the processes it started and deletes the namespace. */
  delete(): void {
    this.deleteSync();
    this.unregister();
  }

  private deleteSync(): void {
    if (this.deleted) return;
    this.deleted = true;
    for (const [pid, child] of this.children) if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
    this.children.clear();
    if (this.owned) execFileSync("ip", ["netns", "delete", this.name], { stdio: "ignore" });
  }
}
