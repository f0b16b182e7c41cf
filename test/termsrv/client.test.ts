// The telnet client at r2's exec: escape, where, resume, disconnect, several sessions, the
// failure messages, a bare address.
import { describe, expect, it } from "vitest";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import { Routers } from "./fixture.ts";
import { decodeFrame } from "../support/packets.ts";

const R1 = "hostname r1\nline 1 2\n no exec\n transport input telnet\nline vty 0 4\n password cisco\n";

function atR2(routers: Routers, line = 1) {
  const user = routers.terminal(routers.r2, line);
  user.type("\r");
  user.expect("r2>");
  return user;
}

describe("telnet client", () => {
  // As the BSD client does on the telnet port (telnet/policy.ts). Was: nothing, since the window
  // size written after the greeting went into a scratch ring made empty again, over the greeting.
  it("opens with DO SGA, WILL TTYPE, WILL NAWS on the telnet port", () => {
    const routers = new Routers({ r1Config: R1 });
    const sent: number[] = [];
    const transmit = routers.r2.transmit!;
    routers.r2.transmit = (frame) => {
      const d = decodeFrame(frame);
      if (d.kind === "tcp" && d.tcp.dstPort === 23) sent.push(...d.tcp.payload);
      transmit(frame);
    };
    const user = atR2(routers);
    user.type("telnet 10.0.0.1\r");
    user.expect("Password: ");
    // IAC DO SGA, IAC WILL TTYPE, IAC WILL NAWS: the greeting, before any answer to r1's.
    expect(sent.slice(0, 9)).toEqual([0xff, 0xfd, 0x03, 0xff, 0xfb, 0x18, 0xff, 0xfb, 0x1f]);
  });

  it("escape suspends, where lists, Return resumes, disconnect closes", () => {
    const routers = new Routers({ r1Config: R1 });
    const server = new ServerConsole(routers.r1.uart(1));
    const user = atR2(routers);
    user.type("telnet 10.0.0.1 2001\r");
    user.expect("Open\r\n");
    user.type("\r");
    user.expect("login: ");
    user.type("\x1ex");
    expect(user.expect("r2>").before).toBe("\r\n");
    user.type("where\r");
    expect(user.expect("r2>").before).toBe(
      "where\r\nConn Host                Address             Byte  Idle Conn Name\r\n" +
        "*  1 10.0.0.1            10.0.0.1               0     0 10.0.0.1\r\n\r\n",
    );
    user.type("\r");
    expect(user.expect("[Resuming connection 1 to 10.0.0.1 ... ]\r\n\r\n").before).toBe("\r\n");
    user.type("admin\r");
    user.expect("Password: ");
    user.type("cisco\r");
    user.expect(server.prompt());
    user.type("\x1ex");
    user.expect("r2>");
    user.type("1\r"); // a bare number resumes that connection
    user.expect("[Resuming connection 1 to 10.0.0.1 ... ]\r\n\r\n");
    user.type("whoami\r");
    expect(user.expect(server.prompt()).before).toBe("whoami\r\nadmin\r\n");
    user.type("\x1ex");
    user.expect("r2>");
    user.type("disconnect\r");
    user.expect("Closing connection to 10.0.0.1 [confirm]");
    user.type("\r");
    expect(user.expect("r2>").before).toBe("\r\n");
    user.type("where\r");
    expect(user.expect("r2>").before).toBe("where\r\n% No connections open\r\n");
    user.type("resume\r");
    expect(user.expect("r2>").before).toBe("resume\r\n% No connections open\r\n");
    user.type("\r");
    expect(user.expect("r2>").before).toBe("\r\n"); // nothing to resume: just the prompt
  });

  it("holds several sessions, numbered, with * on the current one; the escape character can change", () => {
    const routers = new Routers({ r1Config: R1, r2Config: "hostname r2\nline 1\n escape-character 29\n" });
    const user = atR2(routers);
    user.type("telnet 10.0.0.1 2001\r");
    user.expect("Open\r\n");
    routers.sim.runFor(100); // negotiation done (a suspended session reads nothing: Byte would count it)
    user.type("\x1ex"); // Ctrl-^ is data now: it goes to r1's tty1
    user.type("\x1dx");
    user.expect("r2>");
    user.type("10.0.0.1\r"); // a bare address is telnet
    user.expect("Trying 10.0.0.1 ... Open\r\n");
    user.expect("Password: ");
    user.type("\x1dx");
    user.expect("r2>");
    user.type("connect 10.0.0.1 2002\r");
    user.expect("Trying 10.0.0.1, 2002 ... Open\r\n");
    routers.sim.runFor(100);
    user.type("\x1dx");
    user.expect("r2>");
    user.type("show sessions\r");
    expect(user.expect("r2>").before).toBe(
      "show sessions\r\nConn Host                Address             Byte  Idle Conn Name\r\n" +
        "   1 10.0.0.1            10.0.0.1               0     0 10.0.0.1\r\n" +
        "   2 10.0.0.1            10.0.0.1               0     0 10.0.0.1\r\n" +
        "*  3 10.0.0.1            10.0.0.1               0     0 10.0.0.1\r\n\r\n",
    );
    user.type("disconnect 2\r");
    user.expect("Closing connection to 10.0.0.1 [confirm]");
    user.type("y");
    user.expect("r2>");
    routers.sim.runFor(100); // r1 hears the FIN and frees the vty
    user.type("resume 2\r");
    expect(user.expect("r2>").before).toBe("resume 2\r\n% No connection 2\r\n");
    user.type("telnet 10.0.0.1 2002\r"); // connection 3 holds tty2: busy
    expect(user.expect("r2>").before).toContain("% Connection refused by remote host");
    user.type("telnet 10.0.0.1\r"); // takes the free number 2
    user.expect("Password: ");
    user.type("\x1dx");
    user.expect("r2>");
    user.type("where\r");
    expect(user.expect("r2>").before).toMatch(/\r\n {3}1 .*\r\n\* {2}2 .*\r\n {3}3 .*\r\n\r\n$/);
    user.type("exit\r"); // logging out closes every session: r1's lines are free again
    user.expect("is now available");
    routers.sim.runFor(1000);
    const other = atR2(routers, 2);
    other.type("telnet 10.0.0.1 2001\r");
    other.expect("Open\r\n");
  });

  it("says why a connection failed: refused, timed out, unreachable", () => {
    const routers = new Routers({ r1Config: R1 });
    const user = atR2(routers);
    user.type("telnet 10.0.0.1 2003\r");
    expect(user.expect("r2>").before).toBe(
      "telnet 10.0.0.1 2003\r\nTrying 10.0.0.1, 2003 ... \r\n% Connection refused by remote host\r\n\r\n",
    );
    user.type("telnet 10.0.0.9\r"); // on the subnet, nobody answers ARP: the SYN never leaves
    const { before, atMs } = user.expect("r2>", { timeoutMs: 40_000 });
    expect(before).toBe("telnet 10.0.0.9\r\nTrying 10.0.0.9 ... \r\n% Connection timed out; remote host not responding\r\n\r\n");
    expect(atMs).toBeGreaterThanOrEqual(30_000);
    user.type("telnet 192.168.1.1\r"); // off the subnet, no gateway
    expect(user.expect("r2>").before).toBe(
      "telnet 192.168.1.1\r\nTrying 192.168.1.1 ... \r\n% Destination unreachable; gateway or host down\r\n\r\n",
    );
  });
});

describe("ending sessions from the outside", () => {
  it("clear line on r2 resets its user's session (RST): r1's line frees at once", () => {
    const routers = new Routers({ r1Config: R1 });
    const user = atR2(routers);
    user.type("telnet 10.0.0.1 2001\r");
    user.expect("Open\r\n");
    const con = routers.terminal(routers.r2, 0);
    con.type("\r");
    con.expect("r2>");
    con.type("enable\r");
    con.expect("r2#");
    con.type("show users\r");
    expect(con.expect("r2#").before).toContain("   1 tty 1                10.0.0.1             00:00:00\r\n");
    con.type("clear line 1\r");
    con.expect("[confirm]");
    con.type("\r");
    con.expect(" [OK]");
    user.expect("r2 tty1 is now available");
    routers.sim.runFor(50);
    const other = atR2(routers, 2);
    other.type("telnet 10.0.0.1 2001\r");
    other.expect("Open\r\n"); // the RST reached r1: no stale connection
  });

  it("session-timeout closes an idle outgoing session and an idle incoming one", () => {
    const routers = new Routers({
      r1Config: `${R1}line 2\n session-timeout 2\n`,
      r2Config: "hostname r2\nline 1\n session-timeout 1\n",
    });
    const user = atR2(routers);
    user.type("telnet 10.0.0.1 2001\r");
    const opened = user.expect("Open\r\n").atMs;
    const { atMs } = user.expect("[Connection to 10.0.0.1 closed by session timeout]\r\n", { timeoutMs: 70_000 });
    expect(atMs - opened).toBeGreaterThanOrEqual(60_000);
    expect(atMs - opened).toBeLessThan(60_200);
    user.expect("r2>");
    // r2's tty2 has no session-timeout; r1's tty2 closes its incoming session after 2 idle minutes.
    const other = atR2(routers, 2);
    other.type("telnet 10.0.0.1 2002\r");
    const second = other.expect("Open\r\n").atMs;
    const closed = other.expect("[Connection to 10.0.0.1 closed by foreign host]\r\n", { timeoutMs: 130_000 }).atMs;
    expect(closed - second).toBeGreaterThanOrEqual(120_000);
    expect(closed - second).toBeLessThan(120_200);
  });
});
