// Reverse telnet end to end: r2's user types `telnet 10.0.0.1 2001` and reaches the server console
// on r1's tty1; bytes both ways, refusals, clear line, show line / show users.
import { describe, expect, it } from "vitest";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import { latin1ToBytes } from "../../host-sim/serial-attach/uart-end.ts";
import { Routers, enabledConsole } from "./fixture.ts";

const R1_TTY1 = "hostname r1\nline 1\n no exec\n transport input telnet\n";

function connected(routers: Routers, line = 1, port = 2001) {
  const user = routers.terminal(routers.r2, line);
  user.type("\r");
  user.expect("r2>");
  user.type(`telnet 10.0.0.1 ${port}\r`);
  user.expect("Open\r\n");
  routers.sim.runFor(100); // the option negotiation settles (the server echoes from now on)
  return user;
}

describe("reverse telnet 2000+n", () => {
  it("r2 reaches r1's tty1 and logs into the server console", () => {
    const routers = new Routers({ r1Config: R1_TTY1 });
    const server = new ServerConsole(routers.r1.uart(1));
    const user = routers.terminal(routers.r2, 1);
    user.type("\r");
    user.expect("r2>");
    user.type("telnet 10.0.0.1 2001\r");
    expect(user.expect("Open\r\n").before).toBe("telnet 10.0.0.1 2001\r\nTrying 10.0.0.1, 2001 ... ");
    user.type("\r");
    user.expect("login: ");
    user.type("admin\r");
    user.expect("Password: ");
    user.type("cisco\r");
    user.expect(server.prompt());
    user.type("echo hello\r");
    expect(user.expect(server.prompt()).before).toBe("echo hello\r\nhello\r\n");
    expect(server.commands).toEqual(["echo hello"]);
  });

  it("carries bytes exactly both ways: Return as CR, the console's CR as CR LF, 0xFF through IAC IAC", () => {
    const routers = new Routers({ r1Config: R1_TTY1 });
    const atConsole: number[] = [];
    routers.r1.uart(1).attach({ data: (bytes) => atConsole.push(...bytes) });
    const user = connected(routers);
    user.clear();
    // The user's Return goes out CR LF (telnet client) and reaches the console as CR (2000+n).
    user.type(latin1ToBytes("ab\rc\xff\x00d\n"));
    routers.sim.runFor(100);
    expect(Buffer.from(atConsole).toString("latin1")).toBe("ab\rc\xff\x00d\n");
    // The console's bare CR goes out CR LF; CR LF stays; 0xFF is doubled and undoubled.
    routers.r1.uart(1).send(latin1ToBytes("x\r\ny\rz\xff\x01\n"));
    routers.sim.runFor(100);
    expect(user.screen()).toBe("x\r\ny\r\nz\xff\x01\n");
  });

  it("a second caller is refused while the line is busy; transport input none refuses; clear line frees it", () => {
    const routers = new Routers({ r1Config: R1_TTY1 });
    new ServerConsole(routers.r1.uart(1));
    const first = connected(routers, 1);
    const second = routers.terminal(routers.r2, 2);
    second.type("\r");
    second.expect("r2>");
    second.type("telnet 10.0.0.1 2001\r");
    expect(second.expect("r2>").before).toBe(
      "telnet 10.0.0.1 2001\r\nTrying 10.0.0.1, 2001 ... \r\n% Connection refused by remote host\r\n\r\n",
    );
    second.type("telnet 10.0.0.1 2002\r");
    expect(second.expect("r2>").before).toContain("% Connection refused by remote host");

    const con = enabledConsole(routers, routers.r1);
    con.type("show line\r");
    const table = con.expect("r1#").before;
    expect(table).toMatch(/\r\n\*    1 TTY   9600\/9600  -    -      -    -    -      1       0     0\/0       -\r\n/);
    con.type("show users\r");
    expect(con.expect("r1#").before).toContain("   1 tty 1                incoming             00:00:00 10.0.0.2\r\n");

    con.type("clear line 1\r");
    con.expect("[confirm]");
    con.type("\r");
    con.expect(" [OK]\r\n");
    expect(first.expect("r2>").before).toBe("\r\n[Connection to 10.0.0.1 closed by foreign host]\r\n");
    second.type("telnet 10.0.0.1 2001\r");
    second.expect("Open\r\n");
  });
});
