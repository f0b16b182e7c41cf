// The first bytes of a reverse session (swarm finding 1). The caller prints Open when our SYN+ACK
// arrives; r1 takes the line only when the caller's ACK arrives, a one-way delay later, or an RTO
// later when that ACK is lost. Serial bytes the device sends in between belong to the session: a
// `no exec` line keeps them while a caller's handshake is under way (before the fix, the idle line
// dropped them as noise), and bytes from before any caller still count as noise.
import { describe, expect, it } from "vitest";
import { latin1ToBytes } from "../../host-sim/serial-attach/uart-end.ts";
import { Routers, enabledConsole } from "./fixture.ts";

const R1 = "hostname r1\nline 1\n no exec\n transport input telnet\n";

function callerSeesOpen(routers: Routers, port = 2001) {
  const user = routers.terminal(routers.r2, 1);
  user.type("\r");
  user.expect("r2>");
  user.type(`telnet 10.0.0.1 ${port}\r`);
  user.expect("Open\r\n");
  user.clear();
  return user;
}

describe("bytes at the start of a reverse session", () => {
  it("the caller's ACK is lost: what the console prints before r1 sees the handshake complete reaches the caller", () => {
    const routers = new Routers({ r1Config: R1 });
    const user = callerSeesOpen(routers);
    const uplink = routers.sim.network.link("r2", "sw0");
    uplink.partition("aToB"); // the ACK that completes the handshake is lost on the way (in flight)
    routers.sim.runFor(20);
    routers.r1.uart(1).send(latin1ToBytes("BOOT MESSAGE"));
    routers.sim.runFor(100);
    uplink.repair("aToB"); // r1 sends its SYN+ACK again after its RTO; r2's ACK gets through this time
    routers.sim.runUntilTrue(() => user.screen().includes("BOOT MESSAGE"), 5_000);
    expect(user.screen()).toBe("BOOT MESSAGE");
  });

  it("the same bytes the instant the caller prints Open (one link delay before r1 takes the line)", () => {
    const routers = new Routers({ r1Config: R1 });
    const user = callerSeesOpen(routers);
    routers.r1.uart(1).send(latin1ToBytes("ABCDEFGHIJ"));
    routers.sim.runFor(1_000);
    expect(user.screen()).toBe("ABCDEFGHIJ");
  });

  it("the same through a rotary port: the line the SYN reserved keeps its input", () => {
    const routers = new Routers({ r1Config: "hostname r1\nline 1\n no exec\n transport input telnet\n rotary 1\n" });
    const user = callerSeesOpen(routers, 3001);
    routers.r1.uart(1).send(latin1ToBytes("ABCDEFGHIJ"));
    routers.sim.runFor(1_000);
    expect(user.screen()).toBe("ABCDEFGHIJ");
  });

  it("bytes from before any caller are noise: dropped and counted, never sent to the next caller", () => {
    const routers = new Routers({ r1Config: R1 });
    routers.sim.runFor(100);
    routers.r1.uart(1).send(latin1ToBytes("stale"));
    routers.sim.runFor(100);
    const user = callerSeesOpen(routers);
    routers.sim.runFor(1_000);
    expect(user.screen()).toBe("");
    const con = enabledConsole(routers, routers.r1);
    con.clear();
    con.type("show line 1\r");
    con.expect(/#$/);
    expect(con.screen()).toMatch(/^\*\s+1 TTY .* 1 +5 +0\/0 /m); // Uses 1, Noise 5
  });
});
