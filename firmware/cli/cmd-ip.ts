// IP commands of the exec: `show arp`, `clear arp-cache` (`clear arp` abbreviates it, as on IOS),
// and `ping`. The stack (firmware/net/arp.ts, icmp.ts) does the work; these only print.
//
// ping waits on the network: it is a generator (exec.ts) whose row prints one outcome (`!` reply,
// `.` timeout or unreachable) as the ICMP layer reports it, and otherwise calls execWait. Replies
// and timeouts each bring a poll (a frame, or icmpDeadline), so the row needs no timer of its own.
// The line's escape character (Ctrl-^ by default) aborts it, like IOS's "escape sequence".
import { ARP_ENTRY_COUNT, PING_SESSION_COUNT } from "../lib/limits";
import { NEVER } from "../lib/clock";
import { putU32Padded, putIp } from "../lib/text";
import { arpEntryState, arpEntryIp, arpEntryMac, arpEntryAgeMs, arpFlush, ARP_FREE, ARP_STABLE } from "../net/arp";
import {
  pingStart, pingNextResult, pingDone, pingReceived, pingRttMinMs, pingRttAvgMs, pingRttMaxMs, pingStop,
  PING_RESULT_NONE, PING_RESULT_REPLY,
} from "../net/icmp";
import { netAddress, netIsShutdown, netMacAddress } from "../net/iface";
import { lineAt } from "../tty/line-table";
import { lineRxCount, lineRxByte, lineRxDrop } from "../tty/lines";
import { execAt, out, say, sayTpl, sayU32, sayPad, EX_OUTPUT } from "./exec-state";
import { execStartOutput, execWait } from "./exec";
import { argGiven, argIp, argU32, parsedTag } from "./parser";
import { putMac, putIfName } from "./cmd-interface";

// --- show arp / clear arp-cache ---

export function cmdShowArp(x: i32): void {
  say("Protocol  Address          Age (min)  Hardware Addr   Type   Interface\r\n");
  execStartOutput(x, arpRow);
}

/** One entry per row in address order (IOS sorts): genA is the last address shown. */
function arpRow(x: i32): bool {
  const e = execAt(x);
  const first = e.genRow == 0;
  const own: u32 = netIsShutdown() ? 0 : netAddress();
  let best: i32 = -2; // -1: our own address; 0..: an ARP entry
  let bestIp: u32 = 0;
  if (own != 0 && (first || own > e.genA)) {
    best = -1;
    bestIp = own;
  }
  for (let i = 0; i < ARP_ENTRY_COUNT; i++) {
    if (arpEntryState(i) == ARP_FREE) continue;
    const ip = arpEntryIp(i);
    if (ip == own || (!first && ip <= e.genA)) continue;
    if (best == -2 || ip < bestIp) {
      best = i;
      bestIp = ip;
    }
  }
  if (best == -2) return false;
  e.genA = bestIp;
  say("Internet  ");
  putIp(out, bestIp);
  sayPad(27);
  const stable = best == -1 || arpEntryState(best) == ARP_STABLE;
  // The age, right-aligned in 8 columns; `-` for our own address.
  if (best == -1) say("       -");
  else putU32Padded(out, <u32>(arpEntryAgeMs(best) / 60_000), 8);
  say("   ");
  if (stable) putMac(out, best == -1 ? netMacAddress() : arpEntryMac(best));
  else say("Incomplete");
  sayPad(54);
  say("ARPA");
  if (stable) {
    say("   ");
    putIfName(out);
  }
  say("\r\n");
  return true;
}

export function cmdClearArp(x: i32): void {
  arpFlush();
}

// --- ping ---

/** IOS's defaults: 5 echoes of 100 bytes, 2 s each. */
// @ts-ignore: decorator
@inline const PING_REPEAT_DEFAULT: u32 = 5;
// @ts-ignore: decorator
@inline const PING_SIZE_DEFAULT: u32 = 100;
// @ts-ignore: decorator
@inline const PING_TIMEOUT_MS: u32 = 2000;
/** IOS breaks the `!!!` line every 70 outcomes. */
// @ts-ignore: decorator
@inline const PING_LINE_WIDTH: u32 = 70;

/** Per ping session: the exec context + 1 that runs it (0: none), to reclaim sessions of ended execs. */
const sessionOwner = memory.data(PING_SESSION_COUNT * 4, 4);

export function ipCliBoot(): void {
  memory.fill(sessionOwner, 0, PING_SESSION_COUNT * 4);
}

/** Sessions whose exec is no longer running its ping (the exec ended meanwhile) are stopped. */
function reclaimSessions(): void {
  for (let h = 0; h < PING_SESSION_COUNT; h++) {
    const owner = load<i32>(sessionOwner + (<usize>h << 2));
    if (owner == 0) continue;
    const e = execAt(owner - 1);
    if (e.state != EX_OUTPUT || e.genFn != <u32>pingRow.index || <i32>e.genA != h) {
      pingStop(h);
      store<i32>(sessionOwner + (<usize>h << 2), 0);
    }
  }
}

/**
 * ping A.B.C.D [repeat N] [size N] (tag 0), ping A.B.C.D size N [repeat N] (tag 1).
 * Words: 1 address, then keyword/value pairs at 2/3 and 4/5.
 */
export function cmdPing(x: i32): void {
  const ip = argIp(1);
  let repeat = PING_REPEAT_DEFAULT;
  let size = PING_SIZE_DEFAULT;
  for (let t = 2; t <= 4; t += 2) {
    if (!argGiven(t)) break;
    if (!argGiven(t + 1)) {
      say("% Incomplete command.\r\n\r\n");
      return;
    }
    const isSize = (parsedTag() == 1) == (t == 2);
    if (isSize) size = argU32(t + 1);
    else repeat = argU32(t + 1);
  }
  reclaimSessions();
  const h = pingStart(ip, repeat, size, PING_TIMEOUT_MS);
  if (h < 0) {
    say("% No ping session free\r\n");
    return;
  }
  store<i32>(sessionOwner + (<usize>h << 2), x + 1);
  sayTpl("\r\nType escape sequence to abort.\r\nSending \x01, \x02-byte ICMP Echos to ", repeat, size);
  putIp(out, ip);
  say(", timeout is 2 seconds:\r\n");
  execStartOutput(x, pingRow);
  const e = execAt(x);
  e.genA = <u32>h;
}

/** genA: session; genB: outcomes printed; genC: replies printed. */
function pingRow(x: i32): bool {
  const e = execAt(x);
  const h = <i32>e.genA;
  let aborted = false;
  if (lineRxCount(x) > 0 && lineRxByte(x, 0) == lineAt(x).escapeChar) {
    lineRxDrop(x, 1);
    aborted = true;
  }
  if (!aborted) {
    const result = pingNextResult(h);
    if (result != PING_RESULT_NONE) {
      say(result == PING_RESULT_REPLY ? "!" : ".");
      e.genB++;
      if (result == PING_RESULT_REPLY) e.genC++;
      if (e.genB % PING_LINE_WIDTH == 0) say("\r\n");
      return true;
    }
    if (!pingDone(h)) {
      execWait(x, NEVER);
      return true;
    }
  }
  if (e.genB % PING_LINE_WIDTH != 0) say("\r\n");
  sayTpl("Success rate is \x01 percent (\x02/\x03)", e.genB == 0 ? 0 : <u32>((<u64>e.genC * 100) / <u64>e.genB), e.genC, e.genB);
  if (e.genC > 0 && pingReceived(h) > 0) {
    sayTpl(", round-trip min/avg/max = \x01/\x02/\x03 ms", pingRttMinMs(h), pingRttAvgMs(h), pingRttMaxMs(h));
  }
  say("\r\n");
  pingStop(h);
  store<i32>(sessionOwner + (<usize>h << 2), 0);
  return false;
}
