// Issue 7's targets beside the figures measured in this run, as the last rows of the table: one
// place to read where the firmware stands. Still figures, not verdicts: the run never fails on
// them. A target whose section did not run (`--only`) is left out.
import { MODULE_TARGET_BYTES } from "./footprint.ts";
import type { Transfer } from "./forwarding.ts";
import type { Row } from "./row.ts";

const MEMORY_TARGET_PAGES = 2;
const FORWARDING_TARGET_MBS = 50;
const CORE_SHARE_TARGET = 0.05;

interface ForwardingFigures {
  down: Transfer;
  up: Transfer;
  coreShare921600: number;
}

const mbs = (t: Transfer): number => t.bytes / 1e3 / t.wallMs;
/** The firmware's own rate: bytes per second of one core spent inside r1 (bench/firmware-timer.ts). */
const firmwareMbs = (t: Transfer): number => 1e3 / t.r1NsPerByte;
const mark = (met: boolean): string => (met ? "met" : "missed");

export function targetRows(figures: Record<string, unknown>): Row[] {
  const rows: Row[] = [];
  const footprint = figures["footprint"] as { moduleBytes: number; memoryPages: number } | undefined;
  if (footprint) {
    rows.push(
      { section: "targets", figure: `firmware.wasm <= ${MODULE_TARGET_BYTES} B`, value: `${mark(footprint.moduleBytes <= MODULE_TARGET_BYTES)}: ${footprint.moduleBytes} B` },
      { section: "targets", figure: `memory <= ${MEMORY_TARGET_PAGES} pages`, value: `${mark(footprint.memoryPages <= MEMORY_TARGET_PAGES)}: ${footprint.memoryPages} pages, fixed` },
    );
  }
  const forwarding = figures["forwarding"] as Record<string, ForwardingFigures> | undefined;
  if (forwarding) {
    // Aggregate: the best line count and direction. The wall figure carries both firmware instances
    // and the simulated network on the same core; r1's own figure is what one device forwards.
    const all = Object.values(forwarding).flatMap((f) => [f.down, f.up]);
    const wall = Math.max(...all.map(mbs));
    const own = Math.max(...all.map(firmwareMbs));
    rows.push({
      section: "targets",
      figure: `forwarding >= ${FORWARDING_TARGET_MBS} MB/s, one core`,
      value: `${mark(wall >= FORWARDING_TARGET_MBS)}: ${wall.toFixed(1)} MB/s wall`,
      reference: `end to end: r2 + r1 + simulator on one core; r1 alone: ${own.toFixed(0)} MB per second of its own CPU time`,
    });
  }
  // 16 lines at 921600: measured with paced UARTs, every line busy both ways at once (line-rate.ts).
  // Without that section, the estimate from unpaced forwarding (ns/B x the line rate), which is
  // lower: unpaced, a poll carries larger chunks.
  const paced = (figures["lineRate"] as { lines16?: { both: { r1Share: number } | string } } | undefined)?.lines16?.both;
  const estimate = forwarding?.["lines16"]?.coreShare921600;
  const share = typeof paced === "object" ? paced.r1Share : estimate;
  if (share !== undefined) {
    const how = typeof paced === "object" ? "measured: r1, paced UARTs, every line busy both ways at once" : "estimate: r1's unpaced ns/B x the line rate, both ways";
    rows.push({ section: "targets", figure: "16 lines at 921600 < 5 % of a core", value: `${mark(share < CORE_SHARE_TARGET)}: ${(100 * share).toFixed(1)} %`, reference: how });
  }
  const sim = figures["simSpeed"] as { virtualPerWall: number; firmwareCalls: number; dayWallMs: number } | undefined;
  if (sim) {
    rows.push({ section: "targets", figure: "idle time costs nothing", value: `${sim.firmwareCalls} calls in an idle day`, reference: `16 keepalive sessions: ${Math.round(sim.virtualPerWall)} virtual s per wall s; the simulator jumps from deadline to deadline` });
  }
  return rows;
}
