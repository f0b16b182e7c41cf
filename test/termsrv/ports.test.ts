// The three reverse ports of a line and RFC 2217, seen by a bare TCP client (a program on a PC):
// 4000+n raw, 6000+n binary telnet, 2000+n telnet with COM-PORT-OPTION reaching the UART.
import { describe, expect, it } from "vitest";
import { latin1ToBytes } from "../../host-sim/serial-attach/uart-end.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { Routers, RawClient, R1_IP } from "./fixture.ts";

const R1 = "hostname r1\nline 1\n no exec\n transport input all\n";

function consoleOf(routers: Routers): { bytes: () => string; device: ScriptedTerminal } {
  const device = new ScriptedTerminal(routers.r1.uart(1), routers.sim);
  return { bytes: () => device.screen(), device };
}

describe("reverse ports", () => {
  it("4000+n is raw TCP: no negotiation, no CR or 0xFF translation", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    const con = consoleOf(routers);
    const client = new RawClient(routers, routers.r2, R1_IP, 4001);
    expect(client.take()).toBe(""); // no greeting
    client.send("a\r\nb\r\x00\xff\xfd\x01");
    expect(con.bytes()).toBe("a\r\nb\r\x00\xff\xfd\x01");
    routers.r1.uart(1).send(latin1ToBytes("c\rd\xff"));
    expect(client.take()).toBe("c\rd\xff");
  });

  it("6000+n is binary telnet: WILL/DO BINARY, CR untouched, 0xFF doubled", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    const con = consoleOf(routers);
    const client = new RawClient(routers, routers.r2, R1_IP, 6001);
    expect(client.take()).toBe("\xff\xfb\x01\xff\xfb\x03\xff\xfb\x00\xff\xfd\x00");
    client.send("a\r\nb\r\x00\xff\xff");
    expect(con.bytes()).toBe("a\r\nb\r\x00\xff");
    routers.r1.uart(1).send(latin1ToBytes("c\rd\xff"));
    expect(client.take()).toBe("c\rd\xff\xff");
  });

  it("2000+n answers RFC 2217 and drives the UART: baud, DTR, BREAK, modem state back, settings restored after", () => {
    const routers = new Routers({ r1Config: R1, stackEntry: true });
    const con = consoleOf(routers);
    const client = new RawClient(routers, routers.r2, R1_IP, 2001);
    expect(client.take()).toBe("\xff\xfb\x01\xff\xfb\x03"); // WILL ECHO, WILL SGA
    client.send("\xff\xfb\x2c"); // WILL COM-PORT-OPTION
    expect(client.take()).toBe("\xff\xfd\x2c");
    client.send("\xff\xfa\x2c\x01\x00\x01\xc2\x00\xff\xf0"); // SET-BAUDRATE 115200
    expect(client.take()).toBe("\xff\xfa\x2c\x65\x00\x01\xc2\x00\xff\xf0");
    expect(con.device.lastControl?.settings.baud).toBe(115200);
    client.send("\xff\xfa\x2c\x05\x09\xff\xf0"); // SET-CONTROL DTR off
    expect(client.take()).toBe("\xff\xfa\x2c\x69\x09\xff\xf0");
    expect(con.device.lastControl?.signals).toBe(2); // RTS only
    routers.r1.uart(1).setModem(0x80 | 0x20); // DCD and DSR come up
    expect(client.take()).toBe("\xff\xfa\x2c\x6b\xaa\xff\xf0"); // NOTIFY-MODEMSTATE DCD DSR + their deltas
    const signals: { bits: number; atMs: number }[] = [];
    routers.r1.uart(1).attach({ data: () => undefined, control: (bits) => signals.push({ bits, atMs: routers.sim.nowMs }) });
    client.send("\xff\xf3"); // IAC BRK: BREAK asserted, then released 250 ms later
    routers.sim.runFor(300);
    expect(signals.map((s) => s.bits)).toEqual([2 | 4, 2]);
    expect(signals[1]!.atMs - signals[0]!.atMs).toBe(250);
    client.send("x\r\n");
    expect(con.bytes()).toBe("x\r");
    // The caller leaves: the line gets its configured 9600 baud back.
    call2close(routers, client);
    expect(con.device.lastControl?.settings.baud).toBe(9600);
  });
});

function call2close(routers: Routers, client: RawClient): void {
  routers.r2.callExports((raw) => (raw as unknown as { tcpClose(h: number): void }).tcpClose(client.handle));
  routers.sim.runFor(100);
}
