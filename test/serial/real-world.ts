// Helpers for tests that touch real processes, ptys and sockets: socat presence (a missing socat
// skips with a message on a developer's machine but FAILS under CI=true), and wall-clock waiting.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";

export const HAS_SOCAT = spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;
const UNDER_CI = process.env["CI"] === "true";

/** describe() for tests that need socat: skipped with a message locally, failing under CI. */
export function describeWithSocat(name: string, body: () => void): void {
  if (!HAS_SOCAT && !UNDER_CI) {
    console.warn(`SKIP ${name}: socat is not installed (apt-get install socat); CI=true makes this a failure`);
    describe.skip(name, body);
    return;
  }
  if (!HAS_SOCAT) {
    describe(name, () => {
      it("has socat, which CI=true requires", () => {
        throw new Error("socat is not installed, and CI=true requires it (apt-get install socat)");
      });
    });
    return;
  }
  describe(name, body);
}

/** Polls `done` every few ms of wall-clock time until it holds; throws after `timeoutMs`. */
export async function waitFor(done: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const endAtMs = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > endAtMs) throw new Error(`${what} not reached within ${timeoutMs} ms of wall-clock time`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A fresh temporary directory for pty links, removed after the file's tests. */
export function tempDirForFile(prefix: string): () => string {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Whether a process is alive (signal 0 only tests; it sends nothing). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
