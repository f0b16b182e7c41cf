// TCP commands: `service tcp-keepalives-in/-out`, `ip tcp keepalive idle/interval/count` (our
// extension: IOS fixes the profile at 60 s / 60 s / 4), `ip tcp synwait-time`; `show tcp brief
// [all]`, `show tcp statistics`, `clear tcp tcb`, `clear tcp line`; `debug ip tcp
// transactions`, `undebug all`, `show debugging`. The settings live in the stack (tcp/tcb.ts): the
// handlers set them through its API and the running-config reads them back from there, so what is
// shown is what the stack runs with.
import { TCB_COUNT, TCP_LISTENER_COUNT } from "../lib/limits";
import { putStr, putU32, putIp, Writer } from "../lib/text";
import { logBindHook } from "../lib/log";
import {
  tcpSetKeepaliveIn, tcpSetKeepaliveOut, tcpSetKeepaliveTimers, tcpSetSynwaitMs, tcpSetDebug, tcpCounter, tcpStateName,
  tcpInUse, tcpState, tcpLocalIp, tcpLocalPort, tcpRemoteIp, tcpRemotePort, tcpTcbAddress, tcpKill,
} from "../tcp/tcp";
import {
  keepaliveIn, keepaliveOut, keepaliveIdleMs, keepaliveIntervalMs, keepaliveCount, synwaitMs, debugTransactions,
  KEEPALIVE_IDLE_MS_DEFAULT, KEEPALIVE_INTERVAL_MS_DEFAULT, KEEPALIVE_COUNT_DEFAULT, SYNWAIT_MS_DEFAULT, CLOSED,
  TCP_SEGS_IN, TCP_SEGS_OUT, TCP_RETRANSMITS, TCP_KEEPALIVE_PROBES, TCP_KEEPALIVE_DROPS, TCP_RETRANSMIT_DROPS,
  TCP_DROP_BAD_CHECKSUM, TCP_DROP_MALFORMED, TCP_DROP_NO_LISTENER, TCP_DROP_NO_CONNECTION, TCP_DROP_OUT_OF_WINDOW,
  TCP_DROP_TABLE_FULL, TCP_DROP_BACKLOG_FULL, TCP_DROP_OUT_OF_ORDER, TCP_DROP_BAD_ACK, TCP_RST_IN, TCP_RST_OUT,
  TCP_CHALLENGE_ACKS, TCP_CHALLENGE_ACKS_SUPPRESSED, TCP_ACTIVE_OPENS, TCP_PASSIVE_OPENS, TCP_ESTABLISHED,
  TCP_CONNECT_TIMEOUTS, TCP_ZERO_WINDOW_PROBES, TCP_SYN_RECYCLED, TCP_REFUSED_GROUP_HELD, tcb,
} from "../tcp/tcb";
import { listenerPortLo, listenerPortHi } from "../tcp/table";
import { execAt, out, say, sayU32, sayPad } from "./exec-state";
import { execStartOutput, execConfirm } from "./exec";
import { argNegated, argGiven, argU32, argPtr, argLen, parsedTag, parseHexAt, parsedHex } from "./parser";
import { consoleLogBoot, consoleLogHook } from "./console-log";
import { putTpl, putPick, putHex32 } from "./template";

export function tcpCliBoot(): void {
  consoleLogBoot();
  logBindHook(consoleLogHook);
}

// --- configuration ---

/** [no] service tcp-keepalives-in (tag 0) / -out (tag 1). */
export function cmdKeepalives(x: i32): void {
  const on = !argNegated();
  if (parsedTag() == 0) tcpSetKeepaliveIn(on);
  else tcpSetKeepaliveOut(on);
}

/** [no] ip tcp keepalive idle (tag 0) / interval (tag 1) / count (tag 2) <n>: word 4. */
export function cmdKeepaliveTimer(x: i32): void {
  const tag = parsedTag();
  const neg = argNegated();
  let idle = keepaliveIdleMs;
  let interval = keepaliveIntervalMs;
  let count = keepaliveCount;
  if (tag == 0) idle = neg ? KEEPALIVE_IDLE_MS_DEFAULT : argU32(4) * 1000;
  else if (tag == 1) interval = neg ? KEEPALIVE_INTERVAL_MS_DEFAULT : argU32(4) * 1000;
  else count = neg ? KEEPALIVE_COUNT_DEFAULT : argU32(4);
  tcpSetKeepaliveTimers(idle, interval, count);
}

/** [no] ip tcp synwait-time <5-300> */
export function cmdSynwait(x: i32): void {
  tcpSetSynwaitMs(argNegated() ? SYNWAIT_MS_DEFAULT : argU32(3) * 1000);
}

/** Running-config: the service rows (before the hostname, as IOS). */
export function serviceSection(row: u32, w: Writer): bool {
  let r = row;
  if (keepaliveIn) {
    if (r == 0) {
      putStr(w, "service tcp-keepalives-in");
      return true;
    }
    r--;
  }
  if (!keepaliveOut || r != 0) return false;
  putStr(w, "service tcp-keepalives-out");
  return true;
}

/** Running-config: `ip tcp` settings that differ from the defaults. */
export function ipTcpSection(row: u32, w: Writer): bool {
  let r = row;
  for (let k: u32 = 0; k < 4; k++) {
    let value: u32 = 0;
    let isDefault = true;
    if (k == 0) {
      value = synwaitMs / 1000;
      isDefault = synwaitMs == SYNWAIT_MS_DEFAULT;
    } else if (k == 1) {
      value = keepaliveIdleMs / 1000;
      isDefault = keepaliveIdleMs == KEEPALIVE_IDLE_MS_DEFAULT;
    } else if (k == 2) {
      value = keepaliveIntervalMs / 1000;
      isDefault = keepaliveIntervalMs == KEEPALIVE_INTERVAL_MS_DEFAULT;
    } else {
      value = keepaliveCount;
      isDefault = keepaliveCount == KEEPALIVE_COUNT_DEFAULT;
    }
    if (isDefault) continue;
    if (r == 0) {
      putPick(w, "ip tcp synwait-time |ip tcp keepalive idle |ip tcp keepalive interval |ip tcp keepalive count ", k);
      putU32(w, value);
      return true;
    }
    r--;
  }
  return false;
}

// --- show tcp brief [all] ---

/** show tcp brief [all]: genA = next slot, genB = 1 with `all` (listeners too). */
export function cmdShowTcpBrief(x: i32): void {
  say("TCB       Local Address               Foreign Address             (state)\r\n");
  execStartOutput(x, tcpBriefRow);
  execAt(x).genB = argGiven(3) ? 1 : 0;
}

/** One connection per row, then (with `all`) one listener per row: `*.2001` and `*.*`. */
function tcpBriefRow(x: i32): bool {
  const e = execAt(x);
  for (; e.genA < <u32>TCB_COUNT; e.genA++) {
    const h = <i32>e.genA;
    if (!tcpInUse(h) || tcpState(h) == CLOSED) continue;
    putHex32(out, <u32>tcpTcbAddress(h));
    sayPad(10);
    putIp(out, tcpLocalIp(h));
    say(".");
    sayU32(tcpLocalPort(h));
    sayPad(38);
    putIp(out, tcpRemoteIp(h));
    say(".");
    sayU32(tcpRemotePort(h));
    sayPad(66);
    say(tcpStateName(tcpState(h)));
    say("\r\n");
    e.genA++;
    return true;
  }
  if (e.genB == 0) return false;
  for (; e.genA < <u32>(TCB_COUNT + TCP_LISTENER_COUNT); e.genA++) {
    const l = <i32>e.genA - TCB_COUNT;
    const lo = listenerPortLo(l);
    if (lo == 0) continue;
    // A listener has no control block (listeners are a port-range table): the TCB column is 0.
    putHex32(out, 0);
    say("  *.");
    sayU32(lo);
    const hi = listenerPortHi(l);
    if (hi != lo) {
      say("-");
      sayU32(hi);
    }
    sayPad(38);
    say("*.*");
    sayPad(66);
    say("LISTEN\r\n");
    e.genA++;
    return true;
  }
  return false;
}

// --- show tcp statistics ---

export function cmdShowTcpStatistics(x: i32): void {
  execStartOutput(x, tcpStatisticsRow);
}

// @ts-ignore: decorator
@inline function c(id: i32): u32 {
  return tcpCounter(id);
}

function tcpStatisticsRow(x: i32): bool {
  const row = execAt(x).genRow;
  if (row == 0) {
    putTpl(out, "Rcvd: \x01 Total, \x02 no port, \x03 checksum error, \x04 malformed, \x05 resets\r\n",
      c(TCP_SEGS_IN), c(TCP_DROP_NO_LISTENER), c(TCP_DROP_BAD_CHECKSUM), c(TCP_DROP_MALFORMED), c(TCP_RST_IN));
    putTpl(out, "      \x01 out-of-order, \x02 after window, \x03 after close, \x04 bad ACK\r\n",
      c(TCP_DROP_OUT_OF_ORDER), c(TCP_DROP_OUT_OF_WINDOW), c(TCP_DROP_NO_CONNECTION), c(TCP_DROP_BAD_ACK));
  } else if (row == 1) {
    putTpl(out, "Sent: \x01 Total, \x02 resets, \x03 retransmitted, \x04 window probes, \x05 challenge ACKs, \x06 limited\r\n",
      c(TCP_SEGS_OUT), c(TCP_RST_OUT), c(TCP_RETRANSMITS), c(TCP_ZERO_WINDOW_PROBES), c(TCP_CHALLENGE_ACKS), c(TCP_CHALLENGE_ACKS_SUPPRESSED));
  } else if (row == 2) {
    putTpl(out, "\x01 Connections initiated, \x02 connections accepted, \x03 connections established\r\n\x04 SYNs refused (table full), \x05 (backlog full)\r\n",
      c(TCP_ACTIVE_OPENS), c(TCP_PASSIVE_OPENS), c(TCP_ESTABLISHED), c(TCP_DROP_TABLE_FULL), c(TCP_DROP_BACKLOG_FULL));
  } else if (row == 3) {
    putTpl(out, "\x01 half-open connections recycled, \x02 SYNs refused (line held)\r\n", c(TCP_SYN_RECYCLED), c(TCP_REFUSED_GROUP_HELD));
  } else if (row == 4) {
    // Every probe follows a keepalive timeout: IOS's first two keepalive counts are the same here.
    putTpl(out, "\x01 Total rxmt timeout, \x02 connections dropped in rxmt timeout, \x03 in SYNSENT\r\n\x04 Keepalive timeout, \x04 keepalive probe, \x05 Connections dropped in keepalive\r\n",
      c(TCP_RETRANSMITS), c(TCP_RETRANSMIT_DROPS), c(TCP_CONNECT_TIMEOUTS), c(TCP_KEEPALIVE_PROBES), c(TCP_KEEPALIVE_DROPS));
  } else if (row == 5) {
    putTpl(out, "Keepalive idle \x01 s, interval \x02 s, \x03 probes; synwait \x04 s\r\n",
      keepaliveIdleMs / 1000, keepaliveIntervalMs / 1000, keepaliveCount, synwaitMs / 1000);
  } else {
    return false;
  }
  return true;
}

// --- clear tcp ---

/** Parses a hex TCB address (`0x` optional); u64.MAX_VALUE when malformed. */
function parseHex(p: usize, n: u32): u64 {
  let i: u32 = 0;
  if (n > 2 && load<u8>(p) == 0x30 && (load<u8>(p + 1) | 0x20) == 0x78) i = 2;
  if (n - i == 0 || n - i > 8 || !parseHexAt(p + i, n - i)) return u64.MAX_VALUE;
  return parsedHex();
}

/** The live connection whose TCB is at `address`, or -1. */
function tcbAt(address: u64): i32 {
  for (let h = 0; h < TCB_COUNT; h++) {
    if (tcpInUse(h) && tcpState(h) != CLOSED && <u64>tcpTcbAddress(h) == address) return h;
  }
  return -1;
}

/** clear tcp tcb WORD: confirms, then resets the connection. genB keeps the address. */
export function cmdClearTcpTcb(x: i32): void {
  const address = parseHex(argPtr(3), argLen(3));
  if (address == u64.MAX_VALUE || tcbAt(address) < 0) {
    say("% Invalid TCB address\r\n");
    return;
  }
  execConfirm(x, clearTcbConfirmed, <u32>address);
}

function clearTcbConfirmed(x: i32): void {
  const h = tcbAt(<u64>execAt(x).genB);
  if (h >= 0) tcpKill(h);
  say(" [OK]\r\n");
}

/**
 * clear tcp line <n>: confirms, then resets the connections labelled with line n (the session layer
 * labels a line's connection with tcpSetTag; IOS's `TCPn:`). genB keeps the line.
 */
export function cmdClearTcpLine(x: i32): void {
  if (lineConnection(argU32(3)) < 0) {
    say("% No TCP connection on that line\r\n");
    return;
  }
  execConfirm(x, clearLineConfirmed, argU32(3));
}

function lineConnection(line: u32): i32 {
  for (let h = 0; h < TCB_COUNT; h++) {
    if (tcpInUse(h) && tcpState(h) != CLOSED && <u32>tcb(h).tag == line) return h;
  }
  return -1;
}

function clearLineConfirmed(x: i32): void {
  for (let i = 0; i < TCB_COUNT; i++) {
    const h = lineConnection(execAt(x).genB);
    if (h < 0) break;
    tcpKill(h);
  }
  say(" [OK]\r\n");
}

// --- debug ---

function putTcpDebugState(on: bool): void {
  say("TCP special event debugging is ");
  say(on ? "on\r\n" : "off\r\n");
}

/** [no] debug ip tcp transactions */
export function cmdDebugTcp(x: i32): void {
  const on = !argNegated();
  tcpSetDebug(on);
  putTcpDebugState(on);
}

/** undebug all / no debug all (tag 0), debug all (tag 1). */
export function cmdDebugAll(x: i32): void {
  const on = parsedTag() == 1 && !argNegated();
  tcpSetDebug(on);
  say("All possible debugging has been turned ");
  say(on ? "on\r\n" : "off\r\n");
}

export function cmdShowDebugging(x: i32): void {
  if (!debugTransactions) return;
  say("TCP:\r\n  ");
  putTcpDebugState(true);
}
