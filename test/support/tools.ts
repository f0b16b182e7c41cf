// Whether a test may run: a missing external tool or privilege skips it with a clear message on a
// developer's machine, and fails it under CI (CI=true), where .ci/run installs everything.
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

export const IN_CI = process.env["CI"] === "true" || process.env["CI"] === "1";

export function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * undefined when the test can run; otherwise the reason, printed as a SKIP line. Under CI the
 * reason is thrown instead, so a missing tool fails the suite rather than hiding a test.
 */
export function unavailable(what: string, missing: string[]): string | undefined {
  if (missing.length === 0) return undefined;
  const reason = `${what} needs ${missing.join(", ")}`;
  if (IN_CI) throw new Error(`${reason} (CI=true: install it in .ci/run)`);
  console.warn(`SKIP: ${reason}; skipped outside CI`);
  return reason;
}

export function missingTools(...names: string[]): string[] {
  return names.filter((name) => !hasTool(name));
}

/** Root, /dev/net/tun, ip, socat: what a TAP bridge into a network namespace needs. */
export function missingForTap(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push("root");
  try {
    accessSync("/dev/net/tun", constants.R_OK | constants.W_OK);
  } catch {
    missing.push("/dev/net/tun");
  }
  return [...missing, ...missingTools("ip", "socat")];
}
