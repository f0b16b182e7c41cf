// Starting and stopping the socat processes that make pseudo-terminals (ENVIRONMENT.md: a pty
// carries no baud rate and no DTR/RTS, and vanishes with its socat). socat runs as our child with
// pipes; `-d -d` makes it print its progress on stderr, which tells when the pty exists and its
// name. We only ever stop the process we started, by its pid (ChildProcess.kill).
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { lstatSync } from "node:fs";
import type { Readable, Writable } from "node:stream";

export type SocatChild = ChildProcessByStdio<Writable, Readable, Readable>;

/** How long socat may take to create its ptys. */
export const SOCAT_START_TIMEOUT_MS = 5_000;
/** How long a stopped socat may take to exit after SIGTERM before it gets SIGKILL. */
const SOCAT_STOP_GRACE_MS = 2_000;
/** socat's stderr lines kept for error messages. */
const STDERR_LINES_KEPT = 20;

export interface SocatStarted {
  child: SocatChild;
  /** The /dev/pts names socat reported, in the order of its addresses. */
  ptyNames: string[];
  /** socat's recent stderr lines (for diagnostics). */
  stderrLines: string[];
}

/**
 * A pty link path must be a plain absolute path: socat's address syntax gives `,` `:` `!` and
 * spaces meanings. An existing path may only be a symbolic link (a stale pty link socat replaces).
 */
export function checkLinkPath(path: string): void {
  if (!/^\/[A-Za-z0-9_./+-]+$/.test(path)) {
    throw new Error(`pty path ${JSON.stringify(path)}: use an absolute path of letters, digits and _ . / + - only`);
  }
  let isLink: boolean;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return; // does not exist: fine
  }
  if (!isLink) throw new Error(`pty path ${path} exists and is not a symbolic link: refusing to replace it`);
}

/**
 * Starts `socat -d -d ...args` and resolves once it runs its transfer loop (its ptys and links
 * exist). Rejects with socat's own words if it exits first, or if it is not installed.
 */
export function startSocat(args: string[], socatPath = "socat", timeoutMs = SOCAT_START_TIMEOUT_MS): Promise<SocatStarted> {
  return new Promise((resolve, reject) => {
    const child = spawn(socatPath, ["-d", "-d", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const ptyNames: string[] = [];
    const stderrLines: string[] = [];
    let partial = "";
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) child.kill("SIGKILL");
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`socat did not start within ${timeoutMs} ms: ${stderrLines.join(" | ")}`), timeoutMs);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        stderrLines.push(line);
        if (stderrLines.length > STDERR_LINES_KEPT) stderrLines.shift();
        const pty = / N PTY is (\S+)/.exec(line);
        if (pty) ptyNames.push(pty[1]!);
        if (!settled && line.includes("starting data transfer loop")) {
          settled = true;
          clearTimeout(timer);
          resolve({ child, ptyNames, stderrLines });
        }
      }
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      fail(error.code === "ENOENT" ? `socat not found (${socatPath}): install it, e.g. apt-get install socat` : `socat: ${error.message}`);
    });
    child.on("exit", (code, signal) => {
      fail(`socat exited (${signal ?? code}) before starting: ${[...stderrLines, partial].join(" | ")}`);
    });
  });
}

/** Stops a socat we started: SIGTERM (it then removes its links), SIGKILL if it lingers. */
export function stopSocat(child: SocatChild): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), SOCAT_STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
