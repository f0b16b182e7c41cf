// The work both halves of the ser2net comparison do, measured the same way: bytes written into a
// pseudo-terminal come out of a TCP connection read by a kernel TCP client. This file holds what
// the two share: the data written, the reader that counts data bytes (telnet commands are not
// data), and the CPU time of a process tree from /proc.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** One chunk of printable bytes (no CR, no IAC, no escape character: nothing any side rewrites). */
export function printableChunk(bytes: number): Buffer {
  const chunk = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) chunk[i] = 0x21 + (i % 94);
  return chunk;
}

const IAC = 255;
const SB = 250;
const SE = 240;
const WILL = 251;

/** Counts data bytes in a telnet stream (RFC 854): IAC commands, options and subnegotiations are skipped. */
export class TelnetDataCounter {
  data = 0;
  private state: "data" | "iac" | "option" | "sb" | "sb-iac" = "data";

  add(chunk: Buffer): void {
    for (const b of chunk) {
      switch (this.state) {
        case "data":
          if (b === IAC) this.state = "iac";
          else this.data++;
          break;
        case "iac":
          if (b === IAC) {
            this.data++;
            this.state = "data";
          } else if (b === SB) this.state = "sb";
          else this.state = b >= WILL ? "option" : "data";
          break;
        case "option":
          this.state = "data";
          break;
        case "sb":
          if (b === IAC) this.state = "sb-iac";
          break;
        case "sb-iac":
          this.state = b === SE ? "data" : "sb";
          break;
      }
    }
  }
}

let clockTicksPerSecond: number | undefined;

function processStat(pid: number): { ppid: number; cpuTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command: state, ppid, ..., utime and stime are fields 14 and 15 of stat.
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // the process ended between the listing and the read
  }
}

/** user + system CPU, in ms, of a process and every live descendant (clock ticks: run long enough). */
export function treeCpuMs(rootPid: number): number {
  clockTicksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = processStat(Number(name));
    if (!stat) continue;
    ticks.set(Number(name), stat.cpuTicks);
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(Number(name));
    children.set(stat.ppid, siblings);
  }
  let total = 0;
  const pending = [rootPid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    total += ticks.get(pid) ?? 0;
    pending.push(...(children.get(pid) ?? []));
  }
  return (total * 1000) / clockTicksPerSecond;
}

export async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
