// The exec on the console: activation, modes and prompts, abbreviations, the three IOS errors,
// `?` help, with exact transcripts.
import { describe, expect, it } from "vitest";
import { Console } from "./console.ts";

const GREETING = "\r\n\r\nPress RETURN to get started!\r\n\r\n\r\n";

describe("console activation", () => {
  it("greets at boot and starts an exec on Return, not on other keys", () => {
    const con = new Console();
    expect(con.boot()).toBe(GREETING);
    expect(con.press("abc")).toBe("");
    expect(con.press("\r")).toBe("\r\nRouter>");
    expect(con.device.state).toBe("running");
  });

  it("treats CR LF, CR NUL and a lone LF as one Return each", () => {
    const con = new Console();
    con.start();
    expect(con.press("\r\n")).toBe("\r\nRouter>");
    expect(con.press("\r\0")).toBe("\r\nRouter>");
    expect(con.press("\n")).toBe("\r\nRouter>");
  });

  it("logs out with exit and greets again", () => {
    const con = new Console();
    con.start();
    expect(con.type("exit")).toBe("exit\r\n\r\n\r\nRouter con0 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
    expect(con.press("\r")).toBe("\r\nRouter>");
  });
});

describe("modes and prompts", () => {
  it("moves through user, privileged, config and config-line modes", () => {
    const con = new Console();
    con.start();
    expect(con.type("enable")).toBe("enable\r\nRouter#");
    expect(con.type("configure terminal")).toBe("configure terminal\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nRouter(config)#");
    expect(con.type("line con 0")).toBe("line con 0\r\nRouter(config-line)#");
    expect(con.type("exit")).toBe("exit\r\nRouter(config)#");
    expect(con.type("line vty 0 4")).toBe("line vty 0 4\r\nRouter(config-line)#");
    expect(con.type("end")).toBe("end\r\nRouter#");
    expect(con.type("disable")).toBe("disable\r\nRouter>");
  });

  it("changes the prompt with hostname, and a sub-mode accepts global commands", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    expect(con.type("hostname r1")).toBe("hostname r1\r\nr1(config)#");
    con.type("line 1 8");
    expect(con.type("hostname r2")).toBe("hostname r2\r\nr2(config)#");
    expect(con.type("no hostname")).toBe("no hostname\r\nRouter(config)#");
    expect(con.type("hostname 9x")).toBe("hostname 9x\r\n% Hostname contains one or more illegal characters.\r\nRouter(config)#");
  });

  it("leaves configuration with Ctrl-Z and logs who configured", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    expect(con.press("\x1a")).toBe("^Z\r\nRouter#");
    expect(con.device.logs.map((l) => l.text)).toContain("%SYS-5-CONFIG_I: Configured from console by con0");
  });
});

describe("abbreviations", () => {
  it("accepts unique prefixes of every word", () => {
    const con = new Console();
    con.start();
    expect(con.type("en")).toBe("en\r\nRouter#");
    expect(con.type("conf t")).toBe("conf t\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nRouter(config)#");
    expect(con.type("ho r1")).toBe("ho r1\r\nr1(config)#");
    expect(con.type("li c 0")).toBe("li c 0\r\nr1(config-line)#");
    expect(con.type("exec-t 0 0")).toBe("exec-t 0 0\r\nr1(config-line)#");
    expect(con.type("EnD")).toBe("EnD\r\nr1#");
  });
});

describe("the three errors", () => {
  it("marks invalid input with a caret under the first character that fails", () => {
    const con = new Console();
    con.start();
    expect(con.type("shw")).toBe("shw\r\n         ^\r\n% Invalid input detected at '^' marker.\r\n\r\nRouter>");
    expect(con.type("show foo")).toBe("show foo\r\n            ^\r\n% Invalid input detected at '^' marker.\r\n\r\nRouter>");
    con.type("enable");
    con.type("conf t");
    con.type("line 1");
    const caret = (column: number): string => `${" ".repeat(column)}^\r\n% Invalid input detected at '^' marker.\r\n\r\n`;
    // "Router(config-line)#" is 20 columns: the number starts at 20 + 13.
    expect(con.type("exec-timeout 35792")).toBe(`exec-timeout 35792\r\n${caret(33)}Router(config-line)#`);
    expect(con.type("speed 9600 1")).toBe(`speed 9600 1\r\n${caret(31)}Router(config-line)#`);
    expect(con.type("transport input telnot")).toBe(`transport input telnet\r\n${caret(40)}Router(config-line)#`.replace("telnet", "telnot"));
  });

  it("reports ambiguous abbreviations", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    expect(con.type("co")).toBe('co\r\n% Ambiguous command:  "co"\r\nRouter#');
    expect(con.type("e")).toBe('e\r\n% Ambiguous command:  "e"\r\nRouter#');
  });

  it("reports incomplete commands", () => {
    const con = new Console();
    con.start();
    expect(con.type("show")).toBe("show\r\n% Incomplete command.\r\n\r\nRouter>");
    con.type("enable");
    expect(con.type("configure")).toBe("configure\r\n% Incomplete command.\r\n\r\nRouter#");
    con.type("conf t");
    expect(con.type("line vty")).toBe("line vty\r\n% Incomplete command.\r\n\r\nRouter(config)#");
    expect(con.type("no")).toBe("no\r\n% Incomplete command.\r\n\r\nRouter(config)#");
  });
});

describe("? help", () => {
  it("lists the next words with their help, sorted, and redisplays the line", () => {
    const con = new Console();
    con.start();
    expect(con.press("show ?")).toBe(
      "show ?\r\n" +
        "  arp         ARP table\r\n" +
        "  debugging   Debugging state\r\n" +
        "  interfaces  Interface status\r\n" +
        "  ip          IP information\r\n" +
        "  line        TTY line information\r\n" +
        "  login       Display Secure Login Configurations and State\r\n" +
        "  sessions    Information about Telnet connections\r\n" +
        "  tcp         TCP connections\r\n" +
        "  users       Display information about terminal lines\r\n" +
        "  version     System hardware and software status\r\n" +
        "\r\nRouter>show ",
    );
    expect(con.press("version ?")).toBe("version ?\r\n  <cr>\r\n\r\nRouter>show version ");
  });

  it("completes a partial word", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    expect(con.press("sh?")).toBe("sh?\r\nshow  \r\n\r\nRouter#sh");
    expect(con.press("\x15co?")).toBe("\rRouter#  \x08\x08co?\r\nconfigure  connect  copy  \r\n\r\nRouter#co");
    expect(con.press("\x15xyz?")).toBe("\rRouter#  \x08\x08xyz?\r\n% Unrecognized command\r\nRouter#xyz");
  });

  it("shows arguments, ranges and <cr> in configuration modes", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    con.type("conf t");
    expect(con.press("line ?")).toBe(
      "line ?\r\n" +
        "  <0-22>   First Line number\r\n" +
        "  aux      Auxiliary line\r\n" +
        "  console  Primary terminal line\r\n" +
        "  tty      Terminal controller\r\n" +
        "  vty      Virtual terminal\r\n" +
        "\r\nRouter(config)#line ",
    );
    expect(con.press("vty 0 ?")).toBe("vty 0 ?\r\n  <0-4>  Last Line number\r\n  <cr>\r\n\r\nRouter(config)#line vty 0 ");
    expect(con.press("\x15no ?")).toMatch(/^\r.*no \?\r\n  busy-message  Display message when connection to host fails\r\n  enable        Modify enable password parameters\r\n  hostname      Set system's network name\r\n  ip            Global IP configuration\r\n  login         Enable secure login checking\r\n  service       Modify network services\r\n\r\nRouter\(config\)#no $/s);
  });

  it("completes a unique keyword with Tab and rings the bell otherwise", () => {
    const con = new Console();
    con.start();
    expect(con.press("sh\t")).toBe("show ");
    expect(con.press("ver\t")).toBe("version ");
    expect(con.press("\r")).toContain("Terminal server firmware");
    con.type("enable");
    expect(con.press("co\t")).toBe("co\x07");
  });
});
