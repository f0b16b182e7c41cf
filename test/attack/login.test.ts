// Password guessing on a vty (telnet to port 23, `login` + `password`) and on a TTY with `login`,
// and vty squatting. What the firmware does (firmware/cli/exec.ts, "login protection"):
//  - three tries, `% Bad passwords`, the vty connection is closed (a TTY goes back to idle);
//  - the login delay: after a wrong password the line shows no `Password: ` prompt for 1 s,
//    doubling with every wrong password in a row on that line up to 30 s (a right one resets it),
//    kept across connections; what is typed meanwhile is discarded. Figures (printed by the tests):
//    a vty guesser reconnecting at once got 1200 guesses a virtual minute before, a TTY guesser
//    at 9600 baud 658; now both get single figures;
//  - `timeout login response` (30 s default, per line): an unanswered prompt ends the exec with
//    `% Password:  timeout expired!`, so five silent squatters no longer hold the five vtys for
//    the 10-minute exec-timeout (the owner waited 601550 ms before; now at most 30 s);
//  - each wrong password is logged at LOG_WARNING as IOS's `%SEC_LOGIN-4-LOGIN_FAILED: Login
//    failed [user: ] [Source: 10.0.0.9] [localport: 23] [Reason: Login Authentication Failed]`
//    (IOS appends ` at <wall-clock time>`; the firmware has no calendar clock, so it is left out),
//    with the line's name (`tty1`) as the source on a serial line.
//  - five guessers in parallel, one per vty, get 30 guesses a minute together; with IOS's
//    `login block-for 60 attempts 5 within 30` (off by default, as on IOS) 9: the fifth wrong vty
//    password within the watch window refuses every vty caller for 60 s (%SEC_LOGIN-1-QUIET_MODE_ON)
//    and a session already at the prompt gets no further try.
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { Bench, BENCH_CONFIG, type TcpPeer } from "../fuzz/kit.ts";
import { decodeFrame, FIN } from "../support/packets.ts";

/** A guess rate a login defence should keep an attacker under (IOS `login delay 1`: 60 a minute). */
const GUESSES_PER_MINUTE_MAX = 60;

beforeAll(async () => {
  await prepareFirmware("core");
});

/** Guesses wrong passwords on vtys for one virtual minute, reconnecting when closed; the count. */
function vtyGuessesInAMinute(bench: Bench): number {
  const endMs = bench.sim.nowMs + 60_000;
  let guesses = 0;
  let srcPort = 30_000;
  while (bench.sim.nowMs < endMs) {
    const peer = bench.connect(23, srcPort++);
    bench.sim.runFor(50);
    for (let i = 0; i < 3 && peer.established && bench.sim.nowMs < endMs; i++) {
      const before = (peer.text().match(/Password: /g) ?? []).length;
      peer.send(`guess${guesses}\r\n`, 10);
      guesses++;
      let waited = 0;
      while ((peer.text().match(/Password: |% Bad passwords/g) ?? []).length <= before && waited < 30_000 && !peer.reset) {
        bench.sim.runFor(10);
        waited += 10;
      }
    }
    peer.emit(0x04, new Uint8Array(0), peer.sndNxt, 0); // the guesser aborts (RST) and dials again
    bench.sim.runFor(20);
  }
  return guesses;
}

/** Five guessers, one per vty, each reconnecting when closed, for one virtual minute; the count. */
function parallelVtyGuessesInAMinute(bench: Bench): number {
  const endMs = bench.sim.nowMs + 60_000;
  let guesses = 0;
  let srcPort = 40_000;
  const slots: ({ peer: TcpPeer; prompts: number } | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  while (bench.sim.nowMs < endMs) {
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      if (slot === undefined || slot.peer.reset || /% Bad passwords/.test(slot.peer.text())) {
        if (slot !== undefined && !slot.peer.reset) slot.peer.emit(0x04, new Uint8Array(0), slot.peer.sndNxt, 0);
        slots[i] = { peer: bench.connect(23, srcPort++), prompts: 0 };
        continue;
      }
      const prompts = (slot.peer.text().match(/Password: /g) ?? []).length;
      if (prompts > slot.prompts) {
        slot.prompts = prompts;
        slot.peer.send(`guess${guesses}\r\n`, 0);
        guesses++;
      }
    }
    bench.sim.runFor(10);
  }
  return guesses;
}

function ttyGuessesInAMinute(bench: Bench): number {
  bench.device.uart(1).paced = true; // a guesser at 9600 baud: typing takes time
  const tty = new ScriptedTerminal(bench.device.uart(1), bench.sim);
  const endMs = bench.sim.nowMs + 60_000;
  let guesses = 0;
  while (bench.sim.nowMs < endMs) {
    tty.type("\r");
    tty.expect("Password: ", { timeoutMs: 60_000 });
    tty.type(`guess${guesses}\r`);
    guesses++;
    tty.expect(/Password: |% Bad passwords/, { timeoutMs: 60_000 });
  }
  return guesses;
}

describe("attack: password guessing", () => {
  it("three wrong passwords on a vty end with `% Bad passwords` and the connection closed", () => {
    const bench = new Bench(41);
    const peer = bench.connect(23, 31_000);
    bench.sim.runFor(100);
    for (let i = 0; i < 3; i++) answer(bench, peer, "nope");
    bench.sim.runFor(500);
    expect(peer.text()).toContain("Password: \r\n% Bad passwords\r\n");
    expect(peer.text().match(/Password: /g)?.length).toBe(3);
    expect(deviceSentFin(bench, peer)).toBe(true); // the device closed the connection
    bench.expectHealthy("after guessing");
  });

  it("the right password still works after guessing (no lockout of the owner: the prompt comes within 30 s)", () => {
    const bench = new Bench(42);
    vtyGuessesInAMinute(bench);
    const peer = bench.connect(23, 39_999);
    const waitedMs = waitFor(bench, peer, /Password: /, 31_000);
    expect(waitedMs).toBeLessThanOrEqual(30_000 + 100);
    peer.send("cisco\r\n", 200);
    expect(peer.text()).toContain("r1>");
  });

  it("a wrong password on a vty delays the next prompt by 1 s, then 2 s, and typing meanwhile is discarded", () => {
    const bench = new Bench(47);
    const peer = bench.connect(23, 31_500);
    bench.sim.runFor(100);
    peer.send("nope\r\n", 0);
    expect(waitFor(bench, peer, /Password: [^]*Password: /, 5_000)).toBeGreaterThanOrEqual(1_000);
    peer.send("nope\r\n", 0);
    bench.sim.runFor(1_000);
    peer.send("cisco\r\n", 0); // typed during the 2 s delay: thrown away
    const waitedMs = waitFor(bench, peer, /(Password: [^]*){3}/, 5_000);
    expect(waitedMs).toBeGreaterThanOrEqual(1_000);
    expect(waitedMs).toBeLessThan(1_100);
    bench.sim.runFor(1_000);
    expect(peer.text()).not.toContain("r1>");
    peer.send("cisco\r\n", 200);
    expect(peer.text()).toContain("r1>");
  });

  it("a guesser pasting thousands of guesses during the delay gets none of them tried", () => {
    const bench = new Bench(49);
    const peer = bench.connect(23, 31_700);
    bench.sim.runFor(100);
    peer.send("nope\r\n", 10);
    for (let i = 0; i < 40; i++) peer.send(`${"guess\r\n".repeat(20)}`, 20); // 5600 bytes in 800 ms
    waitFor(bench, peer, /Password: [^]*Password: /, 1_000);
    bench.sim.runFor(500);
    expect(bench.device.logs.filter((l) => l.text.includes("LOGIN_FAILED")).length).toBe(1);
    expect(peer.text().match(/Password: /g)?.length).toBe(2);
    expect(peer.window).toBeGreaterThan(0); // read and dropped, not left to close the window
    bench.expectHealthy("after the paste");
  });

  it("a vty guesser gets at most 60 guesses a minute (the login delay)", () => {
    const guesses = vtyGuessesInAMinute(new Bench(43));
    console.log(`vty: ${guesses} password guesses in one virtual minute`);
    expect(guesses).toBeLessThanOrEqual(GUESSES_PER_MINUTE_MAX);
  });

  it("five vty guessers in parallel get at most 60 guesses a minute together; with login block-for far fewer", () => {
    const guesses = parallelVtyGuessesInAMinute(new Bench(50));
    console.log(`vty x5: ${guesses} password guesses in one virtual minute`);
    expect(guesses).toBeLessThanOrEqual(GUESSES_PER_MINUTE_MAX);
    const blocked = parallelVtyGuessesInAMinute(new Bench(50, BENCH_CONFIG.replace("service tcp-keepalives-in\n", "service tcp-keepalives-in\nlogin block-for 60 attempts 5 within 30\n")));
    console.log(`vty x5, login block-for 60 attempts 5 within 30: ${blocked} password guesses in one virtual minute`);
    expect(blocked).toBeLessThanOrEqual(10);
  });

  it("a TTY guesser gets at most 60 guesses a minute (the login delay)", () => {
    const guesses = ttyGuessesInAMinute(new Bench(44));
    console.log(`tty1: ${guesses} password guesses in one virtual minute`);
    expect(guesses).toBeLessThanOrEqual(GUESSES_PER_MINUTE_MAX);
  });

  it("the owner gets a vty within 60 s while 5 squatters sit at Password: (timeout login response)", () => {
    const bench = new Bench(46);
    const squatters = [0, 1, 2, 3, 4].map((i) => bench.connect(23, 34_000 + i));
    bench.sim.runFor(500);
    expect(squatters.every((p) => p.text().includes("Password: "))).toBe(true);
    const startMs = bench.sim.nowMs;
    let inAfterMs: number | undefined;
    for (let k = 0; k < 25 && inAfterMs === undefined; k++) {
      const owner = bench.connect(23, 35_000 + k);
      bench.sim.runFor(500);
      if (owner.established && !owner.reset && owner.text().includes("Password: ")) inAfterMs = bench.sim.nowMs - startMs;
      else bench.sim.runFor(29_500);
    }
    console.log(`vty squatting: the owner got a vty after ${inAfterMs ?? "more than 750000"} ms`);
    expect(inAfterMs).toBeDefined();
    expect(inAfterMs!).toBeLessThanOrEqual(60_000);
  });

  it("failed logins are logged, with the caller's address on a vty and the line's name on a TTY", () => {
    const bench = new Bench(45);
    const peer = bench.connect(23, 32_000);
    bench.sim.runFor(100);
    for (let i = 0; i < 3; i++) answer(bench, peer, "nope");
    const tty = new ScriptedTerminal(bench.device.uart(1), bench.sim);
    tty.type("\r");
    tty.expect("Password: ");
    tty.type("nope\r");
    tty.expect("Password: ", { timeoutMs: 2_000 });
    const failed = bench.device.logs.filter((l) => l.text.includes("LOGIN_FAILED")).map((l) => [l.level, l.text]);
    const vty = "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ] [Source: 10.0.0.9] [localport: 23] [Reason: Login Authentication Failed]";
    const tty1 = "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ] [Source: tty1] [Reason: Login Authentication Failed]";
    expect(failed).toEqual([[4, vty], [4, vty], [4, vty], [4, tty1]]);
  });

  it("a vty left at Password: for 30 s says `% Password:  timeout expired!`, closes, and the vty is free again", () => {
    const bench = new Bench(48);
    const peer = bench.connect(23, 33_000);
    const promptMs = bench.sim.nowMs - 50 + waitFor(bench, peer, /Password: /, 1_000);
    const closedMs = bench.sim.nowMs + waitFor(bench, peer, /timeout expired!\r\n$/, 31_000);
    expect(closedMs - promptMs).toBeGreaterThanOrEqual(30_000);
    expect(closedMs - promptMs).toBeLessThan(30_020);
    expect(peer.text().endsWith("Password: \r\n% Password:  timeout expired!\r\n")).toBe(true);
    bench.sim.runFor(200);
    expect(deviceSentFin(bench, peer)).toBe(true);
    const next = bench.connect(23, 33_001);
    waitFor(bench, next, /Password: /, 1_000);
    next.send("cisco\r\n", 200);
    expect(next.text()).toContain("r1>");
    expect(next.text()).not.toContain("timeout expired");
    bench.expectHealthy("after the login timeout");
  });
});

describe("attack: login block-for (IOS quiet mode)", () => {
  const config = BENCH_CONFIG.replace("service tcp-keepalives-in\n", "service tcp-keepalives-in\nlogin block-for 60 attempts 5 within 30\n");

  it("5 wrong vty passwords within 30 s refuse every caller for 60 s, logged as IOS does; open sessions go on, with no more tries at Password:", () => {
    const bench = new Bench(51, config);
    const owner = bench.connect(23, 37_000);
    waitFor(bench, owner, /Password: /, 1_000);
    owner.send("cisco\r\n", 200);
    expect(owner.text()).toContain("r1>");
    const a = bench.connect(23, 37_001);
    const b = bench.connect(23, 37_002);
    waitFor(bench, b, /Password: /, 1_000);
    for (let i = 0; i < 3; i++) answer(bench, a, "nope");
    for (let i = 0; i < 2; i++) answer(bench, b, "nope");
    const alerts = bench.device.logs.filter((l) => l.text.includes("QUIET_MODE"));
    expect(alerts.map((l) => l.level)).toEqual([1]);
    const startMs = alerts[0]!.atMs; // the fifth failure
    expect(alerts[0]!.text).toMatch(
      /^%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for watching failures is (2[0-9]) secs, \[user: \] \[Source: 10\.0\.0\.9\] \[localport: 23\] \[Reason: Login Authentication Failed\] \[ACL: sl_def_acl\]$/,
    );
    // b's second wrong password was the fifth: quiet mode gives it no third try.
    expect(b.text().match(/Password: /g)?.length).toBe(2);
    expect(b.text().endsWith("Password: \r\n% Bad passwords\r\n")).toBe(true);
    const refused = bench.connect(23, 37_003);
    bench.sim.runFor(100);
    expect(refused.reset).toBe(true); // `% Connection refused by remote host`
    const before = owner.text().length;
    owner.send("show users\r\n", 200); // a session opened before goes on
    expect(owner.text().slice(before)).toContain("vty 0");
    bench.sim.runFor(startMs + 59_000 - bench.sim.nowMs);
    const still = bench.connect(23, 37_004);
    bench.sim.runFor(100);
    expect(still.reset).toBe(true);
    bench.sim.runFor(startMs + 60_000 - bench.sim.nowMs);
    const off = bench.device.logs.at(-1)!;
    expect([off.atMs - startMs, off.level, off.text]).toEqual([60_000, 5, "%SEC_LOGIN-5-QUIET_MODE_OFF: Quiet Mode is OFF, because block period timed out"]);
    const back = bench.connect(23, 37_005);
    waitFor(bench, back, /Password: /, 1_000);
    back.send("cisco\r\n", 200);
    expect(back.text()).toContain("r1>");
    bench.expectHealthy("after quiet mode");
  });

  it("fewer failures than that in the watch window start nothing; the window closes after 30 s", () => {
    const bench = new Bench(52, config);
    for (const srcPort of [37_100, 37_101]) {
      const peer = bench.connect(23, srcPort);
      waitFor(bench, peer, /Password: /, 1_000);
      for (let i = 0; i < 2; i++) answer(bench, peer, "nope");
      peer.emit(0x04, new Uint8Array(0), peer.sndNxt, 0);
      bench.sim.runFor(31_000); // the first window (4 failures) closes
    }
    expect(bench.device.logs.some((l) => l.text.includes("QUIET_MODE"))).toBe(false);
    const peer = bench.connect(23, 37_102);
    waitFor(bench, peer, /Password: /, 31_000);
    expect(peer.reset).toBe(false);
  });

  it("is saved in running-config, and no login block-for turns it off", () => {
    const bench = new Bench(53, config);
    const peer = bench.connect(23, 37_200);
    waitFor(bench, peer, /Password: /, 1_000);
    peer.send("cisco\r\n", 100);
    peer.send("enable\r\n", 100);
    peer.send("cisco\r\n", 100);
    peer.send("show running-config\r\n", 500);
    expect(peer.text()).toContain("!\r\nlogin block-for 60 attempts 5 within 30\r\n!\r\n");
    peer.send("configure terminal\r\n", 100);
    peer.send("no login block-for\r\n", 100);
    peer.send("end\r\n", 100);
    const before = peer.text().length;
    peer.send("show running-config\r\n", 500);
    expect(peer.text().slice(before)).not.toContain("login block-for");
    expect(peer.text().slice(before)).toContain("\r\nend\r\n");
  });
});

/** Did the device send a FIN on the peer's connection? */
function deviceSentFin(bench: Bench, peer: TcpPeer): boolean {
  return bench.heard.some((frame) => {
    const d = decodeFrame(frame);
    return d.kind === "tcp" && d.tcp.dstPort === peer.srcPort && (d.tcp.flags & FIN) !== 0;
  });
}

/** Runs in 1 ms steps until the peer's text matches `re`; the virtual ms it took (throws after maxMs). */
function waitFor(bench: Bench, peer: TcpPeer, re: RegExp, maxMs: number): number {
  for (let ms = 0; ms <= maxMs; ms++) {
    if (re.test(peer.text())) return ms;
    bench.sim.runFor(1);
  }
  throw new Error(`no ${String(re)} within ${maxMs} ms; got ${JSON.stringify(peer.text())}`);
}

/** Answers the `Password: ` prompt on screen and waits for the next prompt or the end. */
function answer(bench: Bench, peer: TcpPeer, text: string): void {
  const before = (peer.text().match(/Password: |% Bad passwords/g) ?? []).length;
  peer.send(`${text}\r\n`, 0);
  for (let ms = 0; ms < 31_000 && (peer.text().match(/Password: |% Bad passwords/g) ?? []).length <= before; ms += 10) bench.sim.runFor(10);
}
