// `show line N` for a vty prints the window its caller's client reported with NAWS (RFC 1073), as
// IOS does; a line without a report (a TTY, a client that refused NAWS) keeps IOS's 24 x 80.
// The same as the interop test with a real telnet client (test/interop/telnet-client.test.ts),
// here with a scripted TCP peer in virtual time.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { Bench, type TcpPeer } from "../fuzz/kit.ts";

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const WONT = 0xfc;
const TELOPT_NAWS = 31;
/** vty 0 in absolute numbering (con 0, tty 1..16, aux 17). */
const VTY0 = 18;

beforeAll(async () => {
  await prepareFirmware("core");
});

/** RFC 1073: IAC SB NAWS width(16, big-endian) height(16) IAC SE. */
function nawsReport(cols: number, rows: number): Uint8Array {
  return Uint8Array.from([IAC, SB, TELOPT_NAWS, cols >> 8, cols & 255, rows >> 8, rows & 255, IAC, SE]);
}

function loggedIn(bench: Bench, srcPort: number, greeting: Uint8Array): TcpPeer {
  const peer = bench.connect(23, srcPort);
  bench.sim.runFor(100);
  expect(peer.text()).toContain("Password: ");
  peer.send(greeting, 50);
  peer.send("cisco\r\n", 200);
  expect(peer.text()).toContain("r1>");
  return peer;
}

function showLineWindow(peer: TcpPeer, line: number): string {
  const before = peer.text().length;
  peer.send(`show line ${line}\r\n`, 500);
  const match = peer.text().slice(before).match(/\r\nLength: [^\r]*\r\n/);
  return match?.[0] ?? "";
}

describe("show line: a vty's window", () => {
  it("is the one the client reported with NAWS (100 x 40), and follows a resize", () => {
    const bench = new Bench(61);
    const peer = loggedIn(bench, 36_000, Uint8Array.from([IAC, WILL, TELOPT_NAWS, ...nawsReport(100, 40)]));
    expect(showLineWindow(peer, VTY0)).toBe("\r\nLength: 40 lines, Width: 100 columns\r\n");
    peer.send(nawsReport(132, 50), 50); // the user resized the window
    expect(showLineWindow(peer, VTY0)).toBe("\r\nLength: 50 lines, Width: 132 columns\r\n");
    expect(showLineWindow(peer, 1)).toBe("\r\nLength: 24 lines, Width: 80 columns\r\n");
    bench.expectHealthy("after show line");
  });

  it("stays 24 x 80 without a report (the client refused NAWS) and for a free vty", () => {
    const bench = new Bench(62);
    const peer = loggedIn(bench, 36_100, Uint8Array.from([IAC, WONT, TELOPT_NAWS]));
    expect(showLineWindow(peer, VTY0)).toBe("\r\nLength: 24 lines, Width: 80 columns\r\n");
    expect(showLineWindow(peer, VTY0 + 1)).toBe("\r\nLength: 24 lines, Width: 80 columns\r\n");
  });

  it("keeps 24 x 80 for a dimension the client reports as 0 (unknown, RFC 1073)", () => {
    const bench = new Bench(63);
    const peer = loggedIn(bench, 36_200, Uint8Array.from([IAC, WILL, TELOPT_NAWS, ...nawsReport(0, 60)]));
    expect(showLineWindow(peer, VTY0)).toBe("\r\nLength: 60 lines, Width: 80 columns\r\n");
  });
});
