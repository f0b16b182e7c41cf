// One direction of a link: a frame offered at one end is delivered at the other after its faults.
// The rule chain runs in a fixed order per frame, first verdict wins (turmoil's shape):
//   partitioned -> dropped (cut) | held -> queued | loss -> dropped | otherwise deliver,
//   maybe twice (duplicate), each copy maybe corrupted, delayed (delay + jitter) and maybe reordered.
// Order is preserved by default: a frame is never delivered before one offered earlier, unless it
// is the earlier frame that was picked for reordering. Frames in flight when the link is cut are
// lost, as on a pulled cable.
import type { Prng } from "../prng.ts";
import type { Scheduler } from "../scheduler.ts";
import { copyBytes } from "../byte-slab.ts";
import { corruptFrame } from "./corrupt.ts";
import { makeFaults, type Faults } from "./faults.ts";

export interface ChannelCounters {
  offered: number;
  delivered: number;
  /** Dropped by the loss ratio. */
  lost: number;
  /** Dropped because the link was partitioned (at the offer, in flight, or while held). */
  cut: number;
  duplicated: number;
  corrupted: number;
  reordered: number;
  /** Queued by hold (each frame counts once, when queued). */
  held: number;
}

export class Channel {
  faults: Faults;
  readonly counters: ChannelCounters = { offered: 0, delivered: 0, lost: 0, cut: 0, duplicated: 0, corrupted: 0, reordered: 0, held: 0 };
  private partitioned = false;
  private holding = false;
  private readonly heldFrames: Uint8Array[] = [];
  /** Bumped by partition, so deliveries scheduled before it are dropped. */
  private generation = 0;
  /** The latest in-order delivery instant: later frames are not delivered before it. */
  private orderFloorMs = 0;

  constructor(
    readonly name: string,
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly deliver: (frame: Uint8Array) => void,
    faults: Partial<Faults> = {},
  ) {
    this.faults = makeFaults(faults);
  }

  setFaults(overrides: Partial<Faults>): void {
    this.faults = makeFaults(overrides, this.faults);
  }

  get isPartitioned(): boolean {
    return this.partitioned;
  }

  get isHeld(): boolean {
    return this.holding;
  }

  /** Frames waiting for release(). */
  get heldCount(): number {
    return this.heldFrames.length;
  }

  /** A frame enters this direction of the wire. Unless it is `handedOver` (Port.send: nobody
   * writes to it again), the channel copies it first, since the sender may reuse its buffer. */
  offer(frame: Uint8Array, handedOver = false): void {
    this.counters.offered++;
    if (this.partitioned) {
      this.counters.cut++;
      return;
    }
    const owned = handedOver ? frame : copyBytes(frame);
    if (this.holding) {
      this.counters.held++;
      this.heldFrames.push(owned);
      return;
    }
    this.transmit(owned);
  }

  /** Cuts this direction: nothing passes, frames in flight and held frames are lost. */
  partition(): void {
    this.partitioned = true;
    this.generation++;
    this.counters.cut += this.heldFrames.length;
    this.heldFrames.length = 0;
  }

  repair(): void {
    this.partitioned = false;
  }

  /** Queues every frame offered from now on until release(). */
  hold(): void {
    this.holding = true;
  }

  /** Sends the held frames, in the order they were offered, through the faults, from now. */
  release(): void {
    this.holding = false;
    const frames = this.heldFrames.splice(0);
    for (const frame of frames) this.transmit(frame);
  }

  /** `frame` is the channel's (a copy, or handed over): copies share it unless corrupted. */
  private transmit(frame: Uint8Array): void {
    const f = this.faults;
    if (this.prng.chance(f.loss[0], f.loss[1])) {
      this.counters.lost++;
      return;
    }
    const copies = this.prng.chance(f.duplicate[0], f.duplicate[1]) ? 2 : 1;
    if (copies === 2) this.counters.duplicated++;
    for (let copy = 0; copy < copies; copy++) {
      let bytes = frame;
      if (this.prng.chance(f.corrupt[0], f.corrupt[1])) {
        // Corruption writes to its own copy: the frame may be shared (a duplicate, a tap, a flood).
        bytes = copyBytes(frame);
        if (corruptFrame(bytes, this.prng) >= 0) this.counters.corrupted++;
      }
      let atMs = this.scheduler.nowMs + f.delayMs + (f.jitterMs > 0 ? this.prng.between(0, f.jitterMs) : 0);
      if (this.prng.chance(f.reorder[0], f.reorder[1])) {
        this.counters.reordered++;
        atMs += f.reorderMs;
      } else {
        atMs = Math.max(atMs, this.orderFloorMs);
        this.orderFloorMs = atMs;
      }
      this.schedule(atMs, bytes);
    }
  }

  private schedule(atMs: number, frame: Uint8Array): void {
    const generation = this.generation;
    this.scheduler.at(atMs, () => {
      if (generation !== this.generation) {
        this.counters.cut++;
        return;
      }
      this.counters.delivered++;
      this.deliver(frame);
    });
  }
}
