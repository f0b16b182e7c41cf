// Line editing, history, exec-timeout, login, and long sessions: the heap never moves, nothing
// crashes, and the core and component paths print the same transcript.
import { describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { testSeed, Prng } from "../../host-sim/prng.ts";
import { Console } from "./console.ts";

describe("line editing", () => {
  it("erases with backspace and DEL, echoing the erase", () => {
    const con = new Console();
    con.start();
    expect(con.press("shox")).toBe("shox");
    expect(con.press("\x7f")).toBe("\x08 \x08");
    expect(con.press("w usersx\x08")).toBe("w usersx\x08 \x08");
    expect(con.press("\r")).toMatch(/^\r\n    Line       User/);
  });

  it("kills the line with Ctrl-U and the last word with Ctrl-W", () => {
    const con = new Console();
    con.start();
    expect(con.press("garbage\x15")).toBe("garbage\rRouter>       \x08\x08\x08\x08\x08\x08\x08");
    expect(con.press("show foo bar\x17")).toBe("show foo bar\rRouter>show foo    \x08\x08\x08"); // "bar" goes, its space stays
    expect(con.press("\x17")).toBe("\rRouter>show     \x08\x08\x08\x08");
    expect(con.type("version")).toContain("System image file");
  });

  it("moves the cursor with Ctrl-A, Ctrl-E and arrows, inserting in the middle", () => {
    const con = new Console();
    con.start();
    con.press("sow users");
    expect(con.press("\x01")).toBe("\x08".repeat(9));
    expect(con.press("\x1b[C")).toBe("s");
    expect(con.press("h")).toBe("how users\x08\x08\x08\x08\x08\x08\x08\x08");
    expect(con.press("\x05")).toBe("ow users");
    expect(con.press("\r")).toMatch(/^\r\n    Line/);
  });

  it("recalls history with arrows and Ctrl-P/Ctrl-N, newest first, bounded", () => {
    const con = new Console();
    con.start();
    con.type("show users");
    con.type("show version");
    expect(con.press("\x1b[A")).toBe("\rRouter>show version");
    expect(con.press("\x10")).toBe("\rRouter>show users  \x08\x08");
    expect(con.press("\x10")).toBe("\x07");
    expect(con.press("\x0e")).toBe("\rRouter>show version");
    expect(con.press("\x1b[B")).toBe(`\rRouter>${" ".repeat(12)}${"\x08".repeat(12)}`);
    expect(con.press("\x1b[A\r")).toContain("System image file");
    for (let i = 0; i < 15; i++) con.type(`show line ${i}`);
    let oldest = "";
    for (let i = 0; i < 12; i++) oldest = con.press("\x10");
    expect(oldest).toBe("\x07"); // 10 entries, then the bell
  });
});

describe("exec-timeout", () => {
  it("logs the console out after 10 idle minutes by default", () => {
    const con = new Console();
    con.start();
    expect(con.wait(599_000)).toBe("");
    con.press("x\x7f"); // typing is activity
    expect(con.wait(599_000)).toBe("");
    expect(con.wait(2_000)).toBe("\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
    expect(con.press("\r")).toBe("\r\nRouter>");
  });

  it("follows exec-timeout m s, and 0 0 turns it off", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    con.type("line con 0");
    con.type("exec-timeout 1 30");
    con.type("end");
    expect(con.wait(89_000)).toBe("");
    expect(con.wait(2_000)).toContain("con0 is now available");
    con.press("\r");
    con.type("enable");
    con.type("conf t");
    con.type("line con 0");
    con.type("exec-timeout 0 0");
    con.type("end");
    expect(con.wait(24 * 3600_000)).toBe("");
    expect(con.device.nextDeadlineMs()).toBe(Infinity); // nothing left to wake the console for
  });
});

describe("login on a line", () => {
  it("asks for the line password and hangs up after three wrong ones", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    con.type("line con 0");
    con.type("login");
    con.type("end");
    con.type("exit");
    expect(con.press("\r")).toBe("\r\n% Login disabled on line 0, until 'password' is set\r\n\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
  });

  it("lets the right password in", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    con.type("line con 0");
    con.type("password letmein");
    con.type("login");
    con.type("end");
    con.type("exit");
    expect(con.press("\r")).toBe("\r\n\r\nUser Access Verification\r\n\r\nPassword: ");
    expect(con.type("nope")).toBe("\r\nPassword: ");
    expect(con.type("letmein")).toBe("\r\nRouter>");
    con.type("exit");
    con.press("\r");
    con.type("a");
    con.type("b");
    expect(con.type("c")).toBe("\r\n% Bad passwords\r\n\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
  });
});

describe("long sessions", () => {
  it("runs thousands of commands without allocating, growing or crashing", () => {
    const seed = testSeed("exec long session");
    const prng = new Prng(seed);
    const con = new Console({ seed });
    con.start();
    const facts = con.device.memoryFacts();
    expect(facts).toBeDefined();
    con.type("enable");
    const commands = [
      "show running-config", "show version", "show line", "show users", "show line 3", "show startup-config",
      "conf t", "line 1 4", "speed 19200", "no exec", "exit", "hostname r9", "no hostname", "end", "write memory",
      "shw", "co", "show", "sh?", "enable", "exit", "", "show ?", "\x15", "\x1b[A", "\x10\x10", "conf t\rline ?\x15exit",
    ];
    let printed = "";
    for (let i = 0; i < 3000; i++) {
      const command = commands[prng.below(commands.length)]!;
      printed += /[?\x00-\x1f]/.test(command) ? con.press(command) : con.type(command);
      if (i % 500 === 0) expect(con.device.memoryFacts()).toEqual(facts);
    }
    expect(printed).toContain("Current configuration");
    expect(printed).toContain("% Invalid input detected at '^' marker.");
    expect(printed).toContain("con0 is now available");
    con.press("\x15\x1a\r");
    con.type("enable");
    con.type("end");
    for (let i = 0; i < 200; i++) expect(con.type("show running-config")).toContain("!\r\nend\r\n");
    expect(con.device.state).toBe("running");
    expect(con.device.memoryFacts()).toEqual(facts);
    expect(facts?.memoryBytes).toBe(131072);
    expect(con.device.logs.map((l) => l.text).filter((t) => t.startsWith("exec:"))).toEqual([]);
  });
});

describe("the longest steps", () => {
  it("fit in one step: longest prompt, a full line, its caret, Ctrl-U and history recall", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    con.type(`hostname ${"h".repeat(30)}`);
    con.type("line 1");
    const full = `speed 9600 ${"x".repeat(89)}`; // 100 characters, the edit line's limit
    expect(full.length).toBe(100);
    const answer = con.type(full);
    expect(answer).toContain(`${" ".repeat(44 + 11)}^\r\n% Invalid input detected at '^' marker.`);
    expect(con.press(`${"y".repeat(100)}z`)).toBe(`${"y".repeat(100)}\x07`);
    expect(con.press("\x15")).toBe(`\r${"h".repeat(30)}(config-line)#${" ".repeat(100)}${"\x08".repeat(100)}`);
    expect(con.press("\x10")).toBe(`\r${"h".repeat(30)}(config-line)#${full}`);
    expect(con.press("\x0e")).toBe(`\r${"h".repeat(30)}(config-line)#${" ".repeat(100)}${"\x08".repeat(100)}`);
    expect(con.device.logs.map((l) => l.text).filter((t) => t.startsWith("exec:"))).toEqual([]);
  });
});

describe("core and component paths", () => {
  it("print the same console transcript", async () => {
    await prepareFirmware("component");
    const script = ["", "enable", "show version", "conf t", "hostname r1", "line 1 2", "speed 38400", "end", "show running-config", "show line", "write memory", "show startup-config", "shw", "co", "show ?"];
    const transcripts = (["core", "component"] as const).map((firmware) => {
      const con = new Console({ firmware });
      let text = con.boot();
      for (const line of script) text += line.endsWith("?") ? con.press(line) : con.type(line);
      expect(con.device.state).toBe("running");
      return text;
    });
    expect(transcripts[1]).toBe(transcripts[0]);
    expect(transcripts[0]).toContain("r1#show line");
  });
});
