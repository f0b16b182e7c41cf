// Partial consumption: the engine takes only what it can handle now and says how much, so its
// caller (session.ts's pumpFromNet, over tcpPeek/tcpConsume) leaves the rest in TCP. Data needs no
// answer and passes while the network ring (TCP's send ring) is full; a command waits, unconsumed,
// until the ring has room for any answer (TELNET_REPLY_RESERVE_BYTES), then is answered once.
import { describe, expect, it } from "vitest";
import { TelnetHarness, Role } from "./harness.ts";
import { hex, toHex, ascii, concat } from "./fixtures.ts";

const RESERVE = 96; // TELNET_REPLY_RESERVE_BYTES

function reverse(): TelnetHarness {
  const t = new TelnetHarness();
  t.open(Role.reverse);
  return t;
}

/** What a caller does each poll: offer everything not yet consumed, keep what the engine took. */
function poll(t: TelnetHarness, stream: Uint8Array, at: number): number {
  let used = 0;
  for (let guard = 0; guard < 16 && at + used < stream.length; guard++) {
    const n = t.receiveOnce(stream.subarray(at + used));
    t.events();
    used += n;
    if (n === 0) break;
  }
  return used;
}

describe("a full network ring", () => {
  it("data passes; a DO TTYPE waits, unconsumed, for room, then is answered exactly once", () => {
    const t = reverse();
    const stream = concat(ascii("hello"), hex("fffd18"), ascii("world"));
    t.x.setCaps(8192, 0); // TCP's send ring is full: the peer's window is zero
    let at = 0;
    for (let i = 0; i < 5; i++) at += poll(t, stream, at); // polls while the ring stays full
    expect(at).toBe(6); // "hello" and the IAC: the DO waits, and the data behind it keeps its place
    expect(t.line()).toEqual(ascii("hello"));
    expect(t.net().length).toBe(0);

    t.x.setCaps(8192, RESERVE - 1); // some room, not enough for the largest answer
    at += poll(t, stream, at);
    expect(at).toBe(6);
    expect(t.net().length).toBe(0);

    t.x.setCaps(8192, RESERVE);
    at += poll(t, stream, at);
    expect(at).toBe(stream.length);
    expect(toHex(t.net())).toBe(toHex(hex("fffc18"))); // WONT TTYPE (reverse lines do not send theirs), once
    expect(t.line()).toEqual(ascii("world"));
    at += poll(t, stream, at);
    expect(t.net().length).toBe(0);
    expect(t.x.protocolErrors(0)).toBe(0);
  });

  it("IAC IAC is data: 0xff passes a full network ring", () => {
    const t = reverse();
    t.x.setCaps(8192, 0);
    const stream = hex("41 ffff 42 ffff ffff 43");
    expect(poll(t, stream, 0)).toBe(stream.length);
    expect(toHex(t.line())).toBe(toHex(hex("41 ff 42 ff ff 43")));
    expect(t.net().length).toBe(0);
  });

  it("a subnegotiation's payload passes; its SE waits for room, then it is handled once", () => {
    const t = reverse();
    t.receive(hex("fffb2c")); // the client agrees to COM-PORT-OPTION (WILL); the answer is drained
    const query = hex("fffa2c 00 fff0"); // SIGNATURE query: the server answers with its signature
    expect(poll(t, query.subarray(0, 2), 0)).toBe(2); // IAC SB began while there was room
    t.x.setCaps(8192, 0);
    expect(poll(t, query, 2)).toBe(query.length - 3); // the payload and the IAC, not the SE
    expect(t.net().length).toBe(0);
    t.x.setCaps(8192, RESERVE);
    expect(poll(t, query, query.length - 1)).toBe(1);
    const answer = t.net();
    expect(toHex(answer.subarray(0, 4))).toBe(toHex(hex("fffa2c 64"))); // SIGNATURE + 100
    expect(toHex(answer.subarray(answer.length - 2))).toBe(toHex(hex("fff0")));
    expect(answer.length).toBeLessThanOrEqual(RESERVE);
  });

  it("a command answers whole or not at all: every split of a stream of commands and data into random ring sizes gives the same bytes as one pass", () => {
    const stream = concat(
      ascii("ab"), hex("fffd18"), hex("ffff"), hex("fffd18"), hex("fff6"), ascii("cd\r\n"), hex("fffb2c"),
      hex("fffa2c 00 fff0"), hex("fffd99"), ascii("ef"),
    );
    const whole = reverse();
    const expected = whole.receive(stream);
    for (const netCaps of [[0, 95, 96, 200], [96, 0, 96, 0, 96, 0, 96, 0, 96], [1, 50, 95, 96]]) {
      const t = reverse();
      let at = 0;
      let line: number[] = [];
      let net: number[] = [];
      for (let i = 0; at < stream.length && i < 64; i++) {
        t.x.setCaps(8192, netCaps[i % netCaps.length]!);
        at += poll(t, stream, at);
        line = [...line, ...t.line()];
        net = [...net, ...t.net()];
      }
      expect(at).toBe(stream.length);
      expect(toHex(Uint8Array.from(line))).toBe(toHex(expected.line));
      expect(toHex(Uint8Array.from(net))).toBe(toHex(expected.net));
    }
  });
});
