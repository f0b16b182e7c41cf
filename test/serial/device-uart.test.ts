// The scripted terminal on a real simulated device (the firmware through Simulator/Device): what it
// types is delivered to the firmware's serial() export in virtual time, and the device keeps running.
import { describe, expect, it } from "vitest";
import { Simulator } from "../../host-sim/simulator.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";

describe("ScriptedTerminal on a Device", () => {
  it("delivers keystrokes to the firmware's line 1 at the line's pace", () => {
    const sim = new Simulator(7);
    const device = sim.addDevice({ name: "r1" });
    device.powerOn();
    const term = new ScriptedTerminal(device.uart(1), sim);
    const text = "x".repeat(100);
    term.type(text);
    sim.runUntilTrue(() => device.uart(1).bytesToDevice === text.length, 1_000);
    expect(device.state).toBe("running");
    expect(device.uart(1).backlogBytes()).toBe(0);
    // 9600 baud 8N1: 1.0417 ms a byte, so the 100th finishes arriving at 104.17 ms and is offered
    // at the next whole millisecond.
    expect(sim.nowMs).toBe(105);
  });

  it("talks to the firmware's exec on the console and on tty1, in virtual time", () => {
    const sim = new Simulator(7);
    const device = sim.addDevice({ name: "r1" });
    const con = new ScriptedTerminal(device.uart(0), sim);
    const tty1 = new ScriptedTerminal(device.uart(1), sim);
    device.powerOn();
    con.expect("Press RETURN to get started!\r\n");
    con.type("\r");
    con.expect(/\r\n(\S+)>$/);
    tty1.type("\r");
    tty1.expect(/\r\n(\S+)>$/);
    con.type("show line\r");
    const row = con.expect(/\r\n(\*?)\s+1 TTY .*\r\n/);
    expect(row.groups[0]).toBe("*"); // tty1 is in use: the Return typed there started its exec
    con.expect(/>$/);
  });
});
