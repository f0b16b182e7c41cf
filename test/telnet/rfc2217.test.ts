// RFC 2217 COM-PORT-OPTION at the access server (reverse telnet): every command parsed into the
// settings the line reads, every answer with code + 100 and the value in effect; Cisco's 1-byte
// SET-BAUDRATE; and pyserial's whole opening conversation, byte for byte.
import { describe, expect, it } from "vitest";
import { TelnetHarness, Role, Ev, Sig } from "./harness.ts";
import { hex, toHex, ascii, concat, PYSERIAL } from "./fixtures.ts";

/** IAC SB COM-PORT <command> <value...> IAC SE, with IAC doubled in the value. */
function sb(command: number, ...value: number[]): Uint8Array {
  const body: number[] = [];
  for (const v of value) body.push(...(v === 0xff ? [0xff, 0xff] : [v]));
  return Uint8Array.of(0xff, 0xfa, 44, command, ...body, 0xff, 0xf0);
}

/** A reverse-telnet engine with COM-PORT-OPTION agreed (the client's WILL, as pyserial sends). */
function comServer(role: number = Role.reverse): TelnetHarness {
  const t = new TelnetHarness();
  t.open(role);
  expect(toHex(t.receive(hex("fffb2c")).net)).toBe("ff fd 2c");
  expect(t.x.comActive(0)).toBe(1);
  t.x.resetLog();
  return t;
}

describe("pyserial 3.5 opening a reverse-telnet line (captured bytes)", () => {
  it("agrees the options, then answers every setting with code + 100 and the same value", () => {
    const t = new TelnetHarness();
    expect(toHex(t.open(Role.reverse))).toBe("ff fb 01 ff fb 03");
    expect(toHex(t.receive(PYSERIAL.options).net)).toBe(toHex(hex("fffd03 fffb2c fffd2c")));
    const configure = t.receive(PYSERIAL.configure);
    expect(toHex(configure.net)).toBe(toHex(concat(
      sb(101, 0x00, 0x00, 0x25, 0x80), sb(102, 8), sb(103, 1), sb(104, 1), sb(105, 1),
    )));
    expect(toHex(t.receive(PYSERIAL.signals).net)).toBe(toHex(concat(sb(105, 8), sb(105, 11))));
    expect(toHex(t.receive(PYSERIAL.purge).net)).toBe(toHex(concat(sb(112, 1), sb(112, 2))));
    t.x.resetLog();
    const rebaud = t.receive(PYSERIAL.rebaud);
    expect(toHex(rebaud.net)).toBe(toHex(concat(
      sb(101, 0x00, 0x01, 0xc2, 0x00), sb(102, 8), sb(103, 1), sb(104, 1), sb(105, 1),
    )));
    expect(t.x.comBaud(0)).toBe(115200);
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.comLine]); // only the baud rate changed
    expect(t.receive(PYSERIAL.data).line).toEqual(hex("68 69 ff 0d"));
    t.x.resetLog();
    expect(toHex(t.receive(PYSERIAL.breakOnOff).net)).toBe(toHex(concat(sb(105, 5), sb(105, 6))));
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.comControl, Ev.comControl]);
    expect(toHex(t.receive(PYSERIAL.purgeRx).net)).toBe(toHex(sb(112, 1)));
    expect(t.x.protocolErrors(0)).toBe(0);
  });
});

describe("SET-BAUDRATE", () => {
  it("4-byte form: sets, answers the rate; 0 asks; an unsupported rate is answered with the current one", () => {
    const t = comServer();
    expect(toHex(t.receive(sb(1, 0, 0, 0x4b, 0x00)).net)).toBe(toHex(sb(101, 0, 0, 0x4b, 0x00))); // 19200
    expect(t.x.comBaud(0)).toBe(19200);
    expect(toHex(t.receive(sb(1, 0, 0, 0, 0)).net)).toBe(toHex(sb(101, 0, 0, 0x4b, 0x00)));
    expect(toHex(t.receive(sb(1, 0, 0, 0, 10)).net)).toBe(toHex(sb(101, 0, 0, 0x4b, 0x00))); // 10 baud
    expect(toHex(t.receive(sb(1, 0, 0x4c, 0x4b, 0x40)).net)).toBe(toHex(sb(101, 0, 0, 0x4b, 0x00))); // 5 Mbaud
    expect(t.x.comBaud(0)).toBe(19200);
  });
  it("a rate whose bytes contain 0xFF is read and answered with IAC doubled (65535 baud)", () => {
    const t = comServer();
    const r = t.receive(sb(1, 0, 0, 0xff, 0xff));
    expect(toHex(r.net)).toBe(toHex(hex("fffa2c65 0000 ffff ffff fff0")));
    expect(t.x.comBaud(0)).toBe(65535);
  });
  // The index table: ser2net's cisco_ios_val column (9 and 11 are the gaps it leaves for 14400 and
  // 28800). REFERENCE.md: 9600 = 8, 115200 = 14.
  const cisco: Array<[number, number]> = [
    [3, 300], [4, 600], [5, 1200], [6, 2400], [7, 4800], [8, 9600], [9, 14400], [10, 19200], [11, 28800],
    [12, 38400], [13, 57600], [14, 115200], [15, 230400],
  ];
  it("Cisco's 1-byte index: every entry of the table sets its rate and is answered with 1 byte", () => {
    const t = comServer();
    for (const [index, rate] of cisco) {
      expect(toHex(t.receive(sb(1, index)).net), `index ${index}`).toBe(toHex(sb(101, index)));
      expect(t.x.comBaud(0)).toBe(rate);
    }
  });
  it("Cisco's 1-byte index: 0 asks, an unknown index keeps the rate, and the 4-byte form switches back", () => {
    const t = comServer();
    t.receive(sb(1, 14));
    expect(toHex(t.receive(sb(1, 0)).net)).toBe(toHex(sb(101, 14)));
    expect(toHex(t.receive(sb(1, 1)).net)).toBe(toHex(sb(101, 14)));
    expect(toHex(t.receive(sb(1, 200)).net)).toBe(toHex(sb(101, 14)));
    expect(t.x.comBaud(0)).toBe(115200);
    expect(toHex(t.receive(sb(1, 0, 0, 0x25, 0x80)).net)).toBe(toHex(sb(101, 0, 0, 0x25, 0x80)));
    // A rate with no index (300..230400 have one; 1000 has none) answers index 0 in the 1-byte form.
    t.receive(sb(1, 0, 0, 0x03, 0xe8));
    expect(toHex(t.receive(sb(1, 0)).net)).toBe(toHex(sb(101, 0)));
  });
  it("a value of another length is a protocol error answered with the current rate (4 bytes)", () => {
    const t = comServer();
    expect(toHex(t.receive(sb(1, 0, 0x25)).net)).toBe(toHex(sb(101, 0, 0, 0x25, 0x80)));
    expect(t.x.protocolErrors(0)).toBe(1);
  });
});

describe("SET-DATASIZE, SET-PARITY, SET-STOPSIZE", () => {
  const cases: Array<[string, number, number[], number[], (t: TelnetHarness) => number, number]> = [
    ["datasize", 2, [5, 6, 7, 8], [4, 9], (t) => t.x.comDataSize(0), 8],
    ["parity", 3, [1, 2, 3, 4, 5], [6, 0xff], (t) => t.x.comParity(0), 1],
    ["stopsize", 4, [1, 2, 3], [4], (t) => t.x.comStopSize(0), 1],
  ];
  for (const [name, command, valid, invalid, read, initial] of cases) {
    it(`${name}: each valid value is set and echoed, 0 asks, an invalid one gets the current value`, () => {
      const t = comServer();
      expect(toHex(t.receive(sb(command, 0)).net)).toBe(toHex(sb(command + 100, initial)));
      let previous = initial;
      for (const v of valid) {
        t.x.resetLog();
        expect(toHex(t.receive(sb(command, v)).net)).toBe(toHex(sb(command + 100, v)));
        expect(read(t)).toBe(v);
        expect(t.eventLog().map(([, ev]) => ev)).toEqual(v === previous ? [] : [Ev.comLine]);
        previous = v;
      }
      const last = valid[valid.length - 1]!;
      for (const v of invalid) expect(toHex(t.receive(sb(command, v)).net)).toBe(toHex(sb(command + 100, last)));
      expect(read(t)).toBe(last);
    });
  }
});

describe("SET-CONTROL", () => {
  it("flow control out and in: set, asked, and unsupported kinds refused with the current value", () => {
    const t = comServer();
    expect(toHex(t.receive(sb(5, 0)).net)).toBe(toHex(sb(105, 1)));
    expect(toHex(t.receive(sb(5, 3)).net)).toBe(toHex(sb(105, 3)));
    expect(t.x.comFlow(0)).toBe(3);
    expect(toHex(t.receive(sb(5, 0)).net)).toBe(toHex(sb(105, 3)));
    expect(toHex(t.receive(sb(5, 13)).net)).toBe(toHex(sb(105, 14)));
    expect(toHex(t.receive(sb(5, 15)).net)).toBe(toHex(sb(105, 15)));
    expect(t.x.comFlowIn(0)).toBe(15);
    expect(toHex(t.receive(sb(5, 17)).net)).toBe(toHex(sb(105, 3))); // DCD flow: not supported
    expect(toHex(t.receive(sb(5, 99)).net)).toBe(toHex(sb(105, 3)));
    expect(t.x.protocolErrors(0)).toBe(2);
  });
  it("BREAK, DTR and RTS: set, asked, reported once per change", () => {
    const t = comServer();
    expect(t.x.comSignals(0)).toBe(Sig.dtr | Sig.rts);
    expect(toHex(t.receive(concat(sb(5, 4), sb(5, 7), sb(5, 10))).net)).toBe(toHex(concat(sb(105, 6), sb(105, 8), sb(105, 11))));
    t.x.resetLog();
    expect(toHex(t.receive(concat(sb(5, 5), sb(5, 9), sb(5, 12), sb(5, 12))).net)).toBe(
      toHex(concat(sb(105, 5), sb(105, 9), sb(105, 12), sb(105, 12))));
    expect(t.x.comSignals(0)).toBe(Sig.brk);
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.comControl, Ev.comControl, Ev.comControl]);
    expect(toHex(t.receive(concat(sb(5, 4), sb(5, 7), sb(5, 10))).net)).toBe(toHex(concat(sb(105, 5), sb(105, 9), sb(105, 12))));
  });
});

describe("notifications, masks, flow control, purge, signature", () => {
  it("modem state: changes are sent with their delta bits, filtered by the client's mask", () => {
    const t = comServer();
    expect(t.x.comModem(0, 0x30)).toBe(1); // CTS and DSR up
    expect(toHex(t.net())).toBe(toHex(sb(107, 0x33)));
    expect(t.x.comModem(0, 0x30)).toBe(0); // no change
    expect(toHex(t.receive(sb(11, 0x80)).net)).toBe(toHex(sb(111, 0x80))); // only DCD
    expect(t.x.comModem(0, 0x20)).toBe(0); // CTS dropped: masked out
    expect(t.x.comModem(0, 0xa0)).toBe(1);
    expect(toHex(t.net())).toBe(toHex(sb(107, 0x80)));
    expect(toHex(t.receive(sb(11, 0xff)).net)).toBe(toHex(sb(111, 0xff)));
    t.x.comModem(0, 0xe0);
    t.net();
    expect(t.x.comModem(0, 0xa0)).toBe(1); // RI trailing edge
    expect(toHex(t.net())).toBe(toHex(sb(107, 0xa4)));
    expect(toHex(t.receive(sb(7)).net)).toBe(toHex(sb(107, 0xa0))); // a poll (pyserial) gets the state
  });
  it("line state: nothing until the client's mask selects it; a poll is answered", () => {
    const t = comServer();
    expect(t.x.comLineState(0, 0x10)).toBe(0);
    expect(toHex(t.receive(sb(10, 0x1e)).net)).toBe(toHex(sb(110, 0x1e)));
    expect(t.x.comLineState(0, 0x50)).toBe(1); // break detected + shift register empty
    expect(toHex(t.net())).toBe(toHex(sb(106, 0x10)));
    expect(toHex(t.receive(sb(6)).net)).toBe(toHex(sb(106, 0x10)));
  });
  it("FLOWCONTROL-SUSPEND/RESUME: no answer, an event per change, the flag to hold line data", () => {
    const t = comServer();
    expect(t.receive(sb(8)).net.length).toBe(0);
    expect(t.x.comSuspended(0)).toBe(1);
    t.receive(sb(8));
    expect(t.receive(sb(9)).net.length).toBe(0);
    expect(t.x.comSuspended(0)).toBe(0);
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.comFlow, Ev.comFlow]);
  });
  it("PURGE-DATA: 1, 2, 3 reported and echoed; anything else answered 0", () => {
    const t = comServer();
    for (const v of [1, 2, 3]) {
      expect(toHex(t.receive(sb(12, v)).net)).toBe(toHex(sb(112, v)));
      expect(t.x.comPurge(0)).toBe(v);
    }
    expect(toHex(t.receive(sb(12, 4)).net)).toBe(toHex(sb(112, 0)));
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.comPurge, Ev.comPurge, Ev.comPurge]);
  });
  it("SIGNATURE: an empty one asks for ours; the client's own needs no answer", () => {
    const t = comServer();
    expect(toHex(t.receive(sb(0)).net)).toBe(toHex(concat(hex("fffa2c64"), ascii("termsrv"), hex("fff0"))));
    const name = ascii("r1 line 1");
    t.x.setSignature(t.entry.put(name), name.length);
    expect(toHex(t.receive(sb(0)).net)).toBe(toHex(concat(hex("fffa2c64"), name, hex("fff0"))));
    expect(t.receive(Uint8Array.of(0xff, 0xfa, 44, 0, 0x70, 0x79, 0xff, 0xf0)).net.length).toBe(0);
  });
  it("binary lines (6000+n) are access servers too; server-side codes sent to a server are errors", () => {
    const t = comServer(Role.binary);
    expect(toHex(t.receive(sb(2, 7)).net)).toBe(toHex(sb(102, 7)));
    expect(t.receive(sb(101, 0, 0, 0x25, 0x80)).net.length).toBe(0);
    expect(t.x.protocolErrors(0)).toBe(1);
  });
  it("a vty and a client never act on COM-PORT-OPTION they did not agree", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    expect(t.receive(sb(1, 8)).net.length).toBe(0);
    expect(t.x.comBaud(0)).toBe(9600);
    expect(t.x.protocolErrors(0)).toBe(1);
  });
  it("client side (when asked for): keeps the server's NOTIFY-LINESTATE and NOTIFY-MODEMSTATE", () => {
    const t = new TelnetHarness();
    t.open(Role.client);
    t.x.request(0, 44, 0, 1);
    expect(toHex(t.net())).toBe("ff fb 2c");
    t.receive(hex("fffd2c"));
    t.receive(concat(sb(107, 0xb1), sb(106, 0x60)));
    expect([t.x.comPeerModem(0), t.x.comPeerLine(0)]).toEqual([0xb1, 0x60]);
    expect(t.x.comActive(0)).toBe(0); // not an access server
  });
});
