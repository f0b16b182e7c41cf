// ping between two devices on a switch (1 ms links), typed on the console: IOS's exact text, one
// `!` or `.` printed as each echo's outcome arrives (the exec keeps the command running across
// polls), the summary with the stack's round-trip times; repeat and size; the escape key; and
// show arp / clear arp-cache after the traffic.
import { describe, expect, it } from "vitest";
import { lan, type Term } from "./net-console.ts";

const CONFIGS = {
  r1: "hostname r1\ninterface ethernet0\n ip address 10.0.0.1 255.255.255.0\n",
  r2: "hostname r2\ninterface ethernet0\n ip address 10.0.0.2 255.255.255.0\n",
};

function twoRouters(): { r1: Term; r2: Term } {
  const { terms } = lan(["r1", "r2"], { configs: CONFIGS });
  return { r1: terms.r1, r2: terms.r2 };
}

const header = (target: string, repeat = 5, size = 100): string =>
  `\r\nType escape sequence to abort.\r\nSending ${repeat}, ${size}-byte ICMP Echos to ${target}, timeout is 2 seconds:\r\n`;

describe("ping", () => {
  it("reaches the other router from user mode: five replies, the first one waited for ARP", () => {
    const { r2 } = twoRouters();
    // Two 1 ms hops each way through the switch: 4 ms; the first echo also waited for r1's ARP reply.
    expect(r2.run("ping 10.0.0.1", "r2>")).toBe(
      `ping 10.0.0.1\r\n${header("10.0.0.1")}!!!!!\r\nSuccess rate is 100 percent (5/5), round-trip min/avg/max = 4/4/8 ms\r\nr2>`,
    );
    expect(r2.run("ping 10.0.0.1", "r2>")).toBe(
      `ping 10.0.0.1\r\n${header("10.0.0.1")}!!!!!\r\nSuccess rate is 100 percent (5/5), round-trip min/avg/max = 4/4/4 ms\r\nr2>`,
    );
  });

  it("prints a dot per 2-second timeout as it happens, for a host that is not there", () => {
    const { r2 } = twoRouters();
    r2.send("ping 10.0.0.9\r");
    expect(r2.wait(1)).toBe(`ping 10.0.0.9\r\n${header("10.0.0.9")}`);
    expect(r2.wait(1998)).toBe("");
    expect(r2.wait(1)).toBe(".");
    expect(r2.wait(1999)).toBe("");
    expect(r2.wait(1)).toBe(".");
    expect(r2.wait(6000)).toBe("...\r\nSuccess rate is 0 percent (0/5)\r\nr2>");
  });

  it("takes repeat and size in either order, and breaks the line every 70 echoes", () => {
    const { r1, r2 } = twoRouters();
    expect(r2.run("ping 10.0.0.1 repeat 3 size 200", "r2>")).toBe(
      `ping 10.0.0.1 repeat 3 size 200\r\n${header("10.0.0.1", 3, 200)}!!!\r\nSuccess rate is 100 percent (3/3), round-trip min/avg/max = 4/5/8 ms\r\nr2>`,
    );
    expect(r2.run("ping 10.0.0.1 size 36", "r2>")).toBe(
      `ping 10.0.0.1 size 36\r\n${header("10.0.0.1", 5, 36)}!!!!!\r\nSuccess rate is 100 percent (5/5), round-trip min/avg/max = 4/4/4 ms\r\nr2>`,
    );
    expect(r2.run("ping 10.0.0.1 repeat 75", "r2>")).toBe(
      `ping 10.0.0.1 repeat 75\r\n${header("10.0.0.1", 75)}${"!".repeat(70)}\r\n!!!!!\r\nSuccess rate is 100 percent (75/75), round-trip min/avg/max = 4/4/4 ms\r\nr2>`,
    );
    // r1 got r2's gratuitous ARP, its ARP request, and 3 + 5 + 75 echoes (200 bytes: 214-byte frames).
    r1.type("enable");
    expect(r1.type("show interfaces")).toContain(`     ${2 + 83} packets input, ${2 * 42 + 3 * 214 + 5 * 50 + 75 * 114} bytes, 0 no buffer\r\n`);
    expect(r2.type("ping 10.0.0.1 repeat")).toBe("ping 10.0.0.1 repeat\r\n% Incomplete command.\r\n\r\nr2>");
    expect(r2.type("ping 10.0.0.1 size 20")).toBe(
      "ping 10.0.0.1 size 20\r\n                      ^\r\n% Invalid input detected at '^' marker.\r\n\r\nr2>",
    );
  });

  it("offers repeat and size in ? help", () => {
    const { r2 } = twoRouters();
    expect(r2.press("ping 10.0.0.1 ?")).toBe(
      "ping 10.0.0.1 ?\r\n  repeat  Repeat count follows\r\n  size    Size follows\r\n  <cr>\r\n\r\nr2>ping 10.0.0.1 ",
    );
    expect(r2.press("size ?")).toBe("size ?\r\n  <36-1500>  Datagram size\r\n\r\nr2>ping 10.0.0.1 size ");
  });

  it("stops at the escape character (Ctrl-^) with the summary so far; typed-ahead input waits", () => {
    const { r2 } = twoRouters();
    r2.send("ping 10.0.0.9 repeat 10\r");
    r2.wait(2500);
    r2.send("\x1e");
    expect(r2.wait(1)).toBe("\r\nSuccess rate is 0 percent (0/1)\r\nr2>");
    r2.send("ping 10.0.0.1\rshow ver");
    const text = r2.until("r2>show ver");
    expect(text).toContain("!!!!!\r\nSuccess rate is 100 percent (5/5)");
  });

  it("fails at once when the interface is shut down", () => {
    const { r2 } = twoRouters();
    r2.type("enable");
    for (const c of ["conf t", "int e0", "shutdown", "end"]) r2.type(c);
    r2.send("ping 10.0.0.1\r");
    expect(r2.wait(1)).toBe(`ping 10.0.0.1\r\n${header("10.0.0.1")}.....\r\nSuccess rate is 0 percent (0/5)\r\nr2#`);
  });

  it("reclaims the session of a ping whose exec ended (there are only two sessions)", () => {
    const { r2 } = twoRouters();
    // A ping whose exec ends (the console's exec-timeout, here) leaves no session behind.
    r2.type("enable");
    for (const c of ["conf t", "line con 0", "exec-timeout 0 5", "end"]) r2.type(c);
    for (let i = 0; i < 3; i++) {
      r2.send("ping 10.0.0.9 repeat 100\r");
      expect(r2.wait(20_000)).toContain("con0 is now available");
      r2.press("\r");
    }
    expect(r2.run("ping 10.0.0.1", "r2>")).toContain("Success rate is 100 percent (5/5)");
  });
});

describe("show arp and clear arp-cache", () => {
  it("lists our own address and the learned ones in address order, with their age in minutes", () => {
    const { r1, r2 } = twoRouters();
    r2.run("ping 10.0.0.1", "r2>");
    r2.run("ping 10.0.0.3 repeat 1", "r2>");
    const table = "Protocol  Address          Age (min)  Hardware Addr   Type   Interface\r\n";
    expect(r2.type("show arp")).toBe(
      `show arp\r\n${table}` +
        "Internet  10.0.0.1                0   0200.0000.0001  ARPA   Ethernet0\r\n" +
        "Internet  10.0.0.2                -   0200.0000.0002  ARPA   Ethernet0\r\n" +
        "Internet  10.0.0.3                0   Incomplete      ARPA\r\n" +
        "r2>",
    );
    expect(r1.type("show arp")).toBe(
      `show arp\r\n${table}` +
        "Internet  10.0.0.1                -   0200.0000.0001  ARPA   Ethernet0\r\n" +
        "Internet  10.0.0.2                0   0200.0000.0002  ARPA   Ethernet0\r\n" +
        "r1>",
    );
    r2.wait(3 * 60_000);
    expect(r2.type("show arp")).toBe(
      `show arp\r\n${table}` +
        "Internet  10.0.0.1                3   0200.0000.0001  ARPA   Ethernet0\r\n" +
        "Internet  10.0.0.2                -   0200.0000.0002  ARPA   Ethernet0\r\n" +
        "r2>",
    );
    // Privileged: in user mode "c" still matches connect, so the caret stands under the "l".
    expect(r2.type("clear arp")).toBe("clear arp\r\n    ^\r\n% Invalid input detected at '^' marker.\r\n\r\nr2>");
    r2.type("enable");
    expect(r2.type("clear arp")).toBe("clear arp\r\nr2#");
    expect(r2.type("show arp")).toBe(`show arp\r\n${table}Internet  10.0.0.2                -   0200.0000.0002  ARPA   Ethernet0\r\nr2#`);
    expect(r2.type("clear arp-cache")).toBe("clear arp-cache\r\nr2#");
  });
});
