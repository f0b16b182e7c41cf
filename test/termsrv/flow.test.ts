// Flow control end to end: a paste much faster than the far line can take. r2's tty1 runs at
// 115200 baud, r1's tty1 at 1200: the bytes wait in rings and TCP windows, and none is lost.
import { describe, expect, it } from "vitest";
import { latin1ToBytes } from "../../host-sim/serial-attach/uart-end.ts";
import { Routers } from "./fixture.ts";

const R1 = "hostname r1\nline 1\n no exec\n transport input telnet\n speed 1200\n";
const R2 = "hostname r2\nline 1\n speed 115200\n";

function text(lines: number, tag: string): string {
  let out = "";
  for (let i = 0; i < lines; i++) out += `${tag} line ${String(i).padStart(4, "0")} the quick brown fox jumps over the lazy dog\r`;
  return out;
}

describe("flow control through a session", () => {
  it("a big paste into a slow line arrives whole and in order, both ways", () => {
    const routers = new Routers({ r1Config: R1, r2Config: R2, paced: true });
    let atConsole = "";
    routers.r1.uart(1).attach({ data: (bytes) => (atConsole += Buffer.from(bytes).toString("latin1")) });
    const user = routers.terminal(routers.r2, 1);
    user.type("\r");
    user.expect("r2>");
    user.type("telnet 10.0.0.1 2001\r");
    user.expect("Open\r\n");
    routers.sim.runFor(200);
    user.clear();
    const paste = text(50, "up"); // 2,900 bytes: 24 s at 1200 baud (10 bits a character)
    const startMs = routers.sim.nowMs;
    user.type(latin1ToBytes(paste));
    routers.sim.runUntilTrue(() => atConsole.length >= paste.length, 60_000);
    expect(atConsole).toBe(paste);
    expect(routers.sim.nowMs - startMs).toBeGreaterThanOrEqual(Math.floor((paste.length * 10 * 1000) / 1200)); // paced, not dropped

    const dump = text(50, "down");
    routers.r1.uart(1).send(latin1ToBytes(dump)); // the console answers at its own 1200 baud
    const expected = dump.replace(/\r/g, "\r\n"); // 2000+n: CR -> CR LF
    routers.sim.runUntilTrue(() => user.screen().length >= expected.length, 60_000);
    expect(user.screen()).toBe(expected);
  });

  it("a console flooding a slow terminal waits for it (r1 fast, r2 slow)", () => {
    const routers = new Routers({
      r1Config: "hostname r1\nline 1\n no exec\n transport input telnet\n speed 115200\n",
      r2Config: "hostname r2\nline 1\n speed 1200\n",
      paced: true,
    });
    const user = routers.terminal(routers.r2, 1);
    user.type("\r");
    user.expect("r2>");
    user.type("telnet 10.0.0.1 2001\r");
    user.expect("Open\r\n");
    routers.sim.runFor(200);
    user.clear();
    const dump = text(80, "flood"); // 5,300 bytes, far more than every ring and window on the way
    routers.r1.uart(1).send(latin1ToBytes(dump));
    const expected = dump.replace(/\r/g, "\r\n");
    routers.sim.runUntilTrue(() => user.screen().length >= expected.length, 120_000);
    expect(user.screen()).toBe(expected);
    expect(routers.r1.state).toBe("running");
    expect(routers.r2.state).toBe("running");
  });
});
