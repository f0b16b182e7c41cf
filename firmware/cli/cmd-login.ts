// Login protection commands (the behaviour is in exec.ts, "login protection"):
//   `timeout login response <1-300>` (line configuration, IOS default 30 s): a login prompt
//     unanswered this long ends the exec with `% Password:  timeout expired!`;
//   `show login failures`: the wrong line passwords per line (IOS lists them per user and source;
//     a line password has no user, and the log names each source, so here one row per line).
// The login delay itself (1 s doubling to 30 s per wrong password in a row) is not configurable.
import { putStr, putU32, putU32Padded, putByte } from "../lib/text";
import { LINE_COUNT } from "../lib/limits";
import { lineAt, putLineName, LOGIN_RESPONSE_DEFAULT_MS } from "../tty/line-table";
import { execAt, out } from "./exec-state";
import { execStartOutput, loginFailsTotal, loginFailsInARow, loginDelayLeftMs } from "./exec";
import { cmd } from "./parser";
import { M_EXEC, M_LINE } from "./modes";
import { argNegated, argU32 } from "./parser";

export function loginCommandsBoot(): void {
  cmd(M_LINE, "[no] timeout login response <1-300>", "Timeouts|Timeouts related to the login sequence|Timeout for any user input during login sequences|Timeout in seconds", cmdLoginResponse);
  cmd(M_EXEC, "show login failures", "|Display Secure Login Configurations and State|Display data about login failures", cmdShowLoginFailures);
}

/** timeout login response <1-300> / no timeout login response (back to 30 s). */
export function cmdLoginResponse(x: i32): void {
  const ms: u32 = argNegated() ? LOGIN_RESPONSE_DEFAULT_MS : argU32(3) * 1000;
  const e = execAt(x);
  for (let n = e.modeA; n <= e.modeB; n++) lineAt(n).loginResponseMs = ms;
}

function cmdShowLoginFailures(x: i32): void {
  execStartOutput(x, failuresRow);
}

/**
 * Total failed logins: 7
 * Line      Count InARow Delay
 * tty 1         1      0   0 s
 * vty 0         6      6  30 s
 */
function failuresRow(x: i32): bool {
  const e = execAt(x);
  if (e.genRow == 0) {
    let total: u32 = 0;
    for (let n = 0; n < LINE_COUNT; n++) total += loginFailsTotal(n);
    putStr(out, "Total failed logins: ");
    putU32(out, total);
    putStr(out, "\r\nLine      Count InARow Delay\r\n");
    return true;
  }
  for (let n = <i32>e.genA; n < LINE_COUNT; n++) {
    if (loginFailsTotal(n) == 0) continue;
    e.genA = <u32>n + 1;
    const start = out.len;
    putLineName(out, n);
    while (out.len - start < 10) putByte(out, 0x20);
    putU32Padded(out, loginFailsTotal(n), 5);
    putU32Padded(out, loginFailsInARow(n), 7);
    putU32Padded(out, <u32>((loginDelayLeftMs(n) + 999) / 1000), 4);
    putStr(out, " s\r\n");
    return true;
  }
  putStr(out, "\r\n");
  return false;
}
