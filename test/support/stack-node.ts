// A firmware instance as a network node for end-to-end tests: a Device running the stack test entry
// (firmware/testing/stack.ts: the whole firmware plus the net/TCP socket API) inside a Simulator,
// plugged into sim.network like any device, with typed calls for what a test does with sockets
// (listen, open, send, receive, state, close reason, counters). Unlike StackBench (one device and a
// scripted peer), any number of these talk to each other or to the Linux kernel through a TAP.
//
//   const a = StackNode.add(sim, "r1", { ip: "10.0.0.1" });
//   const b = StackNode.add(sim, "r2", { ip: "10.0.0.2" });
//   sim.network.connect(a.device, b.device, { faults: { loss: [1, 5] } });
import type { Device } from "../../host-sim/device.ts";
import type { Simulator } from "../../host-sim/simulator.ts";
import { ip } from "./packets.ts";
import { Reason, State, type StackExports } from "./stack-bench.ts";

export const STACK_ENTRY_PATH = "build/testing/stack.wasm";
/** Size of the entry's testBuffer (firmware/testing/stack.ts): the most one send or receive moves. */
export const TEST_BUFFER_BYTES = 2048;

export interface StackNodeOptions {
  /** The node's address, dotted. */
  ip: string;
  mask?: string;
  /** Default gateway, dotted; none by default. */
  gateway?: string;
  mac?: bigint;
}

export const stateName = (state: number): string => Object.entries(State).find(([, v]) => v === state)?.[0] ?? `state ${state}`;
export const reasonName = (reason: number): string => Object.entries(Reason).find(([, v]) => v === reason)?.[0] ?? `reason ${reason}`;

export class StackNode {
  private constructor(readonly sim: Simulator, readonly device: Device, readonly ip: number) {}

  /** Adds a device running the stack entry, powers it on and gives it its address. */
  static add(sim: Simulator, name: string, options: StackNodeOptions): StackNode {
    const device = sim.addDevice({ name, firmwarePath: STACK_ENTRY_PATH, ...(options.mac === undefined ? {} : { mac: options.mac }) });
    const node = new StackNode(sim, device, ip(options.ip));
    device.powerOn();
    node.configure(options);
    return node;
  }

  /** The exec's `ip address` and `ip default-gateway` again (after a reload, say). */
  configure(options: StackNodeOptions): void {
    this.call((e) => e.testConfigure(ip(options.ip), ip(options.mask ?? "255.255.255.0"), options.gateway ? ip(options.gateway) : 0));
  }

  get running(): boolean {
    return this.device.state === "running";
  }

  /** One firmware call; throws if the device is not running (crashed or off). */
  call<T>(work: (e: StackExports, memory: Uint8Array) => T): T {
    let result: T | undefined;
    let called = false;
    this.device.callExports((raw, memory) => {
      called = true;
      result = work(raw as unknown as StackExports, memory);
    });
    if (!called || this.device.state !== "running") throw new Error(`${this.device.name} is ${this.device.state}: ${this.device.crashMessage ?? ""}`);
    return result as T;
  }

  listen(port: number): number {
    const l = this.call((e) => e.tcpListen(port, port));
    if (l < 0) throw new Error(`${this.device.name}: tcpListen(${port}) failed`);
    return l;
  }

  /** A connection the listener made, or -1 when none is waiting. */
  accept(listener: number): number {
    return this.call((e) => e.tcpAccept(listener, 0));
  }

  open(remoteIp: string, port: number): number {
    const h = this.call((e) => e.tcpOpen(ip(remoteIp), port));
    if (h < 0) throw new Error(`${this.device.name}: tcpOpen(${remoteIp}, ${port}) = ${h}`);
    return h;
  }

  /** Queues as much of `bytes` as the send ring takes (at most TEST_BUFFER_BYTES); returns that count. */
  send(h: number, bytes: Uint8Array): number {
    const chunk = bytes.subarray(0, TEST_BUFFER_BYTES);
    return this.call((e, memory) => {
      const ptr = e.testBuffer();
      memory.set(chunk, ptr);
      return e.tcpSend(h, ptr, chunk.length) >>> 0;
    });
  }

  sendSpace(h: number): number {
    return this.call((e) => e.tcpSendSpace(h) >>> 0);
  }

  /** Bytes queued and not yet acknowledged. */
  sendQueued(h: number): number {
    return this.call((e) => e.tcpSendQueued(h) >>> 0);
  }

  /** Takes up to `max` received bytes (a copy). */
  recv(h: number, max = TEST_BUFFER_BYTES): Uint8Array {
    return this.call((e, memory) => {
      const ptr = e.testBuffer();
      const n = e.tcpRecv(h, ptr, Math.min(max, TEST_BUFFER_BYTES)) >>> 0;
      return memory.slice(ptr, ptr + n);
    });
  }

  recvEof(h: number): boolean {
    return this.call((e) => e.tcpRecvEof(h)) !== 0;
  }

  close(h: number): void {
    this.call((e) => e.tcpClose(h));
  }

  state(h: number): number {
    return this.call((e) => e.tcpState(h));
  }

  closeReason(h: number): number {
    return this.call((e) => e.tcpCloseReason(h));
  }

  localPort(h: number): number {
    return this.call((e) => e.tcpLocalPort(h));
  }

  keepaliveProbes(h: number): number {
    return this.call((e) => e.tcpKeepaliveProbes(h));
  }

  /** Keepalive forced on for this connection, with the stack's timers set to these. */
  keepalive(h: number, idleMs: number, intervalMs: number, count: number): void {
    this.call((e) => {
      e.tcpSetKeepaliveTimers(idleMs, intervalMs, count);
      e.tcpSetConnectionKeepalive(h, 1);
    });
  }

  tcpCounter(id: number): number {
    return this.call((e) => e.tcpCounter(id) >>> 0);
  }

  netCounter(id: number): number {
    return this.call((e) => e.netCounter(id) >>> 0);
  }

  /** Heap bytes now: the no-allocation-after-boot invariant says this never grows after boot. */
  heapBytes(): number {
    return this.device.memoryFacts()?.heapBytes ?? -1;
  }
}
