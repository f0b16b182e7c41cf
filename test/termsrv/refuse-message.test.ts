// `refuse-message d TEXT d` on a line (IOS): a caller of the line while it is busy is accepted,
// reads the message, and the connection is closed (without one, the caller is refused with RST).
// The text is delimited (one line, or several until the delimiter), lives in a small shared pool
// (4 slots, lines with the same text share one), shows in running-config with ^C delimiters and
// survives write memory and a power cycle.
import { describe, expect, it } from "vitest";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import type { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { Routers, RawClient, R1_IP, enabledConsole } from "./fixture.ts";

const CLOSED = 0;
const CLOSE_WAIT = 7;
const R1 = "hostname r1\nline 1 2\n no exec\n transport input all\n";

/** Runs configuration lines on r1's console (enabled), returns everything printed from the first. */
function configure(con: ScriptedTerminal, lines: string[]): string {
  con.type("configure terminal\r");
  con.expect("(config)#");
  con.clear();
  con.type([...lines, "end"].map((l) => `${l}\r`).join(""));
  return con.expect(/end\r\nr1#$/).before;
}

function runningConfig(con: ScriptedTerminal): string {
  con.clear();
  con.type("show running-config\r");
  return con.expect("\r\nend\r\n").before;
}

/** A program on r2 that takes line 1 (raw port 4001), so the line is busy. */
function takeLine(routers: Routers): RawClient {
  const holder = new RawClient(routers, routers.r2, R1_IP, 4001);
  expect(holder.state()).toBe(4); // ESTABLISHED
  return holder;
}

describe("refuse-message", () => {
  it("a caller of a busy line reads the one-line message, then the connection closes", () => {
    const routers = new Routers({ r1Config: `${R1.replace("line 1 2", "line 1")}\n refuse-message ^CLine 1 is in use, try line 2^C\n`, stackEntry: true });
    new ServerConsole(routers.r1.uart(1));
    takeLine(routers);
    const caller = new RawClient(routers, routers.r2, R1_IP, 2001);
    routers.sim.runFor(200);
    expect(caller.take()).toBe("Line 1 is in use, try line 2\r\n");
    expect(caller.state()).toBe(CLOSE_WAIT); // the message, then r1's FIN
  });

  it("what an IOS user sees: Open, the message, closed by foreign host; two at the same instant: one session, one message", () => {
    const routers = new Routers({ r1Config: `${R1.replace("line 1 2", "line 1")}\n refuse-message ^CLine 1 is in use^C\n` });
    new ServerConsole(routers.r1.uart(1));
    const prompt = (line: number): ScriptedTerminal => {
      const user = routers.terminal(routers.r2, line);
      user.type("\r");
      user.expect("r2>");
      user.clear();
      return user;
    };
    const a = prompt(1);
    const b = prompt(2);
    a.type("telnet 10.0.0.1 2001\r");
    b.type("telnet 10.0.0.1 2001\r");
    routers.sim.runFor(3_000);
    const message = "Trying 10.0.0.1, 2001 ... Open\r\nLine 1 is in use\r\n\r\n[Connection to 10.0.0.1 closed by foreign host]\r\nr2>";
    const screens = [a.screen(), b.screen()];
    expect(screens.filter((s) => s === `telnet 10.0.0.1 2001\r\n${message}`).length).toBe(1);
    expect(screens.filter((s) => s === "telnet 10.0.0.1 2001\r\nTrying 10.0.0.1, 2001 ... Open\r\n").length).toBe(1);
    const c = prompt(3);
    c.type("telnet 10.0.0.1 4001\r");
    expect(c.expect("r2>").before).toBe(`telnet 10.0.0.1 4001\r\n${message.replace("2001", "4001").slice(0, -3)}`);
  });

  it("a multi-line message typed at the console: the prompt, the exact bytes a caller reads, running-config rows", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    new ServerConsole(routers.r1.uart(1));
    const con = enabledConsole(routers, routers.r1);
    const printed = configure(con, ["line 1", "refuse-message #", "", "Console of db1 is busy.", "  Call x1234 #ignored", "exit"]);
    expect(printed).toContain("Enter TEXT message.  End with the character '#'.\r\n");
    expect(runningConfig(con)).toContain(
      "line 1\r\n no exec\r\n transport input all\r\n refuse-message ^C\r\n\r\nConsole of db1 is busy.\r\n  Call x1234 ^C\r\nline 2\r\n",
    );
    takeLine(routers);
    const caller = new RawClient(routers, routers.r2, R1_IP, 6001);
    routers.sim.runFor(200);
    expect(caller.take()).toBe("\r\n\r\nConsole of db1 is busy.\r\n  Call x1234 \r\n");
    // A free line with a message takes its caller as always.
    const other = new RawClient(routers, routers.r2, R1_IP, 4002);
    expect(other.state()).toBe(4);
    expect(other.take()).toBe("");
  });

  it("write memory and a power cycle keep it; no refuse-message brings the RST back", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    let con = enabledConsole(routers, routers.r1);
    configure(con, ["line 1 2", "refuse-message ^C", "Busy.", "^C"]);
    const before = runningConfig(con);
    expect(before).toContain("line 1 2\r\n no exec\r\n transport input all\r\n refuse-message ^C\r\nBusy.\r\n^C\r\n");
    con.type("write memory\r");
    con.expect("[OK]\r\n");
    routers.r1.powerOff();
    routers.boot(routers.r1);
    routers.sim.runFor(1_000);
    expect(routers.logs(routers.r1).filter((t) => t.startsWith("startup-config:")).at(-1)).toMatch(/ 0 errors$/);
    con = enabledConsole(routers, routers.r1);
    const after = runningConfig(con);
    expect(after.slice(after.indexOf("!"))).toBe(before.slice(before.indexOf("!")));
    new ServerConsole(routers.r1.uart(2));
    const holder = new RawClient(routers, routers.r2, R1_IP, 4002);
    expect(holder.state()).toBe(4);
    const caller = new RawClient(routers, routers.r2, R1_IP, 2002);
    routers.sim.runFor(200);
    expect(caller.take()).toBe("\r\nBusy.\r\n");
    configure(con, ["line 2", "no refuse-message"]);
    expect(runningConfig(con)).toContain(" refuse-message ^C\r\nBusy.\r\n^C\r\nline 2\r\n no exec\r\n transport input all\r\nline 3 16\r\n");
    const refused = new RawClient(routers, routers.r2, R1_IP, 2002);
    routers.sim.runFor(200);
    expect(refused.take()).toBe("");
    expect(refused.state()).toBe(CLOSED); // RST: "% Connection refused by remote host"
  });

  it("the pool holds 4 texts; lines with the same text share a slot; a fifth text is refused with a clear error", () => {
    const routers = new Routers({ r1Config: "hostname r1\n" });
    const con = enabledConsole(routers, routers.r1);
    /** Sets line's message; returns what the console printed besides echoes and prompts. */
    const set = (line: number, text: string): string =>
      configure(con, [`line ${line}`, `refuse-message #${text}#`]).split("\r\n").filter((l) => !l.includes("#") && l !== "").join("|");
    expect(set(1, "one")).toBe("line 1");
    expect(set(2, "two")).toBe("line 2");
    expect(set(3, "three")).toBe("line 3");
    expect(set(4, "one")).toBe("line 4"); // shares line 1's slot
    expect(set(5, "four")).toBe("line 5");
    expect(set(6, "five")).toBe("line 6|% Message not set: all 4 message slots are in use (lines with the same text share one)");
    // A slot only the changed lines use is replaced in place, so changing a text never needs a spare.
    expect(set(5, "five")).toBe("line 5");
    const config = runningConfig(con);
    expect(config).toContain("line 1\r\n refuse-message ^Cone^C\r\nline 2\r\n refuse-message ^Ctwo^C\r\nline 3\r\n refuse-message ^Cthree^C\r\nline 4\r\n refuse-message ^Cone^C\r\nline 5\r\n refuse-message ^Cfive^C\r\nline 6 16\r\n");
    // Freed when no line uses it any more.
    configure(con, ["line 2", "no refuse-message"]);
    expect(set(6, "six")).toBe("line 6");
    expect(runningConfig(con)).toContain("line 6\r\n refuse-message ^Csix^C\r\nline 7 16\r\n");
  });

  it("too long a message is refused whole", () => {
    const routers = new Routers({ r1Config: "hostname r1\n" });
    const con = enabledConsole(routers, routers.r1);
    const printed = configure(con, ["line 1", "refuse-message #", ...Array(9).fill("x"), "#"]);
    expect(printed).toContain("% Message not set: at most 120 characters, 8 lines of 80, no ^C\r\n");
    expect(runningConfig(con)).not.toContain("refuse-message");
  });
});

describe("busy-message (global, per host)", () => {
  it("every row it prints replays: the first line of text is at most 67 characters (its row is the command too)", () => {
    const routers = new Routers({ r1Config: "hostname r1\n" });
    const con = enabledConsole(routers, routers.r1);
    const fits = "x".repeat(67);
    const printed = configure(con, [`busy-message 255.255.255.254 #${fits}#`, `busy-message 10.0.0.3 #${fits}y#`]);
    expect(printed).toContain("% Message not set: at most 120 characters, 8 lines of 80, no ^C\r\n");
    const row = `busy-message 255.255.255.254 ^C${fits}^C`;
    expect(row.length).toBe(100); // EDIT_LINE_BYTES: the longest line the startup-config replays
    expect(runningConfig(con)).toContain(`!\r\n${row}\r\n!\r\nline con 0`);
    con.type("write memory\r");
    con.expect("[OK]\r\n");
    routers.r1.powerOff();
    routers.boot(routers.r1);
    routers.sim.runFor(1_000);
    expect(runningConfig(enabledConsole(routers, routers.r1))).toContain(`!\r\n${row}\r\n!\r\nline con 0`);
  });

  it("a telnet to that host that fails shows the text instead of the % message; running-config; no busy-message", () => {
    const routers = new Routers({
      r1Config: R1,
      r2Config: "hostname r2\nbusy-message 10.0.0.1 ^C\nr1 is busy or down.\nCall x1234.\n^C\n",
    });
    const user = routers.terminal(routers.r2, 1);
    user.type("\r");
    user.expect("r2>");
    user.clear();
    user.type("telnet 10.0.0.1 2005\r"); // line 5 takes no callers: RST
    expect(user.expect("r2>").before).toBe("telnet 10.0.0.1 2005\r\nTrying 10.0.0.1, 2005 ... \r\n\r\nr1 is busy or down.\r\nCall x1234.\r\n\r\n\r\n");
    user.type("telnet 10.0.0.9 2005\r"); // another host keeps IOS's message
    expect(user.expect("r2>", { timeoutMs: 40_000 }).before).toContain("% Connection timed out; remote host not responding\r\n");
    const con = enabledConsole(routers, routers.r2);
    con.clear();
    con.type("show running-config\r");
    expect(con.expect("\r\nend\r\n").before).toContain("!\r\nbusy-message 10.0.0.1 ^C\r\nr1 is busy or down.\r\nCall x1234.\r\n^C\r\n!\r\nline con 0\r\n");
    con.type("configure terminal\r");
    con.type("no busy-message 10.0.0.1\r");
    con.type("end\r");
    con.expect(/end\r\nr2#$/);
    user.clear();
    user.type("telnet 10.0.0.1 2005\r");
    expect(user.expect("r2>").before).toBe("telnet 10.0.0.1 2005\r\nTrying 10.0.0.1, 2005 ... \r\n% Connection refused by remote host\r\n\r\n");
  });
});
