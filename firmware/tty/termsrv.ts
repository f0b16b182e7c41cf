// The terminal server's entry points for main.ts: boot, the poll that accepts callers and moves
// every session's bytes, the listeners' update after the lines had their turn, and the deadline.
// The session kinds live in vty.ts (port 23), reverse.ts (2000/4000/6000+n) and client.ts (the
// exec's telnet); their table and shared pumps in session.ts.
//
// Order within one poll (main.ts): net, tcp, sessionsPoll (accept, pump), tty (drain UARTs, run the
// execs), sessionsListen (a line an exec took in this poll stops listening before the next frame
// is read, so its caller is refused rather than accepted and reset).
//
// Work bits, so that a poll costs what there is to do, not the number of sessions (as lines.ts
// does for the execs): a session is polled, and its deadline computed, only when it has news (bit h
// of `work`: its connection's, tcpTakeEvents; its line's, lineTakeEvents: input, output room,
// modem, a key read by an exec) or when its deadline, kept in `dueTable` from the last time it was
// computed, has come. A session's deadline depends only on those things and on time, so the kept
// one is the one a fresh computation would give.
import { SESSION_COUNT, LINE_COUNT } from "../lib/limits";
import { now, NEVER } from "../lib/clock";
import { telnetBoot } from "../telnet/telnet";
import { tcpAcceptWaiting, tcpTakeEvents } from "../tcp/tcp";
import { lineAt, lineType, LINE_VTY, LINE_VTY_FIRST } from "./line-table";
import { lineTakeEvents } from "./lines";
import { sessionAt, sessionsUsed, sessionTableBoot, lineSession, execHookHangup, SK_FREE, SK_VTY, SK_CLIENT } from "./session";
import { reverseBoot, reverseListen, reverseAccept, reversePoll, reverseDeadline, reverseEnd, reverseIs } from "./reverse";
import { vtyBoot, vtyListen, vtyAccept, vtyPoll, vtyDeadline, vtyExecEnded, vtyListenDeadline } from "./vty";
import { clientBoot, clientPoll, clientDeadline, clientCloseAll } from "./client";

/** Sessions with news (bit h), see above; all at boot. */
let work: u32 = 0;
/** Per session: its deadline when last computed (u64). */
const dueTable = memory.data(8 * SESSION_COUNT, 8);

// @ts-ignore: decorator
@inline const ALL_SESSIONS: u32 = <u32>((<u64>1 << <u64>SESSION_COUNT) - 1);

/** Gathers the news of the connections and the lines into `work` (bounded: a pass over the sessions). */
function gatherWork(): void {
  const tcpNews = tcpTakeEvents();
  const lines = lineTakeEvents();
  if ((tcpNews | lines) == 0) return;
  const used = sessionsUsed();
  work |= tcpNews & used;
  for (let rest = used & ~work; rest != 0; rest &= rest - 1) {
    const h = <i32>ctz(rest);
    const s = sessionAt(h);
    // Its line's news; and an outgoing session from a vty writes into the vty's connection, so
    // any connection's news (its send room) may be its news too.
    const n = <u32>s.line;
    if (((lines >> n) & 1) != 0 || (s.kind == SK_CLIENT && n >= <u32>LINE_VTY_FIRST && tcpNews != 0)) {
      work |= <u32>1 << <u32>h;
    }
  }
}

export function sessionsBoot(): void {
  assert(SESSION_COUNT <= 32 && LINE_COUNT <= 32, "sessionsBoot: a bit per session and per line");
  work = ALL_SESSIONS;
  telnetBoot();
  sessionTableBoot();
  reverseBoot();
  vtyBoot();
  clientBoot();
}

export function sessionsPoll(): void {
  // Accepting asks each line's listeners (16 lines x 3 ports); with nothing waiting that is all
  // wasted, and the listeners are brought up to date at the end of the poll anyway (sessionsListen).
  if (tcpAcceptWaiting()) {
    reverseAccept();
    vtyAccept();
    work = ALL_SESSIONS; // the new sessions' kept deadlines are their slots' old ones
  }
  gatherWork();
  const t = now();
  for (let rest = sessionsUsed(); rest != 0; rest &= rest - 1) {
    const h = <i32>ctz(rest);
    const kind = sessionAt(h).kind;
    if (kind == SK_FREE) continue; // ended by another's poll (clear line)
    const bit = <u32>1 << <u32>h;
    if ((work & bit) == 0 && t < load<u64>(dueTable + (<usize>h << 3))) continue;
    if (kind == SK_VTY) vtyPoll(h);
    else if (kind == SK_CLIENT) clientPoll(h);
    else reversePoll(h);
    work |= bit; // it moved: its deadline is computed again
  }
}

export function sessionsListen(): void {
  reverseListen();
  vtyListen();
}

export function sessionsDeadline(): u64 {
  gatherWork();
  const t = now();
  let next = vtyListenDeadline(); // a quiet period's end (login block-for)
  for (let rest = sessionsUsed(); rest != 0; rest &= rest - 1) {
    const h = <i32>ctz(rest);
    const kind = sessionAt(h).kind;
    const due = dueTable + (<usize>h << 3);
    let at = load<u64>(due);
    // Computed again with news, or once the kept instant has come (a due session's deadline may
    // be NEVER now: waiting for output room).
    if ((work & (<u32>1 << <u32>h)) != 0 || at <= t) {
      if (kind == SK_VTY) at = vtyDeadline(h);
      else if (kind == SK_CLIENT) at = clientDeadline(h);
      else at = reverseDeadline(h);
      store<u64>(due, at);
    }
    if (at < next) next = at;
  }
  work = 0;
  return next;
}

/** A session line's input ring filled within serial(): its session moves it on now (the poll's
 * work, done while the host still offers more), so one call takes what TCP has room for. The
 * line's input event stays set, so the next poll visits the session and renews its deadline. */
export function sessionLineInput(line: i32): void {
  const h = <i32>lineAt(line).session;
  if (h < 0) return;
  const kind = sessionAt(h).kind;
  if (kind == SK_CLIENT) clientPoll(h);
  else if (kind != SK_VTY && kind != SK_FREE) reversePoll(h);
}

/** `clear line`: the line's connections are reset (RST) and the line goes back to idle. */
export function sessionLineClear(line: i32): void {
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
