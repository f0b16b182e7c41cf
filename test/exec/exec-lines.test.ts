// The line table seen from outside: execs on tty lines, `no exec` noise, autocommand, show line,
// show users, and serial flow control (input waits in the host, never lost).
import { describe, expect, it } from "vitest";
import { Console } from "./console.ts";

function configure(con: Console, lines: string[]): void {
  con.start();
  con.type("enable");
  con.type("conf t");
  for (const line of lines) con.type(line);
  con.type("end");
}

function ttyOutput(con: Console, line: number): { text: () => string } {
  let text = "";
  con.device.uart(line).attach({ data: (b) => (text += Buffer.from(b).toString("latin1")) });
  return {
    text: () => {
      const t = text;
      text = "";
      return t;
    },
  };
}

describe("tty lines", () => {
  it("start an exec on any byte, and show it in show users and show line", () => {
    const con = new Console();
    con.start();
    const tty2 = ttyOutput(con, 2);
    con.device.uart(2).send("x");
    con.settle();
    expect(tty2.text()).toBe("\r\nRouter>");
    con.device.uart(2).send("show users\r");
    con.settle();
    expect(tty2.text()).toBe(
      "show users\r\n    Line       User       Host(s)              Idle       Location\r\n" +
        "   0 con 0                idle                 00:00:00\r\n" +
        "*  2 tty 2                idle                 00:00:00\r\n\r\nRouter>",
    );
    const table = con.type("show line").split("\r\n");
    expect(table[1]).toBe("   Tty Typ     Tx/Rx    A Modem  Roty AccO AccI   Uses   Noise  Overruns   Int");
    expect(table[2]).toBe("*    0 CTY              -    -      -    -    -      1       0     0/0       -");
    expect(table[3]).toBe("     1 TTY   9600/9600  -    -      -    -    -      0       0     0/0       -");
    expect(table[4]).toBe("*    2 TTY   9600/9600  -    -      -    -    -      1       0     0/0       -");
    expect(table[20]).toBe("    18 VTY              -    -      -    -    -      0       0     0/0       -");
    expect(table.length).toBe(26);
  });

  it("count input as noise and start nothing with no exec", () => {
    const con = new Console();
    configure(con, ["line 5", "no exec"]);
    const tty5 = ttyOutput(con, 5);
    con.device.uart(5).send("hello\r");
    con.settle();
    expect(tty5.text()).toBe("");
    expect(con.type("show line 5")).toBe(
      "show line 5\r\n   Tty Typ     Tx/Rx    A Modem  Roty AccO AccI   Uses   Noise  Overruns   Int\r\n" +
        "     5 TTY   9600/9600  -    -      -    -    -      0       6     0/0       -\r\n" +
        '\r\nLine 5, Location: "", Type: ""\r\nLength: 24 lines, Width: 80 columns\r\n' +
        "Baud rate (TX/RX) is 9600/9600, no parity, 1 stopbits, 8 databits\r\n" +
        "Status: Ready\r\nCapabilities: EXEC Suppressed\r\nModem state: Ready\r\n" +
        "Special Chars: Escape\r\n               ^^x\r\nTimeouts:      Idle EXEC    Idle Session\r\n" +
        "               00:10:00     never\r\n" +
        "Session limit is not set.\r\nAllowed input transports are none.\r\n" +
        "Connections lost: 0 keepalive timeout, 0 reset by peer, 0 retransmission timeout.\r\n\r\nRouter#",
    );
  });

  it("run the autocommand and hang up when it returns", () => {
    const con = new Console();
    configure(con, ["line 3", "autocommand show users"]);
    const tty3 = ttyOutput(con, 3);
    con.device.uart(3).send("\r");
    con.settle();
    const text = tty3.text();
    expect(text.startsWith("\r\n    Line       User")).toBe(true);
    expect(text.endsWith("\r\n\r\n\r\nRouter tty3 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n")).toBe(true);
    expect(con.type("show users")).not.toContain("tty 3");
  });
});

describe("clear line", () => {
  it("confirms, then ends the exec on that line", () => {
    const con = new Console();
    con.start();
    const tty4 = ttyOutput(con, 4);
    con.device.uart(4).send("\r");
    con.settle();
    expect(tty4.text()).toBe("\r\nRouter>");
    con.type("enable");
    expect(con.type("clear line 4")).toBe("clear line 4\r\n[confirm]");
    expect(con.press("\r")).toBe("\r\n [OK]\r\nRouter#");
    expect(tty4.text()).toBe("\r\n\r\nRouter tty4 is now available\r\n\r\n\r\n\r\nPress RETURN to get started.\r\n");
    expect(con.type("show users")).not.toContain("tty 4");
  });
});

describe("flow control", () => {
  it("loses no typed byte when input arrives faster than the exec can answer", () => {
    const con = new Console();
    con.start();
    con.type("enable");
    const burst = "show running-config\r".repeat(40);
    const text = con.press(burst);
    expect(text.split("Current configuration").length - 1).toBe(40);
    expect(con.device.uart(0).bytesToDevice).toBeGreaterThan(burst.length);
  });

  it("holds back what the receive ring cannot take and takes it later", () => {
    const con = new Console();
    con.boot();
    const accepted: number[] = [];
    const uart = con.device.uart(0);
    uart.paced = true; // 9600 baud: the exec's answers take time, input piles up
    uart.send("\r" + "show version\r".repeat(30));
    for (let i = 0; i < 5; i++) {
      con.sim.runFor(200);
      accepted.push(uart.backlogBytes());
    }
    expect(accepted[0]).toBeGreaterThan(0); // the device refused part of the burst...
    const text = con.wait(60_000);
    expect(uart.backlogBytes()).toBe(0); // ...and took all of it in the end
    expect(text.split("Configuration register").length - 1).toBe(30);
  });
});
