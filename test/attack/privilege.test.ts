// Privilege and secrets: no privileged command runs without `enable` (every M_PRIV command of the
// firmware's own table, typed at user exec on the console and on a vty), a wrong enable secret keeps
// the user at `>`, and neither `show running-config`, `show startup-config` nor the NVRAM ever
// holds a secret or a line password in clear.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { Bench, BENCH_CONFIG } from "../fuzz/kit.ts";

const ENABLE_SECRET = "Sup3rS3cretX";
const LINE_PASSWORD = "LinePassw0rdY";
const VTY_PASSWORD = "VtyPassw0rdZ";
const SECRET_CONFIG = BENCH_CONFIG.replace("enable secret cisco", `enable secret ${ENABLE_SECRET}`)
  .replace("line 1\n login\n password cisco", `line 1\n login\n password ${LINE_PASSWORD}`)
  .replace("line vty 0 4\n login\n password cisco", `line vty 0 4\n login\n password ${VTY_PASSWORD}`);

/** Every privileged command's literal form (arguments filled with harmless values). */
function privilegedCommands(): string[] {
  const source = readFileSync("firmware/cli/commands.ts", "utf8");
  const literal = (syntax: string): string =>
    syntax.split(" ").filter((w) => !(w.startsWith("[") && w.endsWith("]"))).map((w) => (/^<(\d+)-/.exec(w)?.[1] ?? (w === "WORD" ? "1" : w))).join(" ");
  // A command that user exec has too (`show tcp brief`, IOS allows it at `>`) is not privileged.
  // Rows of COMMAND_ROWS: `  M_MODE, "syntax", "help", H.Handler, tag,`.
  const userForms = [...source.matchAll(/^ {2}M_(?:EXEC|USER), "([^"]+)"/gm)].map((m) => literal(m[1]!));
  return [...source.matchAll(/^ {2}M_PRIV, "([^"]+)"/gm)].map((m) => literal(m[1]!)).filter((c) => !userForms.includes(c));
}

beforeAll(async () => {
  await prepareFirmware("core");
});

describe("attack: privilege", () => {
  it("no privileged command runs at user exec on the console", () => {
    const bench = new Bench(51, SECRET_CONFIG);
    const con = new ScriptedTerminal(bench.device.uart(0), bench.sim);
    con.type("\r");
    con.expect("r1>");
    const commands = privilegedCommands();
    expect(commands.length).toBeGreaterThan(10);
    const boots = bench.device.boots;
    for (const command of commands) {
      con.type(`${command}\r`);
      const { before } = con.expect(/r1[>#(]\S*$/);
      expect(before, command).toMatch(/% (Invalid input detected|Ambiguous command|Incomplete command|Unknown command)/);
      expect(con.screen().endsWith("r1>"), `${command} left the prompt ${con.screen().slice(-10)}`).toBe(true);
    }
    con.type("show running-config\r");
    expect(con.expect("r1>").before).not.toContain("hostname r1");
    expect(bench.device.boots).toBe(boots);
    bench.expectHealthy("after privileged commands");
  });

  it("no privileged command runs at user exec on a vty, and a wrong enable secret keeps `>`", () => {
    const bench = new Bench(52, SECRET_CONFIG);
    const vty = bench.connect(23, 33_023);
    bench.sim.runFor(100);
    vty.send(`${VTY_PASSWORD}\r\n`, 200);
    expect(vty.text()).toContain("r1>");
    for (const command of ["configure terminal", "reload", "clear line 1", "write memory", "erase startup-config", "show running-config", "debug all"]) {
      vty.received = [];
      vty.send(`${command}\r\n`, 200);
      expect(vty.text(), command).toMatch(/% (Invalid input detected|Ambiguous command|Incomplete command)/);
      expect(vty.text(), command).toMatch(/r1>$/);
    }
    vty.received = [];
    vty.send("enable\r\n", 100);
    for (const guess of ["cisco", "enable", ENABLE_SECRET.toLowerCase()]) vty.send(`${guess}\r\n`, 100);
    expect(vty.text()).toContain("% Bad secrets");
    expect(vty.text()).toMatch(/r1>$/);
    vty.received = [];
    vty.send("enable\r\n", 100);
    vty.send(`${ENABLE_SECRET}\r\n`, 100);
    expect(vty.text()).toMatch(/r1#$/); // control: the right secret does enable
  });
});

describe("attack: secrets never in clear", () => {
  it("show running-config, show startup-config and the NVRAM hold no secret or password in clear", () => {
    const bench = new Bench(53, SECRET_CONFIG);
    const con = new ScriptedTerminal(bench.device.uart(0), bench.sim);
    con.type("\renable\r");
    con.expect("Password: ");
    con.type(`${ENABLE_SECRET}\r`);
    con.expect("r1#");
    con.type("configure terminal\rline 2\rpassword Reverse5ecretW\rend\r");
    con.expect("r1#");
    con.type("show running-config\r");
    const running = con.expect(/\r\nend\r\n/).before;
    con.expect("r1#");
    con.type("write memory\r");
    con.expect("r1#");
    con.type("show startup-config\r");
    const startup = con.expect(/\r\nend\r\n/).before;
    con.expect("r1#");
    const nvram = Buffer.from(bench.device.nvram.read(0, bench.device.nvram.size)).toString("latin1");
    for (const [name, text] of [["running", running], ["startup", startup], ["nvram", nvram]] as const) {
      for (const secret of [ENABLE_SECRET, LINE_PASSWORD, VTY_PASSWORD, "Reverse5ecretW"]) expect(text, `${name} shows ${secret}`).not.toContain(secret);
    }
    expect(running).toMatch(/enable secret 5 \S+/);
    expect(running).toMatch(/password (5|7) \S+/);
  });
});
