// Reverse telnet end to end: r2's user types `telnet 10.0.0.1 2001` and reaches the server console
// on r1's tty1; bytes both ways, refusals, clear line.
import { describe, expect, it } from "vitest";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import { Routers, enabledConsole } from "./fixture.ts";

const R1_TTY1 = "hostname r1\nline 1\n no exec\n transport input telnet\n";

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
});
