// Option negotiation: each role's greeting, the answers to the first bytes of real clients, and
// RFC 1143's Q method (no loops when both sides ask at once, the WANTNO/WANTYES queue).
import { describe, expect, it } from "vitest";
import { TelnetHarness, Role, Opt, Ev } from "./harness.ts";
import {
  hex, toHex, ascii, concat, INETUTILS_PORT23_FIRST, INETUTILS_NAWS, INETUTILS_TYPED, INETUTILS_ANSWER, PUTTY_FIRST,
  PUTTY_NAWS, PUTTY_OLD_ENVIRON, PUTTY_TYPED, PYSERIAL,
} from "./fixtures.ts";

const IAC = 0xff, DONT = 0xfe, DO = 0xfd, WONT = 0xfc, WILL = 0xfb;

describe("greetings (one row of the policy table per role)", () => {
  it("vty: WILL ECHO, WILL SGA, DO SGA (the classic greeting), then DO TTYPE, DO NAWS", () => {
    expect(toHex(new TelnetHarness().open(Role.vty))).toBe(toHex(hex("fffb01 fffb03 fffd03 fffd18 fffd1f")));
  });
  it("reverse telnet 2000+n: WILL ECHO, WILL SGA", () => {
    expect(toHex(new TelnetHarness().open(Role.reverse))).toBe(toHex(hex("fffb01 fffb03")));
  });
  it("binary reverse telnet 6000+n: also WILL BINARY, DO BINARY", () => {
    expect(toHex(new TelnetHarness().open(Role.binary))).toBe(toHex(hex("fffb01 fffb03 fffb00 fffd00")));
  });
  it("client to a non-telnet port starts nothing; to port 23 it offers what a BSD client offers", () => {
    expect(new TelnetHarness().open(Role.client).length).toBe(0);
    expect(toHex(new TelnetHarness().open(Role.clientTelnetPort))).toBe(toHex(hex("fffd03 fffb18 fffb1f")));
  });
  it("an unknown role or a handle outside the table is refused", () => {
    const t = new TelnetHarness();
    expect(t.x.open(0, 5)).toBe(0);
    expect(t.x.open(24, Role.vty)).toBe(0);
    expect(t.x.receive(3, 0, 4)).toBe(0); // handle 3 never opened
    expect(t.x.badHandleCalls()).toBe(3);
  });
});

describe("real clients against a vty", () => {
  it("inetutils telnet on port 23: refuses ENCRYPT, TSPEED, LFLOW, LINEMODE, NEW-ENVIRON, STATUS; asks TTYPE", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    const r = t.receive(INETUTILS_PORT23_FIRST);
    expect(r.consumed).toBe(INETUTILS_PORT23_FIRST.length);
    expect(toHex(r.net)).toBe(toHex(hex("fffc26 fffe26 fffa1801fff0 fffe20 fffe21 fffe22 fffe27 fffc05")));
    expect(t.on(Opt.sga, false)).toBe(true);
    expect(t.on(Opt.ttype, true)).toBe(true);
    expect(t.on(Opt.naws, true)).toBe(true);
    expect(t.on(Opt.linemode, true)).toBe(false);
    t.receive(INETUTILS_NAWS);
    expect([t.x.windowCols(0), t.x.windowRows(0)]).toEqual([100, 30]);
    expect(toHex(t.receive(INETUTILS_TYPED).line)).toBe(toHex(ascii("ab\r")));
    expect(t.x.protocolErrors(0)).toBe(0);
  });

  it("inetutils telnet on a numeric port answers the greeting; no reply goes back but TTYPE SEND", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    const r = t.receive(INETUTILS_ANSWER);
    expect(toHex(r.net)).toBe(toHex(hex("fffa1801fff0")));
    expect(t.terminalType()).toBe("XTERM");
    expect([t.x.windowCols(0), t.x.windowRows(0)]).toEqual([100, 30]);
    expect(t.x.weEcho(0)).toBe(1);
    expect(t.on(Opt.sga, true) && t.on(Opt.sga, false)).toBe(true);
  });

  it("PuTTY: agrees NAWS, TTYPE, ECHO, SGA; refuses TSPEED, NEW-ENVIRON, then OLD-ENVIRON", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    expect(toHex(t.receive(PUTTY_FIRST).net)).toBe(toHex(hex("fffe20 fffa1801fff0 fffe27")));
    t.receive(PUTTY_NAWS);
    expect(t.x.windowCols(0)).toBe(100);
    expect(toHex(t.receive(PUTTY_OLD_ENVIRON).net)).toBe(toHex(hex("fffe24")));
    expect(toHex(t.receive(PUTTY_TYPED).line)).toBe(toHex(ascii("ab\r")));
    expect(t.x.weEcho(0)).toBe(1);
  });

  it("pyserial on a vty: COM-PORT-OPTION refused both ways", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    expect(toHex(t.receive(PYSERIAL.options).net)).toBe(toHex(hex("fffc2c fffe2c")));
  });
});

describe("RFC 1143 Q method", () => {
  it("a refused WILL is answered every time with DONT, and the peer's WONT needs no answer", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    // The client offering to echo: the vty does the echoing, so DONT.
    expect(toHex(t.receive(hex("fffb01")).net)).toBe("ff fe 01");
    expect(toHex(t.receive(hex("fffc01")).net)).toBe("");
    expect(toHex(t.receive(hex("fffb01")).net)).toBe("ff fe 01");
  });

  it("an acknowledgement is never acknowledged: WILL on YES and WONT on NO get no answer", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    t.receive(hex("fffb03")); // WANTYES -> YES
    expect(toHex(t.receive(hex("fffb03 fffb03")).net)).toBe("");
    expect(toHex(t.receive(hex("fffc03")).net)).toBe("ff fe 03"); // YES -> NO, answered once
    expect(toHex(t.receive(hex("fffc03")).net)).toBe("");
  });

  it("LINEMODE and every unknown option are refused, never ignored", () => {
    const t = new TelnetHarness();
    t.open(Role.reverse);
    const known = new Set([0, 1, 3, 24, 31, 44]);
    for (let code = 0; code < 256; code++) {
      if (known.has(code)) continue;
      expect(t.receive(Uint8Array.of(IAC, WILL, code)).net).toEqual(Uint8Array.of(IAC, DONT, code));
      expect(t.receive(Uint8Array.of(IAC, DO, code)).net).toEqual(Uint8Array.of(IAC, WONT, code));
      expect(t.receive(Uint8Array.of(IAC, WONT, code, IAC, DONT, code)).net.length).toBe(0);
    }
    expect(t.x.unknownRefused()).toBe(2 * 250);
  });

  it("both sides asking at once settle with one message each way and no loop (vty vs client)", () => {
    const t = new TelnetHarness();
    const server = 0, client = 1;
    // Both greetings are on the wire before either side has read anything.
    let toClient = t.open(Role.vty, server);
    let toServer = t.open(Role.clientTelnetPort, client);
    t.x.setWindow(client, 80, 24);
    t.setTerminalType("VT100", client);
    expect(t.net().length).toBe(0); // NAWS not agreed yet: the size waits
    const log: string[] = [];
    let rounds = 0;
    while ((toClient.length > 0 || toServer.length > 0) && rounds < 10) {
      log.push(`s>c ${toHex(toClient)}`, `c>s ${toHex(toServer)}`);
      const a = t.receive(toClient, client);
      const b = t.receive(toServer, server);
      toServer = a.net;
      toClient = b.net;
      rounds++;
    }
    expect(rounds).toBeLessThanOrEqual(3);
    // Every option agreed both ways as the policies say.
    expect(t.on(Opt.echo, false, server) && t.on(Opt.echo, true, client)).toBe(true);
    expect(t.on(Opt.sga, false, server) && t.on(Opt.sga, true, server)).toBe(true);
    expect(t.on(Opt.sga, false, client) && t.on(Opt.sga, true, client)).toBe(true);
    expect(t.on(Opt.ttype, true, server) && t.on(Opt.naws, true, server)).toBe(true);
    expect(t.terminalType(server)).toBe("VT100");
    expect([t.x.windowCols(server), t.x.windowRows(server)]).toEqual([80, 24]);
    expect(t.x.remoteEcho(client)).toBe(1);
    expect(t.x.protocolErrors(server) + t.x.protocolErrors(client)).toBe(0);
    // Count verbs per option per direction: each at most once.
    const seen = new Map<string, number>();
    for (const line of log) {
      const bytes = hex(line.slice(4));
      for (let i = 0; i + 2 < bytes.length; i++) {
        if (bytes[i] === IAC && bytes[i + 1]! >= WILL && bytes[i + 1]! <= DONT) {
          const key = `${line.slice(0, 3)} ${bytes[i + 1]} ${bytes[i + 2]}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          i += 2;
        }
      }
    }
    for (const [key, count] of seen) expect(count, key).toBe(1);
  });

  it("WANTNO with the queue: disable then enable again before the answer re-enables once", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    t.receive(hex("fffd01")); // DO ECHO: us ECHO YES
    expect(t.x.request(0, Opt.echo, 0, 0)).toBe(1);
    expect(toHex(t.net())).toBe("ff fc 01"); // WONT ECHO, WANTNO
    expect(t.x.request(0, Opt.echo, 0, 1)).toBe(1);
    expect(toHex(t.net())).toBe(""); // queued, nothing sent
    expect(toHex(t.receive(hex("fffe01")).net)).toBe("ff fb 01"); // DONT -> WANTYES, WILL sent
    expect(t.x.weEcho(0)).toBe(0);
    expect(toHex(t.receive(hex("fffd01")).net)).toBe(""); // DO -> YES
    expect(t.x.weEcho(0)).toBe(1);
  });

  it("WANTYES with the queue: enable then disable before the answer turns it off at once", () => {
    const t = new TelnetHarness();
    t.open(Role.client);
    expect(t.x.request(0, Opt.binary, 1, 1)).toBe(1);
    expect(toHex(t.net())).toBe("ff fd 00");
    t.x.request(0, Opt.binary, 1, 0);
    expect(toHex(t.net())).toBe("");
    expect(toHex(t.receive(hex("fffb00")).net)).toBe("ff fe 00"); // WILL -> WANTNO, DONT sent
    expect(toHex(t.receive(hex("fffc00")).net)).toBe(""); // WONT -> NO
    expect(t.on(Opt.binary, true)).toBe(false);
  });

  it("a WILL answering our DONT is a peer error: counted, settled, not answered", () => {
    const t = new TelnetHarness();
    t.open(Role.vty);
    t.receive(hex("fffb03")); // him SGA YES
    t.x.request(0, Opt.sga, 1, 0);
    expect(toHex(t.net())).toBe("ff fe 03");
    expect(toHex(t.receive(hex("fffb03")).net)).toBe("");
    expect(t.x.protocolErrors(0)).toBe(1);
    expect(t.on(Opt.sga, true)).toBe(false);
  });

  it("a refused request settles to NO; asking for an unknown option is refused locally", () => {
    const t = new TelnetHarness();
    t.open(Role.client);
    t.x.request(0, Opt.binary, 0, 1);
    expect(toHex(t.net())).toBe("ff fb 00");
    expect(toHex(t.receive(hex("fffe00")).net)).toBe(""); // DONT answers WANTYES: NO, no reply
    expect(t.on(Opt.binary, false)).toBe(false);
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.options]);
    expect(t.x.request(0, Opt.linemode, 0, 1)).toBe(0);
  });

  it("client: answers a reverse-telnet server's WILL ECHO / WILL SGA with DO, and echo moves to the server", () => {
    const t = new TelnetHarness();
    t.open(Role.client);
    expect(t.x.remoteEcho(0)).toBe(0); // until the server offers, the terminal echoes locally
    expect(toHex(t.receive(hex("fffb01 fffb03")).net)).toBe("ff fd 01 ff fd 03");
    expect(t.x.remoteEcho(0)).toBe(1);
    expect(t.eventLog().map(([, ev]) => ev)).toEqual([Ev.options, Ev.options]); // the line re-reads its echo
    // And refuses to echo itself, and to do LINEMODE or COM-PORT.
    expect(toHex(t.receive(hex("fffd01 fffd22 fffd2c")).net)).toBe("ff fc 01 ff fc 22 ff fc 2c");
  });

  it("client: a TTYPE SEND before any type was set is answered UNKNOWN (RFC 1091)", () => {
    const t = new TelnetHarness();
    t.open(Role.clientTelnetPort);
    t.receive(hex("fffd18"));
    expect(toHex(t.receive(hex("fffa1801fff0")).net)).toBe(toHex(concat(hex("fffa1800"), ascii("UNKNOWN"), hex("fff0"))));
  });

  it("client: TTYPE and NAWS are offered when asked, and sent as the RFCs say", () => {
    const t = new TelnetHarness();
    t.open(Role.client);
    t.setTerminalType("VT100");
    t.x.setWindow(0, 132, 0xff);
    expect(toHex(t.receive(hex("fffd18")).net)).toBe("ff fb 18");
    expect(toHex(t.receive(hex("fffa1801fff0")).net)).toBe(toHex(hex("fffa1800 5654313030 fff0")));
    // NAWS: sent right after WILL, 255 rows doubled (RFC 1073 escapes IAC in the values).
    expect(toHex(t.receive(hex("fffd1f")).net)).toBe(toHex(hex("fffb1f fffa1f 0084 00ffff fff0")));
    t.x.setWindow(0, 80, 24);
    expect(toHex(t.net())).toBe(toHex(hex("fffa1f 0050 0018 fff0")));
    t.x.setWindow(0, 80, 24);
    expect(toHex(t.net())).toBe(""); // unchanged: nothing sent
  });
});
