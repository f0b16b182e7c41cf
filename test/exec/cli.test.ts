// `npm start` with piped stdin: the console transcript comes out on stdout, the NVRAM file keeps
// the configuration between two runs, and the program ends by itself once the output settles.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function runCli(input: string, args: string[]): { stdout: string; status: number | null } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "host-sim/cli/main.ts", "--single", "--fast", ...args], {
    input,
    encoding: "latin1",
    timeout: 30_000,
  });
  return { stdout: result.stdout, status: result.status };
}

describe("npm start, piped", () => {
  it("prints the console transcript and keeps the NVRAM in a file across runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "exec-cli-"));
    const nvram = join(dir, "r1.nvram");
    try {
      const first = runCli("enable\r\nconf t\r\nhostname piped\r\nend\r\nwrite memory\r\n", ["--nvram", nvram]);
      expect(first.status).toBe(0);
      expect(first.stdout).toBe(
        "\r\n\r\nPress RETURN to get started!\r\n\r\n\r\n\r\nRouter>enable\r\nRouter#conf t\r\n" +
          "Enter configuration commands, one per line.  End with CNTL/Z.\r\nRouter(config)#hostname piped\r\n" +
          "piped(config)#end\r\npiped#write memory\r\nBuilding configuration...\r\n[OK]\r\npiped#\n",
      );
      const second = runCli("show version\n", ["--nvram", nvram]);
      expect(second.status).toBe(0);
      expect(second.stdout).toContain("piped>show version\r\nTerminal server firmware (WebAssembly), Version 0.1.0\r\n");
      expect(second.stdout).toContain("piped uptime is 0 minutes\r\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
