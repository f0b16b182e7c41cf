// Sessions the swarm opens (a client line's `telnet 10.0.0.B 200L` to a reverse line) and the
// exactly-once check on each: what one end typed must reach the other end's UART whole, once and
// in order, for as long as the session lived. A->B data is lowercase letters, B->A uppercase, so
// each direction's stream is told apart from exec text, telnet negotiation and serial noise (which
// never uses those alphabets) by a filter; what reached the far end must be a prefix of what was
// typed at every check, and all of it once the healed network has gone quiet.
import type { LineEnd } from "./world.ts";

export type SessionPhase = "opening" | "live" | "ended";

export interface Session {
  id: number;
  clientDevice: number;
  clientLine: number;
  serverDevice: number;
  serverLine: number;
  phase: SessionPhase;
  /** Where in the client's output the telnet command was typed (search for Open from here). */
  commandAt: number;
  /** Client output index just after "Open\r\n"; the B->A stream starts here. */
  clientFrom: number;
  /** Client output index where the session's stream ends (its device rebooted), or -1. */
  clientTo: number;
  /** Server line's record index when the session went live; the A->B stream starts here. */
  serverFrom: number;
  /** Where it ends (another session took the line, the server rebooted), or -1. */
  serverTo: number;
  typed: string;
  sent: string;
  /** The server device rebooted or lost power under the session (its data no longer flows). */
  serverLost: boolean;
  openedAtMs: number;
  endedAtMs: number;
  outcome: "" | "open" | "refused" | "timed out" | "unreachable" | "closed" | "client rebooted";
}

const LOWER = /[a-z]/g;
const UPPER = /[A-Z]/g;

export function randomText(next: (bound: number) => number, length: number, upper: boolean): string {
  let out = "";
  const base = upper ? 65 : 97;
  for (let i = 0; i < length; i++) out += String.fromCharCode(base + next(26));
  return out;
}

/** The A->B stream as the server's line received it. */
export function receivedAtServer(s: Session, server: LineEnd): string {
  const end = s.serverTo >= 0 ? s.serverTo : server.text.length;
  return (server.text.slice(s.serverFrom, end).match(LOWER) ?? []).join("");
}

/** The B->A stream as the client's terminal received it (up to the end-of-session notice). */
export function receivedAtClient(s: Session, client: LineEnd): string {
  const end = s.clientTo >= 0 ? s.clientTo : client.text.length;
  let text = client.text.slice(s.clientFrom, end);
  const notice = text.indexOf("[");
  if (notice >= 0) text = text.slice(0, notice);
  return (text.match(UPPER) ?? []).join("");
}

/** Why `received` is not a prefix of `sent`, or undefined. */
export function prefixViolation(label: string, sent: string, received: string): string | undefined {
  if (received.length > sent.length) return `${label}: received ${received.length} bytes, only ${sent.length} sent (duplication)`;
  if (sent.startsWith(received)) return undefined;
  let at = 0;
  while (at < received.length && received[at] === sent[at]) at++;
  const rest = received.slice(at, at + 16);
  const foundAt = sent.indexOf(rest, at);
  const where = foundAt > at ? ` (sent bytes ${at}..${foundAt - 1} are missing: lost)` : foundAt >= 0 && foundAt < at ? " (repeated: duplicated)" : " (never sent: stray)";
  return `${label}: byte ${at} differs: sent "${sent.slice(at, at + 16)}", received "${rest}"${where}`;
}

const OUTCOMES: [RegExp, Session["outcome"]][] = [
  [/% Connection refused by remote host/, "refused"],
  [/% Connection timed out; remote host not responding/, "timed out"],
  [/% Destination unreachable; gateway or host down/, "unreachable"],
];

/** Advances an opening session from the client's output; returns true when it changed phase. */
export function observeOpening(s: Session, client: LineEnd, server: LineEnd, nowMs: number): boolean {
  const text = client.text.slice(s.commandAt);
  const open = text.indexOf("Open\r\n");
  if (open >= 0) {
    s.phase = "live";
    s.outcome = "open";
    s.clientFrom = s.commandAt + open + "Open\r\n".length;
    s.serverFrom = server.text.length;
    s.openedAtMs = nowMs;
    return true;
  }
  for (const [pattern, outcome] of OUTCOMES) {
    if (pattern.test(text)) {
      s.phase = "ended";
      s.outcome = outcome;
      s.endedAtMs = nowMs;
      return true;
    }
  }
  return false;
}

/** A live session ends when its client prints `[Connection to ... closed by foreign host]` (or lost). */
export function observeLive(s: Session, client: LineEnd, nowMs: number): boolean {
  const end = s.clientTo >= 0 ? s.clientTo : client.text.length;
  if (!/\[Connection to [0-9.]+ (closed by foreign host|lost)\]/.test(client.text.slice(s.clientFrom, end))) return false;
  s.phase = "ended";
  s.outcome = "closed";
  s.endedAtMs = nowMs;
  return true;
}
