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
    expect(con.type("nope")).toBe("\r\n");
    expect(con.wait(1_000)).toBe("Password: "); // the login delay after one wrong password
    expect(con.type("letmein")).toBe("\r\nRouter>");
    con.type("exit");
    con.press("\r");
    con.type("a");
    expect(con.wait(1_000)).toBe("Password: "); // the right password reset the delay to 1 s
    con.type("b");
    expect(con.wait(2_000)).toBe("Password: ");
    expect(con.type("c")).toBe("\r\n% Bad passwords\r\n\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
  });
});

/**
 * Steps 1 ms at a time (the delays are measured to the millisecond) until the console prints
 * `Password: `; bounded, so a firmware that never prompts fails the test instead of hanging it.
 */
function untilPrompt(con: Console, limitMs = 60_000): string {
  let text = "";
  for (let waited = 0; !text.endsWith("Password: "); waited++) {
    if (waited >= limitMs) throw new Error(`no Password: prompt within ${limitMs} ms; got ${JSON.stringify(text)}`);
    text += con.wait(1);
  }
  return text;
}

/** A console with `login` and `password letmein`, logged out: Return brings `Password: `. */
function loginConsole(extra: string[] = []): Console {
  const con = new Console();
  con.start();
  con.type("enable");
  con.type("conf t");
  con.type("line con 0");
  con.type("password letmein");
  con.type("login");
  for (const line of extra) con.type(line);
  con.type("end");
  con.type("exit");
  return con;
}

describe("login protection", () => {
  it("delays the next Password: prompt 1 s, 2 s, 4 s ... after wrong passwords in a row, across execs", () => {
    const con = loginConsole();
    expect(con.press("\r")).toBe("\r\n\r\nUser Access Verification\r\n\r\nPassword: ");
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      con.send("nope\r");
      const startMs = con.sim.nowMs;
      let text = con.wait(1);
      if (i % 3 === 2) {
        expect(text).toBe("\r\n% Bad passwords\r\n\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
        text = "";
        con.send("\r");
      } else {
        expect(text).toBe("\r\n");
        text = "";
      }
      text += untilPrompt(con);
      delays.push(con.sim.nowMs - startMs);
      // After `% Bad passwords` a new exec on the same line still waits for the delay.
      expect(text).toBe(i % 3 === 2 ? "\r\n\r\nUser Access Verification\r\n\r\nPassword: " : "Password: ");
    }
    // The prompt comes at the instant the delay ends (the poll is due then), within 1 ms.
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(con.type("letmein")).toBe("\r\nRouter>");
    con.type("exit");
    con.press("\r");
    con.send("wrong\r");
    expect(con.wait(999)).toBe("\r\n");
    expect(con.wait(1)).toBe("Password: "); // the right password reset the count
  });

  it("asks for no poll during the delay but its end, nor at the prompt but the answer's due time", () => {
    const con = loginConsole();
    con.send("\r");
    con.wait(1);
    const promptMs = con.sim.nowMs - 1;
    expect(con.device.nextDeadlineMs()).toBe(promptMs + 30_000);
    con.send("nope\r");
    con.wait(1);
    expect(con.device.nextDeadlineMs()).toBe(promptMs + 1 + 1_000);
  });

  it("throws away what is typed during the delay instead of queueing it", () => {
    const con = loginConsole();
    con.press("\r");
    con.send("nope\r");
    con.wait(500);
    con.send("letmein\r"); // typed before the prompt: discarded
    expect(con.wait(500)).toBe("Password: ");
    expect(con.wait(5_000)).toBe(""); // still waiting for an answer, not logged in
    expect(con.type("letmein")).toBe("\r\nRouter>");
  });

  it("logs each wrong password as %SEC_LOGIN-4-LOGIN_FAILED with the line's name and counts it in show login failures", () => {
    const con = loginConsole();
    con.press("\r");
    con.type("nope");
    con.wait(1_000);
    con.type("nope");
    con.wait(2_000);
    con.type("letmein");
    const failed = con.device.logs.filter((l) => l.text.includes("LOGIN_FAILED"));
    expect(failed.map((l) => [l.level, l.text])).toEqual([
      [4, "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ] [Source: con0] [Reason: Login Authentication Failed]"],
      [4, "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ] [Source: con0] [Reason: Login Authentication Failed]"],
    ]);
    expect(con.type("show login failures")).toBe(
      "show login failures\r\nTotal failed logins: 2\r\n" +
        "Line      Count InARow Delay\r\n" +
        "con 0         2      0   0 s\r\n\r\nRouter>",
    );
  });

  it("ends a login left unanswered for 30 s with `% Password:  timeout expired!`", () => {
    const con = loginConsole();
    con.send("\r");
    expect(con.wait(29_999)).toBe("\r\n\r\nUser Access Verification\r\n\r\nPassword: ");
    expect(con.wait(1)).toBe(
      "\r\n% Password:  timeout expired!\r\n\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n",
    );
    expect(con.device.nextDeadlineMs()).toBe(Infinity); // nothing left to wake the console for
  });

  it("counts the timeout from each prompt, typing or not, and not during the login delay", () => {
    const con = loginConsole();
    con.send("\r");
    con.wait(20_000);
    con.send("abc"); // typing does not restart it: the answer is due 30 s after the prompt
    expect(con.wait(9_999)).toBe("");
    expect(con.wait(1)).toContain("% Password:  timeout expired!");
    con.press("\r");
    con.send("nope\r");
    expect(con.wait(1_000 + 29_999)).toBe("\r\nPassword: ");
    expect(con.wait(1)).toBe("\r\n% Password:  timeout expired!\r\n\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
  });

  it("starts the doubling from `login delay N` seconds (still capped at 30 s); no login delay restores 1 s", () => {
    const con = loginConsole(["login delay 3"]);
    con.send("\r");
    con.wait(1);
    const delays: number[] = [];
    for (let i = 0; i < 2; i++) {
      con.send("nope\r");
      const startMs = con.sim.nowMs;
      let text = "";
      text += untilPrompt(con);
      delays.push(con.sim.nowMs - startMs);
    }
    expect(delays).toEqual([3_000, 6_000]);
    con.type("letmein");
    con.type("enable");
    expect(con.type("show running-config")).toContain("!\r\nlogin delay 3\r\n!\r\n");
    con.type("conf t");
    con.type("no login delay");
    con.type("end");
    expect(con.type("show running-config")).not.toContain("login delay");
  });

  it("keeps timeout login response (per line range) and login block-for across write memory and reload", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    con.type("login block-for 120 attempts 4 within 60");
    con.type("login delay 2");
    con.type("line vty 1 3");
    con.type("timeout login response 10");
    con.type("end");
    const before = con.type("show running-config");
    expect(before).toContain("!\r\nlogin block-for 120 attempts 4 within 60\r\nlogin delay 2\r\n!\r\n");
    expect(before).toContain("line vty 0\r\n login\r\nline vty 1 3\r\n login\r\n timeout login response 10\r\nline vty 4\r\n login\r\n");
    con.type("write memory");
    con.type("reload");
    con.press("\r");
    expect(con.device.boots).toBe(2);
    con.press("\r");
    con.type("enable");
    expect(con.type("show running-config")).toBe(before);
    expect(con.device.logs.map((l) => l.text).filter((t) => t.startsWith("startup-config:"))).toEqual(["startup-config: 21 lines, 0 errors"]);
  });

  it("follows timeout login response <1-300> per line, shows it in running-config, and no restores 30 s", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    con.type("line vty 0 4");
    con.type("timeout login response 5");
    con.type("line con 0");
    con.type("password letmein");
    con.type("login");
    con.type("timeout login response 300");
    con.type("end");
    const running = con.type("show running-config");
    expect(running).toContain("line con 0\r\n password 5 ");
    expect(running).toContain(" login\r\n timeout login response 300\r\n");
    expect(running).toContain("line vty 0 4\r\n login\r\n timeout login response 5\r\n");
    expect(con.type("conf t")).toBe("conf t\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nRouter(config)#");
    expect(con.type("line con 0")).toBe("line con 0\r\nRouter(config-line)#");
    expect(con.type("timeout login response 301")).toContain("% Invalid input detected at '^' marker.");
    con.type("end");
    con.type("exit");
    con.send("\r");
    expect(con.wait(299_999)).toContain("Password: ");
    expect(con.wait(1)).toContain("% Password:  timeout expired!");
    con.press("\r");
    con.type("letmein");
    con.type("enable");
    con.type("conf t");
    con.type("line vty 0 4");
    con.type("no timeout login response");
    con.type("end");
    expect(con.type("show running-config")).toContain("line vty 0 4\r\n login\r\n!");
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
