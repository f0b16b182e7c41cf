// Packet capture in the classic libpcap format (https://wiki.wireshark.org/Development/LibpcapFileFormat,
// draft-ietf-opsawg-pcap), LINKTYPE_ETHERNET, with timestamps from virtual time, so Wireshark and
// tshark read what crossed any port of the simulation. Records are written as they happen, so the
// file is valid at every instant (a crashed test still leaves a readable capture).
//
// File header (24 bytes, little-endian):       Record header (16 bytes) then the frame bytes:
//   magic a1b2c3d4 | major 2 | minor 4           seconds | microseconds | captured length | length
//   thiszone 0 | sigfigs 0 | snaplen | linktype
import { closeSync, openSync, writeSync } from "node:fs";
import type { FrameDirection, Port } from "./port.ts";

const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
const LINKTYPE_ETHERNET = 1;
const SNAPLEN_BYTES = 65_535;

export class PcapWriter {
  private fd: number | undefined;
  frames = 0;

  /** `epochMs` is the wall-clock instant virtual time 0 stands for (default: 1970-01-01). */
  constructor(readonly path: string, private readonly epochMs = 0) {
    this.fd = openSync(path, "w");
    const header = Buffer.alloc(24);
    header.writeUInt32LE(PCAP_MAGIC_MICROSECONDS, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(SNAPLEN_BYTES, 16);
    header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
    writeSync(this.fd, header);
  }

  write(atMs: number, frame: Uint8Array): void {
    if (this.fd === undefined) return;
    const microseconds = Math.round((this.epochMs + atMs) * 1000);
    const captured = Math.min(frame.length, SNAPLEN_BYTES);
    const record = Buffer.alloc(16 + captured);
    record.writeUInt32LE(Math.floor(microseconds / 1_000_000), 0);
    record.writeUInt32LE(microseconds % 1_000_000, 4);
    record.writeUInt32LE(captured, 8);
    record.writeUInt32LE(frame.length, 12);
    record.set(frame.subarray(0, captured), 16);
    writeSync(this.fd, record);
    this.frames++;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export interface Capture {
  readonly path: string;
  readonly writer: PcapWriter;
  /** Stops capturing and closes the file. */
  stop(): void;
}

export interface CaptureOptions {
  /** Only frames in this direction (as the port sees them); both by default. */
  direction?: FrameDirection;
  epochMs?: number;
}

/** Captures every frame through `port`, as tcpdump on that NIC would. */
export function capturePort(port: Port, path: string, options: CaptureOptions = {}): Capture {
  const writer = new PcapWriter(path, options.epochMs);
  const untap = port.tap((frame, direction, atMs) => {
    if (options.direction === undefined || options.direction === direction) writer.write(atMs, frame);
  });
  return {
    path,
    writer,
    stop: () => {
      untap();
      writer.close();
    },
  };
}
