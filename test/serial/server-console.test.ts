// The simulated server console (r1's tty1 in the tech note): silent until a Return, then a getty's
// banner and login prompt, a fixed user and password, and a small shell. Driven here through two
// UARTs joined back to back (a stand-in for the terminal server), entirely in virtual time.
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../host-sim/scheduler.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { ServerConsole, SERVER_CONSOLE_LINE_MAX } from "../../host-sim/serial-attach/server-console.ts";
import { bridgedUarts } from "./fake-port.ts";

const BANNER = "\r\nDebian GNU/Linux 12 server ttyS0\r\n\r\nserver login: ";
const PROMPT = "admin@server:~$ ";

function setup(): { scheduler: Scheduler; term: ScriptedTerminal; console: ServerConsole } {
  const scheduler = new Scheduler();
  const { a, b } = bridgedUarts(scheduler);
  const term = new ScriptedTerminal(a, scheduler);
  const console = new ServerConsole(b);
  return { scheduler, term, console };
}

function login(term: ScriptedTerminal): void {
  term.type("\r");
  term.expect("login: ");
  term.type("admin\r");
  term.expect("Password: ");
  term.type("cisco\r");
  term.expect(PROMPT);
}

describe("ServerConsole", () => {
  it("says nothing until it gets a Return, then prints the banner and the login prompt", () => {
    const { term, console } = setup();
    term.expectSilence(3_600_000);
    term.type("hello");
    term.expectSilence(10_000);
    expect(console.state).toBe("idle");
    term.type("\r");
    term.expect("login: ");
    expect(term.screen()).toBe(BANNER);
    expect(console.state).toBe("login");
  });

  it("logs in with the fixed user and password: echoes the name, never the password", () => {
    const { term, console } = setup();
    login(term);
    expect(term.screen()).toBe(`${BANNER}admin\r\nPassword: \r\nLast login: on ttyS0\r\n${PROMPT}`);
    expect(console.state).toBe("shell");
    expect(console.logins).toBe(1);
  });

  it("refuses a wrong password and asks again", () => {
    const { term, console } = setup();
    term.type("\r");
    term.expect("login: ");
    term.type("admin\rwrong\r");
    term.expect("Login incorrect\r\nserver login: ");
    expect(term.screen()).toBe(`${BANNER}admin\r\nPassword: \r\n\r\nLogin incorrect\r\nserver login: `);
    expect(console.failedLogins).toBe(1);
    term.type("root\rcisco\r");
    term.expect("Login incorrect\r\n");
    expect(console.failedLogins).toBe(2);
    expect(console.state).toBe("login");
  });

  it("runs a few shell commands, answers unknown ones like bash, and logs out to silence", () => {
    const { term, console } = setup();
    login(term);
    term.clear();
    term.type("hostname\r");
    term.expect(PROMPT);
    term.type("echo  keepalive   works\r");
    term.expect(PROMPT);
    term.type("ls\r");
    term.expect(PROMPT);
    term.type("\r");
    term.expect(PROMPT);
    term.type("exit\r");
    term.expect("logout\r\n");
    expect(term.screen()).toBe(
      `hostname\r\nserver\r\n${PROMPT}` +
        `echo  keepalive   works\r\nkeepalive works\r\n${PROMPT}` +
        `ls\r\n-bash: ls: command not found\r\n${PROMPT}` +
        `\r\n${PROMPT}` +
        "exit\r\nlogout\r\n",
    );
    expect(console.commands).toEqual(["hostname", "echo  keepalive   works", "ls", "exit"]);
    expect(console.state).toBe("idle");
    term.expectSilence(60_000);
    term.type("\r");
    term.expect("login: ");
  });

  it("takes CR LF and CR NUL (telnet's Return) as one Return, and a bare LF as one", () => {
    const { term } = setup();
    term.type("\r\n");
    term.expect("login: ");
    term.type("admin\r\0");
    term.expect("Password: ");
    term.type("cisco\n");
    term.expect(PROMPT);
    term.type("whoami\r\n");
    term.expect(PROMPT);
    expect(term.screen()).toBe(`${BANNER}admin\r\nPassword: \r\nLast login: on ttyS0\r\n${PROMPT}whoami\r\nadmin\r\n${PROMPT}`);
  });

  it("edits the line with backspace, DEL and ^U; ^C gives a new prompt; ^D logs out", () => {
    const { term, console } = setup();
    login(term);
    term.clear();
    term.type("whx\x08oam\x7fmi\r");
    term.expect(PROMPT);
    expect(term.screen()).toBe(`whx\b \boam\b \bmi\r\nadmin\r\n${PROMPT}`);
    term.clear();
    term.type("abc\x15tty\r");
    term.expect(PROMPT);
    expect(term.screen()).toBe(`abc\b \b\b \b\b \btty\r\n/dev/ttyS0\r\n${PROMPT}`);
    term.clear();
    term.type("sleep 100\x03");
    term.expect(PROMPT);
    expect(term.screen()).toBe(`sleep 100^C\r\n${PROMPT}`);
    term.type("\x04");
    term.expect("logout\r\n");
    expect(console.state).toBe("idle");
    expect(console.commands).toEqual(["whoami", "tty"]);
  });

  it("bounds the input line and rings the bell past it", () => {
    const { term } = setup();
    login(term);
    term.clear();
    term.type("x".repeat(SERVER_CONSOLE_LINE_MAX + 2));
    term.expect("\x07\x07");
    expect(term.screen()).toBe(`${"x".repeat(SERVER_CONSOLE_LINE_MAX)}\x07\x07`);
  });

  it("is deterministic: a person typing slowly sees the same screen at the same instants every run", () => {
    const run = (): { screen: string; times: number[] } => {
      const { term } = setup();
      const times: number[] = [];
      term.type("\r", { charDelayMs: 150 });
      times.push(term.expect("login: ").atMs);
      term.type("admin\r", { charDelayMs: 150 });
      times.push(term.expect("Password: ").atMs);
      term.type("cisco\r", { charDelayMs: 150 });
      times.push(term.expect(PROMPT).atMs);
      return { screen: term.screen(), times };
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.screen).toBe(`${BANNER}admin\r\nPassword: \r\nLast login: on ttyS0\r\n${PROMPT}`);
    // Bytes move at 9600 baud 8N1 (1.0417 ms each) both ways through the firmware: the console's
    // 52-character answer to the Return is on the terminal at 61 ms; the name's Return, typed at
    // 900 ms, gets "Password: " back at 919 ms; the password's Return the prompt at 1848 ms.
    expect(first.times).toEqual([61, 919, 1848]);
  });
});
