// The harness for interop tests against the Linux kernel: a fresh network namespace, a TAP in it
// bridged onto a port of the virtual network, commands and Node children run inside it, and
// cleanup of all of it (also when a test fails). Outside CI a missing privilege or tool skips the
// test with a SKIP line; under CI=true it fails.
//
//   const peer = await openKernelPeer(sim, sw);            // kernel at 192.0.2.1/24 behind a TAP
//   try { const r = await peer.exec("ping", ["-c", "3", "-W", "1", "192.0.2.2"]); ... }
//   finally { peer.close(); }
import type { ChildProcess } from "node:child_process";
import type { LinkOptions } from "../../host-sim/network/link.ts";
import { NetNamespace, type ExecResult } from "../../host-sim/network/namespace.ts";
import type { Endpoint } from "../../host-sim/network/network.ts";
import type { Link } from "../../host-sim/network/link.ts";
import { TapBridge } from "../../host-sim/network/tap-bridge.ts";
import type { Simulator } from "../../host-sim/simulator.ts";
import { missingForTap, missingTools, unavailable } from "./tools.ts";

/** TEST-NET-1 (RFC 5737): reserved for documentation, never routed. Used inside the namespace only. */
export const TEST_SUBNET_PREFIX = "192.0.2";
export const KERNEL_IP = "192.0.2.1";
export const KERNEL_MAC = 0x02_00_00_00_01_01n;

/** undefined when interop tests can run here, else the SKIP reason (throws under CI). */
export function kernelPeerUnavailable(...tools: string[]): string | undefined {
  return unavailable("interop tests through a TAP", [...missingForTap(), ...missingTools(...tools)]);
}

export interface KernelPeerOptions {
  /** The kernel's address and prefix on the TAP; default 192.0.2.1/24. */
  address?: string;
  mac?: bigint;
  /** Faults on the cable between the TAP and the virtual network. */
  link?: LinkOptions;
}

export interface KernelPeer {
  readonly ns: NetNamespace;
  readonly bridge: TapBridge;
  /** The cable from the TAP's port (end a) to `attachTo` (end b). */
  readonly link: Link;
  exec(command: string, args?: string[], timeoutMs?: number): Promise<ExecResult>;
  /** A Node script inside the namespace (.ts through tsx). */
  node(script: string, args?: string[]): ChildProcess;
  /**
   * Waits in wall time until `done()` holds (the bridge paces the simulation meanwhile); rejects
   * after `limitMs`. With a TAP open, use this instead of sim.runFor: the kernel runs in wall time.
   */
  until(done: () => boolean, limitMs: number): Promise<void>;
  /** The wall-clock instant virtual time 0 stands for: pass it as a capture's epochMs. */
  readonly epochMs: number;
  close(): void;
}

export async function openKernelPeer(sim: Simulator, attachTo: Endpoint, options: KernelPeerOptions = {}): Promise<KernelPeer> {
  const ns = NetNamespace.create();
  let bridge: TapBridge;
  try {
    bridge = await TapBridge.open(sim.scheduler, { namespace: ns, address: options.address ?? `${KERNEL_IP}/24`, mac: options.mac ?? KERNEL_MAC });
  } catch (error) {
    ns.delete();
    throw error;
  }
  const link = sim.network.connect(bridge.port, attachTo, options.link);
  return {
    ns,
    bridge,
    link,
    exec: (command, args = [], timeoutMs) => ns.exec(command, args, timeoutMs),
    node: (script, args = []) => ns.node(script, args),
    until: (done, limitMs) => waitUntil(done, limitMs),
    epochMs: Date.now() - sim.nowMs,
    close: () => {
      link.unplug();
      bridge.close();
      ns.delete();
    },
  };
}

const POLL_INTERVAL_MS = 5;

function waitUntil(done: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (done()) resolve();
      else if (Date.now() > deadline) reject(new Error(`condition not reached within ${limitMs} ms of wall time`));
      else setTimeout(check, POLL_INTERVAL_MS);
    };
    check();
  });
}
