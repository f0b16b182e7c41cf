// What the escape menu can do to a running topology, one method per action, each answering with a
// line of text for the user: attach the terminal elsewhere, reload a device, power it off or on,
// cut or heal its link to its segment, turn keepalives on or off (typed into its console), change
// the speed of time, capture a segment, show the status, let virtual time pass. No terminal I/O
// here, so tests drive it directly; menu.ts maps keys onto it.
import type { Device } from "../device.ts";
import type { Simulator } from "../simulator.ts";
import type { BuiltTopology } from "../topology/build.ts";
import { ConsoleTypist } from "./console-typist.ts";
import { captureSegment, type SegmentCapture } from "./segment-capture.ts";
import { lineName, type SessionSwitcher } from "./session-switcher.ts";

/** The speeds the menu offers, in order (`s` with no number steps to the next). */
export const SPEEDS = [1, 10, 60, 600] as const;

export interface SpeedControl {
  setSpeed(speed: number): void;
  getSpeed(): number;
}

/** "hh:mm:ss.mmm" of virtual time (days are counted in hours). */
export function clockText(atMs: number): string {
  const ms = Math.floor(atMs);
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

function configHas(config: string, pattern: RegExp): boolean {
  return pattern.test(config);
}

export class Controls {
  private readonly cut = new Set<string>();
  private readonly keepalives = new Map<string, boolean>();
  private readonly secrets = new Map<string, string>();
  private readonly captures = new Map<string, SegmentCapture>();
  private captureCount = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly topology: BuiltTopology,
    private readonly switcher: SessionSwitcher,
    private readonly speed: SpeedControl | undefined,
    /** Where capture files go: `${prefix}-${segment}-${n}.pcap`. */
    private readonly capturePrefix = "capture",
  ) {
    for (const d of topology.spec.devices) {
      this.keepalives.set(d.name, configHas(d.config, /^\s*service tcp-keepalives-(in|out)\s*$/m));
      const secret = /^\s*enable (?:secret|password) (?:\d+ )?(\S+)\s*$/m.exec(d.config);
      if (secret) this.secrets.set(d.name, secret[1]!);
    }
  }

  /** The device the user's terminal is on (the default answer to "which device?"). */
  currentDevice(): string {
    return this.switcher.where().device.name;
  }

  where(): ReturnType<SessionSwitcher["where"]> {
    return this.switcher.where();
  }

  deviceNames(): string[] {
    return [...this.topology.devices.keys()];
  }

  segmentNames(): string[] {
    return this.topology.spec.segments.map((s) => s.name);
  }

  /** "r1:0", "r1 0", "r1 tty 1", "r1 con", "r1" (its console). */
  attach(target: string): string {
    const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(?:[: ]\s*(con|aux|tty)?\s*(\d+)?)?\s*$/.exec(target);
    const device = m ? this.topology.devices.get(m[1]!) : undefined;
    if (!m || !device) return `% No such line: "${target}" (devices: ${this.deviceNames().join(", ")}; say r1:0 or r2:1)`;
    const line = m[2] === "aux" && m[3] === undefined ? device.uarts.length - 1 : Number(m[3] ?? 0);
    if (!Number.isInteger(line) || line < 0 || line >= device.uarts.length) return `% ${device.name} has lines 0 to ${device.uarts.length - 1}`;
    this.switcher.switchTo({ device, line });
    return `[now on ${lineName(device, line)}]`;
  }

  reload(name: string): string {
    const device = this.device(name);
    if (typeof device === "string") return device;
    device.reload();
    return `[${device.name} reloaded at ${clockText(this.sim.nowMs)}; boot ${device.boots}]`;
  }

  /** Power off a running (or crashed) device, power on one that is off. */
  power(name: string): string {
    const device = this.device(name);
    if (typeof device === "string") return device;
    if (device.state === "off") {
      device.powerOn();
      return `[${device.name} powered on at ${clockText(this.sim.nowMs)}]`;
    }
    device.powerOff();
    device.state = "off";
    return `[${device.name} powered off at ${clockText(this.sim.nowMs)}]`;
  }

  /** Cuts the device's links to its segments, or heals them if they are cut. */
  cutOrHeal(name: string): string {
    const device = this.device(name);
    if (typeof device === "string") return device;
    const segments = this.topology.spec.segments.filter((s) => s.devices.includes(device.name)).map((s) => s.name);
    if (segments.length === 0) return `% ${device.name} is on no segment`;
    const heal = this.cut.has(device.name);
    for (const segment of segments) {
      if (heal) this.sim.network.repair(device.name, segment);
      else this.sim.network.partition(device.name, segment);
    }
    if (heal) this.cut.delete(device.name);
    else this.cut.add(device.name);
    return `[${device.name} <-> ${segments.join(", ")} ${heal ? "healed" : "cut"} at ${clockText(this.sim.nowMs)}]`;
  }

  /** Types `[no] service tcp-keepalives-in` and `-out` into the device's console (line con 0). */
  keepalivesToggle(name: string): Promise<string> {
    const device = this.device(name);
    if (typeof device === "string") return Promise.resolve(device);
    if (device.state !== "running") return Promise.resolve(`% ${device.name} is not running`);
    const on = !(this.keepalives.get(device.name) ?? false);
    const no = on ? "" : "no ";
    const secret = this.secrets.get(device.name);
    return new Promise((resolve) => {
      new ConsoleTypist(device.uart(0), this.sim.scheduler, {
        commands: [`${no}service tcp-keepalives-in`, `${no}service tcp-keepalives-out`],
        ...(secret !== undefined ? { enableSecret: secret } : {}),
        onDone: (result) => {
          if (result.ok) this.keepalives.set(device.name, on);
          resolve(result.ok ? `[${device.name}: keepalives ${on ? "on" : "off"} (typed on con 0)]` : `% ${device.name}: ${result.reason}`);
        },
      });
    });
  }

  /** A number from SPEEDS (or any positive number); empty steps to the next of SPEEDS. */
  setSpeed(text: string): string {
    if (!this.speed) return "% no real-time driver";
    const now = this.speed.getSpeed();
    let next = Number(text.trim().replace(/^x/i, ""));
    if (text.trim() === "") next = SPEEDS.find((s) => s > now) ?? SPEEDS[0];
    if (!(next > 0) || next > 100_000) return `% speed: a number such as ${SPEEDS.join(", ")}`;
    this.speed.setSpeed(next);
    return `[time runs x${next}]`;
  }

  /** Starts a capture of the segment, or stops the one running. */
  captureToggle(segmentName: string): string {
    const name = segmentName.trim() === "" ? this.segmentNames()[0] : segmentName.trim();
    const sw = name === undefined ? undefined : this.sim.network.switches.get(name);
    if (name === undefined || !sw) return `% No such segment: "${segmentName}" (segments: ${this.segmentNames().join(", ") || "none"})`;
    const running = this.captures.get(name);
    if (running) {
      running.stop();
      this.captures.delete(name);
      return `[capture of ${name} stopped: ${running.writer.frames} frames in ${running.path}]`;
    }
    const path = `${this.capturePrefix}-${name}-${++this.captureCount}.pcap`;
    this.captures.set(name, captureSegment(sw, path));
    return `[capturing ${name} to ${path}]`;
  }

  stopCaptures(): void {
    for (const capture of this.captures.values()) capture.stop();
    this.captures.clear();
  }

  /** Lets `seconds` of virtual time pass (for scripts: wait for a timer before typing on). */
  wait(seconds: string): Promise<string> {
    const ms = Math.round(Number(seconds) * 1000);
    if (!(ms >= 0)) return Promise.resolve("% wait: a number of seconds");
    const untilMs = this.sim.nowMs + ms;
    return new Promise((resolve) => this.sim.scheduler.at(untilMs, () => resolve(`[${clockText(untilMs)}]`)));
  }

  /** One line: virtual time and speed, where the user is, each device's state, captures. */
  status(): string {
    const { device, line } = this.switcher.where();
    const parts = [`${clockText(this.sim.nowMs)} x${this.speed?.getSpeed() ?? 1}`, `you: ${lineName(device, line)}`];
    for (const d of this.topology.devices.values()) {
      const flags = [d.state === "crashed" ? `CRASHED (${d.crashMessage ?? "?"})` : d.state, `boot ${d.boots}`];
      if (this.keepalives.get(d.name)) flags.push("keepalives");
      if (this.cut.has(d.name)) flags.push("link cut");
      parts.push(`${d.name} ${flags.join(", ")}`);
    }
    for (const [name, capture] of this.captures) parts.push(`capturing ${name}: ${capture.writer.frames} frames`);
    return `[${parts.join(" | ")}]`;
  }

  private device(name: string): Device | string {
    const wanted = name.trim() === "" ? this.currentDevice() : name.trim();
    return this.topology.devices.get(wanted) ?? `% No such device: "${wanted}" (devices: ${this.deviceNames().join(", ")})`;
  }
}
