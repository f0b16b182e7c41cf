// Application-side byte streams over firmware sockets, for end-to-end tests: a sender of a seeded
// pattern, a receiver that checks every byte against the same pattern (so "each byte exactly once,
// in order" is checked without keeping megabytes), and an echo. A StreamPump runs them as the
// firmware's user would: a Pollable on the simulation's scheduler that wakes whenever a frame
// enters or leaves a node's NIC (data arrived, an ACK freed send space) and moves bytes until
// nothing moves. It works the same in virtual time and under the real-time driver of a TAP bridge.
import type { Pollable, Scheduler } from "../../host-sim/scheduler.ts";
import { pattern, PatternChecker } from "./pattern.ts";
import { State } from "./stack-bench.ts";
import type { StackNode } from "./stack-node.ts";

const { CLOSED, ESTABLISHED } = State;

/** One piece of application work; step() returns true when it moved something. */
export interface StreamWorker {
  step(): boolean;
}

/** Sends `total` bytes of pattern `seed` on a connection, as fast as the send ring takes them. */
export class PatternSender implements StreamWorker {
  sent = 0;
  /** Virtual instant the last byte went into the send ring. */
  doneAtMs: number | undefined;

  constructor(readonly node: StackNode, readonly h: number, readonly seed: number, readonly total: number, private readonly closeWhenDone = false) {}

  get done(): boolean {
    return this.sent === this.total;
  }

  step(): boolean {
    if (this.done || !this.node.running) return false;
    const space = this.node.sendSpace(this.h);
    if (space === 0) return false;
    const length = Math.min(space, this.total - this.sent, 2048);
    const taken = this.node.send(this.h, pattern(this.seed, this.sent, length));
    this.sent += taken;
    if (this.done) {
      this.doneAtMs = this.node.sim.nowMs;
      if (this.closeWhenDone) this.node.close(this.h);
    }
    return taken > 0;
  }
}

/** Reads a connection and checks each byte against pattern `seed` at its stream offset. */
export class PatternReceiver implements StreamWorker {
  private readonly checker: PatternChecker;
  /** Virtual instant the `expected`-th byte arrived. */
  doneAtMs: number | undefined;

  constructor(readonly node: StackNode, readonly h: number, readonly seed: number, readonly expected: number) {
    this.checker = new PatternChecker(seed);
  }

  get received(): number {
    return this.checker.received;
  }

  /** Stream offset of the first byte that differed from the pattern, -1 while all matched. */
  get mismatchAt(): number {
    return this.checker.mismatchAt;
  }

  get done(): boolean {
    return this.received >= this.expected;
  }

  step(): boolean {
    if (!this.node.running) return false;
    const bytes = this.node.recv(this.h);
    if (bytes.length === 0) return false;
    this.checker.take(bytes);
    if (this.doneAtMs === undefined && this.done) this.doneAtMs = this.node.sim.nowMs;
    return true;
  }
}

/**
 * Sends back whatever arrives on a connection (never reading more than the send ring can take);
 * with `closeOnEof`, closes its side once the peer's FIN arrived and every byte was read.
 */
export class Echo implements StreamWorker {
  echoed = 0;
  closed = false;

  constructor(readonly node: StackNode, readonly h: number, private readonly closeOnEof = false) {}

  step(): boolean {
    if (!this.node.running || this.closed) return false;
    const space = this.node.sendSpace(this.h);
    const bytes = space > 0 ? this.node.recv(this.h, space) : new Uint8Array(0);
    if (bytes.length > 0) {
      const taken = this.node.send(this.h, bytes);
      if (taken !== bytes.length) throw new Error(`echo: the send ring took ${taken} of ${bytes.length} bytes after promising room`);
      this.echoed += taken;
      return true;
    }
    if (this.closeOnEof && this.node.recvEof(this.h)) {
      this.node.close(this.h);
      this.closed = true;
      return true;
    }
    return false;
  }
}

/**
 * Takes the next connection a listener made, and from then on watches it: when it leaves the
 * synchronized states, the instant and the close reason are recorded. A test's run condition reads
 * these fields, never the firmware (every firmware call kicks a poll at the current instant, so a
 * condition that calls the firmware would keep virtual time from advancing).
 */
export class ConnectionWatch implements StreamWorker {
  openedAtMs: number | undefined;
  closedAtMs: number | undefined;
  closeReason: number | undefined;
  /** Last state seen (State.*). */
  state = -1;

  /** Watch a handle the test holds (tcpOpen) or, with `listener`, the next one accepted from it. */
  constructor(readonly node: StackNode, public h: number, private readonly listener = -1) {}

  get open(): boolean {
    return this.openedAtMs !== undefined && this.closedAtMs === undefined;
  }

  step(): boolean {
    if (this.closedAtMs !== undefined) return false;
    if (!this.node.running) {
      this.closedAtMs = this.node.sim.nowMs;
      return false;
    }
    if (this.h < 0) {
      this.h = this.node.accept(this.listener);
      if (this.h < 0) return false;
    }
    this.state = this.node.state(this.h);
    if (this.openedAtMs === undefined && this.state >= ESTABLISHED) this.openedAtMs = this.node.sim.nowMs;
    if (this.state === CLOSED && (this.openedAtMs !== undefined || this.node.closeReason(this.h) !== 0)) {
      this.closedAtMs = this.node.sim.nowMs;
      this.closeReason = this.node.closeReason(this.h);
    }
    return false;
  }
}

/** Rounds of steps in one wake-up (each round moves at most a ring's worth per worker). */
const ROUNDS_PER_WAKE_MAX = 64;

/** Runs workers whenever a frame passes one of the nodes' NICs (and once when a worker is added). */
export class StreamPump implements Pollable {
  private readonly workers: StreamWorker[] = [];
  private readonly untaps: (() => void)[] = [];
  private dirty = true;

  constructor(private readonly scheduler: Scheduler, nodes: StackNode[]) {
    scheduler.add(this);
    for (const node of nodes) {
      const nic = node.sim.network.nic(node.device);
      this.untaps.push(nic.tap(() => (this.dirty = true)));
    }
  }

  add<T extends StreamWorker>(worker: T): T {
    this.workers.push(worker);
    this.dirty = true;
    return worker;
  }

  /** Wakes the workers at the next step (after a test changed something by hand). */
  wake(): void {
    this.dirty = true;
  }

  nextDeadlineMs(): number {
    return this.dirty ? this.scheduler.nowMs : Infinity;
  }

  pollAt(): void {
    this.dirty = false;
    for (let round = 0; round < ROUNDS_PER_WAKE_MAX; round++) {
      let moved = false;
      for (const worker of this.workers) moved = worker.step() || moved;
      if (!moved) return;
    }
    this.dirty = true; // more to do: come back at this instant after the devices ran
  }

  stop(): void {
    this.scheduler.remove(this);
    for (const untap of this.untaps) untap();
  }
}
