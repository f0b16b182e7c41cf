// Interface configuration through the console: `interface ethernet0` in every spelling IOS takes,
// `ip address` (and IOS's bad-mask errors), `shutdown`, `ip default-gateway`; the running-config
// rows in IOS's order; `show interfaces` and `show ip interface brief`; write memory + reload.
import { describe, expect, it } from "vitest";
import { lan } from "./net-console.ts";

function configure(commands: string[]): string {
  const { terms } = lan(["r1"]);
  const r1 = terms.r1;
  r1.type("enable");
  r1.type("conf t");
  return commands.map((c) => r1.type(c)).join("");
}

describe("interface ethernet0", () => {
  it("enters config-if from every spelling IOS accepts", () => {
    for (const spelling of ["interface ethernet0", "interface ethernet 0", "int e0", "int E 0", "interface Ethernet0", "in eth0"]) {
      expect(configure([spelling])).toBe(`${spelling}\r\nRouter(config-if)#`);
    }
  });

  it("refuses other interfaces with the caret under the bad word", () => {
    expect(configure(["int e1", "interface ethernet 1", "interface serial0"])).toBe(
      "int e1\r\n" +
        "                   ^\r\n% Invalid input detected at '^' marker.\r\n\r\nRouter(config)#" +
        "interface ethernet 1\r\n" +
        "                                  ^\r\n% Invalid input detected at '^' marker.\r\n\r\nRouter(config)#" +
        "interface serial0\r\n" +
        "                         ^\r\n% Invalid input detected at '^' marker.\r\n\r\nRouter(config)#",
    );
  });

  it("takes ip address and shutdown in config-if, falls back to global commands, and exits", () => {
    expect(configure(["interface ethernet0", "ip address 10.0.0.1 255.255.255.0", "shutdown", "no shutdown", "ip default-gateway 10.0.0.254", "interface e0", "exit", "exit"])).toBe(
      "interface ethernet0\r\nRouter(config-if)#" +
        "ip address 10.0.0.1 255.255.255.0\r\nRouter(config-if)#" +
        "shutdown\r\nRouter(config-if)#" +
        "no shutdown\r\nRouter(config-if)#" +
        "ip default-gateway 10.0.0.254\r\nRouter(config)#" +
        "interface e0\r\nRouter(config-if)#" +
        "exit\r\nRouter(config)#" +
        "exit\r\nRouter#",
    );
  });

  it("answers a non-contiguous mask and a network or broadcast address as IOS does", () => {
    expect(configure(["int e0", "ip address 10.0.0.1 255.0.255.0", "ip address 10.0.0.0 255.255.255.0", "ip address 10.0.0.255 255.255.255.0", "ip address 10.0.0.1 0.0.0.0"])).toBe(
      "int e0\r\nRouter(config-if)#" +
        "ip address 10.0.0.1 255.0.255.0\r\nBad mask 0xFF00FF00 for address 10.0.0.1\r\nRouter(config-if)#" +
        "ip address 10.0.0.0 255.255.255.0\r\nBad mask /24 for address 10.0.0.0\r\nRouter(config-if)#" +
        "ip address 10.0.0.255 255.255.255.0\r\nBad mask /24 for address 10.0.0.255\r\nRouter(config-if)#" +
        "ip address 10.0.0.1 0.0.0.0\r\nBad mask /0 for address 10.0.0.1\r\nRouter(config-if)#",
    );
  });

  it("offers its commands in config-if's ? help, and both spellings in interface ?", () => {
    const { terms } = lan(["r1"]);
    const r1 = terms.r1;
    r1.type("enable");
    r1.type("conf t");
    expect(r1.press("interface ?")).toBe("interface ?\r\n  WORD      Interface name\r\n  ethernet  IEEE 802.3\r\n\r\nRouter(config)#interface ");
    r1.press("\x15int e0\r");
    expect(r1.press("?")).toBe(
      "?\r\n" +
        "  end       Exit from configure mode\r\n" +
        "  exit      Exit from interface configuration mode\r\n" +
        "  ip        Interface IP configuration\r\n" +
        "  no        Negate a command or set its defaults\r\n" +
        "  shutdown  Shutdown the interface\r\n" +
        "\r\nRouter(config-if)#",
    );
    expect(r1.press("ip address ?")).toBe("ip address ?\r\n  A.B.C.D  IP address\r\n\r\nRouter(config-if)#ip address ");
  });

  it("logs the link and line protocol changes of shutdown / no shutdown once each", () => {
    const { terms } = lan(["r1"]);
    const r1 = terms.r1;
    for (const c of ["enable", "conf t", "int e0", "shutdown", "shutdown", "no shutdown"]) r1.type(c);
    expect(r1.device.logs.map((l) => l.text).filter((t) => t.startsWith("%LIN"))).toEqual([
      "%LINK-5-CHANGED: Interface Ethernet0, changed state to administratively down",
      "%LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet0, changed state to down",
      "%LINK-3-UPDOWN: Interface Ethernet0, changed state to up",
      "%LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet0, changed state to up",
    ]);
  });
});

describe("running-config", () => {
  const body = (shown: string): string => shown.slice(shown.indexOf("!\r\n"), shown.indexOf("line con 0"));

  it("lists the interface (always), its address, shutdown, and the default gateway after it", () => {
    const { terms } = lan(["r1"]);
    const r1 = terms.r1;
    r1.type("enable");
    expect(body(r1.type("show running-config"))).toBe("!\r\nhostname Router\r\n!\r\ninterface Ethernet0\r\n no ip address\r\n!\r\n");
    for (const c of ["conf t", "int e0", "ip address 10.0.0.1 255.255.255.0", "shutdown", "exit", "ip default-gateway 10.0.0.254", "end"]) r1.type(c);
    expect(body(r1.type("show running-config"))).toBe(
      "!\r\nhostname Router\r\n!\r\ninterface Ethernet0\r\n ip address 10.0.0.1 255.255.255.0\r\n shutdown\r\n!\r\nip default-gateway 10.0.0.254\r\n!\r\n",
    );
    for (const c of ["conf t", "int e0", "no ip address", "no shutdown", "no ip default-gateway", "end"]) r1.type(c);
    expect(body(r1.type("show running-config"))).toBe("!\r\nhostname Router\r\n!\r\ninterface Ethernet0\r\n no ip address\r\n!\r\n");
  });

  it("survives write memory and reload; the address is then NVRAM's in show ip interface brief", () => {
    const { terms, sim } = lan(["r1"]);
    const r1 = terms.r1;
    for (const c of ["enable", "conf t", "hostname r1", "int e0", "ip address 10.0.0.1 255.255.255.0", "exit", "ip default-gateway 10.0.0.254", "end"]) r1.type(c);
    const brief = "Interface              IP-Address      OK? Method Status                Protocol\r\n";
    expect(r1.type("show ip interface brief")).toBe(`show ip interface brief\r\n${brief}Ethernet0              10.0.0.1        YES manual up                    up\r\nr1#`);
    const before = r1.type("show running-config");
    expect(r1.type("write memory")).toBe("write memory\r\nBuilding configuration...\r\n[OK]\r\nr1#");
    r1.type("reload");
    expect(r1.press("\r")).toContain("Press RETURN to get started!");
    expect(sim.device("r1").boots).toBe(2);
    r1.press("\r");
    r1.type("enable");
    expect(r1.type("show running-config")).toBe(before);
    expect(r1.type("show ip interface brief")).toBe(`show ip interface brief\r\n${brief}Ethernet0              10.0.0.1        YES NVRAM  up                    up\r\nr1#`);
    expect(sim.device("r1").logs.map((l) => l.text)).toContain("startup-config: 15 lines, 0 errors");
  });

  it("boots from a startup-config written the way people type it (topologies/technote.yaml)", () => {
    const { terms } = lan(["r1"], { configs: { r1: "hostname r1\ninterface ethernet0\n ip address 10.0.0.1 255.255.255.0\n shutdown\nline tty 1\n no exec\n" } });
    const r1 = terms.r1;
    r1.type("enable");
    expect(r1.type("show ip interface brief")).toBe(
      "show ip interface brief\r\nInterface              IP-Address      OK? Method Status                Protocol\r\n" +
        "Ethernet0              10.0.0.1        YES NVRAM  administratively down down\r\nr1#",
    );
  });
});

describe("show interfaces", () => {
  it("shows status, hardware and Internet address, MTU and the stack's counters", () => {
    const { terms } = lan(["r1", "r2"], {
      configs: {
        r1: "hostname r1\ninterface ethernet0\n ip address 10.0.0.1 255.255.255.0\n",
        r2: "hostname r2\ninterface ethernet0\n ip address 10.0.0.2 255.255.255.0\n",
      },
    });
    const r2 = terms.r2;
    const counters = (text: string): number[] => [...text.matchAll(/(\d+) packets (input|output), (\d+) bytes/g)].flatMap((m) => [Number(m[1]), Number(m[3])]);
    const first = r2.type("show interfaces");
    expect(first).toBe(
      "show interfaces\r\n" +
        "Ethernet0 is up, line protocol is up\r\n" +
        "  Hardware is Ethernet, address is 0200.0000.0002 (bia 0200.0000.0002)\r\n" +
        "  Internet address is 10.0.0.2/24\r\n" +
        "  MTU 1500 bytes, BW 10000 Kbit, DLY 1000 usec,\r\n" +
        "  Encapsulation ARPA, loopback not set\r\n" +
        "  ARP type: ARPA, ARP Timeout 04:00:00\r\n" +
        // r1's gratuitous ARP (a 42-byte broadcast) came in; r2's own went out.
        "     1 packets input, 42 bytes, 0 no buffer\r\n" +
        "     Received 1 broadcasts, 0 runts, 0 giants, 0 throttles\r\n" +
        "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored\r\n" +
        "     1 packets output, 42 bytes, 0 underruns\r\n" +
        "     0 output errors, 0 collisions, 0 interface resets\r\n" +
        "r2>",
    );
    r2.run("ping 10.0.0.1", "r2>");
    // Five echoes of 100 bytes (114-byte frames) each way, plus r2's ARP request and r1's reply
    // (r1 learned r2 from the request, so it needs no ARP of its own).
    expect(counters(r2.type("show interfaces"))).toEqual([1 + 1 + 5, 42 + 42 + 5 * 114, 1 + 1 + 5, 42 + 42 + 5 * 114]);
    r2.type("enable");
    r2.type("conf t");
    r2.type("int e0");
    r2.type("shutdown");
    r2.type("end");
    expect(r2.type("show interfaces").split("\r\n").slice(1, 3)).toEqual([
      "Ethernet0 is administratively down, line protocol is down",
      "  Hardware is Ethernet, address is 0200.0000.0002 (bia 0200.0000.0002)",
    ]);
  });
});
