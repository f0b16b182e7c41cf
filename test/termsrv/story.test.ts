// The tech note's story, whole: r2's tty1 has `autocommand telnet 10.0.0.1 2001`; the user at r2
// presses Return and reaches the server console on r1's tty1. Then r2 loses power. Without
// keepalives r1's tty1 stays busy for ever and every new attempt is refused; with
// `service tcp-keepalives-in` on r1 the line frees itself and the user gets back in alone.
import { describe, expect, it } from "vitest";
import { prepareFirmware, type FirmwareKind } from "../../host-sim/device.ts";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import type { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { Routers, enabledConsole } from "./fixture.ts";

const R1 = "hostname r1\nline 1\n no exec\n transport input telnet\n";
const R2 = "hostname r2\nline 1\n autocommand telnet 10.0.0.1 2001\n";
const HOUR_MS = 3_600_000;

/** Return at r2's tty1 reaches the server console; logs in unless the console still is (a server
 * console stays logged in when its caller vanishes, as in the tech note). */
function logIn(user: ScriptedTerminal, server: ServerConsole): void {
  user.type("\r");
  user.expect("Trying 10.0.0.1, 2001 ... Open\r\n");
  const stillIn = server.state === "shell";
  user.type("\r");
  if (stillIn) {
    user.expect(server.prompt());
    return;
  }
  user.expect("login: ");
  user.type("admin\r");
  user.expect("Password: ");
  user.type("cisco\r");
  user.expect(server.prompt());
}

/** Return at r2's tty1 while r1's line is busy: refused, and the line hangs up. */
function expectRefused(user: ScriptedTerminal): void {
  user.type("\r");
  expect(user.expect("Press RETURN to get started.\r\n").before).toBe(
    "\r\nTrying 10.0.0.1, 2001 ... \r\n% Connection refused by remote host\r\n\r\n" +
      "\r\n\r\nr2 tty1 is now available\r\n\r\n\r\n\r\n",
  );
}

function showLine1(routers: Routers): string {
  const con = enabledConsole(routers, routers.r1);
  con.type("show line 1\r");
  const text = con.expect("r1#").before;
  con.type("exit\r");
  con.expect("Press RETURN");
  con.detach();
  return text;
}

describe("the tech note: a reloaded r2 and r1's hung line", () => {
  it("autocommand: Return opens the session; when it ends the line hangs up, and Return tries again", () => {
    const routers = new Routers({ r1Config: R1, r2Config: R2 });
    const server = new ServerConsole(routers.r1.uart(1));
    const user = routers.terminal(routers.r2, 1);
    logIn(user, server);
    user.type("exit\r"); // the server logs out; the session stays (a console does not hang up)
    user.expect("logout\r\n");
    user.type("\x1ex"); // escaping from an autocommand session hangs the line up (IOS's default)
    user.expect("r2 tty1 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
    routers.sim.runFor(100);
    user.type("\r");
    user.expect("Trying 10.0.0.1, 2001 ... Open\r\n");
  });

  it("without keepalives r1's tty1 stays busy and refuses for hours", () => {
    const routers = new Routers({ r1Config: R1, r2Config: R2 });
    const server = new ServerConsole(routers.r1.uart(1));
    const user = routers.terminal(routers.r2, 1);
    logIn(user, server);
    routers.r2.powerOff();
    routers.sim.runFor(5_000);
    routers.boot(routers.r2);
    expectRefused(user);
    routers.sim.runFor(3 * HOUR_MS);
    expectRefused(user);
    expect(showLine1(routers)).toMatch(/^show line 1\r\n.*\r\n\*    1 TTY /);
  });

  for (const firmware of ["core", "component"] as const satisfies readonly FirmwareKind[]) {
    it(`with service tcp-keepalives-in: r2 answers the first probe with RST, r1 frees the line, the user gets in (${firmware})`, async () => {
      if (firmware === "component") await prepareFirmware("component");
      // IOS profile: idle 60 s, interval 60 s, 4 probes.
      const routers = new Routers({ r1Config: `service tcp-keepalives-in\n${R1}`, r2Config: R2, firmware });
      const server = new ServerConsole(routers.r1.uart(1));
      const user = routers.terminal(routers.r2, 1);
      logIn(user, server);
      const lastWordAtMs = routers.sim.nowMs;
      routers.r2.powerOff();
      routers.sim.runFor(5_000);
      routers.boot(routers.r2);
      expectRefused(user);
      // The probe goes out 60 s after r1 last heard r2; r2 (rebooted) answers RST; r1 aborts at once.
      routers.sim.runFor(lastWordAtMs + 60_000 + 50 - routers.sim.nowMs);
      expect(routers.logs(routers.r1)).toContain("%TTY-6-CONNLOST: tty 1: connection from 10.0.0.2(" + sourcePort(routers) + ") lost (reset by peer)");
      logIn(user, server);
      expect(showLine1(routers)).toContain("Connections lost: 0 keepalive timeout, 1 reset by peer, 0 retransmission timeout.");
    });
  }

  it("with keepalives and r2 still off: unanswered probes free the line after idle + count x interval", () => {
    const routers = new Routers({
      r1Config: `service tcp-keepalives-in\nip tcp keepalive idle 10\nip tcp keepalive interval 5\nip tcp keepalive count 3\n${R1}`,
      r2Config: R2,
    });
    const server = new ServerConsole(routers.r1.uart(1));
    const user = routers.terminal(routers.r2, 1);
    logIn(user, server);
    const lastWordAtMs = routers.sim.nowMs;
    routers.r2.powerOff();
    const deadAtMs = lastWordAtMs + 10_000 + 3 * 5_000;
    routers.sim.runFor(deadAtMs - 100 - routers.sim.nowMs);
    expect(showLine1(routers)).toMatch(/\r\n\*    1 TTY /); // still busy just before
    routers.sim.runFor(200);
    expect(showLine1(routers)).toMatch(/\r\n     1 TTY /);
    expect(showLine1(routers)).toContain("Connections lost: 1 keepalive timeout, 0 reset by peer, 0 retransmission timeout.");
    routers.boot(routers.r2);
    logIn(user, server);
  });
});

describe("the other side: r1 dies under r2's autocommand session", () => {
  it("with service tcp-keepalives-out r2 notices, tells its user, logs, and the line hangs up", () => {
    const routers = new Routers({
      r1Config: R1,
      r2Config: `service tcp-keepalives-out\nip tcp keepalive idle 20\nip tcp keepalive interval 10\nip tcp keepalive count 2\n${R2}`,
    });
    const server = new ServerConsole(routers.r1.uart(1));
    const user = routers.terminal(routers.r2, 1);
    logIn(user, server);
    const lastWordAtMs = routers.sim.nowMs;
    routers.r1.powerOff();
    const { before, atMs } = user.expect("Press RETURN to get started.\r\n", { timeoutMs: 60_000 });
    expect(before).toBe("\r\n[Connection to 10.0.0.1 closed by foreign host]\r\n\r\n\r\nr2 tty1 is now available\r\n\r\n\r\n\r\n");
    expect(atMs - lastWordAtMs).toBeGreaterThanOrEqual(20_000 + 2 * 10_000);
    expect(atMs - lastWordAtMs).toBeLessThan(20_000 + 2 * 10_000 + 100);
    expect(routers.logs(routers.r2).filter((t) => t.startsWith("%TTY"))).toEqual([
      "%TTY-6-CONNLOST: tty 1: connection to 10.0.0.1(2001) lost (keepalive timeout)",
    ]);
  });
});

function sourcePort(routers: Routers): string {
  const line = routers.logs(routers.r1).find((text) => text.startsWith("%TTY-6-CONNLOST"));
  return /\((\d+)\)/.exec(line ?? "")?.[1] ?? "?";
}
