// The scheduler's queue of timed events, ordered by (time, insertion order): of two events at the
// same instant, the one added first runs first. Two parts, merged when taking:
//   - a FIFO for events at the current instant (most of them: a UART chunk or a pump at "now"):
//     appending keeps it sorted, since the current instant never goes back and insertion order
//     only grows; O(1) in and out;
//   - a binary heap for later events (frames in flight, paced UART bytes, timers): O(log n).
// Both keep their entries in parallel arrays (time, order, function, argument), so adding an event
// allocates nothing; a caller that passes a function made once plus an argument (atCall) adds no
// closure either.

export type EventFn = (arg: never) => void;

/** Pops release their references, so a queue that once held many frames does not keep them. */
export class EventQueue {
  private order = 0;
  private heapSize = 0;
  private readonly heapMs: number[] = [];
  private readonly heapOrder: number[] = [];
  private readonly heapFn: (EventFn | undefined)[] = [];
  private readonly heapArg: unknown[] = [];
  private head = 0;
  private tail = 0;
  private readonly fifoMs: number[] = [];
  private readonly fifoOrder: number[] = [];
  private readonly fifoFn: (EventFn | undefined)[] = [];
  private readonly fifoArg: unknown[] = [];
  /** The event the last take() removed. */
  takenFn: EventFn | undefined;
  takenArg: unknown;

  get size(): number {
    return this.heapSize + this.tail - this.head;
  }

  /**
   * Adds `fn(arg)` at `atMs`. `atCurrentInstant` says the caller's clock stands at `atMs` and never
   * goes back: the event then joins the FIFO (it sorts after everything already queued at `atMs`).
   */
  push(atMs: number, fn: EventFn, arg: unknown, atCurrentInstant: boolean): void {
    const order = this.order++;
    if (atCurrentInstant && (this.tail === this.head || this.fifoMs[this.tail - 1]! <= atMs)) {
      const i = this.tail++;
      this.fifoMs[i] = atMs;
      this.fifoOrder[i] = order;
      this.fifoFn[i] = fn;
      this.fifoArg[i] = arg;
      return;
    }
    let i = this.heapSize++;
    // Sift up: move parents that sort after the new event down one level.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentMs = this.heapMs[parent]!;
      if (parentMs < atMs || (parentMs === atMs && this.heapOrder[parent]! < order)) break;
      this.move(parent, i);
      i = parent;
    }
    this.heapMs[i] = atMs;
    this.heapOrder[i] = order;
    this.heapFn[i] = fn;
    this.heapArg[i] = arg;
  }

  /** The earliest event's instant, Infinity when empty. */
  peekMs(): number {
    const fifoMs = this.tail > this.head ? this.fifoMs[this.head]! : Infinity;
    const heapMs = this.heapSize > 0 ? this.heapMs[0]! : Infinity;
    return fifoMs < heapMs ? fifoMs : heapMs;
  }

  /** Removes the earliest event into takenFn/takenArg; false when empty. */
  take(): boolean {
    const fromFifo = this.tail > this.head;
    if (fromFifo && this.heapSize > 0) {
      const fifoMs = this.fifoMs[this.head]!;
      const heapMs = this.heapMs[0]!;
      if (heapMs < fifoMs || (heapMs === fifoMs && this.heapOrder[0]! < this.fifoOrder[this.head]!)) return this.takeHeap();
    }
    if (fromFifo) {
      const i = this.head++;
      this.takenFn = this.fifoFn[i];
      this.takenArg = this.fifoArg[i];
      this.fifoFn[i] = undefined;
      this.fifoArg[i] = undefined;
      if (this.head === this.tail) this.head = this.tail = 0;
      return true;
    }
    if (this.heapSize > 0) return this.takeHeap();
    this.takenFn = undefined;
    this.takenArg = undefined;
    return false;
  }

  private takeHeap(): boolean {
    this.takenFn = this.heapFn[0];
    this.takenArg = this.heapArg[0];
    const last = --this.heapSize;
    const atMs = this.heapMs[last]!;
    const order = this.heapOrder[last]!;
    const fn = this.heapFn[last];
    const arg = this.heapArg[last];
    this.heapFn[last] = undefined;
    this.heapArg[last] = undefined;
    if (last === 0) return true;
    // Sift the last entry down from the root.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last) {
        const leftMs = this.heapMs[child]!;
        const rightMs = this.heapMs[right]!;
        if (rightMs < leftMs || (rightMs === leftMs && this.heapOrder[right]! < this.heapOrder[child]!)) child = right;
      }
      const childMs = this.heapMs[child]!;
      if (atMs < childMs || (atMs === childMs && order < this.heapOrder[child]!)) break;
      this.move(child, i);
      i = child;
    }
    this.heapMs[i] = atMs;
    this.heapOrder[i] = order;
    this.heapFn[i] = fn;
    this.heapArg[i] = arg;
    return true;
  }

  private move(from: number, to: number): void {
    this.heapMs[to] = this.heapMs[from]!;
    this.heapOrder[to] = this.heapOrder[from]!;
    this.heapFn[to] = this.heapFn[from];
    this.heapArg[to] = this.heapArg[from];
  }
}
