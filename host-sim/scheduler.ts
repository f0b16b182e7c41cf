// Virtual time. Events (frame deliveries, UART byte arrivals, scripted actions) sit in a queue
// ordered by (time, insertion order), so equal-time events always run in the same order. Devices
// are polled at their own deadlines; between events time jumps, so a day of keepalive timers takes
// milliseconds. A real-time mode paces the same loop against the wall clock for interactive use.

import { EventQueue, type EventFn } from "./event-queue.ts";

export interface Pollable {
  /** The next virtual instant (ms) at which this wants poll(), Infinity for none. */
  nextDeadlineMs(): number;
  pollAt(nowMs: number): void;
}

/** Upper bound on work at one instant: a device whose deadline never moves past now is a bug. */
const STEPS_PER_INSTANT_MAX = 100_000;

export class Scheduler {
  nowMs = 0;
  private readonly events = new EventQueue();
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
    this.atCall(atMs, run, undefined);
  }

  /** Runs `fn(arg)` at virtual time `atMs` (not before now), ordered as `at` orders. For hot paths:
   * a function made once plus an argument allocates nothing, where a closure per event would. */
  atCall<T>(atMs: number, fn: (arg: T) => void, arg: T): void {
    const now = this.nowMs;
    if (atMs > now) this.events.push(atMs, fn as EventFn, arg, false);
    else this.events.push(now, fn as EventFn, arg, true);
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.nowMs + delayMs, run);
  }

  /** Events waiting to run. */
  get pendingEvents(): number {
    return this.events.size;
  }

  /** The earliest instant anything is due. */
  nextMs(): number {
    let next = this.events.peekMs();
    const pollables = this.pollables;
    for (let i = 0; i < pollables.length; i++) {
      const at = pollables[i]!.nextDeadlineMs();
      if (at < next) next = at;
    }
    return next;
  }

  /** Runs everything due up to and including `untilMs`, then leaves the clock at `untilMs`. */
  runUntil(untilMs: number): void {
    let steps = 0;
    let instant = this.nowMs;
    for (;;) {
      const next = this.dueMs(untilMs);
      if (next > untilMs) break;
      const at = next > this.nowMs ? next : this.nowMs;
      if (at !== instant) {
        instant = at;
        steps = 0;
      }
      if (++steps > STEPS_PER_INSTANT_MAX) throw new Error(`simulation stuck at ${next} ms`);
      this.nowMs = at;
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
      const next = this.dueMs(end);
      if (next > end) {
        this.nowMs = end;
        if (done()) return;
        throw new Error(`condition not reached within ${limitMs} ms of virtual time`);
      }
      const at = next > this.nowMs ? next : this.nowMs;
      if (at !== instant) {
        instant = at;
        steps = 0;
      }
      if (++steps > STEPS_PER_INSTANT_MAX) throw new Error(`simulation stuck at ${next} ms`);
      this.nowMs = at;
      this.step();
    }
  }

  /**
   * nextMs() for the run loops: when an event is due at the current instant (and the current
   * instant is within `limitMs`), the next step runs it whatever the deadlines say (events run
   * before polls), so the deadlines are not asked; most steps are such events.
   */
  private dueMs(limitMs: number): number {
    const now = this.nowMs;
    if (this.events.peekMs() <= now && now <= limitMs) return now;
    return this.nextMs();
  }

  private step(): void {
    const now = this.nowMs;
    const events = this.events;
    if (events.peekMs() <= now) {
      events.take();
      const fn = events.takenFn as (arg: unknown) => void;
      const arg = events.takenArg;
      events.takenFn = undefined;
      events.takenArg = undefined;
      fn(arg);
      return;
    }
    const pollables = this.pollables;
    for (let i = 0; i < pollables.length; i++) {
      const p = pollables[i]!;
      if (p.nextDeadlineMs() <= now) p.pollAt(now);
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
