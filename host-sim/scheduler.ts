// Virtual time. Events (frame deliveries, UART byte arrivals, scripted actions) sit in a queue
// ordered by (time, insertion order), so equal-time events always run in the same order. Devices
// are polled at their own deadlines; between events time jumps, so a day of keepalive timers takes
// milliseconds. A real-time mode paces the same loop against the wall clock for interactive use.

export interface Pollable {
  /** The next virtual instant (ms) at which this wants poll(), Infinity for none. */
  nextDeadlineMs(): number;
  pollAt(nowMs: number): void;
}

interface Event {
  atMs: number;
  order: number;
  run: () => void;
}

/** Upper bound on work at one instant: a device whose deadline never moves past now is a bug. */
const STEPS_PER_INSTANT_MAX = 100_000;

export class Scheduler {
  nowMs = 0;
  private readonly events: Event[] = [];
  private order = 0;
  private readonly pollables: Pollable[] = [];

  add(pollable: Pollable): void {
    this.pollables.push(pollable);
  }

  remove(pollable: Pollable): void {
    const index = this.pollables.indexOf(pollable);
    if (index >= 0) this.pollables.splice(index, 1);
  }

  /** Runs `run` at virtual time `atMs` (not before now). */
  at(atMs: number, run: () => void): void {
    const event: Event = { atMs: Math.max(atMs, this.nowMs), order: this.order++, run };
    // Binary insertion keeps the queue sorted; queues stay short (frames in flight, UART chunks).
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.events[mid]!;
      if (other.atMs < event.atMs || (other.atMs === event.atMs && other.order < event.order)) low = mid + 1;
      else high = mid;
    }
    this.events.splice(low, 0, event);
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.nowMs + delayMs, run);
  }

  /** The earliest instant anything is due. */
  nextMs(): number {
    let next = this.events[0]?.atMs ?? Infinity;
    for (const p of this.pollables) next = Math.min(next, p.nextDeadlineMs());
    return next;
  }

  /** Runs everything due up to and including `untilMs`, then leaves the clock at `untilMs`. */
  runUntil(untilMs: number): void {
    let steps = 0;
    let instant = this.nowMs;
    for (;;) {
      const next = this.nextMs();
      if (next > untilMs) break;
      if (next !== instant) {
        instant = next;
        steps = 0;
      }
      if (++steps > STEPS_PER_INSTANT_MAX) throw new Error(`simulation stuck at ${next} ms`);
      this.nowMs = Math.max(this.nowMs, next);
      this.step();
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
  }

  runFor(durationMs: number): void {
    this.runUntil(this.nowMs + durationMs);
  }

  /** Runs until `done()` holds, checking after every step; throws after `limitMs` of virtual time. */
  runUntilTrue(done: () => boolean, limitMs: number): void {
    const end = this.nowMs + limitMs;
    let steps = 0;
    let instant = this.nowMs;
    while (!done()) {
      const next = this.nextMs();
      if (next > end) {
        this.nowMs = end;
        if (done()) return;
        throw new Error(`condition not reached within ${limitMs} ms of virtual time`);
      }
      if (next !== instant) {
        instant = next;
        steps = 0;
      }
      if (++steps > STEPS_PER_INSTANT_MAX) throw new Error(`simulation stuck at ${next} ms`);
      this.nowMs = Math.max(this.nowMs, next);
      this.step();
    }
  }

  private step(): void {
    const event = this.events[0];
    if (event !== undefined && event.atMs <= this.nowMs) {
      this.events.shift();
      event.run();
      return;
    }
    for (const p of this.pollables) {
      if (p.nextDeadlineMs() <= this.nowMs) p.pollAt(this.nowMs);
    }
  }
}

/**
 * Paces a scheduler against the wall clock: virtual time advances `speed` times as fast as real
 * time. The same events and deadlines run as in a test; only the pacing differs.
 */
export class RealTimeDriver {
  private timer: NodeJS.Timeout | undefined;
  private wallStartMs = 0;
  private virtualStartMs = 0;

  constructor(private readonly scheduler: Scheduler, private speed = 1, private readonly tickMs = 5) {}

  start(): void {
    this.rebase();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  setSpeed(speed: number): void {
    this.tick();
    this.speed = speed;
    this.rebase();
  }

  getSpeed(): number {
    return this.speed;
  }

  /** Runs what is due now (call after feeding input, so an echo does not wait for the next tick). */
  tick(): void {
    const target = this.virtualStartMs + Math.floor((Date.now() - this.wallStartMs) * this.speed);
    this.scheduler.runUntil(Math.max(target, this.scheduler.nowMs));
  }

  private rebase(): void {
    this.wallStartMs = Date.now();
    this.virtualStartMs = this.scheduler.nowMs;
  }
}
