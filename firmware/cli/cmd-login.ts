// Login protection commands (the behaviour is in exec.ts, "login protection"):
//   `timeout login response <1-300>` (line configuration, IOS default 30 s): a login prompt
//     unanswered this long ends the exec with `% Password:  timeout expired!` (a number setting of
//     cmd-line.ts);
//   `login block-for S attempts N within W` (global, off by default): N wrong vty passwords within
//     W seconds refuse every vty caller for S seconds (tty/vty.ts does it);
//   `login delay <1-10>` (global): the login delay after the first wrong password in a row (1 s
//     by default); it doubles with every further one, up to 30 s;
//   `show login failures`: the wrong line passwords per line (IOS lists them per user and source;
//     a line password has no user, and the log names each source, so here one row per line).
import { putStr, putU32Padded, Writer } from "../lib/text";
import { vtySetLoginBlock, vtyLoginBlockForS, vtyLoginBlockAttempts, vtyLoginBlockWithinS } from "../tty/vty";
import { configSection, SECTION_LOGIN } from "../config/running";
import { LINE_COUNT } from "../lib/limits";
import { putLineName } from "../tty/line-table";
import { execAt, out, say, sayTpl, sayPad } from "./exec-state";
import { putTpl } from "./template";
import {
  execStartOutput, loginFailsTotal, loginFailsInARow, loginDelayLeftMs, loginSetDelayFirstMs, loginDelayFirstMs, LOGIN_DELAY_FIRST_MS_DEFAULT,
} from "./exec";
import { argNegated, argU32 } from "./parser";

export function loginCommandsBoot(): void {
  configSection(SECTION_LOGIN, loginSection);
}

/** login block-for S attempts N within W / no login block-for. */
export function cmdLoginBlock(x: i32): void {
  if (argNegated()) vtySetLoginBlock(0, 0, 0);
  else vtySetLoginBlock(argU32(2), argU32(4), argU32(6));
}

/** login delay <1-10> / no login delay (back to 1 s). */
export function cmdLoginDelay(x: i32): void {
  loginSetDelayFirstMs(argNegated() ? LOGIN_DELAY_FIRST_MS_DEFAULT : <u64>argU32(2) * 1000);
}

/** `login block-for ...`, `login delay N` (each when set). */
function loginSection(row: u32, w: Writer): bool {
  let r = row;
  if (vtyLoginBlockForS() != 0) {
    if (r == 0) {
      putTpl(w, "login block-for \x01 attempts \x02 within \x03", vtyLoginBlockForS(), vtyLoginBlockAttempts(), vtyLoginBlockWithinS());
      return true;
    }
    r--;
  }
  if (loginDelayFirstMs() == LOGIN_DELAY_FIRST_MS_DEFAULT || r != 0) return false;
  putTpl(w, "login delay \x01", <u32>(loginDelayFirstMs() / 1000));
  return true;
}

export function cmdShowLoginFailures(x: i32): void {
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
    sayTpl("Total failed logins: \x01\r\nLine      Count InARow Delay\r\n", total);
    return true;
  }
  for (let n = <i32>e.genA; n < LINE_COUNT; n++) {
    if (loginFailsTotal(n) == 0) continue;
    e.genA = <u32>n + 1;
    putLineName(out, n);
    sayPad(10);
    putU32Padded(out, loginFailsTotal(n), 5);
    putU32Padded(out, loginFailsInARow(n), 7);
    putU32Padded(out, <u32>((loginDelayLeftMs(n) + 999) / 1000), 4);
    say(" s\r\n");
    return true;
  }
  say("\r\n");
  return false;
}
