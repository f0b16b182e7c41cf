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
    // 9600 baud: one byte offered every 2 ms (1.04 ms rounded up), the 100th at 198 ms.
    expect(sim.nowMs).toBe(198);
  });
});
