// One swarm run (TigerBeetle's VOPR shape): from a seed, a world (options.ts, world.ts); a faults
// phase of random steps (sessions opened from client lines to reverse lines, bulk data both ways,
// idle periods, and faults: lossy/duplicating/reordering/corrupting links, partitions, holds,
// reloads, power cycles, serial noise); then every fault is healed and the run must converge: every
// half-open connection dropped within its keepalive bound, every byte of a surviving session
// delivered, and a new session to every reverse line must work. Invariants are checked every
// CHECK_EVERY_MS of virtual time: no device crashed, heap and memory size never changed, no
// connection held by a dead peer beyond its bound, every session's bytes exactly once and in order.
import { FAULTS_NONE } from "../network/faults.ts";
import { Prng } from "../prng.ts";
import { AUTOCOMMAND_LINE, autocommandTarget, keepaliveBoundMs, swarmOptions, type SwarmOptions } from "./options.ts";
import {
  observeLive, observeOpening, prefixViolation, randomText, receivedAtClient, receivedAtServer, type Session,
} from "./sessions.ts";
import { LINK_DELAY_MS, SwarmWorld, TcpState, type LineEnd, type TcbView } from "./world.ts";

/** Invariants run this often (virtual ms): the resolution of the detection-time figure. */
export const CHECK_EVERY_MS = 250;
/** Slack on a bound: one check interval plus a poll. */
export const SLACK_MS = CHECK_EVERY_MS + 1_000;
/** RFC 6298 backoff from 1 s to 60 s, 15 retransmissions, abort at 663 s (firmware/tcp/timers.ts). */
export const RETRANSMIT_BOUND_MS = 663_000 + 60_000;
/** `ip tcp synwait-time` default: an open gets its answer within this. */
const SYNWAIT_BOUND_MS = 30_000 + 5_000;
/** A live session may outlive its TCB by this much (the line notices on its next poll). */
const LINE_RELEASE_MS = 2_000;
/** Seeds stop collecting after this many violations (the first is what matters). */
const VIOLATIONS_MAX = 20;
/** Separates the run's action stream from the options' stream ("swrm"). */
const ACTION_SALT = 0x7377726d;

export type FaultKind = "partition" | "hold" | "reload" | "power-cycle" | "serial-noise";

export interface SwarmStats {
  virtualMs: number;
  steps: number;
  faults: Record<FaultKind, number>;
  framesOffered: number;
  framesLost: number;
  framesDuplicated: number;
  framesReordered: number;
  framesCorrupted: number;
  framesCut: number;
  noiseBytes: number;
  bytesVerified: number;
  sessionsOpened: number;
  sessionsRefused: number;
  sessionsTimedOut: number;
  convergenceSessions: number;
  halfOpenDropped: number;
  /** Longest life of a keepalive-bounded half-open connection, from the later of its first sight
   * and the last segment it received, to gone: what the bound promises. */
  worstDetectionMs: number;
  /** The same from its first sight alone (longer when the network delivered a segment of the dead
   * peer's late: a hold, a reordering). */
  worstDetectionFromDeathMs: number;
  keepaliveBoundMs: number;
  traps: number;
  memoryGrowth: number;
}

export interface SwarmResult {
  seed: number;
  options: SwarmOptions;
  traceHash: string;
  violations: string[];
  stats: SwarmStats;
  /** What the run did, one line per action or phase change (print it to debug a seed). */
  events: string[];
}

interface HalfOpen {
  sinceMs: number;
  /** Where its bound starts: sinceMs, or later when a segment of the connection arrived after it
   * (one the network held or delayed from before the peer died: the peer's clock starts again). */
  fromMs?: number;
  keepaliveOnly: boolean;
  reported: boolean;
}

const SYNCHRONIZED: ReadonlySet<number> = new Set([
  TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.CLOSE_WAIT, TcpState.CLOSING, TcpState.LAST_ACK,
]);
const KEEPALIVE_STATES: ReadonlySet<number> = new Set([TcpState.ESTABLISHED, TcpState.FIN_WAIT_2, TcpState.CLOSE_WAIT]);
const PROMPT = /r\d+[>#]$/;

export function runSwarm(seed: number, overrides: Partial<SwarmOptions> = {}): SwarmResult {
  return new Swarm(swarmOptions(seed, overrides)).run();
}

export class Swarm {
  private readonly world: SwarmWorld;
  private readonly prng: Prng;
  private readonly sessions: Session[] = [];
  private readonly violations: string[] = [];
  private readonly violated = new Set<string>();
  private readonly events: string[] = [];
  /** For debugging a seed: the world (lines' records). */
  get worldForDebug(): SwarmWorld {
    return this.world;
  }
  private readonly halfOpen = new Map<string, HalfOpen>();
  private readonly boundMs: number;
  private baseline: { heapBytes: number; memoryBytes: number } | undefined;
  private snapshots: TcbView[][] = [];
  private readonly stats: SwarmStats;

  constructor(private readonly options: SwarmOptions) {
    this.world = new SwarmWorld(options);
    this.prng = new Prng((options.seed ^ ACTION_SALT) >>> 0);
    this.boundMs = keepaliveBoundMs(options);
    this.stats = {
      virtualMs: 0, steps: 0,
      faults: { partition: 0, hold: 0, reload: 0, "power-cycle": 0, "serial-noise": 0 },
      framesOffered: 0, framesLost: 0, framesDuplicated: 0, framesReordered: 0, framesCorrupted: 0, framesCut: 0,
      noiseBytes: 0, bytesVerified: 0, sessionsOpened: 0, sessionsRefused: 0, sessionsTimedOut: 0,
      convergenceSessions: 0, halfOpenDropped: 0, worstDetectionMs: 0, worstDetectionFromDeathMs: 0, keepaliveBoundMs: this.boundMs, traps: 0, memoryGrowth: 0,
    };
  }

  run(): SwarmResult {
    const sim = this.world.sim;
    this.advance(2_000); // boot, startup-config, gratuitous ARP
    for (const link of sim.network.links) link.setFaults(this.options.faults);
    for (let step = 0; step < this.options.faultSteps && this.violations.length === 0; step++) {
      this.stats.steps++;
      if (this.prng.chance(...this.options.manipulation)) this.fault();
      else this.traffic();
      this.advance(this.prng.between(50, 2_000));
    }
    if (this.violations.length === 0) this.heal();
    if (this.violations.length === 0) this.converge();
    this.finishStats();
    this.world.trace.update(`end@${sim.nowMs}:${this.violations.join("|")}`);
    return { seed: this.options.seed, options: this.options, traceHash: this.world.trace.digest().slice(0, 16), violations: this.violations, stats: this.stats, events: this.events };
  }

  // --- steps ---

  private traffic(): void {
    const live = this.sessions.filter((s) => s.phase === "live" && !s.serverLost);
    const roll = this.prng.below(10);
    if (roll < 3 || live.length === 0) {
      if (roll < 8) this.openSession();
      else this.advance(this.prng.between(1, 2 * this.boundMs));
      return;
    }
    const s = this.prng.pick(live);
    if (roll < 6) {
      // Keys left in an autocommand line when its session dies start a new session the run does not
      // know (its exec reads them, as IOS's does, and runs the autocommand): type there only when
      // every key typed before has arrived, and no more than one poll passes on at once.
      const auto = s.clientLine === AUTOCOMMAND_LINE;
      if (auto && receivedAtServer(s, this.server(s)).length < s.typed.length) return;
      const text = randomText((n) => this.prng.below(n), this.prng.between(1, auto ? 256 : 600), false);
      s.typed += text;
      this.client(s).send(text);
      this.event(`session ${this.describe(s)}: typed ${text.length} bytes`);
    } else if (roll < 9) {
      if (!this.connected(s)) return;
      const text = randomText((n) => this.prng.below(n), this.prng.between(1, 600), true);
      s.sent += text;
      this.server(s).send(text);
      this.event(`session ${this.describe(s)}: server sent ${text.length} bytes`);
    } else {
      this.advance(this.prng.between(1, 2 * this.boundMs));
    }
  }

  private fault(): void {
    const sim = this.world.sim;
    const d = this.prng.below(this.world.devices.length);
    const device = this.world.devices[d]!;
    const kind = this.prng.pick<FaultKind>(["partition", "hold", "reload", "power-cycle", "serial-noise", "serial-noise"]);
    this.stats.faults[kind]++;
    this.world.trace.update(`fault ${kind} ${device.name}@${sim.nowMs}`);
    this.event(`fault ${kind} ${device.name}`);
    switch (kind) {
      case "partition": {
        sim.network.partition(device.name);
        sim.scheduler.after(this.prng.between(100, 2 * this.boundMs), () => sim.network.repair(device.name));
        break;
      }
      case "hold": {
        sim.network.hold(device.name);
        sim.scheduler.after(this.prng.between(10, 3_000), () => sim.network.release(device.name));
        break;
      }
      case "reload":
        this.lostDevice(d);
        device.reload();
        break;
      case "power-cycle":
        this.lostDevice(d);
        device.powerOff();
        sim.scheduler.after(this.prng.between(100, 10_000), () => device.powerOn());
        break;
      case "serial-noise":
        this.noise(d);
        break;
    }
  }

  /** Random bytes on an idle exec line, the console, or a reverse line. Never the two session
   * alphabets nor `[`, even with the eighth bit set (see sessions.ts), so they cannot pass for session data. */
  private noise(d: number): void {
    const busy = new Set(this.sessions.filter((s) => s.phase !== "ended" && s.clientDevice === d).map((s) => s.clientLine));
    const candidates: LineEnd[] = [this.world.consoles[d]!, ...this.world.reverse[d]!, ...this.world.clients[d]!.filter((c) => !busy.has(c.line) && c.line !== AUTOCOMMAND_LINE)];
    const target = this.prng.pick(candidates);
    const length = this.prng.between(1, 200);
    let text = "";
    while (text.length < length) {
      const byte = this.prng.below(256);
      const ascii = byte & 0x7f; // a telnet NVT without BINARY may strip the eighth bit
      if ((ascii >= 0x41 && ascii <= 0x5b) || (ascii >= 0x61 && ascii <= 0x7a)) continue;
      // No history recall (Ctrl-P, ESC [ A) on an exec line: with a Return in the noise it would
      // run the line's last `telnet` and open a session the run does not know about.
      if (byte === 0x10 || byte === 0x1b) continue;
      text += String.fromCharCode(byte);
    }
    this.stats.noiseBytes += text.length;
    target.send(text);
  }

  private openSession(): void {
    const n = this.world.devices.length;
    const free: [number, number][] = [];
    for (let d = 0; d < n; d++) {
      if (this.world.devices[d]!.state !== "running") continue;
      for (let c = 0; c < this.world.clients[d]!.length; c++) {
        const line = this.world.clients[d]![c]!.line;
        if (!this.sessions.some((s) => s.phase !== "ended" && s.clientDevice === d && s.clientLine === line)) free.push([d, c]);
      }
    }
    if (free.length === 0) return;
    const [d, c] = this.prng.pick(free);
    if (this.world.clients[d]![c]!.line === AUTOCOMMAND_LINE) {
      this.startSession(d, c, autocommandTarget(this.options, d), 1);
      return;
    }
    const server = (d + 1 + this.prng.below(n - 1)) % n;
    const line = this.prng.between(1, this.options.reverseLines);
    this.startSession(d, c, server, line);
  }

  private startSession(d: number, c: number, server: number, line: number): Session | undefined {
    const client = this.world.clients[d]![c]!;
    const auto = client.line === AUTOCOMMAND_LINE;
    if (!auto && !this.prompt(client)) return undefined;
    const s: Session = {
      id: this.sessions.length + 1, clientDevice: d, clientLine: client.line, serverDevice: server, serverLine: line,
      phase: "opening", commandAt: client.text.length, clientFrom: -1, clientTo: -1, serverFrom: -1, serverTo: -1,
      typed: "", sent: "", serverLost: false, openedAtMs: this.world.sim.nowMs, endedAtMs: -1, outcome: "",
    };
    this.sessions.push(s);
    this.event(`session ${this.describe(s)}: telnet`);
    client.send(auto ? "\r" : `telnet 10.0.0.${server + 1} ${2000 + line}\r`); // Return runs the autocommand
    return s;
  }

  /** Return until the exec shows its prompt (it may be in a password prompt after noise). */
  private prompt(client: LineEnd): boolean {
    for (let attempt = 0; attempt < 5; attempt++) {
      client.send(attempt === 0 ? "\x15\r" : "\x03\r");
      try {
        this.world.sim.runUntilTrue(() => PROMPT.test(client.text), 1_000);
        return true;
      } catch {
        // not yet: try again
      }
    }
    return false;
  }

  /** A device reloads or loses power: its sessions end, its peers' sessions lose their server. */
  private lostDevice(d: number): void {
    for (const s of this.sessions) {
      if (s.phase === "ended") continue;
      if (s.clientDevice === d) {
        s.phase = "ended";
        s.outcome = "client rebooted";
        s.endedAtMs = this.world.sim.nowMs;
        if (s.clientFrom >= 0) s.clientTo = this.client(s).text.length;
        this.settle(s); // a later contender on its server line owns what arrived since it opened
        if (s.serverFrom >= 0 && s.serverTo < 0) s.serverTo = this.server(s).text.length;
      } else if (s.serverDevice === d && s.phase === "live") {
        this.event(`session ${this.describe(s)}: server lost`);
        s.serverLost = true;
        this.settle(s);
        if (s.serverTo < 0) s.serverTo = this.server(s).text.length;
      }
    }
  }

  // --- heal and converge ---

  private heal(): void {
    const sim = this.world.sim;
    for (const link of sim.network.links) {
      link.setFaults({ ...FAULTS_NONE, delayMs: LINK_DELAY_MS });
      link.repair();
      link.release();
    }
    for (const device of this.world.devices) if (device.state === "off") device.powerOn();
    this.world.trace.update(`heal@${sim.nowMs}`);
    const endMs = sim.nowMs + RETRANSMIT_BOUND_MS + SYNWAIT_BOUND_MS;
    // Settled on two checks in a row: a keepalive that ends one side of a connection in between
    // leaves the other side half-open until its own keepalive runs (seed 2595), within its bound.
    let settledChecks = 0;
    while (sim.nowMs < endMs && this.violations.length === 0 && settledChecks < 2) {
      this.advance(1_000);
      // Settled: no half-open connection, no open pending, and every live session has delivered
      // what was sent (a retransmission backed off during a partition may take up to 60 s).
      const settled = this.halfOpen.size === 0 && !this.sessions.some((s) => s.phase === "opening" || (s.phase === "live" && (s.serverLost || !this.delivered(s))));
      settledChecks = settled ? settledChecks + 1 : 0;
    }
    for (const s of this.sessions) {
      if (s.phase !== "live" || s.serverLost) continue;
      this.exact(s);
    }
    if (this.halfOpen.size > 0) this.violate(`${this.halfOpen.size} half-open connections remain after healing: ${[...this.halfOpen.keys()].join(", ")}`);
  }

  /** Every live session is disconnected; then a new session to every reverse line must work. */
  private converge(): void {
    for (const s of this.sessions.filter((x) => x.phase === "live")) this.disconnect(s);
    // Typeahead on an autocommand line may have started a session after its last known one ended.
    this.world.devices.forEach((_, d) => this.clearLine(d, AUTOCOMMAND_LINE, `r${d + 1} tty${AUTOCOMMAND_LINE}`));
    this.advance(this.boundMs + SLACK_MS);
    const n = this.world.devices.length;
    for (let server = 0; server < n && this.violations.length === 0; server++) {
      for (let line = 1; line <= this.options.reverseLines && this.violations.length === 0; line++) {
        const d = (server + 1) % n;
        const s = this.startSession(d, 0, server, line);
        if (!s) {
          this.violate(`convergence: r${d + 1}'s tty${this.world.clients[d]![0]!.line} shows no prompt`);
          return;
        }
        const giveUpAtMs = this.world.sim.nowMs + SYNWAIT_BOUND_MS;
        while (s.phase === "opening" && this.violations.length === 0 && this.world.sim.nowMs < giveUpAtMs) this.advance(CHECK_EVERY_MS);
        if (s.outcome !== "open") {
          this.violate(`convergence: a new session r${d + 1} -> r${server + 1} tty${line} was ${s.outcome || "unanswered"}`);
          return;
        }
        this.stats.convergenceSessions++;
        const down = randomText((k) => this.prng.below(k), 64, false);
        const up = randomText((k) => this.prng.below(k), 64, true);
        this.advance(500);
        s.typed += down;
        this.client(s).send(down);
        s.sent += up;
        this.server(s).send(up);
        this.advance(2_000);
        this.exact(s);
        this.disconnect(s);
      }
    }
  }

  private disconnect(s: Session): void {
    const client = this.client(s);
    if (s.clientTo < 0) s.clientTo = client.text.length; // the escape's exec text is not session data
    if (s.serverTo < 0) s.serverTo = this.server(s).text.length;
    if (s.clientLine === AUTOCOMMAND_LINE) {
      this.clearLine(s.clientDevice, s.clientLine, this.describe(s));
      this.countVerified(s);
      s.phase = "ended";
      s.outcome = "closed";
      return;
    }
    client.send("\x1ex");
    try {
      this.world.sim.runUntilTrue(() => PROMPT.test(client.text), 2_000);
      client.send("disconnect\r");
      this.world.sim.runUntilTrue(() => client.text.endsWith("[confirm]"), 2_000);
      client.send("\r");
      if (s.clientLine !== AUTOCOMMAND_LINE) this.world.sim.runUntilTrue(() => PROMPT.test(client.text), 2_000);
      else this.world.sim.runFor(500);
    } catch {
      this.violate(`session ${this.describe(s)}: escape and disconnect got no answer: "${client.text.slice(-80)}"`);
    }
    this.countVerified(s);
    s.phase = "ended";
    s.outcome = "closed";
  }

  /** An autocommand session is ended the administrator's way: `clear line` on its console. */
  private clearLine(d: number, line: number, what: string): void {
    const con = this.world.consoles[d]!;
    const steps: [string, RegExp][] = [
      ["\x15\r", /r\d+[>#]$/], ["enable\r", /Password: $|r\d+#$/], ["cisco\r", /r\d+#$/],
      [`clear line ${line}\r`, /\[confirm\]$/], ["\r", /r\d+#$/], ["disable\r", /r\d+>$/],
    ];
    try {
      for (const [keys, answer] of steps) {
        if (keys === "cisco\r" && /r\d+#$/.test(con.text)) continue;
        con.send(keys);
        this.world.sim.runUntilTrue(() => answer.test(con.text), 2_000);
      }
    } catch {
      this.violate(`${what}: clear line got no answer on the console: "${con.text.slice(-80)}"`);
    }
  }

  // --- invariants ---

  private advance(durationMs: number): void {
    const sim = this.world.sim;
    const endMs = sim.nowMs + durationMs;
    while (sim.nowMs < endMs) {
      sim.runFor(Math.min(CHECK_EVERY_MS, endMs - sim.nowMs));
      this.check();
    }
  }

  private check(): void {
    const nowMs = this.world.sim.nowMs;
    this.world.devices.forEach((device, d) => {
      if (device.state === "crashed") {
        this.stats.traps++;
        this.violate(`${device.name} crashed: ${device.crashMessage ?? "?"}`);
        device.state = "off"; // reported once
      }
      const facts = device.memoryFacts();
      if (!facts) return;
      this.baseline ??= facts;
      if (facts.heapBytes !== this.baseline.heapBytes || facts.memoryBytes !== this.baseline.memoryBytes) {
        this.stats.memoryGrowth = Math.max(this.stats.memoryGrowth, facts.heapBytes - this.baseline.heapBytes, facts.memoryBytes - this.baseline.memoryBytes);
        this.violate(`${device.name}: heap ${facts.heapBytes} / memory ${facts.memoryBytes}, was ${this.baseline.heapBytes} / ${this.baseline.memoryBytes}`);
      }
      void d;
    });
    this.snapshots = this.world.devices.map((_, d) => this.world.tcbs(d));
    for (const s of this.sessions) this.checkSession(s, nowMs);
    this.checkHalfOpen(nowMs);
  }

  private checkSession(s: Session, nowMs: number): void {
    const client = this.client(s);
    const server = this.server(s);
    if (s.phase === "opening") {
      if (observeOpening(s, client, server, nowMs)) {
        this.event(`session ${this.describe(s)}: ${s.outcome}`);
        if (s.outcome === "open") {
          this.stats.sessionsOpened++;
          // A session that already ended or lost its server owned the line until now. One still
          // live contends with this one (two callers opened at once, or the server dropped the
          // old one first): the loser's window is settled when it ends (settle()).
          for (const other of this.sessions) {
            if (other !== s && this.sameServerLine(other, s) && other.serverFrom >= 0 && other.serverTo < 0 && (other.phase === "ended" || other.serverLost)) other.serverTo = s.serverFrom;
          }
        } else if (s.outcome === "refused") this.stats.sessionsRefused++;
        else this.stats.sessionsTimedOut++;
      } else if (s.clientLine === AUTOCOMMAND_LINE && !client.text.slice(s.commandAt).includes("Trying") && (nowMs - s.openedAtMs) % 1_000 < CHECK_EVERY_MS && nowMs - s.openedAtMs >= 1_000) {
        client.send("\r"); // the Return fell in the line's hang-up after its last session: again
      } else if (nowMs - s.openedAtMs > SYNWAIT_BOUND_MS) {
        this.violate(`session ${this.describe(s)}: no answer to the telnet command after ${nowMs - s.openedAtMs} ms: "${client.text.slice(s.commandAt).slice(-80)}"`);
      }
      return;
    }
    if (s.clientFrom < 0) return;
    // The end first: once the client saw it, the server window is settled before the check.
    let endedNow = false;
    if (s.phase === "live" && observeLive(s, client, nowMs)) {
      endedNow = true;
      this.event(`session ${this.describe(s)}: closed`);
      this.settle(s);
      // The client saw the end: nothing more of this session reaches the server's line (on an
      // autocommand line, typeahead held back by flow control may start a new session at once).
      if (s.serverTo < 0 && !this.contended(s)) {
        const noticeAt = client.text.indexOf("[Connection to", s.clientFrom);
        s.serverTo = server.lengthAt(client.timeOf(noticeAt + 1));
      }
    }
    // While two sessions contend for one server line, which one owns its bytes is known only when
    // one of them ends (settle()); the client side is always its own.
    const down = this.contended(s) ? undefined : prefixViolation(`session ${this.describe(s)} A->B`, s.typed, receivedAtServer(s, server));
    const up = prefixViolation(`session ${this.describe(s)} B->A`, s.sent, receivedAtClient(s, client));
    if (down) this.violate(down);
    if (up) this.violate(up);
    if (endedNow) this.countVerified(s);
    if (s.phase !== "live") return;
    // The client line is held by this session: a TCB to the server's port must back it.
    const backed = this.snapshots[s.clientDevice]!.some((t) => t.remoteIp === this.world.ipOf(s.serverDevice) && t.remotePort === 2000 + s.serverLine);
    const key = `line r${s.clientDevice + 1}.${s.clientLine}#${s.id}`;
    if (backed) this.halfOpen.delete(key);
    else {
      const since = this.halfOpen.get(key)?.sinceMs ?? nowMs;
      this.halfOpen.set(key, { sinceMs: since, keepaliveOnly: false, reported: false });
      if (nowMs - since > LINE_RELEASE_MS) this.violate(`session ${this.describe(s)}: r${s.clientDevice + 1} tty${s.clientLine} still in the session ${nowMs - since} ms after its connection closed`);
    }
  }

  /** A synchronized TCB whose peer has no matching TCB (rebooted, off, or forgot it) must go within
   * its bound: the keepalive bound when idle, the retransmission bound when it has data out. */
  private checkHalfOpen(nowMs: number): void {
    const seen = new Set<string>();
    this.snapshots.forEach((tcbs, d) => {
      const device = this.world.devices[d]!;
      for (const t of tcbs) {
        if (!SYNCHRONIZED.has(t.state)) continue;
        const peer = this.world.indexOfIp(t.remoteIp);
        const mirrored = peer >= 0 && this.snapshots[peer]!.some((u) => u.localPort === t.remotePort && u.remotePort === t.localPort && u.remoteIp === t.localIp);
        if (mirrored) continue;
        const key = `${device.name}#${device.boots}.tcb${t.handle}:${t.localPort}->${t.remoteIp & 0xff}:${t.remotePort}`;
        seen.add(key);
        const entry = this.halfOpen.get(key) ?? { sinceMs: nowMs, keepaliveOnly: true, reported: false };
        if (t.queued > 0 || !KEEPALIVE_STATES.has(t.state)) entry.keepaliveOnly = false;
        entry.fromMs = Math.max(entry.sinceMs, this.world.lastHeardMs(d, t.localPort, t.remoteIp, t.remotePort));
        this.halfOpen.set(key, entry);
        const limitMs = (entry.keepaliveOnly ? this.boundMs : RETRANSMIT_BOUND_MS) + SLACK_MS;
        if (nowMs - entry.fromMs > limitMs && !entry.reported) {
          entry.reported = true;
          this.violate(`${key} (state ${t.state}, ${t.queued} bytes queued) held ${nowMs - entry.fromMs} ms by a dead peer; bound ${limitMs} ms`);
        }
      }
    });
    for (const [key, entry] of this.halfOpen) {
      if (key.startsWith("line ") || seen.has(key)) continue;
      this.halfOpen.delete(key);
      this.stats.halfOpenDropped++;
      if (entry.keepaliveOnly) this.stats.worstDetectionMs = Math.max(this.stats.worstDetectionMs, nowMs - (entry.fromMs ?? entry.sinceMs));
      if (entry.keepaliveOnly) this.stats.worstDetectionFromDeathMs = Math.max(this.stats.worstDetectionFromDeathMs, nowMs - entry.sinceMs);
    }
  }

  private exact(s: Session): void {
    const down = receivedAtServer(s, this.server(s));
    const up = receivedAtClient(s, this.client(s));
    if (down !== s.typed) this.violate(`session ${this.describe(s)} A->B: ${down.length} of ${s.typed.length} bytes delivered after healing`);
    if (up !== s.sent) this.violate(`session ${this.describe(s)} B->A: ${up.length} of ${s.sent.length} bytes delivered after healing`);
  }

  private sameServerLine(a: Session, b: Session): boolean {
    return a.serverDevice === b.serverDevice && a.serverLine === b.serverLine;
  }

  /** Another live session holds an open window on the same server line. */
  private contended(s: Session): boolean {
    if (s.serverTo >= 0 || s.serverLost) return false;
    return this.sessions.some((o) => o !== s && o.phase === "live" && !o.serverLost && o.serverFrom >= 0 && o.serverTo < 0 && this.sameServerLine(o, s));
  }

  /** A contender ended: its window on the server line closes where the next contender's opened. */
  private settle(s: Session): void {
    if (s.serverTo >= 0 || s.serverFrom < 0) return;
    const next = this.sessions
      .filter((o) => o !== s && o.serverFrom >= s.serverFrom && o.serverTo < 0 && this.sameServerLine(o, s) && o.phase === "live")
      .map((o) => o.serverFrom);
    if (next.length > 0) s.serverTo = Math.min(...next);
  }

  private delivered(s: Session): boolean {
    return receivedAtServer(s, this.server(s)).length === s.typed.length && receivedAtClient(s, this.client(s)).length === s.sent.length;
  }

  private countVerified(s: Session): void {
    this.stats.bytesVerified += receivedAtServer(s, this.server(s)).length + receivedAtClient(s, this.client(s)).length;
  }

  /** Both ends hold the connection (so data sent from the server's line belongs to this session). */
  private connected(s: Session): boolean {
    // Another session from the same device to the same server line: which of the device's TCBs
    // to that port is this one's is unknown, and the server's line may already be the other's.
    if (this.sessions.some((o) => o !== s && o.phase !== "ended" && o.clientDevice === s.clientDevice && this.sameServerLine(o, s))) return false;
    const port = 2000 + s.serverLine;
    const serverIp = this.world.ipOf(s.serverDevice);
    const clientSide = this.snapshots[s.clientDevice]!.find((t) => t.remoteIp === serverIp && t.remotePort === port && t.state === TcpState.ESTABLISHED);
    if (!clientSide) return false;
    return this.snapshots[s.serverDevice]!.some((t) => t.localPort === port && t.remotePort === clientSide.localPort && t.state === TcpState.ESTABLISHED);
  }

  private finishStats(): void {
    for (const s of this.sessions) if (s.phase === "live" || (s.outcome === "client rebooted" && s.clientFrom >= 0)) this.countVerified(s);
    for (const link of this.world.sim.network.links) {
      const t = link.totals();
      this.stats.framesOffered += t.offered;
      this.stats.framesLost += t.lost;
      this.stats.framesDuplicated += t.duplicated;
      this.stats.framesReordered += t.reordered;
      this.stats.framesCorrupted += t.corrupted;
      this.stats.framesCut += t.cut;
    }
    this.stats.virtualMs = this.world.sim.nowMs;
  }

  private client(s: Session): LineEnd {
    return this.world.clients[s.clientDevice]!.find((c) => c.line === s.clientLine)!;
  }

  private server(s: Session): LineEnd {
    return this.world.reverse[s.serverDevice]![s.serverLine - 1]!;
  }

  private describe(s: Session): string {
    return `#${s.id} r${s.clientDevice + 1}.tty${s.clientLine} -> r${s.serverDevice + 1}:${2000 + s.serverLine}`;
  }

  private event(text: string): void {
    this.events.push(`${this.world.sim.nowMs} ${text}`);
  }

  private violate(message: string): void {
    if (this.violations.length >= VIOLATIONS_MAX || this.violated.has(message)) return;
    this.violated.add(message);
    this.violations.push(`SEED=${this.options.seed} at ${this.world.sim.nowMs} ms: ${message}`);
  }
}
