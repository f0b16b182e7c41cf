// The tech note's network for scenario tests: topologies/technote.yaml built with buildTopology (the
// same code `npm start` uses), a ScriptedTerminal where the user's terminal would be (r2's tty1),
// the ServerConsole on r1's tty1, and an administrator's ScriptedTerminal on r1's console. All in
// virtual time: hours pass in milliseconds because time jumps from one deadline to the next.
import { prepareFirmware, type Device, type FirmwareKind } from "../../host-sim/device.ts";
import { ScriptedTerminal, ServerConsole } from "../../host-sim/serial-attach/index.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { buildTopology } from "../../host-sim/topology/build.ts";
import { loadTopology, type TopologySpec } from "../../host-sim/topology/spec.ts";

/** The IOS keepalive profile `service tcp-keepalives-*` gives (REFERENCE.md). */
export const KEEPALIVE_IDLE_MS = 60_000;
export const KEEPALIVE_INTERVAL_MS = 60_000;
export const KEEPALIVE_PROBES = 4;
/** A dead peer is dropped within this long after the last segment heard from it. */
export const KEEPALIVE_BOUND_MS = KEEPALIVE_IDLE_MS + KEEPALIVE_PROBES * KEEPALIVE_INTERVAL_MS;
/** Slack for "one poll" and the last delayed ACK after the last data. */
export const POLL_SLACK_MS = 1_000;

export const OPEN = "Trying 10.0.0.1, 2001 ... Open";
export const REFUSED = "% Connection refused by remote host";
export const CLOSED_BY_FOREIGN_HOST = "[Connection to 10.0.0.1 closed by foreign host]";

export interface World {
  sim: Simulator;
  r1: Device;
  r2: Device;
  /** The user at r2's tty1. */
  user: ScriptedTerminal;
  /** The server whose console is wired to r1's tty1. */
  server: ServerConsole;
  /** An administrator at r1's console (con 0). */
  admin: ScriptedTerminal;
}

/** The shipped topology, or a variant without any `service tcp-keepalives-*` line. */
export function technoteSpec(keepalives: boolean): TopologySpec {
  const spec = loadTopology("topologies/technote.yaml");
  if (keepalives) return spec;
  const devices = spec.devices.map((d) => ({ ...d, config: d.config.replace(/^\s*service tcp-keepalives-(in|out)\s*\n/gm, "") }));
  return { ...spec, devices };
}

export async function technoteWorld(firmware: FirmwareKind, keepalives: boolean): Promise<World> {
  await prepareFirmware(firmware);
  const spec = technoteSpec(keepalives);
  const sim = new Simulator(spec.seed);
  const built = buildTopology(sim, spec, { firmware });
  const r1 = built.devices.get("r1")!;
  const r2 = built.devices.get("r2")!;
  let server: ServerConsole | undefined;
  let user: ScriptedTerminal | undefined;
  for (const { device, spec: line } of built.serial) {
    if (line.attach === "server-console") server = new ServerConsole(device.uart(line.line));
    if (line.attach === "terminal") user = new ScriptedTerminal(device.uart(line.line), sim);
  }
  if (!server || !user || spec.console.device !== "r2" || spec.console.line !== 1) throw new Error("technote.yaml: expected the terminal on r2:1 and a server console");
  const admin = new ScriptedTerminal(r1.uart(0), sim);
  sim.runFor(2_000); // both boot and read their startup-configs
  return { sim, r1, r2, user, server, admin };
}

/** Return on r2's tty1: the autocommand telnets to r1 port 2001; Return again gets the server's login. */
export function connectToServer(w: World): { openAtMs: number; loginAtMs: number } {
  w.user.type("\r");
  const open = w.user.expect(OPEN, { timeoutMs: 10_000 });
  w.user.type("\r");
  const login = w.user.expect(`${w.server.hostname} login: `, { timeoutMs: 10_000 });
  return { openAtMs: open.atMs, loginAtMs: login.atMs };
}

/** One attempt from r2's tty1: "open" or "refused" (anything else fails the test). */
export function attempt(w: World): "open" | "refused" {
  w.user.type("\r");
  const { match } = w.user.expect(new RegExp(`${escape(OPEN)}|${escape(REFUSED)}`), { timeoutMs: 60_000 });
  return match === OPEN ? "open" : "refused";
}

/** Retries every `everyMs` until a connection opens; returns the instant it opened. */
export function retryUntilOpen(w: World, everyMs: number, limitMs: number): { openAtMs: number; refusals: number } {
  const endMs = w.sim.nowMs + limitMs;
  let refusals = 0;
  while (w.sim.nowMs <= endMs) {
    if (attempt(w) === "open") return { openAtMs: w.sim.nowMs, refusals };
    refusals++;
    w.sim.runFor(everyMs);
  }
  throw new Error(`no connection within ${limitMs} ms (${refusals} refusals)`);
}

/** `clear line 1` on r1's console, from privileged mode (enable secret cisco), confirmed. */
export function clearLineOnR1(w: World): void {
  adminPrompt(w);
  w.admin.type("enable\r");
  w.admin.expect("Password: ");
  w.admin.type("cisco\r");
  w.admin.expect("r1#");
  w.admin.type("clear line 1\r");
  w.admin.expect("clear line 1\r\n[confirm]");
  w.admin.type("\r");
  w.admin.expect(" [OK]\r\nr1#");
}

/** r1's `show line 1` row: true when the line is in use (`*` in the first column). */
export function r1LineBusy(w: World): boolean {
  w.admin.type("show line 1\r");
  const { groups } = w.admin.expect(/\r\n([* ]) {4}1 TTY[^\r]*\r\n/);
  w.admin.expect(/r1[>#]/);
  return groups[0] === "*";
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** How r2's telnet client reports a session that ended under it (RST, keepalive, retransmissions). */
export const SESSION_ENDED = /\[Connection to 10\.0\.0\.1 (?:closed by foreign host|lost)\]|% Connection timed out; remote host not responding/;

/** Return on r1's console until the user-exec prompt. */
export function adminPrompt(w: World): void {
  w.admin.type("\r");
  w.admin.expect(/r1[>#]/);
}
