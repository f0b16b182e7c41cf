// Two firmware instances joined by one cable, a connection between them, and a bulk transfer both
// ways at once through a StreamPump, with the figures a report needs (bytes, virtual time,
// retransmissions, what the link did). Used by the interop tests in virtual time.
import type { Faults } from "../../host-sim/network/faults.ts";
import type { Link } from "../../host-sim/network/link.ts";
import type { ChannelCounters } from "../../host-sim/network/channel.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { ConnectionWatch, PatternReceiver, PatternSender, StreamPump } from "./byte-streams.ts";
import { TcpCounter } from "./stack-bench.ts";
import { StackNode } from "./stack-node.ts";

export const CLIENT_IP = "10.0.0.1";
export const SERVER_IP = "10.0.0.2";
export const SERVER_PORT = 2001;

export interface Pair {
  sim: Simulator;
  client: StackNode;
  server: StackNode;
  /** client's NIC (end a) to server's NIC (end b). */
  link: Link;
  pump: StreamPump;
  clientWatch: ConnectionWatch;
  serverWatch: ConnectionWatch;
}

/**
 * r1 (client, 10.0.0.1) and r2 (server, 10.0.0.2, listening on 2001) on one cable with `faults`,
 * r1 connected to r2. `beforeOpen` runs after the cable is made and before the SYN (captures).
 */
export function connectedPair(seed: number, faults: Partial<Faults>, beforeOpen?: (pair: Omit<Pair, "clientWatch" | "serverWatch">) => void): Pair {
  const sim = new Simulator(seed);
  const client = StackNode.add(sim, "r1", { ip: CLIENT_IP });
  const server = StackNode.add(sim, "r2", { ip: SERVER_IP });
  const link = sim.network.connect(client.device, server.device, { faults });
  const pump = new StreamPump(sim.scheduler, [client, server]);
  beforeOpen?.({ sim, client, server, link, pump });
  const listener = server.listen(SERVER_PORT);
  const clientWatch = pump.add(new ConnectionWatch(client, client.open(SERVER_IP, SERVER_PORT)));
  const serverWatch = pump.add(new ConnectionWatch(server, -1, listener));
  sim.runUntilTrue(() => (clientWatch.open && serverWatch.open) || clientWatch.closedAtMs !== undefined, 120_000);
  if (!clientWatch.open || !serverWatch.open) throw new Error(`the connection did not open (client reason ${clientWatch.closeReason})`);
  return { sim, client, server, link, pump, clientWatch, serverWatch };
}

export interface TransferFigures {
  bytesEachWay: number;
  /** Virtual time from the first byte queued to the last byte read on both sides. */
  virtualMs: number;
  /** Bytes per virtual second, one direction. */
  throughputBytesPerS: number;
  wallMs: number;
  received: [toClient: number, toServer: number];
  /** First stream offset that differed from the pattern (-1: none). */
  mismatchAt: [toClient: number, toServer: number];
  retransmits: [client: number, server: number];
  segmentsOut: [client: number, server: number];
  droppedBadChecksum: [client: number, server: number];
  droppedOutOfOrder: [client: number, server: number];
  /** Segments found outside the receive window (each answered with an ACK). */
  droppedOutOfWindow: [client: number, server: number];
  /** Close reasons if the connection died during the transfer (undefined: still open). */
  closeReasons: [client: number | undefined, server: number | undefined];
  link: ChannelCounters;
}

/** Sends `bytes` of one pattern each way at once; returns when both sides read all or one died. */
export function transferBothWays(pair: Pair, bytes: number, seeds: [clientToServer: number, serverToClient: number], limitMs: number): TransferFigures {
  const { sim, client, server, pump, clientWatch, serverWatch, link } = pair;
  const wallStartMs = Date.now();
  const startMs = sim.nowMs;
  const before = { ...link.totals() };
  const retransmitsBefore = [client.tcpCounter(TcpCounter.RETRANSMITS), server.tcpCounter(TcpCounter.RETRANSMITS)];
  const segmentsBefore = [client.tcpCounter(TcpCounter.SEGS_OUT), server.tcpCounter(TcpCounter.SEGS_OUT)];
  const c = clientWatch.h;
  const s = serverWatch.h;
  pump.add(new PatternSender(client, c, seeds[0], bytes));
  pump.add(new PatternSender(server, s, seeds[1], bytes));
  const toClient = pump.add(new PatternReceiver(client, c, seeds[1], bytes));
  const toServer = pump.add(new PatternReceiver(server, s, seeds[0], bytes));
  sim.runUntilTrue(() => (toClient.done && toServer.done) || !clientWatch.open || !serverWatch.open, limitMs);
  const endMs = Math.max(toClient.doneAtMs ?? sim.nowMs, toServer.doneAtMs ?? sim.nowMs);
  const after = link.totals();
  const linkDelta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof ChannelCounters]])) as unknown as ChannelCounters;
  const virtualMs = endMs - startMs;
  return {
    bytesEachWay: bytes,
    virtualMs,
    throughputBytesPerS: Math.round((Math.min(toClient.received, toServer.received) * 1000) / Math.max(virtualMs, 1)),
    wallMs: Date.now() - wallStartMs,
    received: [toClient.received, toServer.received],
    mismatchAt: [toClient.mismatchAt, toServer.mismatchAt],
    retransmits: [client.tcpCounter(TcpCounter.RETRANSMITS) - retransmitsBefore[0]!, server.tcpCounter(TcpCounter.RETRANSMITS) - retransmitsBefore[1]!],
    segmentsOut: [client.tcpCounter(TcpCounter.SEGS_OUT) - segmentsBefore[0]!, server.tcpCounter(TcpCounter.SEGS_OUT) - segmentsBefore[1]!],
    droppedBadChecksum: [client.tcpCounter(TcpCounter.DROP_BAD_CHECKSUM), server.tcpCounter(TcpCounter.DROP_BAD_CHECKSUM)],
    droppedOutOfOrder: [client.tcpCounter(TcpCounter.DROP_OUT_OF_ORDER), server.tcpCounter(TcpCounter.DROP_OUT_OF_ORDER)],
    droppedOutOfWindow: [client.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW), server.tcpCounter(TcpCounter.DROP_OUT_OF_WINDOW)],
    closeReasons: [clientWatch.closeReason, serverWatch.closeReason],
    link: linkDelta,
  };
}

/** The figures as a few report lines. */
export function describeTransfer(label: string, f: TransferFigures): string {
  const mib = (f.bytesEachWay / 1048576).toFixed(2);
  return [
    `${label}: ${mib} MiB each way${f.received[0] === f.bytesEachWay && f.received[1] === f.bytesEachWay ? "" : ` (only ${f.received[0]} / ${f.received[1]} bytes arrived)`} at once in ${(f.virtualMs / 1000).toFixed(1)} s of virtual time (${f.wallMs} ms wall), ` +
      `${f.throughputBytesPerS} B/s per direction`,
    `  retransmissions client ${f.retransmits[0]}, server ${f.retransmits[1]}; segments out ${f.segmentsOut[0]} / ${f.segmentsOut[1]}; ` +
      `dropped for bad checksum ${f.droppedBadChecksum[0]} / ${f.droppedBadChecksum[1]}, out of order ${f.droppedOutOfOrder[0]} / ${f.droppedOutOfOrder[1]}, ` +
      `out of window ${f.droppedOutOfWindow[0]} / ${f.droppedOutOfWindow[1]}`,
    `  link: offered ${f.link.offered}, delivered ${f.link.delivered}, lost ${f.link.lost}, duplicated ${f.link.duplicated}, ` +
      `reordered ${f.link.reordered}, corrupted ${f.link.corrupted}`,
  ].join("\n");
}
