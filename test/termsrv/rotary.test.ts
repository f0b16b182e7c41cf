// Rotary groups (`rotary r` on lines): ports 3000+r (telnet), 5000+r (raw) and 7000+r (binary)
// reach the first free line of group r; when every line of the group is busy the caller is refused
// (RST). A SYN to a rotary port reserves one line as a SYN to the line's own port does, so callers
// at the same instant get different lines. show line shows the group in the Roty column.
import { describe, expect, it } from "vitest";
import { latin1ToBytes } from "../../host-sim/serial-attach/uart-end.ts";
import { Routers, RawClient, R1_IP, enabledConsole } from "./fixture.ts";

const ESTABLISHED = 4;

interface StackCalls {
  testBuffer(): number;
  tcpOpen(ip: number, port: number): number;
  tcpSend(h: number, ptr: number, len: number): number;
  tcpState(h: number): number;
}
const CLOSED = 0;
const R1 = "hostname r1\nline 2 4\n no exec\n transport input all\n rotary 1\nline 5\n no exec\n transport input all\n rotary 2\n";

/** What each of r1's TTYs 1..6 received, as text. */
function ttys(routers: Routers): string[] {
  const seen = ["", "", "", "", "", "", ""];
  for (let n = 1; n <= 6; n++) routers.r1.uart(n).attach({ data: (b) => (seen[n] += Buffer.from(b).toString("latin1")) });
  return seen;
}

describe("rotary groups", () => {
  it("5000+r takes the first free line of the group, then the next; a full group refuses; a freed line is taken again", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    const seen = ttys(routers);
    const callers: RawClient[] = [];
    for (let i = 0; i < 3; i++) {
      const c = new RawClient(routers, routers.r2, R1_IP, 5001);
      expect(c.state()).toBe(ESTABLISHED);
      c.send(`caller${i}`);
      callers.push(c);
    }
    expect(seen.slice(1, 6)).toEqual(["", "caller0", "caller1", "caller2", ""]);
    const fourth = new RawClient(routers, routers.r2, R1_IP, 5001);
    routers.sim.runFor(100);
    expect(fourth.state()).toBe(CLOSED); // RST: "% Connection refused by remote host"
    // Line 3's caller leaves: the next rotary caller gets line 3.
    routers.r2.callExports((raw) => (raw as unknown as { tcpClose(h: number): void }).tcpClose(callers[1]!.handle));
    routers.sim.runFor(200);
    const again = new RawClient(routers, routers.r2, R1_IP, 5001);
    expect(again.state()).toBe(ESTABLISHED);
    again.send("again");
    expect(seen[3]).toBe("caller1again");
    // Another group's port reaches its own line; bytes come back from the line.
    const other = new RawClient(routers, routers.r2, R1_IP, 5002);
    expect(other.state()).toBe(ESTABLISHED);
    routers.r1.uart(5).send(latin1ToBytes("from tty5"));
    expect(other.take()).toBe("from tty5");
  });

  it("callers at the same instant to the rotary port and to a line's own port get different lines", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    const seen = ttys(routers);
    // A first connection resolves ARP; then three SYNs leave r2 in the same poll.
    new RawClient(routers, routers.r2, R1_IP, 4006);
    let handles: number[] = [];
    routers.r2.callExports((raw) => {
      const e = raw as unknown as StackCalls;
      handles = [e.tcpOpen(R1_IP, 4002), e.tcpOpen(R1_IP, 5001), e.tcpOpen(R1_IP, 5001)];
    });
    routers.sim.runFor(200);
    const states: number[] = [];
    routers.r2.callExports((raw, memory) => {
      const e = raw as unknown as StackCalls;
      handles.forEach((h, i) => {
        states.push(e.tcpState(h));
        const text = latin1ToBytes(`c${i}`);
        memory.set(text, e.testBuffer());
        e.tcpSend(h, e.testBuffer(), text.length);
      });
    });
    routers.sim.runFor(100);
    expect(states).toEqual([ESTABLISHED, ESTABLISHED, ESTABLISHED]);
    expect(seen.slice(1, 6)).toEqual(["", "c0", "c1", "c2", ""]);
    // The group is full now: the next rotary caller is refused; so is a caller of a taken line.
    expect(new RawClient(routers, routers.r2, R1_IP, 5001).state()).toBe(CLOSED);
    expect(new RawClient(routers, routers.r2, R1_IP, 4003).state()).toBe(CLOSED);
  });

  it("a rotary SYN reserves its line at once: a caller of that line's own port in the same instant is refused", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    new RawClient(routers, routers.r2, R1_IP, 4006);
    let handles: number[] = [];
    routers.r2.callExports((raw) => {
      const e = raw as unknown as StackCalls;
      handles = [e.tcpOpen(R1_IP, 5001), e.tcpOpen(R1_IP, 4002)];
    });
    routers.sim.runFor(200);
    const states = handles.map((h) => {
      let state = -1;
      routers.r2.callExports((raw) => {
        state = (raw as unknown as StackCalls).tcpState(h);
      });
      return state;
    });
    expect(states).toEqual([ESTABLISHED, CLOSED]);
  });

  it("show line shows the group (Roty); running-config has rotary; telnet to 3000+r says Open", () => {
    const routers = new Routers({ r1Config: R1 });
    const con = enabledConsole(routers, routers.r1);
    con.clear();
    con.type("show line\r");
    const rows = con.expect("r1#").before.split("\r\n");
    expect(rows[3]).toBe("     1 TTY   9600/9600  -    -      -    -    -      0       0     0/0       -");
    expect(rows[4]).toBe("     2 TTY   9600/9600  -    -      1    -    -      0       0     0/0       -");
    expect(rows[7]).toBe("     5 TTY   9600/9600  -    -      2    -    -      0       0     0/0       -");
    con.clear();
    con.type("show running-config\r");
    expect(con.expect("\r\nend\r\n").before).toContain("line 2 4\r\n no exec\r\n transport input all\r\n rotary 1\r\nline 5\r\n no exec\r\n transport input all\r\n rotary 2\r\n");
    const user = routers.terminal(routers.r2, 1);
    user.type("\r");
    user.expect("r2>");
    user.type("telnet 10.0.0.1 3001\r");
    user.expect("Trying 10.0.0.1, 3001 ... Open\r\n");
    routers.sim.runFor(200);
    con.clear();
    con.type("show line 2\r");
    expect(con.expect("r1#").before).toContain("*    2 TTY   9600/9600  -    -      1    -    -      1       0     0/0       -\r\n");
  });
});
