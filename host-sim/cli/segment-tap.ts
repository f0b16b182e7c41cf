// `npm start -- --tap SEGMENT=ADDRESS/LEN`: bridges a segment of the topology to a Linux TAP whose
// kernel side lives in a fresh network namespace with no default route (host-sim/network), so real
// programs can reach the simulated routers: `ip netns exec NS telnet 10.0.0.1 2001`. Needs root.
// The namespace and the bridge's socat are removed on quit (and at exit, whatever happens).
import { NetNamespace } from "../network/namespace.ts";
import { TapBridge } from "../network/tap-bridge.ts";
import type { RealTimeDriver } from "../scheduler.ts";
import type { Simulator } from "../simulator.ts";

export interface SegmentTap {
  readonly note: string;
  close(): void;
}

/** Parses "lan0=10.0.0.9/24". */
export function parseTapOption(text: string): { segment: string; address: string } {
  const match = /^([A-Za-z][A-Za-z0-9_-]*)=(\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2})$/.exec(text);
  if (!match) throw new Error(`--tap ${text}: expected SEGMENT=ADDRESS/LEN, e.g. lan0=10.0.0.9/24`);
  return { segment: match[1]!, address: match[2]! };
}

export async function openSegmentTap(sim: Simulator, option: string, driver: RealTimeDriver): Promise<SegmentTap> {
  const { segment, address } = parseTapOption(option);
  const sw = sim.network.switches.get(segment);
  if (!sw) throw new Error(`--tap ${option}: the topology has no segment ${segment}`);
  const ns = NetNamespace.create();
  let bridge: TapBridge;
  try {
    bridge = await TapBridge.open(sim.scheduler, { namespace: ns, address, driver });
  } catch (error) {
    ns.delete();
    throw error;
  }
  sim.network.connect(bridge.port, sw);
  return {
    note: `${segment} is bridged to ${bridge.tapName} (${address}) in namespace ${ns.name}: try ip netns exec ${ns.name} telnet <router address> 2001`,
    close: () => {
      bridge.close();
      ns.delete();
    },
  };
}
