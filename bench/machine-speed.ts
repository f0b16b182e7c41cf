// How fast this process runs, as a reference for every wall-clock figure of the run: a fixed loop
// of plain JavaScript (no firmware, no simulator), timed at the start and at the end. On a shared
// VM a whole process can run ~1.6x slower than the next one started a minute later (measured: the
// same loop, the firmware's own time per byte and the forwarding rate all move together), so a
// forwarding figure means something only beside the speed of the process that measured it.
import type { Row } from "./row.ts";

const ROUNDS = 5;
const BYTES = 4096;
const PASSES = 2000;

/** Best of ROUNDS: ns per inner iteration of a byte-mixing loop over a 4 KiB array. */
export function referenceLoopNs(): number {
  const bytes = new Uint8Array(BYTES);
  for (let i = 0; i < BYTES; i++) bytes[i] = (i * 7) & 0xff;
  let best = Infinity;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    for (let pass = 0; pass < PASSES; pass++) {
      for (let i = 0; i < BYTES; i++) sink = (sink + (bytes[i]! ^ i)) | 0;
    }
    best = Math.min(best, ((performance.now() - t0) * 1e6) / (PASSES * BYTES));
  }
  if (sink === 0.5) throw new Error("unreachable: keeps the loop from being optimized away");
  return best;
}

/** `bias`: what the firmware timer takes off per call and per HAL callback (0 if it never ran). */
export function machineRow(startNs: number, endNs: number, bias: { callNs: number; halNs: number }): Row {
  const timer = bias.callNs > 0 ? `; firmware timer takes off ${bias.callNs.toFixed(0)} ns a call, ${bias.halNs.toFixed(0)} ns a HAL callback` : "";
  return {
    section: "machine",
    figure: "reference JS loop (process speed)",
    value: `${startNs.toFixed(2)} ns at start, ${endNs.toFixed(2)} at end`,
    reference: `lower is faster; wall figures scale with it${timer}`,
  };
}
