// The work bits (tty/lines.ts, tty/termsrv.ts, net/arp.ts, tcp events): a poll only visits the
// execs, sessions and listeners with news, and a session's deadline is kept between its news. These
// prove that what sleeps still wakes on time: a log line for an idle console, an idle session's
// timeout while another line streams, a line's listeners after a configuration change.
import { describe, expect, it } from "vitest";
import { latin1ToBytes } from "../../host-sim/serial-attach/uart-end.ts";
import { Routers, RawClient, R1_IP, enabledConsole } from "./fixture.ts";

const ESTABLISHED = 4;

describe("work bits: what sleeps wakes on time", () => {
  it("a debug line reaches the console while its exec is idle (the log wakes line 0)", () => {
    const routers = new Routers({ stackEntry: true });
    const con = enabledConsole(routers, routers.r1);
    con.type("debug ip tcp transactions\r");
    con.expect("r1#");
    con.type("exit\r");
    con.expect("Press RETURN to get started.\r\n");
    routers.sim.runFor(5_000);
    const startMs = routers.sim.nowMs;
    new RawClient(routers, routers.r2, R1_IP, 23); // runs 50 ms
    const { atMs } = con.expect(/TCP\d+: state was LISTEN -> SYNRCVD \[23 -> 10\.0\.0\.2\(\d+\)\]/);
    expect(atMs - startMs).toBe(50); // already there: not left waiting for a key on the console
  });

  it("an idle reverse session's session-timeout ends it at its instant while another line streams", () => {
    const routers = new Routers({
      stackEntry: true,
      r1Config: "hostname r1\nline 1\n no exec\n transport input all\nline 2\n no exec\n transport input all\n session-timeout 1\n",
    });
    const openedMs = routers.sim.nowMs;
    const idle = new RawClient(routers, routers.r2, R1_IP, 4002);
    const busy = new RawClient(routers, routers.r2, R1_IP, 4001);
    expect(idle.state()).toBe(ESTABLISHED);
    let received = 0;
    let closedMs = -1;
    for (let step = 0; step < 1_400 && closedMs < 0; step++) {
      routers.r1.uart(1).send(latin1ToBytes("x".repeat(64)));
      routers.sim.runFor(50);
      received += busy.take().length;
      if (idle.state() !== ESTABLISHED) closedMs = routers.sim.nowMs;
    }
    expect(received).toBeGreaterThan(50_000); // the other line kept streaming meanwhile
    expect(closedMs - openedMs).toBeGreaterThanOrEqual(60_000);
    expect(closedMs - openedMs).toBeLessThan(60_200);
    expect(busy.state()).toBe(ESTABLISHED);
  });

  it("an outgoing session from a vty keeps moving when the vty's connection has room again (that connection's news is its news)", () => {
    const routers = new Routers({
      r1Config: "hostname r1\nline vty 0 4\n password cisco\n",
      r2Config: "hostname r2\nline 1\n no exec\n transport input telnet\n speed 115200\nline 2\n speed 9600\n",
      paced: true,
    });
    const user = routers.terminal(routers.r2, 2);
    user.type("\r");
    user.expect("r2>");
    user.type("telnet 10.0.0.1\r");
    user.expect("Password: ");
    user.type("cisco\r");
    user.expect("r1>");
    user.type("telnet 10.0.0.2 2001\r"); // from r1's vty back to r2's tty1
    user.expect("Trying 10.0.0.2, 2001 ... Open\r\n");
    // 12 KB from the device on r2's tty1 (115200 baud) to the user on r2's tty2 (9600 baud, paced):
    // the slow end backs up into r1's vty connection, so r1's outgoing session waits for the vty's
    // send room again and again, and only the vty connection's news says the room is back.
    let text = "";
    for (let i = 0; text.length < 12_000; i++) text += `${String(i).padStart(5, "0")} `;
    text += "<end>";
    const sentMs = routers.sim.nowMs;
    routers.r2.uart(1).send(latin1ToBytes(text));
    const { before, atMs } = user.expect("<end>", { timeoutMs: 60_000 });
    expect(before + "<end>").toBe(text);
    expect(atMs - sentMs).toBeLessThan(13_000); // the 9600-baud line's rate: 12,011 bytes in 12.5 s
  });

  it("a line's ports follow its configuration at once (transport input typed on the console)", () => {
    const routers = new Routers({ stackEntry: true, r1Config: "hostname r1\nline 3\n no exec\n" });
    const refused = new RawClient(routers, routers.r2, R1_IP, 4003);
    expect(refused.state()).not.toBe(ESTABLISHED); // TTYs refuse by default
    const con = enabledConsole(routers, routers.r1);
    con.type("configure terminal\r");
    con.expect("(config)#");
    con.type("line 3\r");
    con.expect("(config-line)#");
    con.type("transport input telnet\r");
    con.expect("(config-line)#");
    expect(new RawClient(routers, routers.r2, R1_IP, 4003).state()).toBe(ESTABLISHED);
  });
});
