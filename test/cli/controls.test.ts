// The escape menu's actions on the tech note's topology, in virtual time: the menu's keys map onto
// these (menu.test.ts), and `npm start` wires them to your terminal (start.test.ts).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Controls, clockText } from "../../host-sim/cli/controls.ts";
import { ConsoleTypist, type TypistResult } from "../../host-sim/cli/console-typist.ts";
import { SessionSwitcher } from "../../host-sim/cli/session-switcher.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/index.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { buildTopology, type BuiltTopology } from "../../host-sim/topology/build.ts";
import { loadTopology } from "../../host-sim/topology/spec.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function technote(): { sim: Simulator; built: BuiltTopology; switcher: SessionSwitcher; controls: Controls; speed: { value: number } } {
  const spec = loadTopology("topologies/technote.yaml");
  const sim = new Simulator(spec.seed);
  const built = buildTopology(sim, spec);
  const switcher = new SessionSwitcher({ device: built.devices.get("r2")!, line: 1 });
  const speed = { value: 1 };
  const dir = mkdtempSync(join(tmpdir(), "cli-controls-"));
  dirs.push(dir);
  const controls = new Controls(sim, built, switcher, { setSpeed: (x) => (speed.value = x), getSpeed: () => speed.value }, join(dir, "cap"));
  return { sim, built, switcher, controls, speed };
}

describe("menu actions", () => {
  it("attach moves the user's terminal between lines; bad names are answered, not thrown", () => {
    const { sim, built, switcher, controls } = technote();
    const user = new ScriptedTerminal(switcher, sim);
    expect(controls.attach("r1:0")).toBe("[now on r1 con 0]");
    user.type("\r");
    user.expect("r1>");
    expect(controls.attach("r2 tty 1")).toBe("[now on r2 tty1]");
    expect(switcher.where()).toEqual({ device: built.devices.get("r2"), line: 1 });
    expect(controls.attach("r1 aux")).toBe("[now on r1 aux 17]");
    expect(controls.attach("r9:0")).toBe('% No such line: "r9:0" (devices: r1, r2; say r1:0 or r2:1)');
    expect(controls.attach("r1:40")).toBe("% r1 has lines 0 to 17");
    expect(switcher.where().line).toBe(17);
  });

  it("reload, power off/on, cut/heal and status say what happened, at what virtual time", () => {
    const { sim, built, controls } = technote();
    const r2 = built.devices.get("r2")!;
    sim.runFor(61_500);
    expect(controls.reload("r2")).toBe("[r2 reloaded at 00:01:01.500; boot 2]");
    expect(controls.power("")).toBe("[r2 powered off at 00:01:01.500]"); // empty: the device you are on
    expect(r2.state).toBe("off");
    expect(controls.cutOrHeal("r2")).toBe("[r2 <-> lan0 cut at 00:01:01.500]");
    expect(sim.network.link("r2", "lan0").aToB.isPartitioned).toBe(true);
    expect(controls.status()).toBe(
      "[00:01:01.500 x1 | you: r2 tty1 | r1 running, boot 1, keepalives | r2 off, boot 2, keepalives, link cut]",
    );
    expect(controls.cutOrHeal("r2")).toBe("[r2 <-> lan0 healed at 00:01:01.500]");
    expect(sim.network.link("r2", "lan0").aToB.isPartitioned).toBe(false);
    expect(controls.power("r2")).toBe("[r2 powered on at 00:01:01.500]");
    expect(r2.state).toBe("running");
    expect(r2.boots).toBe(3);
    expect(controls.reload("r7")).toBe('% No such device: "r7" (devices: r1, r2)');
  });

  it("speed steps through x1, x10, x60, x600 or takes a number", () => {
    const { controls, speed } = technote();
    expect(controls.setSpeed("")).toBe("[time runs x10]");
    expect(controls.setSpeed("")).toBe("[time runs x60]");
    expect(controls.setSpeed("x600")).toBe("[time runs x600]");
    expect(controls.setSpeed("")).toBe("[time runs x1]");
    expect(controls.setSpeed("fast")).toBe("% speed: a number such as 1, 10, 60, 600");
    expect(speed.value).toBe(1);
  });

  it("a segment capture holds every frame that reached the switch, once, in pcap format", () => {
    const { sim, built, controls } = technote();
    sim.runFor(2_000); // past the routers' boot-time ARP announcements: the segment is quiet
    const started = controls.captureToggle("");
    expect(started).toMatch(/^\[capturing lan0 to .*cap-lan0-1\.pcap\]$/);
    const path = /to (.*)\]$/.exec(started)![1]!;
    const frame = new Uint8Array(60).fill(0xff, 0, 6); // a broadcast: the switch floods it to r1
    sim.network.nic(built.devices.get("r2")!).send(frame);
    sim.runFor(10);
    expect(controls.captureToggle("lan0")).toBe(`[capture of lan0 stopped: 1 frames in ${path}]`);
    const file = readFileSync(path);
    expect(file.length).toBe(24 + 16 + 60);
    expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect([file.readUInt32LE(24), file.readUInt32LE(24 + 4)]).toEqual([2, 1000]); // reached the switch after the 1 ms link
    expect(controls.captureToggle("wan9")).toBe('% No such segment: "wan9" (segments: lan0)');
  });

  it("wait lets virtual time pass", async () => {
    const { sim, controls } = technote();
    const waited = controls.wait("90");
    sim.runFor(90_000);
    await expect(waited).resolves.toBe("[00:01:30.000]");
    expect(clockText(25 * 3_600_000 + 1)).toBe("25:00:00.001");
  });
});

describe("console typist", () => {
  function typeOn(commands: string[], secret: string | undefined): { result: TypistResult | undefined; watcher: ScriptedTerminal; sim: Simulator } {
    const { sim, built } = technote();
    const r1 = built.devices.get("r1")!;
    const watcher = new ScriptedTerminal(r1.uart(0), sim);
    let result: TypistResult | undefined;
    new ConsoleTypist(r1.uart(0), sim.scheduler, { commands, ...(secret !== undefined ? { enableSecret: secret } : {}), onDone: (r) => (result = r) });
    sim.runUntilTrue(() => result !== undefined, 30_000);
    return { result, watcher, sim };
  }

  it("wakes the console, enables with the secret, configures, ends and disables again", () => {
    const { result, watcher } = typeOn(["hostname typed"], "cisco");
    expect(result).toMatchObject({ ok: true, reason: "done" });
    watcher.expect("r1>enable\r\nPassword: \r\nr1#configure terminal\r\n");
    watcher.expect("r1(config)#hostname typed\r\ntyped(config)#end\r\ntyped#disable\r\ntyped>");
    expect(watcher.unread()).toBe("");
  });

  it("reports a refused command and a refused secret", () => {
    expect(typeOn(["frobnicate"], "cisco").result).toMatchObject({ ok: false, reason: "refused: frobnicate" });
    expect(typeOn(["hostname x"], "wrong").result).toMatchObject({ ok: false, reason: "the enable secret was refused" });
  });
});
