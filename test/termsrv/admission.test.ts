// Who gets a line: one reverse-telnet line takes one caller. Two callers at the same instant to a
// free line (any of its ports 2000+n, 4000+n, 6000+n): the first SYN reserves the line, the second
// is refused with RST before its handshake completes, so exactly one client prints "Open" and the
// other `% Connection refused by remote host` (never "Open" then "closed by foreign host").
import { beforeAll, describe, expect, it } from "vitest";
import { prepareFirmware } from "../../host-sim/device.ts";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import { ACK, ARP_REQUEST, RST, SYN, arpFrame, decodeFrame, tcpFrame } from "../support/packets.ts";
import { Bench, BENCH_CONFIG, TcpPeer, tcpCounter } from "../fuzz/kit.ts";
import { Prng, testSeed } from "../../host-sim/prng.ts";
import { Routers, enabledConsole } from "./fixture.ts";

const TCP_REFUSED_GROUP_HELD = 26;
const R1_TTY1 = "hostname r1\nline 1\n no exec\n transport input telnet\n";
const REFUSED = "% Connection refused by remote host\r\n";

beforeAll(async () => {
  await prepareFirmware("core");
});

/** r2 and r1 know each other's MAC (a ping), so no SYN or answer waits in an ARP queue. */
function resolved(routers: Routers): void {
  const con = routers.terminal(routers.r2, 0);
  con.type("\r");
  con.expect("r2>");
  con.type("ping 10.0.0.1 repeat 1\r");
  con.expect("Success rate is 100 percent");
  con.expect("r2>");
}

function atPrompt(routers: Routers, line: number) {
  const user = routers.terminal(routers.r2, line);
  user.type("\r");
  user.expect("r2>");
  user.clear();
  return user;
}

describe("one line, one caller", () => {
  it("two IOS callers to a free line's port in the same millisecond: exactly one Open, the other refused", () => {
    const routers = new Routers({ r1Config: R1_TTY1 });
    new ServerConsole(routers.r1.uart(1));
    resolved(routers);
    const a = atPrompt(routers, 1);
    const b = atPrompt(routers, 2);
    a.type("telnet 10.0.0.1 2001\r");
    b.type("telnet 10.0.0.1 2001\r"); // same virtual instant: both SYNs leave r2 in one poll
    routers.sim.runFor(3_000);
    const screens = [a.screen(), b.screen()];
    const opened = screens.filter((s) => s.includes("Open"));
    const refused = screens.filter((s) => s.includes(REFUSED));
    expect(opened.length).toBe(1);
    expect(refused).toEqual(["telnet 10.0.0.1 2001\r\nTrying 10.0.0.1, 2001 ... \r\n% Connection refused by remote host\r\n\r\nr2>"]);
    expect(screens.join("")).not.toContain("closed by foreign host");
    const con = enabledConsole(routers, routers.r1);
    con.clear();
    con.type("show tcp statistics\r");
    expect(con.expect("r1#").before).toContain("\r\n0 half-open connections recycled, 1 SYNs refused (line held)\r\n");
  });

  it("the line's three ports are one line: callers to 2001 and 6001 at the same instant get one Open", () => {
    const routers = new Routers({ r1Config: "hostname r1\nline 1\n no exec\n transport input all\n" });
    new ServerConsole(routers.r1.uart(1));
    resolved(routers);
    const a = atPrompt(routers, 1);
    const b = atPrompt(routers, 2);
    a.type("telnet 10.0.0.1 6001\r");
    b.type("telnet 10.0.0.1 2001\r");
    routers.sim.runFor(3_000);
    expect(a.screen()).toContain("Trying 10.0.0.1, 6001 ... Open\r\n");
    expect(b.screen()).toBe("telnet 10.0.0.1 2001\r\nTrying 10.0.0.1, 2001 ... \r\n% Connection refused by remote host\r\n\r\nr2>");
  });

  it("packets: two SYNs to 2002 in the same millisecond: SYN+ACK to the first, RST+ACK to the second; the first completes", () => {
    const bench = new Bench(21, BENCH_CONFIG);
    // The device learns the host's MAC from its ARP request, so no answer waits for resolution.
    bench.send(arpFrame({ op: ARP_REQUEST, senderMac: bench.host.mac, senderIp: bench.host.ip, targetMac: 0n, targetIp: bench.deviceEnd.ip }));
    bench.sim.runFor(10);
    const from = bench.heard.length;
    const syn = (srcPort: number, seq: number) =>
      tcpFrame(bench.host, bench.deviceEnd, { srcPort, dstPort: 2002, seq, ack: 0, flags: SYN, window: 8192, options: new Uint8Array([2, 4, 5, 0xb4]) });
    bench.send(syn(40001, 1000));
    bench.send(syn(40002, 5000));
    bench.sim.runFor(20);
    const answers = bench.heard.slice(from).map(decodeFrame).flatMap((d) => (d.kind === "tcp" ? [d.tcp] : []));
    expect(answers.map((t) => [t.dstPort, t.flags])).toEqual([[40001, SYN | ACK], [40002, RST | ACK]]);
    expect(answers[1]!.ack).toBe(5001); // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (RFC 9293 3.10.7.2)
    const synAck = answers[0]!;
    bench.send(tcpFrame(bench.host, bench.deviceEnd, { srcPort: 40001, dstPort: 2002, seq: 1001, ack: (synAck.seq + 1) >>> 0, flags: ACK, window: 8192 }));
    bench.sim.runFor(50);
    // The line's telnet greeting (WILL ECHO, WILL SGA) reaches the winner: it holds the line.
    const greeting = bench.heard.slice(from).map(decodeFrame).flatMap((d) => (d.kind === "tcp" && d.tcp.dstPort === 40001 && d.tcp.payload.length > 0 ? [...d.tcp.payload] : []));
    expect(greeting.slice(0, 6)).toEqual([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03]);
    // A third caller while the line is busy: refused by the closed port (no listener), as before.
    bench.send(syn(40003, 9000));
    bench.sim.runFor(20);
    const third = bench.heard.slice(from).map(decodeFrame).flatMap((d) => (d.kind === "tcp" && d.tcp.dstPort === 40003 ? [d.tcp.flags] : []));
    expect(third).toEqual([RST | ACK]);
    expect(tcpCounter(bench, TCP_REFUSED_GROUP_HELD)).toBe(1);
  });

  it("a half-open holds its line against other callers for 3 s exactly, then a new SYN takes its place", () => {
    const bench = new Bench(22, BENCH_CONFIG);
    bench.send(arpFrame({ op: ARP_REQUEST, senderMac: bench.host.mac, senderIp: bench.host.ip, targetMac: 0n, targetIp: bench.deviceEnd.ip }));
    bench.sim.runFor(10);
    const answersTo = (port: number): number[] =>
      bench.heard.map(decodeFrame).flatMap((d) => (d.kind === "tcp" && d.tcp.dstPort === port ? [d.tcp.flags] : []));
    const syn = (srcPort: number): void =>
      bench.send(tcpFrame(bench.host, bench.deviceEnd, { srcPort, dstPort: 2003, seq: 7, ack: 0, flags: SYN, window: 8192 }));
    syn(41001); // never completes its handshake (a spoofed source would not either)
    bench.sim.runFor(2_999);
    syn(41002);
    bench.sim.runFor(1);
    expect(answersTo(41002)).toEqual([RST | ACK]);
    syn(41003); // 3 000 ms after the first: it is recycled, the newcomer gets the line
    bench.sim.runFor(5);
    expect(answersTo(41003)).toEqual([SYN | ACK]);
    expect(tcpCounter(bench, 25)).toBe(1); // TCP_SYN_RECYCLED
  });
});

describe("one line, one caller: randomized", () => {
  it("callers at random instants to lines' own ports and a rotary port: one per line, the rest refused before Open, never Open then reset", () => {
    const seed = testSeed("admission-random");
    const prng = new Prng(seed);
    const config = `${BENCH_CONFIG}line 4 6\n no exec\n transport input all\n rotary 1\n`;
    for (let round = 0; round < 5; round++) {
      const bench = new Bench(seed + round, config);
      bench.send(arpFrame({ op: ARP_REQUEST, senderMac: bench.host.mac, senderIp: bench.host.ip, targetMac: 0n, targetIp: bench.deviceEnd.ip }));
      bench.sim.runFor(10);
      const ports = [2002, 4002, 6002, 2003, 6003, 2004, 4005, 5001, 3001, 7001];
      const peers: TcpPeer[] = [];
      const startMs = bench.sim.nowMs;
      for (let i = 0; i < 24; i++) {
        const peer = new TcpPeer(bench, prng.pick(ports), 42000 + i);
        (bench as unknown as { peers: TcpPeer[] }).peers.push(peer);
        peers.push(peer);
        bench.sim.scheduler.at(startMs + prng.below(40), () => {
          peer.emit(SYN, new Uint8Array(0), peer.sndNxt, 0);
          peer.sndNxt = (peer.sndNxt + 1) >>> 0;
        });
      }
      bench.sim.runFor(3_000);
      bench.expectHealthy(`round ${round}`);
      const openThenReset = peers.filter((p) => p.reset && p.rcvNxt !== 0);
      expect(openThenReset.map((p) => p.dstPort), `SEED=${seed} round ${round}: Open, then reset`).toEqual([]);
      const open = peers.filter((p) => p.established);
      expect(open.every((p) => p.established || p.reset)).toBe(true);
      expect(peers.filter((p) => !p.established && !p.reset).map((p) => p.dstPort), `SEED=${seed}: neither open nor refused`).toEqual([]);
      // Which line each open caller holds: it sends its index; the line's UART receives it.
      const heard = new Map<number, string>();
      for (let n = 2; n <= 6; n++) {
        heard.set(n, "");
        bench.device.uart(n).attach({ data: (b) => heard.set(n, heard.get(n)! + Buffer.from(b).toString("latin1")) });
      }
      open.forEach((p, i) => p.send(String.fromCharCode(0x41 + i)));
      bench.sim.runFor(200);
      const lines = [...heard.values()].join("");
      expect(lines.length, `SEED=${seed} round ${round}: every open caller holds a line of its own`).toBe(open.length);
      expect([...heard.values()].every((t) => t.length <= 1)).toBe(true);
      // Every line somebody asked for is taken: 2 and 3 by their own ports, 4-6 when 3 rotary callers came.
      const asked = (list: number[]): boolean => peers.some((p) => list.includes(p.dstPort));
      expect(heard.get(2)!.length).toBe(asked([2002, 4002, 6002]) ? 1 : 0);
      expect(heard.get(3)!.length).toBe(asked([2003, 6003]) ? 1 : 0);
      if (peers.filter((p) => [5001, 3001, 7001].includes(p.dstPort)).length >= 3) {
        expect(heard.get(4)! + heard.get(5)! + heard.get(6)!).toHaveLength(3);
      }
    }
  });
});
