// A bridge from a port of the virtual network to a Linux TAP device, so the real kernel (its ARP,
// ICMP and TCP) is a peer of the firmware. Node cannot open a TAP; socat does, carrying one
// Ethernet frame per UDP datagram between the TAP and a dgram socket of ours, both on 127.0.0.1:
//
//   virtual port <-> Node dgram 127.0.0.1:A <-> socat 127.0.0.1:B <-> TAP <-> kernel (namespace)
//
// The TAP is moved into a fresh namespace (no default route, IPv6 off) before it comes up, so
// nothing can leave the machine. The kernel runs in wall time, so the bridge paces the scheduler in
// real time (RealTimeDriver) while it is open. It ends only the socat it started, by pid.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { RealTimeDriver, type Scheduler } from "../scheduler.ts";
import { atExit } from "./cleanup.ts";
import { formatMac } from "./ethernet.ts";
import type { NetNamespace } from "./namespace.ts";
import { Port } from "./port.ts";

/** Everything the bridge sends goes here and nowhere else. */
const LOOPBACK = "127.0.0.1";
const TAP_APPEAR_TIMEOUT_MS = 5_000;
let tapsMade = 0;

export interface TapBridgeOptions {
  namespace: NetNamespace;
  /** The kernel's address on the TAP, with prefix length: "192.0.2.1/24". */
  address: string;
  /** The TAP's MAC (a fixed one makes captures comparable run to run). */
  mac?: bigint;
  /** Paces the scheduler; by default the bridge makes one (speed 1) and stops it on close. */
  driver?: RealTimeDriver;
  tapName?: string;
}

export interface TapBridgeCounters {
  toKernel: number;
  fromKernel: number;
  /** Datagrams from anything but our socat (dropped). */
  foreign: number;
}

export class TapBridge {
  readonly port: Port;
  readonly counters: TapBridgeCounters = { toKernel: 0, fromKernel: 0, foreign: 0 };
  private socat: ChildProcess | undefined;
  private socatStderr = "";
  private closed = false;
  private readonly unregister: () => void;

  private constructor(
    readonly tapName: string,
    private readonly socket: Socket,
    private readonly socatPort: number,
    private readonly driver: RealTimeDriver,
    private readonly ownsDriver: boolean,
    scheduler: Scheduler,
  ) {
    this.port = new Port(tapName, scheduler, (frame) => this.toKernel(frame));
    this.unregister = atExit(() => this.killSocat());
  }

  /** Starts socat, moves its TAP into the namespace, configures it, and starts real-time pacing. */
  static async open(scheduler: Scheduler, options: TapBridgeOptions): Promise<TapBridge> {
    const tapName = options.tapName ?? `tsim${process.pid}t${++tapsMade}`;
    if (tapName.length > 15) throw new Error(`TAP name ${tapName} is longer than IFNAMSIZ-1`);
    const socket = await bindLoopback(0);
    const socatPort = await freeLoopbackPort();
    const driver = options.driver ?? new RealTimeDriver(scheduler);
    const bridge = new TapBridge(tapName, socket, socatPort, driver, options.driver === undefined, scheduler);
    try {
      // Node listens before socat can send anything (the kernel's first ARP is lost otherwise).
      socket.on("message", (frame, from) => bridge.fromKernel(frame, from.address, from.port));
      await bridge.startSocat(socket.address().port);
      bridge.configure(options);
    } catch (error) {
      bridge.close();
      throw error;
    }
    if (bridge.ownsDriver) driver.start();
    return bridge;
  }

  /** The socat process's pid while it runs. */
  get socatPid(): number | undefined {
    return this.socat?.pid;
  }

  /** Stops pacing, ends socat (the TAP vanishes with it) and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDriver) this.driver.stop();
    this.killSocat();
    this.unregister();
    this.socket.close();
  }

  private async startSocat(nodePort: number): Promise<void> {
    const tap = `TUN,tun-type=tap,tun-name=${this.tapName},iff-no-pi`;
    const udp = `UDP-DATAGRAM:${LOOPBACK}:${nodePort},bind=${LOOPBACK}:${this.socatPort}`;
    const socat = spawn("socat", [tap, udp], { stdio: ["ignore", "ignore", "pipe"] });
    this.socat = socat;
    socat.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.socatStderr += chunk));
    const deadline = Date.now() + TAP_APPEAR_TIMEOUT_MS;
    while (!tapExists(this.tapName)) {
      if (socat.exitCode !== null || socat.signalCode !== null) throw new Error(`socat exited: ${this.socatStderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`TAP ${this.tapName} did not appear`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private configure(options: TapBridgeOptions): void {
    const ns = options.namespace;
    // IPv6 off through the namespace's default, set before the TAP arrives (a device moved in takes
    // it). The TAP's own /proc/sys/net/ipv6/conf/NAME entry appears asynchronously after the move:
    // under load a sysctl on it failed with "cannot stat ... No such file or directory".
    ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
    execFileSync("ip", ["link", "set", this.tapName, "netns", ns.name]);
    if (options.mac !== undefined) ns.ip(["link", "set", this.tapName, "address", formatMac(options.mac)]);
    ns.ip(["addr", "add", options.address, "dev", this.tapName]);
    ns.ip(["link", "set", this.tapName, "up"]);
    ns.assertNoDefaultRoute();
  }

  private toKernel(frame: Uint8Array): void {
    if (this.closed) return;
    this.counters.toKernel++;
    this.socket.send(frame, this.socatPort, LOOPBACK);
  }

  private fromKernel(frame: Buffer, address: string, port: number): void {
    if (this.closed) return;
    if (address !== LOOPBACK || port !== this.socatPort) {
      this.counters.foreign++;
      return;
    }
    this.counters.fromKernel++;
    // Bring virtual time up to the wall clock, deliver, and let the simulation answer at once.
    this.driver.tick();
    this.port.send(new Uint8Array(frame));
    this.driver.tick();
  }

  private killSocat(): void {
    const socat = this.socat;
    if (socat?.pid !== undefined && socat.exitCode === null && socat.signalCode === null) process.kill(socat.pid, "SIGTERM");
  }
}

function tapExists(name: string): boolean {
  try {
    execFileSync("ip", ["link", "show", "dev", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function bindLoopback(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(port, LOOPBACK, () => {
      socket.removeListener("error", reject);
      resolve(socket);
    });
  });
}

/** A loopback UDP port free right now, for socat to bind (it cannot report an ephemeral one). */
async function freeLoopbackPort(): Promise<number> {
  const probe = await bindLoopback(0);
  const port = probe.address().port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
