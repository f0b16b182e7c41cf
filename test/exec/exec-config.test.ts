// Configuration: enable secret (salted hash, never in clear), line settings reaching the UART,
// write memory / copy / reload keeping the startup-config, blank and corrupt NVRAM.
import { describe, expect, it } from "vitest";
import { MemoryNvram } from "../../host-sim/nvram.ts";
import { Console } from "./console.ts";

function privileged(con: Console): void {
  con.start();
  con.type("enable");
}

describe("enable secret", () => {
  it("asks for the secret without echo, refuses wrong ones three times, accepts the right one", () => {
    const con = new Console();
    privileged(con);
    con.type("conf t");
    con.type("enable secret s3cr3t");
    con.press("\x1a");
    expect(con.type("disable")).toBe("disable\r\nRouter>");
    expect(con.type("enable")).toBe("enable\r\nPassword: ");
    expect(con.type("wrong")).toBe("\r\nPassword: ");
    expect(con.type("s3cr3")).toBe("\r\nPassword: ");
    expect(con.type("S3CR3T")).toBe("\r\n% Bad secrets\r\n\r\nRouter>");
    expect(con.type("enable")).toBe("enable\r\nPassword: ");
    expect(con.type("s3cr3t")).toBe("\r\nRouter#");
  });

  it("never shows the secret in clear, and a saved hash works after reload", () => {
    const con = new Console();
    privileged(con);
    con.type("conf t");
    con.type("enable secret s3cr3t");
    con.type("end");
    const running = con.type("show running-config");
    expect(running).not.toContain("s3cr3t");
    const line = running.split("\r\n").find((l) => l.startsWith("enable secret"));
    expect(line).toMatch(/^enable secret 5 \$t\$[0-9a-f]{8}\$[0-9a-f]{16}$/);
    con.type("write memory");
    expect(Buffer.from((con.nvram as MemoryNvram).bytes).toString("latin1")).not.toContain("s3cr3t");
    con.type("reload");
    con.press("\r");
    con.settle();
    con.press("\r");
    expect(con.type("enable")).toBe("enable\r\nPassword: ");
    expect(con.type("s3cr3t")).toBe("\r\nRouter#");
    expect(con.type("show running-config").split("\r\n")).toContain(line);
  });

  it("salts: the same secret hashes differently on two devices", () => {
    const hashes = [1, 2].map((seed) => {
      const con = new Console({ seed });
      privileged(con);
      con.type("conf t");
      con.type("enable secret same");
      con.type("end");
      return con.type("show running-config").split("\r\n").find((l) => l.startsWith("enable secret"));
    });
    expect(hashes[0]).not.toBe(hashes[1]);
  });
});

describe("line settings", () => {
  it("pass speed and framing to the UART and show in running-config as ranges", () => {
    const con = new Console();
    privileged(con);
    con.type("conf t");
    con.type("line 1 8");
    con.type("speed 115200");
    con.type("parity even");
    con.type("databits 7");
    con.type("stopbits 2");
    con.type("flowcontrol hardware");
    con.type("no exec");
    con.type("transport input telnet");
    con.type("exec-timeout 0 0");
    con.type("line tty 3");
    con.type("autocommand show version");
    con.type("escape-character 3");
    con.type("line vty 0 4");
    con.type("password 5 $t$00000001$0123456789abcdef");
    con.type("end");
    for (const n of [1, 8]) expect(con.device.uart(n).settings).toEqual({ baud: 115200, dataBits: 7, parity: 3, stopBits: 2, flow: 3 });
    expect(con.device.uart(9).settings.baud).toBe(9600);
    const shown = con.type("show running-config");
    const body = shown.slice(shown.indexOf("!\r\n"));
    const tty = " exec-timeout 0 0\r\n no exec\r\n transport input telnet\r\n speed 115200\r\n databits 7\r\n parity even\r\n stopbits 2\r\n flowcontrol hardware\r\n";
    expect(body).toBe(
      "!\r\nhostname Router\r\n!\r\ninterface Ethernet0\r\n no ip address\r\n!\r\nline con 0\r\n" +
        `line 1 2\r\n${tty}` +
        `line 3\r\n${tty.replace(" no exec", " autocommand show version\r\n no exec").replace(" speed", " escape-character 3\r\n speed")}` +
        `line 4 8\r\n${tty}` +
        "line 9 16\r\nline aux 0\r\nline vty 0 4\r\n password 5 $t$00000001$0123456789abcdef\r\n login\r\n!\r\nend\r\n\r\nRouter#",
    );
    const count = Number(/Current configuration : (\d+) bytes/.exec(shown)?.[1]);
    expect(count).toBe(body.length - "\r\nRouter#".length - (body.split("\r\n").length - 2));
  });

  it("survives write memory and reload: the same running-config comes back", () => {
    const con = new Console();
    privileged(con);
    con.type("conf t");
    con.type("hostname r7");
    con.type("line 2");
    con.type("speed 19200");
    con.type("login");
    con.type("password pw");
    con.type("line vty 1 3");
    con.type("no login");
    con.type("transport input none");
    con.type("end");
    const before = con.type("show running-config");
    expect(con.type("write memory")).toBe("write memory\r\nBuilding configuration...\r\n[OK]\r\nr7#");
    expect(con.type("reload")).toBe("reload\r\nProceed with reload? [confirm]");
    expect(con.press("\r")).toContain("Press RETURN to get started!");
    expect(con.device.boots).toBe(2);
    expect(con.press("\r")).toBe("\r\nr7>");
    con.type("enable");
    expect(con.type("show running-config")).toBe(before);
    expect(con.device.uart(2).settings.baud).toBe(19200);
    expect(con.device.logs.map((l) => l.text)).toContain("startup-config: 23 lines, 0 errors");
  });

  it("copies running-config to startup-config after asking the destination, and shows it", () => {
    const con = new Console();
    privileged(con);
    expect(con.type("show startup-config")).toBe("show startup-config\r\nstartup-config is not present\r\nRouter#");
    expect(con.type("copy running-config startup-config")).toBe("copy running-config startup-config\r\nDestination filename [startup-config]? ");
    expect(con.press("\r")).toBe("\r\nBuilding configuration...\r\n[OK]\r\nRouter#");
    const startup = con.type("show startup-config");
    expect(startup).toMatch(/^show startup-config\r\nUsing \d+ out of 32768 bytes\r\n!\r\nhostname Router\r\n/);
    expect(startup.endsWith("!\r\nend\r\n\r\nRouter#")).toBe(true);
    expect(con.type("copy run start")).toBe("copy run start\r\nDestination filename [startup-config]? ");
    expect(con.type("flash:x")).toBe("flash:x\r\n%Error opening nvram:(Permission denied)\r\nRouter#");
  });

  it("cancels reload when the confirmation is not Return", () => {
    const con = new Console();
    privileged(con);
    con.type("reload");
    expect(con.press("n")).toBe("\r\nRouter#");
    expect(con.device.boots).toBe(1);
  });
});

describe("NVRAM contents at boot", () => {
  it("boots defaults from a blank NVRAM and says so", () => {
    const con = new Console();
    con.boot();
    expect(con.device.logs.map((l) => l.text)).toEqual(["startup-config is not present: using the default configuration"]);
  });

  it("boots defaults from a corrupt NVRAM and says so", () => {
    const nvram = new MemoryNvram();
    const first = new Console({ nvram });
    privileged(first);
    first.type("conf t");
    first.type("hostname broken");
    first.type("end");
    first.type("write memory");
    nvram.bytes[20] = (nvram.bytes[20] ?? 0) ^ 0x20; // one bit of the text flips
    const con = new Console({ nvram });
    expect(con.boot()).toContain("Press RETURN");
    expect(con.device.logs.map((l) => l.text)).toEqual([
      "startup-config is corrupt (bad header or checksum): using the default configuration",
    ]);
    expect(con.press("\r")).toBe("\r\nRouter>");
  });

  it("skips and logs startup-config lines it cannot parse", () => {
    const text = "!\nhostname r5\nbogus command\nline 1\n speed 2400\n!\nend\n";
    const nvram = new MemoryNvram();
    const body = Buffer.from(text, "latin1");
    let a = 1;
    let b = 0;
    for (const byte of body) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    const header = Buffer.alloc(12);
    header.writeUInt32LE(0x31435354, 0);
    header.writeUInt32LE(body.length, 4);
    header.writeUInt32LE(((b << 16) | a) >>> 0, 8);
    nvram.write(0, header);
    nvram.write(12, body);
    const con = new Console({ nvram });
    con.boot();
    expect(con.device.logs.map((l) => l.text)).toEqual([
      "startup-config line 3: invalid, skipped: bogus command",
      "startup-config: 7 lines, 1 errors",
    ]);
    expect(con.press("\r")).toBe("\r\nr5>");
    expect(con.device.uart(1).settings.baud).toBe(2400);
  });
});
