// A topology file (YAML) names devices with their startup-configs, the Ethernet segments that join
// them, and what is attached to their serial lines. This file reads and validates one; errors name
// the file, the place and what was expected, so a typo never becomes a silently different network.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { FAULTS_NONE, makeFaults, type Faults } from "../network/faults.ts";

export type SerialAttachKind = "terminal" | "server-console" | "tcp" | "pty" | "serialport" | "none";

export interface SerialSpec {
  line: number;
  attach: SerialAttachKind;
  /** tcp: the port; pty: the path; serialport: "path[@baud]". */
  target?: string;
}

export interface DeviceSpec {
  name: string;
  config: string;
  serial: SerialSpec[];
}

export interface SegmentSpec {
  name: string;
  devices: string[];
  faults: Partial<Faults>;
}

export interface TopologySpec {
  name: string;
  description: string;
  seed: number;
  devices: DeviceSpec[];
  segments: SegmentSpec[];
  /** Where the user's terminal starts: device and line. */
  console: { device: string; line: number };
}

const ATTACH_KINDS: readonly SerialAttachKind[] = ["terminal", "server-console", "tcp", "pty", "serialport", "none"];
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

class TopologyError extends Error {
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = "TopologyError";
  }
}

type Json = Record<string, unknown>;

function record(value: unknown, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TopologyError(where, "expected a mapping");
  return value as Json;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TopologyError(where, "expected a list");
  return value;
}

function text(value: unknown, where: string, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string") throw new TopologyError(where, "expected text");
  return value;
}

function integer(value: unknown, where: string, low: number, high: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < low || value > high) {
    throw new TopologyError(where, `expected a whole number from ${low} to ${high}`);
  }
  return value;
}

function name(value: unknown, where: string): string {
  const n = text(value, where);
  if (!NAME.test(n)) throw new TopologyError(where, `"${n}" is not a name (a letter, then letters, digits, - or _)`);
  return n;
}

function noUnknownKeys(object: Json, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new TopologyError(where, `unknown key "${key}" (known: ${allowed.join(", ")})`);
  }
}

function serialSpec(value: unknown, where: string): SerialSpec {
  const o = record(value, where);
  noUnknownKeys(o, ["line", "attach", "target"], where);
  const attach = text(o["attach"], `${where}.attach`) as SerialAttachKind;
  if (!ATTACH_KINDS.includes(attach)) throw new TopologyError(`${where}.attach`, `expected one of ${ATTACH_KINDS.join(", ")}`);
  const spec: SerialSpec = { line: integer(o["line"], `${where}.line`, 0, 17), attach };
  if (o["target"] !== undefined) spec.target = String(o["target"]);
  if ((attach === "tcp" || attach === "pty" || attach === "serialport") && spec.target === undefined) {
    throw new TopologyError(where, `attach ${attach} needs a target`);
  }
  return spec;
}

function ratio(value: unknown, where: string): readonly [number, number] {
  const pair = list(value, where);
  if (pair.length !== 2) throw new TopologyError(where, "expected [numerator, denominator]");
  return [integer(pair[0], `${where}[0]`, 0, 1_000_000), integer(pair[1], `${where}[1]`, 1, 1_000_000)];
}

function faultsSpec(value: unknown, where: string): Partial<Faults> {
  if (value === undefined) return {};
  const o = record(value, where);
  noUnknownKeys(o, Object.keys(FAULTS_NONE), where);
  const faults: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    if (key.endsWith("Ms")) faults[key] = integer(v, `${where}.${key}`, 0, 3_600_000);
    else faults[key] = ratio(v, `${where}.${key}`);
  }
  try {
    makeFaults(faults as Partial<Faults>);
  } catch (error) {
    throw new TopologyError(where, error instanceof Error ? error.message : String(error));
  }
  return faults as Partial<Faults>;
}

export function parseTopology(source: string, where = "topology"): TopologySpec {
  const root = record(parse(source), where);
  noUnknownKeys(root, ["name", "description", "seed", "devices", "segments", "console"], where);
  const devices = list(root["devices"], `${where}.devices`).map((d, i): DeviceSpec => {
    const at = `${where}.devices[${i}]`;
    const o = record(d, at);
    noUnknownKeys(o, ["name", "config", "serial"], at);
    return {
      name: name(o["name"], `${at}.name`),
      config: text(o["config"], `${at}.config`, ""),
      serial: list(o["serial"], `${at}.serial`).map((s, j) => serialSpec(s, `${at}.serial[${j}]`)),
    };
  });
  if (devices.length === 0) throw new TopologyError(`${where}.devices`, "a topology needs at least one device");
  const known = new Set<string>();
  for (const d of devices) {
    if (known.has(d.name)) throw new TopologyError(`${where}.devices`, `device ${d.name} is named twice`);
    known.add(d.name);
  }
  const segments = list(root["segments"], `${where}.segments`).map((s, i): SegmentSpec => {
    const at = `${where}.segments[${i}]`;
    const o = record(s, at);
    noUnknownKeys(o, ["name", "devices", "faults"], at);
    const members = list(o["devices"], `${at}.devices`).map((m, j) => name(m, `${at}.devices[${j}]`));
    for (const m of members) if (!known.has(m)) throw new TopologyError(`${at}.devices`, `no device named ${m}`);
    return { name: name(o["name"], `${at}.name`), devices: members, faults: faultsSpec(o["faults"], `${at}.faults`) };
  });
  const consoleText = text(root["console"], `${where}.console`, `${devices[0]!.name}:0`);
  const [consoleDevice = "", consoleLine = "0"] = consoleText.split(":");
  if (!known.has(consoleDevice)) throw new TopologyError(`${where}.console`, `no device named ${consoleDevice}`);
  return {
    name: text(root["name"], `${where}.name`, "topology"),
    description: text(root["description"], `${where}.description`, ""),
    seed: integer(root["seed"], `${where}.seed`, 0, 2 ** 32 - 1, 1),
    devices,
    segments,
    console: { device: consoleDevice, line: integer(Number(consoleLine), `${where}.console`, 0, 22) },
  };
}

export function loadTopology(path: string): TopologySpec {
  return parseTopology(readFileSync(path, "utf8"), path);
}
