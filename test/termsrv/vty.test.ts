// vty 0-4 on port 23: r2's user telnets to r1 and gets r1's exec, with login and password.
import { describe, expect, it } from "vitest";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import { Routers, RawClient, enabledConsole, call, R1_IP } from "./fixture.ts";

interface RawCalls {
  testBuffer(): number;
  tcpSend(h: number, ptr: number, len: number): number;
  tcpRecv(h: number, ptr: number, max: number): number;
}

const R1_VTY = "hostname r1\nline vty 0 4\n password cisco\n";

function toR1(routers: Routers) {
  const user = routers.terminal(routers.r2, 1);
  user.type("\r");
  user.expect("r2>");
  user.type("telnet 10.0.0.1\r");
  return user;
}

describe("vty on port 23", () => {
  it("asks for the password, gives r1's exec, and exit closes the connection", () => {
    const routers = new Routers({ r1Config: R1_VTY });
    const user = toR1(routers);
    expect(user.expect("Password: ").before).toBe(
      "telnet 10.0.0.1\r\nTrying 10.0.0.1 ... Open\r\n\r\nUser Access Verification\r\n\r\n",
    );
    user.type("cisco\r");
    expect(user.expect("r1>").before).toBe("\r\n");
    user.type("show users\r");
    const users = user.expect("r1>").before;
    expect(users).toContain("* 18 vty 0                idle                 00:00:00 10.0.0.2\r\n");
    user.type("exit\r");
    expect(user.expect("r2>").before).toBe("exit\r\n\r\n[Connection to 10.0.0.1 closed by foreign host]\r\n");
  });

  it("three bad passwords: % Bad passwords, and the connection closes", () => {
    const routers = new Routers({ r1Config: R1_VTY });
    const user = toR1(routers);
    user.expect("Password: ");
    user.type("a\r");
    user.expect("Password: ");
    user.type("b\r");
    user.expect("Password: ");
    user.type("c\r");
    expect(user.expect("r2>").before).toBe("\r\n% Bad passwords\r\n\r\n[Connection to 10.0.0.1 closed by foreign host]\r\n");
  });

  it("no password set: Password required, but none set, and the connection closes", () => {
    const routers = new Routers({ r1Config: "hostname r1\n" });
    const user = toR1(routers);
    expect(user.expect("r2>").before).toBe(
      "telnet 10.0.0.1\r\nTrying 10.0.0.1 ... Open\r\n\r\nPassword required, but none set\r\n" +
        "\r\n[Connection to 10.0.0.1 closed by foreign host]\r\n",
    );
  });

  it("exec-timeout applies to a vty", () => {
    const routers = new Routers({ r1Config: `${R1_VTY} exec-timeout 1 0\n` });
    const user = toR1(routers);
    user.expect("Password: ");
    user.type("cisco\r");
    user.expect("r1>");
    const { atMs } = user.expect("[Connection to 10.0.0.1 closed by foreign host]", { timeoutMs: 70_000 });
    expect(atMs).toBeGreaterThanOrEqual(60_000);
    expect(atMs).toBeLessThan(61_000);
  });

  it("clear line on r1 ends the vty and frees it", () => {
    const routers = new Routers({ r1Config: R1_VTY });
    const user = toR1(routers);
    user.expect("Password: ");
    user.type("cisco\r");
    user.expect("r1>");
    const con = enabledConsole(routers, routers.r1);
    con.type("show line\r");
    expect(con.expect("r1#").before).toMatch(/\r\n\*   18 VTY {14}-    -      -    -    -      1       0     0\/0       -\r\n/);
    con.type("clear line 18\r");
    con.expect("[confirm]");
    con.type("\r");
    con.expect(" [OK]");
    user.expect("[Connection to 10.0.0.1 closed by foreign host]");
    user.type("telnet 10.0.0.1\r");
    user.expect("Password: ");
  });

  it("garbage and a split IAC sequence from a raw client do not disturb the exec", () => {
    const routers = new Routers({ r1Config: R1_VTY, stackEntry: true });
    const { r2, sim } = routers;
    const h = call(r2, (e) => e.tcpOpen(R1_IP, 23));
    const received: number[] = [];
    const pump = (): void => {
      r2.callExports((raw, memory) => {
        const e = raw as unknown as RawCalls;
        const n = e.tcpRecv(h, e.testBuffer(), 2048) >>> 0;
        for (let i = 0; i < n; i++) received.push(memory[e.testBuffer() + i]!);
      });
    };
    const send = (bytes: number[]): void => {
      r2.callExports((raw, memory) => {
        const e = raw as unknown as RawCalls;
        memory.set(bytes, e.testBuffer());
        expect(e.tcpSend(h, e.testBuffer(), bytes.length)).toBe(bytes.length);
      });
      sim.runFor(20);
      pump();
    };
    sim.runFor(50);
    pump();
    // The vty's greeting: WILL ECHO, WILL SGA, DO SGA, DO TTYPE, DO NAWS, then the login banner.
    expect(Buffer.from(received.splice(0)).toString("latin1")).toBe(
      "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x03\xff\xfd\x18\xff\xfd\x1f\r\nUser Access Verification\r\n\r\nPassword: ",
    );
    send([...Buffer.from("cisco\r\n")]);
    expect(Buffer.from(received.splice(0)).toString("latin1")).toBe("\r\nr1>");
    // Garbage: an unknown command (IAC 0x10), an SB never closed before data, DO of an unknown
    // option split across three segments, WILL NAWS then its SB split in the middle.
    send([0xff, 0x10]);
    send([0xff]);
    send([0xfd]);
    send([0x63]);
    send([0xff, 0xfb, 0x1f, 0xff, 0xfa, 0x1f, 0x00]);
    send([0x50, 0x00, 0x18, 0xff, 0xf0]);
    expect(Buffer.from(received.splice(0)).toString("latin1")).toBe("\xff\xfc\x63"); // WONT 99, nothing else
    send([...Buffer.from("show users\r\n")]);
    const text = Buffer.from(received.splice(0)).toString("latin1");
    expect(text).toContain("* 18 vty 0                idle                 00:00:00 10.0.0.2\r\n");
    expect(text.endsWith("r1>")).toBe(true);
  });

  it("an IAC EC in a segment that nearly fills the vty's input: its DEL takes room, what follows waits its turn (no panic)", () => {
    const routers = new Routers({ r1Config: R1_VTY, stackEntry: true });
    const client = new RawClient(routers, routers.r2, R1_IP, 23);
    client.send("cisco\r\n");
    expect(client.take()).toContain("r1>");
    // One segment: 120 bytes (110 empty lines, then "show userz"), Erase Character (RFC 854: IAC EC,
    // a DEL for the exec), then 17 more. The vty's 128-byte input ring has 8 bytes of room after
    // the first 120, and the DEL takes one of them before the engine decodes what follows.
    const first = "\r".repeat(110) + "show userz";
    client.send([...Buffer.from(first), 0xff, 0xf7, ...Buffer.from("s\r\nshow version\r\n")]);
    routers.sim.runFor(500);
    expect(routers.r1.state, routers.r1.crashMessage ?? "").toBe("running");
    const text = client.take();
    expect(text).toContain("* 18 vty 0                idle                 00:00:00 10.0.0.2\r\n"); // the DEL erased the z
    expect(text).toContain("Terminal server firmware (WebAssembly), Version 0.1.0\r\n"); // every byte after it arrived
  });
});

describe("telnet out of a vty", () => {
  it("r2's user on r1's vty telnets back to r2's tty1: two hops, both engines in one path", () => {
    const routers = new Routers({
      r1Config: R1_VTY,
      r2Config: "hostname r2\nline 1\n no exec\n transport input telnet\n",
    });
    const server = new ServerConsole(routers.r2.uart(1));
    const user = routers.terminal(routers.r2, 2);
    user.type("\r");
    user.expect("r2>");
    user.type("telnet 10.0.0.1\r");
    user.expect("Password: ");
    user.type("cisco\r");
    user.expect("r1>");
    user.type("telnet 10.0.0.2 2001\r");
    user.expect("Trying 10.0.0.2, 2001 ... Open\r\n");
    user.type("\r");
    user.expect("login: ");
    user.type("admin\r");
    user.expect("Password: ");
    user.type("cisco\r");
    user.expect(server.prompt());
    user.type("echo two hops\r");
    expect(user.expect(server.prompt()).before).toBe("echo two hops\r\ntwo hops\r\n");
    user.type("\x1ex"); // r2's client takes the first escape for itself: Ctrl-^ x suspends r2 -> r1
    user.expect("r2>");
    user.type("\r");
    user.expect("[Resuming connection 1 to 10.0.0.1 ... ]");
    user.type("\x1e\x1ex"); // escape twice sends one through: r1's client suspends r1 -> r2
    user.expect("r1>");
    user.type("where\r");
    expect(user.expect("r1>").before).toContain("*  1 10.0.0.2            10.0.0.2");
    user.type("exit\r"); // r1's vty exec ends and closes its session to r2's tty1
    user.expect("[Connection to 10.0.0.1 closed by foreign host]\r\nr2>");
    routers.sim.runFor(100);
    expect(server.state).toBe("shell"); // the console stays logged in, but r2's tty1 is free
    user.type("show line 1\r");
    expect(user.expect("r2>").before).toMatch(/\r\n {5}1 TTY .*\r\n/);
  });
});
