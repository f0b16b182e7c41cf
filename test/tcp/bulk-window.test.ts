// Bulk forwarding through a reverse telnet session (issue 7): r1 tty1 -> 2001 -> r2's telnet
// client -> r2 tty1, unpaced UARTs. The receiver's window must not stick below its ring while the
// session pump reads the ring in steps (the ACK waits for the reading at the same instant, then
// advertises what it freed), and one serial() call must fill TCP's send ring, not one line ring.
import { describe, expect, it } from "vitest";
import { Routers } from "../termsrv/fixture.ts";
import type { Device } from "../../host-sim/device.ts";

const R1 = "hostname r1\nline 1\n no exec\n transport input telnet\n speed 115200\n";
const R2 = "hostname r2\nline 1\n speed 115200\n";
/** TCP_RX_RING_BYTES: the window of an empty receive ring. */
const RING = 1024;

interface Segment {
  atMs: number;
  from: string;
  len: number;
  window: number;
}

function capture(routers: Routers, devices: Device[]): Segment[] {
  const segments: Segment[] = [];
  for (const d of devices) {
    const send = d.transmit!;
    d.transmit = (f: Uint8Array) => {
      if (f[12] === 8 && f[23] === 6) {
        const ihl = (f[14]! & 15) * 4;
        const t = 14 + ihl;
        const view = new DataView(f.buffer, f.byteOffset);
        const len = view.getUint16(16) - ihl - (f[t + 12]! >> 4) * 4;
        segments.push({ atMs: routers.sim.nowMs, from: d.name, len, window: view.getUint16(t + 14) });
      }
      send(f);
    };
  }
  return segments;
}

describe("bulk transfer through a reverse telnet session", () => {
  it("keeps the receiver's window at its whole ring and sends segments of up to a ring", () => {
    const routers = new Routers({ r1Config: R1, r2Config: R2 });
    const user = routers.terminal(routers.r2, 1);
    user.type("\r");
    user.expect("r2>");
    user.type("telnet 10.0.0.1 2001\r");
    user.expect("Open\r\n");
    routers.sim.runFor(500);
    user.detach();
    const total = 65536;
    const data = new Uint8Array(total);
    for (let i = 0; i < total; i++) data[i] = 0x21 + ((i * 7) % 94); // printable: no CR, IAC, escape
    let got = 0;
    let bad = 0;
    routers.r2.uart(1).attach({ data: (bytes) => { for (const b of bytes) if (data[got++] !== b) bad++; } });
    const segments = capture(routers, [routers.r1, routers.r2]);
    const startMs = routers.sim.nowMs;
    routers.r1.uart(1).send(data);
    routers.sim.runUntilTrue(() => got >= total, 60_000);
    expect(got).toBe(total);
    expect(bad).toBe(0);
    // r2 -> r1: pure ACKs. Once the stream runs, each advertises the whole ring (it was 640 for
    // ever when the ACK left while the pump had read only part of the ring).
    const acks = segments.filter((s) => s.from === "r2" && s.len === 0);
    const steady = acks.slice(4, -2);
    expect(steady.length).toBeGreaterThan(20);
    expect(steady.filter((s) => s.window !== RING)).toEqual([]);
    // r1 -> r2: the window's worth in at most two segments per round trip (serial() hands TCP what
    // its send ring takes, not 128 bytes per call and a 128-byte segment per poll).
    const data1 = segments.filter((s) => s.from === "r1" && s.len > 0);
    expect(data1.length).toBeLessThanOrEqual((2 * total) / RING + 4);
    // A 1024-byte window per 4 ms round trip (two 1 ms links each way): about 256 ms for 64 KiB.
    expect(routers.sim.nowMs - startMs).toBeLessThanOrEqual(300);
  });
});
