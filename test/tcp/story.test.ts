// The tech note's story at the TCP level, with two firmware instances talking through a 1 ms wire:
// r2 opens a connection to r1's port 2001, then reloads without a word. r1's line stays busy
// (its port refuses) until keepalive-in probes the dead connection: r2 answers the probe with RST,
// r1 aborts, and the line takes new connections again.
import { describe, expect, it } from "vitest";
import { Simulator } from "../../host-sim/simulator.ts";
import type { Device } from "../../host-sim/device.ts";
import { ip } from "../support/packets.ts";
import { State, Reason, type StackExports } from "../support/stack-bench.ts";

const R1 = ip("10.0.0.1");
const R2 = ip("10.0.0.2");
const MASK = ip("255.255.255.0");
const LINK_DELAY_MS = 1;

function call<T>(device: Device, work: (e: StackExports) => T): T {
  let result: T | undefined;
  device.callExports((raw) => {
    result = work(raw as unknown as StackExports);
  });
  return result as T;
}

/**
 * Steps virtual time 1 ms at a time until `done()` holds. (A condition that calls into a device
 * kicks it, so scheduler.runUntilTrue would poll it at the same instant for ever.)
 */
function waitFor(sim: Simulator, done: () => boolean, limitMs: number, what: string): void {
  const end = sim.nowMs + limitMs;
  while (!done()) {
    if (sim.nowMs >= end) throw new Error(`${what}: not reached within ${limitMs} ms`);
    sim.runFor(1);
  }
}

function twoRouters(): { sim: Simulator; r1: Device; r2: Device } {
  const sim = new Simulator(7);
  const r1 = sim.addDevice({ name: "r1", firmwarePath: "build/testing/stack.wasm" });
  const r2 = sim.addDevice({ name: "r2", firmwarePath: "build/testing/stack.wasm" });
  r1.transmit = (frame) => sim.scheduler.after(LINK_DELAY_MS, () => r2.receiveFrame(frame));
  r2.transmit = (frame) => sim.scheduler.after(LINK_DELAY_MS, () => r1.receiveFrame(frame));
  r1.powerOn();
  r2.powerOn();
  call(r1, (e) => e.testConfigure(R1, MASK, 0));
  call(r2, (e) => e.testConfigure(R2, MASK, 0));
  return { sim, r1, r2 };
}

/** r1's line 1: listens on 2001 while free; busy (no listener: connections refused) once it accepted. */
function lineAccepts(r1: Device): number {
  const l = call(r1, (e) => e.tcpListen(2001, 2001));
  expect(l).toBeGreaterThanOrEqual(0);
  return l;
}

describe("the tech note's story", () => {
  it("without keepalive the stale connection holds r1's line; with keepalive-in it is freed at the first probe", () => {
    for (const keepaliveIn of [false, true]) {
      const { sim, r1, r2 } = twoRouters();
      call(r1, (e) => e.tcpSetKeepaliveIn(keepaliveIn ? 1 : 0));
      const l = lineAccepts(r1);
      const client = call(r2, (e) => e.tcpOpen(R1, 2001));
      let line = -1;
      waitFor(sim, () => (line = call(r1, (e) => e.tcpAccept(l, 2001))) >= 0, 10_000, "first accept");
      call(r1, (e) => e.tcpUnlisten(l)); // the line is busy now
      expect(call(r2, (e) => e.tcpState(client))).toBe(State.ESTABLISHED);

      // r2 reloads: RAM (and the connection) is gone, r1 hears nothing.
      sim.runFor(5000);
      r2.reload();
      call(r2, (e) => e.testConfigure(R2, MASK, 0));
      const retry = call(r2, (e) => e.tcpOpen(R1, 2001));
      waitFor(sim, () => call(r2, (e) => e.tcpState(retry)) === State.CLOSED, 10_000, "refused");
      expect(call(r2, (e) => e.tcpCloseReason(retry))).toBe(Reason.REFUSED); // "% Connection refused by remote host"
      call(r2, (e) => e.tcpClose(retry));

      sim.runFor(10 * 60_000);
      if (!keepaliveIn) {
        expect(call(r1, (e) => e.tcpState(line))).toBe(State.ESTABLISHED); // hung for ever
        continue;
      }
      // The probe went out 60 s after the last segment; r2 answered RST; r1 aborted at once.
      expect(call(r1, (e) => e.tcpState(line))).toBe(State.CLOSED);
      expect(call(r1, (e) => e.tcpCloseReason(line))).toBe(Reason.RESET);
      call(r1, (e) => e.tcpClose(line));
      const l2 = lineAccepts(r1);
      const again = call(r2, (e) => e.tcpOpen(R1, 2001));
      waitFor(sim, () => call(r1, (e) => e.tcpAccept(l2, 2001)) >= 0, 10_000, "accept after keepalive");
      expect(call(r2, (e) => e.tcpState(again))).toBe(State.ESTABLISHED);
    }
  });

  it("carries data both ways between two stacks, in order, through small rings", () => {
    const { sim, r1, r2 } = twoRouters();
    const l = lineAccepts(r1);
    const client = call(r2, (e) => e.tcpOpen(R1, 2001));
    let server = -1;
    waitFor(sim, () => (server = call(r1, (e) => e.tcpAccept(l, 0))) >= 0, 10_000, "accept");
    const total = 20_000;
    const pattern = (i: number): number => (i * 7 + 3) & 0xff;
    let sent = 0;
    const received: number[] = [];
    waitFor(sim, () => {
      if (sent < total) {
        r2.callExports((raw, memory) => {
          const e = raw as unknown as StackExports;
          const n = Math.min(700, total - sent);
          for (let i = 0; i < n; i++) memory[e.testBuffer() + i] = pattern(sent + i);
          sent += e.tcpSend(client, e.testBuffer(), n) >>> 0;
        });
      }
      r1.callExports((raw, memory) => {
        const e = raw as unknown as StackExports;
        const n = e.tcpRecv(server, e.testBuffer(), 2048) >>> 0;
        for (let i = 0; i < n; i++) received.push(memory[e.testBuffer() + i]!);
      });
      return received.length >= total;
    }, 60_000, "transfer");
    expect(received.every((byte, i) => byte === pattern(i))).toBe(true);
    expect(call(r1, (e) => e.tcpBytesIn(server))).toBe(total);
    // Orderly close from the client; the server sees EOF, closes, both sides free their TCBs.
    call(r2, (e) => e.tcpClose(client));
    waitFor(sim, () => call(r1, (e) => e.tcpRecvEof(server)) === 1, 10_000, "EOF");
    call(r1, (e) => e.tcpClose(server));
    sim.runFor(61_000);
    expect(call(r1, (e) => e.tcpInUse(server))).toBe(0);
    expect(call(r2, (e) => e.tcpInUse(client))).toBe(0);
  });

  it("is deterministic: the same seed gives the same frames, byte for byte", () => {
    const run = (): string[] => {
      const { sim, r1, r2 } = twoRouters();
      const frames: string[] = [];
      const tap = (name: string, device: Device, to: Device): void => {
        device.transmit = (frame) => {
          frames.push(`${sim.nowMs} ${name} ${Buffer.from(frame).toString("hex")}`);
          sim.scheduler.after(LINK_DELAY_MS, () => to.receiveFrame(frame));
        };
      };
      tap("r1", r1, r2);
      tap("r2", r2, r1);
      call(r1, (e) => e.tcpSetKeepaliveIn(1));
      const l = lineAccepts(r1);
      const client = call(r2, (e) => e.tcpOpen(R1, 2001));
      waitFor(sim, () => call(r1, (e) => e.tcpAccept(l, 0)) >= 0, 10_000, "accept");
      r2.callExports((raw) => (raw as unknown as StackExports).tcpSend(client, 0, 700));
      sim.runFor(5000);
      r2.reload();
      sim.runFor(3 * 60_000);
      return frames;
    };
    const first = run();
    expect(first.length).toBeGreaterThan(8);
    expect(run()).toEqual(first);
  });
});
