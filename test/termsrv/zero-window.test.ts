// A reverse session whose caller stops reading (window zero) while the console keeps talking: r1's
// send ring fills up. What the caller sends must still reach the line (data needs no answer), and a
// command whose answer does not fit waits in TCP, unread, until there is room, then is answered
// once. The swarm's SEED=2084 stall came from the opposite: r1 read nothing while its send ring was
// full, so two such ends (each the other's caller) waited on each other forever.
import { describe, expect, it } from "vitest";
import { ACK } from "../support/packets.ts";
import { Bench } from "../fuzz/kit.ts";

const GREETING = [0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03]; // WILL ECHO, WILL SGA
const WONT_TTYPE = [0xff, 0xfc, 0x18];

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

function count(haystack: number[], needle: number[]): number {
  let n = 0;
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((b, k) => haystack[i + k] === b)) n++;
  }
  return n;
}

describe("a caller's zero window on a reverse line", () => {
  it("the caller's data reaches the line while r1's send ring is full; its DO TTYPE is answered once, when there is room", () => {
    const bench = new Bench(1);
    let atLine = "";
    bench.device.uart(2).attach({ data: (b) => (atLine += latin1(b)) });
    const peer = bench.connect(2002, 40_000);
    expect(peer.established).toBe(true);
    bench.sim.runFor(100);
    expect(peer.received).toEqual(GREETING);

    peer.advertisedWindow = 0; // the caller stops reading
    peer.emit(ACK, new Uint8Array(0), peer.sndNxt, peer.rcvNxt);
    const consoleText = "Z".repeat(3_000); // more than r1's send ring (1 KiB) and the line's ring
    bench.device.uart(2).send(consoleText);
    bench.sim.runFor(2_000);
    expect(bench.device.uart(2).backlogBytes()).toBeGreaterThan(0); // r1 stopped reading the line: TCP is full
    const before = peer.received.length;

    peer.send(Uint8Array.from([...Buffer.from("hello"), 0xff, 0xfd, 0x18, ...Buffer.from("world")]), 2_000);
    expect(atLine).toBe("hello"); // the data went through; the DO TTYPE (and what follows it) waits
    expect(peer.received.length).toBe(before); // nothing answered, nothing lost

    peer.advertisedWindow = 8192; // the caller reads again
    peer.emit(ACK, new Uint8Array(0), peer.sndNxt, peer.rcvNxt);
    bench.sim.runUntilTrue(() => peer.received.length >= GREETING.length + consoleText.length + WONT_TTYPE.length, 60_000);
    bench.sim.runFor(1_000);
    expect(atLine).toBe("helloworld");
    expect(count(peer.received, WONT_TTYPE)).toBe(1);
    const at = peer.received.findIndex((_, i) => WONT_TTYPE.every((b, k) => peer.received[i + k] === b));
    const withoutAnswer = [...peer.received.slice(0, at), ...peer.received.slice(at + WONT_TTYPE.length)];
    expect(latin1(Uint8Array.from(withoutAnswer))).toBe(latin1(Uint8Array.from(GREETING)) + consoleText);
    bench.expectHealthy("after the zero window");
  });
});
