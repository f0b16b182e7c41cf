// The terminal server's entry points for main.ts: boot, the poll that accepts callers and moves
// every session's bytes, the listeners' update after the lines had their turn, and the deadline.
// The session kinds live in vty.ts (port 23), reverse.ts (2000/4000/6000+n) and client.ts (the
// exec's telnet); their table and shared pumps in session.ts.
//
// Order within one poll (main.ts): net, tcp, sessionsPoll (accept, pump), tty (drain UARTs, run the
// execs), sessionsListen (a line an exec took in this poll stops listening before the next frame
// is read, so its caller is refused rather than accepted and reset).
import { SESSION_COUNT } from "../lib/limits";
import { NEVER } from "../lib/clock";
import { telnetBoot } from "../telnet/telnet";
import { tcpAcceptWaiting } from "../tcp/tcp";
import { lineType, LINE_VTY } from "./line-table";
import { ttyBindSessionHooks, ttyBindHoldHook } from "./lines";
import { sessionAt, sessionTableBoot, lineSession, execHookHangup, SK_FREE, SK_VTY, SK_CLIENT } from "./session";
import { reverseBoot, reverseListen, reverseAccept, reversePoll, reverseDeadline, reverseEnd, reverseIs, reverseHoldsInput } from "./reverse";
import { vtyBoot, vtyListen, vtyAccept, vtyPoll, vtyDeadline, vtyExecEnded, vtyListenDeadline } from "./vty";
import { clientBoot, clientPoll, clientDeadline, clientCloseAll } from "./client";

export function sessionsBoot(): void {
  telnetBoot();
  sessionTableBoot();
  reverseBoot();
  vtyBoot();
  clientBoot();
  ttyBindSessionHooks(sessionLineClear); // sessions are polled here, not per line
  ttyBindHoldHook(reverseHoldsInput);
}

export function sessionsPoll(): void {
  // Accepting asks each line's listeners (16 lines x 3 ports); with nothing waiting that is all
  // wasted, and the listeners are brought up to date at the end of the poll anyway (sessionsListen).
  if (tcpAcceptWaiting()) {
    reverseAccept();
    vtyAccept();
  }
  for (let h = 0; h < SESSION_COUNT; h++) {
    const kind = sessionAt(h).kind;
    if (kind == SK_FREE) continue;
    if (kind == SK_VTY) vtyPoll(h);
    else if (kind == SK_CLIENT) clientPoll(h);
    else reversePoll(h);
  }
}

export function sessionsListen(): void {
  reverseListen();
  vtyListen();
}

export function sessionsDeadline(): u64 {
  let next = vtyListenDeadline(); // a quiet period's end (login block-for)
  for (let h = 0; h < SESSION_COUNT; h++) {
    const kind = sessionAt(h).kind;
    if (kind == SK_FREE) continue;
    let at = NEVER;
    if (kind == SK_VTY) at = vtyDeadline(h);
    else if (kind == SK_CLIENT) at = clientDeadline(h);
    else at = reverseDeadline(h);
    if (at < next) next = at;
  }
  return next;
}

/** `clear line`: the line's connections are reset (RST) and the line goes back to idle. */
function sessionLineClear(line: i32): void {
  const h = lineSession(line);
  if (h >= 0 && reverseIs(h)) {
    reverseEnd(h, true);
    return;
  }
  // An exec in an outgoing session (the hook is only called for lines a session owns): its
  // connections are reset and the exec ends, as `clear line` does to any exec.
  clientCloseAll(line, true);
  execHookHangup(line);
}

/** The exec's end hook (every line): its outgoing sessions close; a vty's connection closes. */
export function sessionsExecEnded(line: i32): void {
  clientCloseAll(line, false);
  if (lineType(line) == LINE_VTY) vtyExecEnded(line);
}
