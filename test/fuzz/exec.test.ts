// Fuzzing the exec: random command lines in every mode (user, privileged, config, config-line,
// config-if), built from the firmware's own command table (firmware/cli/commands.ts syntax strings):
// real commands with random arguments (in and out of range), abbreviations, `?`, extra words,
// garbage, overlong lines, control characters. After every command: no trap, heap and memory as at
// boot. Commands that reload or erase are allowed: the device must come back the same size.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { Bench, budget } from "./kit.ts";

const COMMANDS_MAX = Number(process.env["FUZZ_COMMANDS"] ?? 2_500);
const WALL_MS = Number(process.env["FUZZ_WALL_MS"] ?? 8_000);

const MODE_ENTRY: Record<string, string> = {
  M_USER: "\x1a\rdisable\r",
  M_EXEC: "\x1a\r",
  M_PRIV: "\x1a\renable\rcisco\r",
  M_CONFIG: "\x1a\renable\rcisco\rconfigure terminal\r",
  M_CONFIG_ANY: "\x1a\renable\rcisco\rconfigure terminal\r",
  M_LINE: "\x1a\renable\rcisco\rconfigure terminal\rline 3\r",
  M_IF: "\x1a\renable\rcisco\rconfigure terminal\rinterface ethernet0\r",
};

function commandTable(): { mode: string; syntax: string }[] {
  const source = readFileSync("firmware/cli/commands.ts", "utf8");
  // A row of COMMAND_ROWS: `  M_MODE, "syntax", "help", H.Handler, tag,`.
  return [...source.matchAll(/^ {2}(M_[A-Z_]+), "([^"]+)"/gm)].map((m) => ({ mode: m[1]!, syntax: m[2]! }));
}

function argument(prng: Prng, token: string): string {
  const range = /^<(\d+)-(\d+)>$/.exec(token);
  if (range) {
    const low = Number(range[1]);
    const high = Number(range[2]);
    return String(prng.pick([low, high, low - 1, high + 1, prng.between(low, Math.min(high, low + 1000)), 4294967296, 99999999999]));
  }
  if (token === "A.B.C.D") return prng.pick(["10.0.0.1", "255.255.255.0", "0.0.0.0", "256.1.1.1", "1.2.3", "10.0.0.9"]);
  if (token === "WORD" || token === "LINE") return prng.pick(["x", "cisco", "a".repeat(prng.between(1, 120)), "telnet 10.0.0.9 2001", "%s%n"]);
  return token;
}

/** One command line: a real command of this mode with random arguments, mangled sometimes. */
function commandLine(prng: Prng, syntax: string): string {
  const words: string[] = [];
  for (const raw of syntax.split(" ")) {
    const optional = raw.startsWith("[") && raw.endsWith("]");
    const token = optional ? raw.slice(1, -1) : raw;
    if (token === "|") break;
    if (optional && prng.chance(1, 2)) continue;
    let word = argument(prng, token);
    if (/^[a-z-]+$/.test(word) && prng.chance(1, 4)) word = word.slice(0, prng.between(1, word.length)); // abbreviation
    words.push(word);
  }
  if (prng.chance(1, 8)) words.splice(prng.below(words.length + 1), 0, prng.pick(["?", "foo", "|", "12", "\t"]));
  if (prng.chance(1, 10)) words.push("?");
  let line = words.join(" ");
  if (prng.chance(1, 10)) line = Buffer.from(prng.bytes(prng.between(1, 150))).toString("latin1");
  if (prng.chance(1, 20)) line += "\x08\x08\x7f\x15" + line.slice(0, 5);
  return line;
}

beforeAll(async () => {
  await prepareFirmware("core");
});

describe("fuzz: exec command lines", () => {
  it("random command lines in every mode never trap and never grow memory", () => {
    const seed = testSeed("fuzz exec");
    const prng = new Prng(seed);
    const bench = new Bench(seed);
    const table = commandTable();
    expect(table.length).toBeGreaterThan(60);
    const con = bench.device.uart(0);
    // Paced at 9600 baud, as a real console: `ping X repeat 2147483647` to an unreachable X prints
    // `U` back to back without waiting (firmware/net/icmp.ts), so on an unpaced UART virtual time
    // would never advance (the scheduler's stuck guard fires; see the swarm report).
    con.paced = true;
    let printed = 0;
    con.attach({ data: (b) => (printed += b.length) });
    const more = budget(WALL_MS);
    let commands = 0;
    const modes = new Set<string>();
    for (; commands < COMMANDS_MAX && more(); commands++) {
      const entry = prng.pick(table);
      modes.add(entry.mode);
      const prefix = prng.chance(1, 6) ? MODE_ENTRY[entry.mode] ?? "\r" : "";
      const line = `${commandLine(prng, entry.syntax)}\r`;
      if (process.env["FUZZ_TRACE"]) console.log(`${bench.sim.nowMs} ${JSON.stringify(prefix + line)}`);
      con.send(prefix + line);
      // Answer a confirm, a --More--, or a Password: prompt one way or another.
      if (prng.chance(1, 3)) con.send(prng.pick(["\r", "y", "n", " ", "q", "\x03"]));
      bench.sim.runFor(prng.between(5, 60));
      bench.expectHealthy(`SEED=${seed} command ${commands}`);
      if (bench.device.state === "running" && prng.chance(1, 400)) bench.device.reload();
    }
    bench.sim.runFor(3_000);
    bench.expectHealthy(`SEED=${seed} after ${commands} commands`);
    console.log(`fuzz exec: SEED=${seed} commands=${commands} modes=${[...modes].join(",")} printed=${printed}`);
    expect(modes.size).toBeGreaterThanOrEqual(6);
    expect(printed).toBeGreaterThan(commands);
  });
});
