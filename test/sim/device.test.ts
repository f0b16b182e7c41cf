// A device boots through both bindings of the HAL (core module and jco component), keeps its memory
// fixed, and reloads keeping NVRAM.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { Simulator } from "../../host-sim/simulator.ts";

beforeAll(async () => {
  await prepareFirmware("core");
  await prepareFirmware("component");
});

for (const firmware of ["core", "component"] as const) {
  describe(`a device on the ${firmware} path`, () => {
    it("boots, runs a virtual hour and keeps heap and memory size unchanged", () => {
      const sim = new Simulator(1);
      const device = sim.addDevice({ name: "r1", firmware });
      device.powerOn();
      const atBoot = device.memoryFacts();
      expect(atBoot?.memoryBytes).toBe(2 * 65536);
      sim.runFor(3_600_000);
      expect(device.state).toBe("running");
      expect(device.memoryFacts()).toEqual(atBoot);
    });

    it("reloads: a new instance boots, NVRAM is the same object with the same bytes", () => {
      const sim = new Simulator(2);
      const device = sim.addDevice({ name: "r1", firmware });
      device.powerOn();
      device.nvram.write(0, new Uint8Array([1, 2, 3]));
      device.reload();
      expect(device.boots).toBe(2);
      expect(device.state).toBe("running");
      expect([...device.nvram.read(0, 3)]).toEqual([1, 2, 3]);
    });
  });
}
