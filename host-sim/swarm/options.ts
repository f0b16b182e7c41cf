// What one swarm seed names (TigerBeetle's options_swarm): how many devices, which lines carry
// reverse telnet and which run an exec that opens sessions, the keepalive timers in the
// startup-config, the link fault profile of the faults phase, and how many steps each phase takes.
// Every choice is drawn from one PRNG seeded by the seed, so the seed alone replays the run.
import { swarmFaults, type Faults } from "../network/faults.ts";
import { Prng } from "../prng.ts";

export interface SwarmOptions {
  seed: number;
  deviceCount: number;
  /** Reverse-telnet lines on every device: tty 1..reverseLines (`no exec`, port 2000+n). */
  reverseLines: number;
  /** Lines that run an exec and open sessions: tty 9..(9+clientLines-1). */
  clientLines: number;
  keepaliveIdleMs: number;
  keepaliveIntervalMs: number;
  keepaliveCount: number;
  /** Link faults while the faults phase runs (healed to none afterwards). */
  faults: Faults;
  faultSteps: number;
  /** Chance (integer ratio) that a faults-phase step is a device or link manipulation. */
  manipulation: readonly [number, number];
  /** `service tcp-keepalives-in/out` in the startup-configs (off only to prove the checker catches
   * a hung line). */
  keepalives: boolean;
}

/** The first client line (absolute tty number); reverse lines are 1..reverseLines. */
export const CLIENT_LINE_FIRST = 9;
/** A line whose Return runs `autocommand telnet` to the next device's tty1 (the tech note's r2). */
export const AUTOCOMMAND_LINE = 12;

/** The device (0-based) an autocommand line on device `d` calls: the next one. */
export function autocommandTarget(o: SwarmOptions, d: number): number {
  return (d + 1) % o.deviceCount;
}

export function swarmOptions(seed: number, overrides: Partial<SwarmOptions> = {}): SwarmOptions {
  const prng = new Prng(seed);
  const options: SwarmOptions = {
    seed,
    deviceCount: prng.between(2, 4),
    reverseLines: prng.between(1, 3),
    clientLines: prng.between(1, 2),
    keepaliveIdleMs: prng.between(2, 10) * 1000,
    keepaliveIntervalMs: prng.between(1, 3) * 1000,
    keepaliveCount: prng.between(2, 4),
    faults: linkFaults(prng.fork()),
    faultSteps: prng.between(20, 40),
    manipulation: [1, prng.between(3, 8)],
    keepalives: true,
  };
  return { ...options, ...overrides };
}

/**
 * The link profile: network/faults.ts's gentle swarm profile, made harsher on two seeds in three
 * (loss up to 1 in 5, duplication and reordering up to 1 in 10, corruption up to 1 in 20), still
 * gentle enough that TCP makes progress between partitions.
 */
function linkFaults(prng: Prng): Faults {
  const base = swarmFaults(prng);
  if (prng.chance(1, 3)) return base;
  return {
    ...base,
    loss: [1, prng.between(5, 40)],
    duplicate: [1, prng.between(10, 60)],
    reorder: [1, prng.between(10, 60)],
    reorderMs: prng.between(1, 30),
    corrupt: [1, prng.between(20, 200)],
  };
}

/** A dead peer is dropped within this long after the last segment heard from it (RFC 1122 4.2.3.6
 * as firmware/tcp/timers.ts implements it: idle + count x interval). */
export function keepaliveBoundMs(o: SwarmOptions): number {
  return o.keepaliveIdleMs + o.keepaliveCount * o.keepaliveIntervalMs;
}

/** The startup-config of device `index` (1-based): address 10.0.0.index, keepalives both ways. */
export function deviceConfig(o: SwarmOptions, index: number): string {
  const lines = [
    `hostname r${index}`,
    "enable secret cisco",
    ...(o.keepalives ? ["service tcp-keepalives-in", "service tcp-keepalives-out"] : []),
    `ip tcp keepalive idle ${o.keepaliveIdleMs / 1000}`,
    `ip tcp keepalive interval ${o.keepaliveIntervalMs / 1000}`,
    `ip tcp keepalive count ${o.keepaliveCount}`,
    "interface ethernet0",
    ` ip address 10.0.0.${index} 255.255.255.0`,
    `line 1 ${o.reverseLines}`,
    " no exec",
    " transport input telnet",
    " exec-timeout 0 0",
    `line ${CLIENT_LINE_FIRST} ${CLIENT_LINE_FIRST + o.clientLines - 1}`,
    " exec-timeout 0 0",
    `line ${AUTOCOMMAND_LINE}`,
    " exec-timeout 0 0",
    ` autocommand telnet 10.0.0.${autocommandTarget(o, index - 1) + 1} 2001`,
  ];
  return `${lines.join("\n")}\n`;
}
