// tshark as an independent validator of captures (ENVIRONMENT.md): Wireshark's dissectors check the
// IPv4 and TCP checksums (turned on with -o ...check_checksum:TRUE; ICMP's is always checked), flag malformed frames, and
// run TCP analysis whose findings are "expert info" entries with a severity (Chat < Note < Warning
// < Error). Retransmissions and duplicate ACKs of a lossy run are Notes; a bad checksum or a
// malformed frame is an Error.
import { execFileSync } from "node:child_process";

const CHECKSUM_OPTIONS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"];

/** tshark on a capture file with checksum verification on; returns stdout. */
export function tshark(path: string, args: string[]): string {
  return execFileSync("tshark", ["-r", path, ...CHECKSUM_OPTIONS, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 << 20 });
}

/** The frames `filter` selects, one summary line each ("" when none). */
export function framesMatching(path: string, filter: string): string {
  return tshark(path, ["-Y", filter]);
}

/** How many frames `filter` selects. */
export function countFrames(path: string, filter: string): number {
  const out = tshark(path, ["-Y", filter, "-T", "fields", "-e", "frame.number"]).trim();
  return out === "" ? 0 : out.split("\n").length;
}

/** Frames with a bad IPv4, TCP or ICMP checksum, or that a dissector found malformed. */
export const BROKEN_FILTER = '_ws.malformed || ip.checksum.status == "Bad" || tcp.checksum.status == "Bad" || icmp.checksum.status == "Bad"';

export interface ExpertEntry {
  severity: "Error" | "Warning";
  count: number;
  group: string;
  protocol: string;
  summary: string;
}

/** What one tshark pass over a capture found. */
export interface CaptureReport {
  frames: number;
  ipv4: number;
  tcp: number;
  icmp: number;
  /** Checksums tshark verified and found good (status 1) or bad (status 0). */
  ipGood: number;
  ipBad: number;
  tcpGood: number;
  tcpBad: number;
  icmpBad: number;
  malformed: number;
  /** Warning and Error entries of the expert statistics, summed per summary. */
  expert: ExpertEntry[];
}

/** One pass: per-frame checksum statuses and malformed marks, plus the expert statistics. */
export function inspectCapture(path: string): CaptureReport {
  const fields = ["frame.number", "ip.checksum.status", "tcp.checksum.status", "icmp.checksum.status", "_ws.malformed"];
  const out = tshark(path, ["-T", "fields", ...fields.flatMap((f) => ["-e", f]), "-z", "expert,warn"]);
  const report: CaptureReport = { frames: 0, ipv4: 0, tcp: 0, icmp: 0, ipGood: 0, ipBad: 0, tcpGood: 0, tcpBad: 0, icmpBad: 0, malformed: 0, expert: [] };
  const lines = out.split("\n");
  let i = 0;
  for (; i < lines.length && /^\d+\t/.test(lines[i]!); i++) {
    const [, ip = "", tcp = "", icmp = "", malformed = ""] = lines[i]!.split("\t");
    report.frames++;
    if (ip !== "") report.ipv4++;
    if (tcp !== "") report.tcp++;
    if (icmp !== "") report.icmp++;
    if (ip.split(",").includes("1")) report.ipGood++;
    if (ip.split(",").includes("0")) report.ipBad++;
    if (tcp.split(",").includes("1")) report.tcpGood++;
    if (tcp.split(",").includes("0")) report.tcpBad++;
    if (icmp.split(",").includes("0")) report.icmpBad++;
    if (malformed !== "") report.malformed++;
  }
  report.expert = parseExpert(lines.slice(i));
  return report;
}

/** The Warning and Error entries of tshark's expert statistics (-z expert,warn). */
export function expertWarnings(path: string): ExpertEntry[] {
  return parseExpert(tshark(path, ["-q", "-z", "expert,warn"]).split("\n"));
}

function parseExpert(lines: string[]): ExpertEntry[] {
  const entries: ExpertEntry[] = [];
  let severity: ExpertEntry["severity"] | undefined;
  for (const line of lines) {
    if (/^Errors \(\d+\)/.test(line)) severity = "Error";
    else if (/^Warns \(\d+\)/.test(line)) severity = "Warning";
    else if (/^\S/.test(line) && !line.startsWith("=")) severity = undefined;
    const row = /^\s+(\d+)\s+(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (row && severity) entries.push({ severity, count: Number(row[1]), group: row[2]!, protocol: row[3]!, summary: row[4]! });
  }
  return entries;
}

/** A one-line account of expert entries for messages and logs. */
export function describeExpert(entries: ExpertEntry[]): string {
  return entries.map((e) => `${e.severity} x${e.count}: ${e.summary}`).join("; ") || "none";
}

/** A one-line account of a capture report. */
export function describeCapture(path: string, r: CaptureReport): string {
  return `${path}: ${r.frames} frames (${r.tcp} TCP, ${r.icmp} ICMP); checksums good IP ${r.ipGood}/${r.ipv4}, TCP ${r.tcpGood}/${r.tcp}; ` +
    `bad ${r.ipBad + r.tcpBad + r.icmpBad}; malformed ${r.malformed}; expert: ${describeExpert(r.expert)}`;
}
