// The TCP commands on the console: keepalive service and timers (reflected in the stack: a dead
// peer is dropped at idle + count x interval, counted in show tcp statistics, logged on the console
// with debug ip tcp transactions), synwait-time, show tcp brief [all], clear tcp tcb, debug and
// undebug, and what user mode may not do. Connections are opened through the stack entry's exports
// (the console's `telnet` command comes from another part of the project).
import { describe, expect, it } from "vitest";
import { lan, type Term } from "./net-console.ts";
import { ip } from "../support/packets.ts";

const CONFIGS = {
  r1: "hostname r1\ninterface ethernet0\n ip address 10.0.0.1 255.255.255.0\n",
  r2: "hostname r2\ninterface ethernet0\n ip address 10.0.0.2 255.255.255.0\n",
};
const R1 = ip("10.0.0.1");
const BRIEF = "TCB       Local Address               Foreign Address             (state)\r\n";

const hex8 = (n: number): string => (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
const pad = (s: string, n: number): string => s.padEnd(n);

/** r2 opens a connection to r1 port 2001, r1 accepts it: both handles and r2's port. */
function connect(r1: Term, r2: Term): { server: number; client: number; port: number } {
  const l = r1.call((e) => e.tcpListen(2001, 2001));
  const client = r2.call((e) => e.tcpOpen(R1, 2001));
  r1.wait(50);
  const server = r1.call((e) => e.tcpAccept(l, 0));
  expect(server).toBeGreaterThanOrEqual(0);
  return { server, client, port: r2.call((e) => e.tcpLocalPort(client)) };
}

describe("service tcp-keepalives and ip tcp keepalive", () => {
  it("are off / 60-60-4 by default, show only non-defaults in running-config, and survive write memory", () => {
    const { terms, sim } = lan(["r1"], { configs: { r1: CONFIGS.r1 } });
    const r1 = terms.r1;
    r1.type("enable");
    const top = (): string => {
      const shown = r1.type("show running-config");
      return shown.slice(shown.indexOf("!\r\n"), shown.indexOf("interface Ethernet0"));
    };
    const profile = (): string => r1.type("show tcp statistics").split("\r\n").at(-2)!;
    expect(top()).toBe("!\r\nhostname r1\r\n!\r\n");
    expect(profile()).toBe("Keepalive idle 60 s, interval 60 s, 4 probes; synwait 30 s");
    r1.type("conf t");
    for (const c of ["service tcp-keepalives-in", "service tcp-keepalives-out", "ip tcp keepalive idle 10", "ip tcp keepalive interval 5", "ip tcp keepalive count 2", "ip tcp synwait-time 5"]) {
      expect(r1.type(c)).toBe(`${c}\r\nr1(config)#`);
    }
    r1.type("end");
    const configured =
      "!\r\nservice tcp-keepalives-in\r\nservice tcp-keepalives-out\r\n!\r\nhostname r1\r\n!\r\n" +
      "ip tcp synwait-time 5\r\nip tcp keepalive idle 10\r\nip tcp keepalive interval 5\r\nip tcp keepalive count 2\r\n!\r\n";
    expect(top()).toBe(configured);
    expect(profile()).toBe("Keepalive idle 10 s, interval 5 s, 2 probes; synwait 5 s");
    r1.type("write memory");
    r1.type("reload");
    r1.press("\r");
    expect(sim.device("r1").boots).toBe(2);
    r1.press("\r");
    r1.type("enable");
    expect(top()).toBe(configured);
    expect(profile()).toBe("Keepalive idle 10 s, interval 5 s, 2 probes; synwait 5 s");
    for (const c of ["conf t", "no service tcp-keepalives-in", "no ip tcp keepalive idle", "no ip tcp keepalive count", "no ip tcp synwait-time", "end"]) r1.type(c);
    expect(top()).toBe("!\r\nservice tcp-keepalives-out\r\n!\r\nhostname r1\r\n!\r\nip tcp keepalive interval 5\r\n!\r\n");
    expect(profile()).toBe("Keepalive idle 60 s, interval 5 s, 4 probes; synwait 30 s");
  });

  it("refuses values out of range", () => {
    const { terms } = lan(["r1"]);
    const r1 = terms.r1;
    r1.type("enable");
    r1.type("conf t");
    expect(r1.type("ip tcp synwait-time 4")).toBe("ip tcp synwait-time 4\r\n" + " ".repeat(35) + "^\r\n% Invalid input detected at '^' marker.\r\n\r\nRouter(config)#");
    expect(r1.type("ip tcp keepalive count 0")).toBe("ip tcp keepalive count 0\r\n" + " ".repeat(38) + "^\r\n% Invalid input detected at '^' marker.\r\n\r\nRouter(config)#");
  });

  it("drop a connection whose peer vanished at idle + count x interval, and count and log it", () => {
    const { terms, sim } = lan(["r1", "r2"], { configs: CONFIGS });
    const { r1, r2 } = terms;
    r1.type("enable");
    for (const c of ["conf t", "service tcp-keepalives-in", "ip tcp keepalive idle 10", "ip tcp keepalive interval 5", "ip tcp keepalive count 2", "end"]) r1.type(c);
    r1.type("debug ip tcp transactions");
    const { server, port } = connect(r1, r2);
    const tcb = hex8(r1.call((e) => e.tcpTcbAddress(server)));
    const debug = (from: string, to: string): string => `\r\nTCP0: state was ${from} -> ${to} [2001 -> 10.0.0.2(${port})]`;
    r1.take(); // the handshake's debug lines (tested below)
    const row = `${tcb}  ${pad("10.0.0.1.2001", 28)}${pad(`10.0.0.2.${port}`, 28)}ESTAB\r\n`;
    expect(r1.type("show tcp brief")).toBe(`show tcp brief\r\n${BRIEF}${row}r1#`);
    // r2 vanishes: its link is cut, so the probes go unanswered.
    const lastHeardMs = sim.nowMs - Number(r1.call((e) => e.tcpIdleMs(server)));
    sim.network.partition("r2");
    // Probes at 10 s and 15 s after the last segment heard, the abort at 20 s, to the millisecond.
    r1.wait(lastHeardMs + 15_001 - sim.nowMs);
    expect(r1.type("show tcp statistics")).toContain("\r\n2 Keepalive timeout, 2 keepalive probe, 0 Connections dropped in keepalive\r\n");
    expect(r1.wait(lastHeardMs + 19_999 - sim.nowMs)).toBe("");
    expect(r1.call((e) => e.tcpState(server))).toBe(4); // still ESTABLISHED
    expect(r1.wait(1)).toBe(debug("ESTAB", "CLOSED"));
    expect(r1.call((e) => e.tcpCloseReason(server))).toBe(2); // keepalive
    const stats = r1.type("show tcp statistics");
    expect(stats).toContain("\r\n2 Keepalive timeout, 2 keepalive probe, 1 Connections dropped in keepalive\r\n");
    expect(r1.type("show tcp brief")).toBe(`show tcp brief\r\n${BRIEF}r1#`);
  });

  it("leave connections alone when off (the tech note's hung line)", () => {
    const { terms, sim } = lan(["r1", "r2"], { configs: CONFIGS });
    const { r1, r2 } = terms;
    const { server } = connect(r1, r2);
    sim.network.partition("r2");
    r1.wait(3 * 3600_000);
    expect(r1.call((e) => e.tcpState(server))).toBe(4);
    r1.press("\r"); // the console's exec timed out meanwhile
    expect(r1.type("show tcp statistics")).toContain("\r\n0 Keepalive timeout, 0 keepalive probe, 0 Connections dropped in keepalive\r\n");
  });
});

describe("show tcp brief", () => {
  it("shows both ends of a connection as IOS does, and the listeners only with `all`", () => {
    const { terms } = lan(["r1", "r2"], { configs: CONFIGS });
    const { r1, r2 } = terms;
    r1.call((e) => e.tcpListen(2002, 2016));
    const { server, client, port } = connect(r1, r2);
    const r1Tcb = hex8(r1.call((e) => e.tcpTcbAddress(server)));
    const r2Tcb = hex8(r2.call((e) => e.tcpTcbAddress(client)));
    const r1Row = `${r1Tcb}  ${pad("10.0.0.1.2001", 28)}${pad(`10.0.0.2.${port}`, 28)}ESTAB\r\n`;
    expect(r1.type("show tcp brief")).toBe(`show tcp brief\r\n${BRIEF}${r1Row}r1>`);
    expect(r1.type("show tcp brief all")).toBe(
      `show tcp brief all\r\n${BRIEF}${r1Row}` +
        `00000000  ${pad("*.23", 28)}${pad("*.*", 28)}LISTEN\r\n` + // the vty listener
        `00000000  ${pad("*.2002-2016", 28)}${pad("*.*", 28)}LISTEN\r\n` +
        `00000000  ${pad("*.2001", 28)}${pad("*.*", 28)}LISTEN\r\nr1>`,
    );
    expect(r2.type("show tcp brief")).toBe(`show tcp brief\r\n${BRIEF}${r2Tcb}  ${pad(`10.0.0.2.${port}`, 28)}${pad("10.0.0.1.2001", 28)}ESTAB\r\nr2>`);
    // r2 closes: FINWAIT2 on r2 (r1 acknowledged), CLOSEWAIT on r1.
    r2.call((e) => e.tcpClose(client));
    r2.wait(50);
    expect(r1.type("show tcp brief")).toBe(`show tcp brief\r\n${BRIEF}${r1Row.replace("ESTAB", "CLOSEWAIT")}r1>`);
    expect(r2.type("show tcp brief")).toContain("FINWAIT2\r\n");
    r1.call((e) => e.tcpClose(server));
    r1.wait(50);
    expect(r1.type("show tcp brief")).toBe(`show tcp brief\r\n${BRIEF}r1>`);
    expect(r2.type("show tcp brief")).toContain("TIMEWAIT\r\n");
  });
});

describe("clear tcp tcb", () => {
  it("confirms, resets the connection (the peer sees the RST) and logs it with debug on", () => {
    const { terms } = lan(["r1", "r2"], { configs: CONFIGS });
    const { r1, r2 } = terms;
    r1.type("enable");
    r1.type("debug ip tcp transactions");
    const { server, client, port } = connect(r1, r2);
    r1.take();
    const address = r1.call((e) => e.tcpTcbAddress(server));
    const text = address.toString(16);
    expect(r1.type(`clear tcp tcb 0x${text}`)).toBe(`clear tcp tcb 0x${text}\r\n[confirm]`);
    expect(r1.press("\r")).toBe(`\r\n [OK]\r\nr1#\r\nTCP0: state was ESTAB -> CLOSED [2001 -> 10.0.0.2(${port})]`);
    expect(r2.call((e) => e.tcpState(client))).toBe(0);
    expect(r2.call((e) => e.tcpCloseReason(client))).toBe(1); // reset by peer
    expect(r1.type(`clear tcp tcb ${text}`)).toBe(`clear tcp tcb ${text}\r\n% Invalid TCB address\r\nr1#`);
    expect(r1.type("clear tcp tcb zz")).toBe("clear tcp tcb zz\r\n% Invalid TCB address\r\nr1#");
  });

  it("does nothing when not confirmed", () => {
    const { terms } = lan(["r1", "r2"], { configs: CONFIGS });
    const { r1, r2 } = terms;
    r1.type("enable");
    const { server } = connect(r1, r2);
    const text = r1.call((e) => e.tcpTcbAddress(server)).toString(16);
    r1.type(`clear tcp tcb ${text}`);
    expect(r1.press("n")).toBe("\r\nr1#");
    expect(r1.call((e) => e.tcpState(server))).toBe(4);
  });
});

describe("clear tcp line", () => {
  it("resets the connection of a line (labelled by the session layer), after confirmation", () => {
    const { terms } = lan(["r1", "r2"], { configs: CONFIGS });
    const { r1, r2 } = terms;
    r1.type("enable");
    r1.type("debug ip tcp transactions");
    const { server, client, port } = connect(r1, r2);
    r1.call((e) => e.tcpSetTag(server, 1));
    r1.take();
    expect(r1.type("clear tcp line 2")).toBe("clear tcp line 2\r\n% No TCP connection on that line\r\nr1#");
    expect(r1.type("clear tcp line 1")).toBe("clear tcp line 1\r\n[confirm]");
    expect(r1.press("y")).toBe(`\r\n [OK]\r\nr1#\r\nTCP1: state was ESTAB -> CLOSED [2001 -> 10.0.0.2(${port})]`);
    expect(r2.call((e) => e.tcpCloseReason(client))).toBe(1); // reset by peer
  });
});

describe("debug ip tcp transactions", () => {
  it("prints state changes on the console, one per line, until undebug all", () => {
    const { terms } = lan(["r1", "r2"], { configs: CONFIGS });
    const { r1, r2 } = terms;
    r1.type("enable");
    expect(r1.type("show debugging")).toBe("show debugging\r\nr1#");
    expect(r1.type("debug ip tcp transactions")).toBe("debug ip tcp transactions\r\nTCP special event debugging is on\r\nr1#");
    expect(r1.type("show debugging")).toBe("show debugging\r\nTCP:\r\n  TCP special event debugging is on\r\nr1#");
    const l = r1.call((e) => e.tcpListen(2001, 2001));
    const client = r2.call((e) => e.tcpOpen(R1, 2001));
    const port = r2.call((e) => e.tcpLocalPort(client));
    const tail = `[2001 -> 10.0.0.2(${port})]`;
    expect(r1.wait(50)).toBe(`\r\nTCP0: state was LISTEN -> SYNRCVD ${tail}\r\nTCP0: state was SYNRCVD -> ESTAB ${tail}`);
    expect(r1.type("")).toBe("\r\nr1#");
    expect(r1.type("undebug all")).toBe("undebug all\r\nAll possible debugging has been turned off\r\nr1#");
    const server = r1.call((e) => e.tcpAccept(l, 0));
    r1.call((e) => e.tcpAbort(server));
    expect(r1.wait(50)).toBe("");
    expect(sim(r1).logs.map((x) => x.text).filter((t) => t.startsWith("TCP0"))).toHaveLength(2);
    expect(r1.type("debug all")).toBe("debug all\r\nAll possible debugging has been turned on\r\nr1#");
    expect(r1.type("no debug all")).toBe("no debug all\r\nAll possible debugging has been turned off\r\nr1#");
    r1.type("debug ip tcp transactions");
    expect(r1.type("no debug ip tcp transactions")).toBe("no debug ip tcp transactions\r\nTCP special event debugging is off\r\nr1#");
  });
});

function sim(t: Term): Term["device"] {
  return t.device;
}

describe("privileges", () => {
  it("keep clear, debug and show running-config from user mode; show and ping stay open", () => {
    const { terms } = lan(["r1"], { configs: { r1: CONFIGS.r1 } });
    const r1 = terms.r1;
    const invalid = (command: string, at: number): string => `${command}\r\n${" ".repeat(3 + at)}^\r\n% Invalid input detected at '^' marker.\r\n\r\nr1>`;
    // In user mode "c" and "d" still match connect and disconnect: the caret stands one further.
    expect(r1.type("clear tcp tcb 1")).toBe(invalid("clear tcp tcb 1", 1));
    expect(r1.type("debug ip tcp transactions")).toBe(invalid("debug ip tcp transactions", 1));
    expect(r1.type("undebug all")).toBe(invalid("undebug all", 0));
    expect(r1.type("show running-config")).toBe(invalid("show running-config", 5));
    expect(r1.type("show tcp brief")).toBe(`show tcp brief\r\n${BRIEF}r1>`);
    expect(r1.type("show debugging")).toBe("show debugging\r\nr1>");
    expect(r1.type("show ip interface brief")).toContain("Ethernet0              10.0.0.1        YES NVRAM  up                    up\r\nr1>");
  });
});
