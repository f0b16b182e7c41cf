// Topology files: the shipped default parses into the tech note's network, and mistakes are named.
import { describe, expect, it } from "vitest";
import { loadTopology, parseTopology } from "../../host-sim/topology/spec.ts";
import { decodeStartupConfig, encodeStartupConfig } from "../../host-sim/startup-config.ts";

describe("topology files", () => {
  it("the default topology is the tech note: r1 and r2 on one segment, the terminal on r2 tty1", () => {
    const spec = loadTopology("topologies/technote.yaml");
    expect(spec.devices.map((d) => d.name)).toEqual(["r1", "r2"]);
    expect(spec.segments).toEqual([{ name: "lan0", devices: ["r1", "r2"], faults: { delayMs: 1 } }]);
    expect(spec.console).toEqual({ device: "r2", line: 1 });
    expect(spec.devices[1]!.config).toContain("autocommand telnet 10.0.0.1 2001");
    expect(spec.devices[0]!.serial).toEqual([{ line: 1, attach: "server-console" }]);
  });

  it("names the place and the problem for each kind of mistake", () => {
    expect(() => parseTopology("devices: []")).toThrow("topology.devices: a topology needs at least one device");
    expect(() => parseTopology("devices: [{ name: r1, colour: red }]")).toThrow('topology.devices[0]: unknown key "colour"');
    expect(() => parseTopology("devices: [{ name: r1, serial: [{ line: 40, attach: terminal }] }]")).toThrow("topology.devices[0].serial[0].line: expected a whole number from 0 to 17");
    expect(() => parseTopology("devices: [{ name: r1 }]\nsegments: [{ name: s, devices: [r9] }]")).toThrow("no device named r9");
    expect(() => parseTopology("devices: [{ name: r1 }]\nsegments: [{ name: s, devices: [r1], faults: { loss: 0.2 } }]")).toThrow("topology.segments[0].faults.loss: expected a list");
    expect(() => parseTopology("devices: [{ name: r1 }, { name: r1 }]")).toThrow("device r1 is named twice");
  });
});

describe("startup-config encoding", () => {
  it("round-trips, and a flipped byte or a blank NVRAM reads as no configuration", () => {
    const encoded = encodeStartupConfig("hostname r1\n");
    expect(decodeStartupConfig(encoded)).toBe("hostname r1\n");
    expect([...encoded.subarray(0, 4)]).toEqual([0x54, 0x53, 0x43, 0x31]); // "TSC1"
    const corrupt = encoded.slice();
    corrupt[14] = (corrupt[14] ?? 0) ^ 1;
    expect(decodeStartupConfig(corrupt)).toBeUndefined();
    expect(decodeStartupConfig(new Uint8Array(64))).toBeUndefined();
  });
});
