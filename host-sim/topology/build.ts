// Builds a topology into a Simulator: devices with their startup-configs in NVRAM (as if saved with
// `write memory`), one switch per segment with every member's NIC cabled to it, powered on.
// Serial attachments are left to the caller (tests attach scripted terminals, the CLI attaches the
// user's terminal), which gets them listed in `serial`.
import type { Device, DeviceOptions, FirmwareKind } from "../device.ts";
import { MemoryNvram, type Nvram } from "../nvram.ts";
import type { Simulator } from "../simulator.ts";
import { decodeStartupConfig, encodeStartupConfig } from "../startup-config.ts";
import type { SerialSpec, TopologySpec } from "./spec.ts";

export interface BuiltTopology {
  spec: TopologySpec;
  devices: Map<string, Device>;
  serial: { device: Device; spec: SerialSpec }[];
}

export interface BuildOptions {
  firmware?: FirmwareKind;
  /** NVRAM per device (for example a FileNvram); a fresh memory NVRAM otherwise. A blank (or corrupt)
   * NVRAM gets the topology's startup-config; one holding a configuration keeps it. */
  nvramFor?: (deviceName: string) => Nvram | undefined;
  /** Where every device's log lines go besides device.logs. */
  logSink?: DeviceOptions["logSink"];
}

export function buildTopology(sim: Simulator, spec: TopologySpec, options: BuildOptions = {}): BuiltTopology {
  const devices = new Map<string, Device>();
  const serial: BuiltTopology["serial"] = [];
  for (const d of spec.devices) {
    const nvram = options.nvramFor?.(d.name) ?? new MemoryNvram();
    if (d.config.trim() !== "" && decodeStartupConfig(nvram.read(0, nvram.size)) === undefined) nvram.write(0, encodeStartupConfig(d.config));
    const device = sim.addDevice({
      name: d.name,
      nvram,
      ...(options.firmware ? { firmware: options.firmware } : {}),
      ...(options.logSink ? { logSink: options.logSink } : {}),
    });
    devices.set(d.name, device);
    for (const s of d.serial) serial.push({ device, spec: s });
  }
  for (const segment of spec.segments) {
    const sw = sim.network.addSwitch(segment.name);
    for (const member of segment.devices) sim.network.connect(devices.get(member)!, sw, { faults: segment.faults });
  }
  for (const device of devices.values()) device.powerOn();
  return { spec, devices, serial };
}
