// The reliability report: what the swarm seeds (and, when given, the fuzzers) did, in figures.
import type { SwarmResult, SwarmStats } from "./run.ts";

/** Figures summed (or, for worstDetectionMs, maximized) straight from each seed's SwarmStats. */
type SeedFigures = "framesOffered" | "noiseBytes" | "bytesVerified" | "sessionsOpened" | "sessionsRefused" |
  "sessionsTimedOut" | "convergenceSessions" | "halfOpenDropped" | "worstDetectionMs" | "traps" | "memoryGrowth";

export interface ReliabilitySummary extends Pick<SwarmStats, SeedFigures> {
  seeds: number;
  failedSeeds: number[];
  virtualMs: number;
  faults: Record<string, number>;
  framesFaulted: number;
  /** The bound of the seed that gave worstDetectionMs. */
  worstDetectionBoundMs: number;
}

export function summarize(results: SwarmResult[]): ReliabilitySummary {
  const sum: ReliabilitySummary = {
    seeds: results.length, failedSeeds: [], virtualMs: 0, faults: {}, framesOffered: 0, framesFaulted: 0, noiseBytes: 0,
    bytesVerified: 0, sessionsOpened: 0, sessionsRefused: 0, sessionsTimedOut: 0, convergenceSessions: 0, halfOpenDropped: 0,
    worstDetectionMs: 0, worstDetectionBoundMs: 0, traps: 0, memoryGrowth: 0,
  };
  for (const r of results) {
    const s = r.stats;
    if (r.violations.length > 0) sum.failedSeeds.push(r.seed);
    sum.virtualMs += s.virtualMs;
    for (const [kind, n] of Object.entries(s.faults)) sum.faults[kind] = (sum.faults[kind] ?? 0) + n;
    sum.framesOffered += s.framesOffered;
    sum.framesFaulted += s.framesLost + s.framesDuplicated + s.framesReordered + s.framesCorrupted + s.framesCut;
    sum.faults["frames lost"] = (sum.faults["frames lost"] ?? 0) + s.framesLost;
    sum.faults["frames duplicated"] = (sum.faults["frames duplicated"] ?? 0) + s.framesDuplicated;
    sum.faults["frames reordered"] = (sum.faults["frames reordered"] ?? 0) + s.framesReordered;
    sum.faults["frames corrupted"] = (sum.faults["frames corrupted"] ?? 0) + s.framesCorrupted;
    sum.faults["frames cut"] = (sum.faults["frames cut"] ?? 0) + s.framesCut;
    sum.noiseBytes += s.noiseBytes;
    sum.bytesVerified += s.bytesVerified;
    sum.sessionsOpened += s.sessionsOpened;
    sum.sessionsRefused += s.sessionsRefused;
    sum.sessionsTimedOut += s.sessionsTimedOut;
    sum.convergenceSessions += s.convergenceSessions;
    sum.halfOpenDropped += s.halfOpenDropped;
    if (s.worstDetectionMs / s.keepaliveBoundMs > sum.worstDetectionMs / Math.max(1, sum.worstDetectionBoundMs)) {
      sum.worstDetectionMs = s.worstDetectionMs;
      sum.worstDetectionBoundMs = s.keepaliveBoundMs;
    }
    sum.traps += s.traps;
    sum.memoryGrowth = Math.max(sum.memoryGrowth, s.memoryGrowth);
  }
  return sum;
}

export function formatReport(s: ReliabilitySummary, wallMs: number): string {
  const faults = Object.entries(s.faults).map(([k, n]) => `${k} ${n}`).join(", ");
  return [
    "Reliability report (swarm)",
    `  seeds run            ${s.seeds} (${s.failedSeeds.length} failed${s.failedSeeds.length > 0 ? `: ${s.failedSeeds.join(", ")}` : ""}) in ${(wallMs / 1000).toFixed(1)} s wall, ${(s.virtualMs / 1000).toFixed(0)} s virtual`,
    `  faults injected      ${faults}`,
    `  frames on the wire   ${s.framesOffered} (${s.framesFaulted} hit by a fault)`,
    `  serial noise         ${s.noiseBytes} bytes`,
    `  sessions             ${s.sessionsOpened} opened, ${s.sessionsRefused} refused (line busy), ${s.sessionsTimedOut} timed out/unreachable, ${s.convergenceSessions} after healing`,
    `  bytes verified       ${s.bytesVerified} (exactly once, in order)`,
    `  half-open dropped    ${s.halfOpenDropped}; worst keepalive detection ${s.worstDetectionMs} ms against a bound of ${s.worstDetectionBoundMs} ms (+ check interval)`,
    `  traps                ${s.traps}`,
    `  memory growth        ${s.memoryGrowth} bytes`,
  ].join("\n");
}
