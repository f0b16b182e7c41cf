// A capture of a whole segment, as a switch's mirror port would give it: every frame that reaches
// the segment's switch from any of its links, once, in one pcap file (host-sim/network/pcap.ts).
// A frame lost on a cut link never reaches the switch and is not in the capture, as on a real
// mirror port; frames the switch forwards are not written a second time.
import { PcapWriter } from "../network/pcap.ts";
import type { Switch } from "../network/switch.ts";

export interface SegmentCapture {
  readonly path: string;
  readonly writer: PcapWriter;
  stop(): void;
}

export function captureSegment(sw: Switch, path: string): SegmentCapture {
  const writer = new PcapWriter(path);
  const untaps = sw.ports.map((port) =>
    port.tap((frame, direction, atMs) => {
      if (direction === "in") writer.write(atMs, frame);
    }),
  );
  return {
    path,
    writer,
    stop: () => {
      for (const untap of untaps) untap();
      writer.close();
    },
  };
}
