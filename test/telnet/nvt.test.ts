// The data path: IAC escaping both ways, the CR NUL / CR LF rules per role and in binary, commands
// (AYT answered, BREAK and friends reported where they were in the stream), subnegotiation bounds,
// and back-pressure.
import { describe, expect, it } from "vitest";
import { TelnetHarness, Role, Ev } from "./harness.ts";
import { hex, toHex, ascii, concat } from "./fixtures.ts";

function opened(role: number): TelnetHarness {
  const t = new TelnetHarness();
  t.open(role);
  return t;
}

describe("IAC escaping", () => {
  it("IAC IAC from the network is one 0xFF on the line, in text and in binary", () => {
    for (const role of [Role.vty, Role.reverse, Role.binary, Role.client]) {
      const t = opened(role);
      expect(toHex(t.receive(hex("41 ffff 42 ffff ffff")).line)).toBe("41 ff 42 ff ff");
    }
  });
  it("0xFF from the line goes out doubled, in text and in binary", () => {
    for (const role of [Role.vty, Role.binary, Role.client]) {
      expect(toHex(opened(role).send(hex("ff 41 ff ff")).net)).toBe("ff ff 41 ff ff ff ff");
    }
  });
  it("an IAC IAC split between two segments is still one 0xFF", () => {
    const t = opened(Role.reverse);
    expect(toHex(t.receive(hex("41 ff")).line)).toBe("41");
    expect(toHex(t.receive(hex("ff 42")).line)).toBe("ff 42");
  });
});

describe("CR on the way in (network to line)", () => {
  it("server roles: CR LF and CR NUL reach the line as CR; CR followed by data keeps both", () => {
    for (const role of [Role.vty, Role.reverse]) {
      const t = opened(role);
      expect(toHex(t.receive(ascii("a\r\nb\r\0c\rd")).line)).toBe(toHex(ascii("a\rb\rc\rd")));
    }
  });
  it("client roles: CR LF stays (the terminal needs the LF), CR NUL becomes CR", () => {
    const t = opened(Role.client);
    expect(toHex(t.receive(ascii("a\r\nb\r\0c")).line)).toBe(toHex(ascii("a\r\nb\rc")));
  });
  it("a bare LF and a NUL that follows no CR pass through", () => {
    expect(toHex(opened(Role.vty).receive(ascii("a\nb\0c")).line)).toBe(toHex(ascii("a\nb\0c")));
  });
  it("the CR rule holds across a segment boundary", () => {
    const t = opened(Role.reverse);
    expect(toHex(t.receive(ascii("x\r")).line)).toBe(toHex(ascii("x\r")));
    expect(toHex(t.receive(ascii("\ny")).line)).toBe(toHex(ascii("y")));
    expect(toHex(t.receive(ascii("\r")).line)).toBe("0d");
    expect(toHex(t.receive(hex("00")).line)).toBe("");
  });
  it("binary (6000+n): nothing is translated", () => {
    expect(toHex(opened(Role.binary).receive(ascii("a\r\nb\r\0c")).line)).toBe(toHex(ascii("a\r\nb\r\0c")));
  });
  it("binary negotiated on a vty: the client's WILL BINARY turns translation off for its direction", () => {
    const t = opened(Role.vty);
    expect(toHex(t.receive(hex("fffb00")).net)).toBe("ff fd 00");
    expect(toHex(t.receive(ascii("a\r\0b")).line)).toBe(toHex(ascii("a\r\0b")));
    // Our direction is still NVT text until the client sends DO BINARY.
    expect(toHex(t.send(ascii("\r")).net)).toBe("0d 00");
    expect(toHex(t.receive(hex("fffd00")).net)).toBe("ff fb 00");
    expect(toHex(t.send(ascii("\r")).net)).toBe("0d");
  });
});

describe("CR on the way out (line to network)", () => {
  it("vty: a bare CR goes out CR NUL, CR LF as is, a bare LF as is", () => {
    expect(toHex(opened(Role.vty).send(ascii("a\rb\r\nc\nd")).net)).toBe(toHex(ascii("a\r\0b\r\nc\nd")));
  });
  it("reverse telnet 2000+n: a bare CR goes out CR LF (IOS), CR LF as is, a bare LF as is", () => {
    expect(toHex(opened(Role.reverse).send(ascii("a\rb\r\nc\nd")).net)).toBe(toHex(ascii("a\r\nb\r\nc\nd")));
  });
  it("a CR that ends a chunk goes out at once (no byte is held back), and a split CR LF is not doubled", () => {
    const v = opened(Role.vty);
    expect(toHex(v.send(ascii("a\r")).net)).toBe(toHex(ascii("a\r\0")));
    expect(toHex(v.send(ascii("\nb")).net)).toBe(toHex(ascii("\nb")));
    const t = opened(Role.reverse);
    expect(toHex(t.send(ascii("a\r")).net)).toBe(toHex(ascii("a\r\n")));
    expect(toHex(t.send(ascii("\nb")).net)).toBe(toHex(ascii("b")));
  });
  it("client roles: a bare CR (the Return key) goes out CR LF, and a split CR LF is not doubled", () => {
    const t = opened(Role.client);
    expect(toHex(t.send(ascii("ls\r")).net)).toBe(toHex(ascii("ls\r\n")));
    expect(toHex(t.send(ascii("\nx\r\n")).net)).toBe(toHex(ascii("x\r\n")));
    expect(toHex(t.send(ascii("\n")).net)).toBe("0a"); // a LF not after an expanded CR
  });
  it("binary (6000+n): CR goes out alone", () => {
    expect(toHex(opened(Role.binary).send(ascii("a\rb\n")).net)).toBe(toHex(ascii("a\rb\n")));
  });
});

describe("commands", () => {
  it("AYT is answered with [Yes] on server roles and reported; a client only reports it", () => {
    const t = opened(Role.reverse);
    const r = t.receive(hex("fff6"));
    expect(r.net).toEqual(ascii("\r\n[Yes]\r\n"));
    expect(t.eventLog()).toEqual([[0, Ev.ayt]]);
    const c = opened(Role.client);
    expect(c.receive(hex("fff6")).net.length).toBe(0);
    expect(c.eventLog()).toEqual([[0, Ev.ayt]]);
  });
  it("BREAK is reported exactly where it was in the data (the caller can send it in order)", () => {
    const t = opened(Role.reverse);
    const r = t.receive(concat(ascii("abc"), hex("fff3"), ascii("def")));
    expect(r.line).toEqual(ascii("abcdef"));
    expect(t.eventLog()).toEqual([[3, Ev.brk]]);
  });
  it("IP, AO, EC, EL, SUSP, ABORT, EOF are events; NOP, DM, GA, EOR are nothing; no errors", () => {
    const t = opened(Role.vty);
    const r = t.receive(hex("fff4 fff5 fff7 fff8 ffed ffee ffec fff1 fff2 fff9 ffef"));
    expect(r.line.length).toBe(0);
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.ip, Ev.ao, Ev.ec, Ev.el, Ev.susp, Ev.abort, Ev.eof]);
    expect(t.x.protocolErrors(0)).toBe(0);
  });
  it("IAC followed by a byte that is no command is dropped and counted; a stray SE too", () => {
    const t = opened(Role.vty);
    expect(t.receive(hex("41 ff10 42 fff0 43")).line).toEqual(ascii("ABC"));
    expect(t.x.protocolErrors(0)).toBe(2);
  });
});

describe("subnegotiation bounds", () => {
  it("an overlong TTYPE IS is cut to 40 bytes, counted, and the stream after it is intact", () => {
    const t = opened(Role.vty);
    t.receive(hex("fffb18"));
    const name = "X".repeat(300);
    const r = t.receive(concat(hex("fffa1800"), ascii(name), hex("fff0"), ascii("ok")));
    expect(r.line).toEqual(ascii("ok"));
    expect(t.terminalType()).toBe("X".repeat(40));
    expect(t.x.sbTruncations(0)).toBe(1);
  });
  it("an SB cut by another command is dropped and the command is handled", () => {
    const t = opened(Role.vty);
    t.receive(hex("fffb18"));
    const r = t.receive(concat(hex("fffa1800 414243 fff6"), ascii("z")));
    expect(r.net).toEqual(ascii("\r\n[Yes]\r\n"));
    expect(r.line).toEqual(ascii("z"));
    expect(t.terminalType()).toBe("");
    expect(t.x.protocolErrors(0)).toBe(1);
  });
  it("an SB for an option that was not agreed is ignored and counted", () => {
    const t = opened(Role.vty);
    expect(t.receive(hex("fffa1f00500018fff0")).net.length).toBe(0); // NAWS before WILL NAWS
    expect(t.x.windowCols(0)).toBe(0);
    expect(t.x.protocolErrors(0)).toBe(1);
  });
  it("IAC IAC inside an SB is one 0xFF of the value (NAWS of 255 columns)", () => {
    const t = opened(Role.vty);
    t.receive(hex("fffb1f"));
    t.receive(hex("fffa1f 00ffff 0018 fff0"));
    expect([t.x.windowCols(0), t.x.windowRows(0)]).toEqual([255, 24]);
  });
});

describe("back-pressure", () => {
  it("receive stops when the line is full and resumes where it stopped", () => {
    const t = opened(Role.reverse);
    t.x.setCaps(4, 8192);
    const data = ascii("0123456789");
    expect(t.receiveOnce(data)).toBe(4);
    expect(t.line()).toEqual(ascii("0123"));
    expect(t.receiveOnce(data.subarray(4))).toBe(4);
    expect(t.line()).toEqual(ascii("4567"));
  });
  it("a command waits until the network ring has room for any answer", () => {
    const t = opened(Role.reverse);
    t.x.setCaps(8192, 95);
    expect(t.receiveOnce(hex("41 fff6"))).toBe(2); // the data and the IAC, not the AYT
    t.x.setCaps(8192, 96);
    expect(t.receiveOnce(hex("f6"))).toBe(1);
    expect(t.net()).toEqual(ascii("\r\n[Yes]\r\n"));
  });
  it("send stops when the network ring cannot take an escaped byte", () => {
    const t = opened(Role.vty);
    t.x.setCaps(8192, 5);
    expect(t.x.send(0, t.entry.put(hex("ff ff ff")), 3)).toBe(2);
    expect(toHex(t.net())).toBe("ff ff ff ff");
  });
});
