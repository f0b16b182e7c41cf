// The startup-config: the running-config's text saved in NVRAM (nvram.ts), replayed at boot through
// the same exec parser a user types into, line by line, in configuration mode (IOS does the same).
// A blank or corrupt NVRAM boots the factory defaults and says so in the log.
import { EDIT_LINE_BYTES } from "../lib/limits";
import { putStr, putU32, putBytes } from "../lib/text";
import { logBegin, logEnd, logText, LOG_NOTICE, LOG_WARNING } from "../lib/log";
import { halNvramSize } from "../hal/imports";
import { execAt, editPtr, out, say, sayTpl, sayU32, EXEC_REPLAY, EX_ASK } from "../cli/exec-state";
import { putTpl } from "../cli/template";
import { execBoot, execBanner, execFlush, runLine } from "../cli/exec";
import { commandsBoot } from "../cli/commands";
import { MODE_CONFIG, MODE_PRIV } from "../cli/modes";
import { PARSE_OK, PARSE_EMPTY } from "../cli/parser";
import { runningBoot } from "./running";
import { nvramCheck, nvramReadLine, lineLength, startupBytes, STARTUP_OK, STARTUP_BLANK } from "./nvram";

export function configBoot(): void {
  runningBoot();
  execBoot();
  commandsBoot();
  const status = nvramCheck();
  if (status == STARTUP_OK) replayStartup();
  else if (status == STARTUP_BLANK) logText(LOG_NOTICE, "startup-config is not present: using the default configuration");
  else logText(LOG_WARNING, "startup-config is corrupt (bad header or checksum): using the default configuration");
  execBanner();
}

/** Runs each startup-config line in configuration mode; bad lines are logged and skipped. */
function replayStartup(): void {
  const x = EXEC_REPLAY;
  const e = execAt(x);
  e.mode = MODE_CONFIG;
  const end = startupBytes();
  let lineNumber: u32 = 0;
  let errors: u32 = 0;
  const stateBefore = e.state;
  for (let at: u32 = 0; at < end; ) {
    at = nvramReadLine(at, editPtr(x), <u32>EDIT_LINE_BYTES);
    lineNumber++;
    let len = lineLength();
    if (len > <u32>EDIT_LINE_BYTES) {
      replayError(lineNumber, len);
      errors++;
      continue;
    }
    while (len > 0 && load<u8>(editPtr(x) + len - 1) == 0x0d) len--;
    e.len = len;
    e.cursor = len;
    if (e.state == EX_ASK) {
      // A command reading more lines (a delimited message such as refuse-message) takes this one.
      e.state = stateBefore;
      call_indirect<void>(e.pending, x);
      execFlush(x);
      continue;
    }
    if (len == 0 || load<u8>(editPtr(x)) == 0x21) continue; // blank and "!" comment lines
    const result = runLine(x);
    execFlush(x);
    if (result != PARSE_OK && result != PARSE_EMPTY) {
      replayError(lineNumber, len);
      errors++;
    }
    if (e.mode == MODE_PRIV) break; // "end"
  }
  e.mode = MODE_CONFIG;
  e.len = 0;
  e.state = stateBefore; // a message left open at the end is dropped
  const w = logBegin(LOG_NOTICE);
  putTpl(w, "startup-config: \x01 lines, \x02 errors", lineNumber, errors);
  logEnd();
}

function replayError(lineNumber: u32, len: u32): void {
  const w = logBegin(LOG_WARNING);
  putStr(w, "startup-config line ");
  putU32(w, lineNumber);
  putStr(w, len > <u32>EDIT_LINE_BYTES ? ": too long, skipped: " : ": invalid, skipped: ");
  putBytes(w, editPtr(EXEC_REPLAY), min<u32>(len, <u32>EDIT_LINE_BYTES));
  logEnd();
}

/**
 * show startup-config, as a generator: `Using N out of M bytes`, then the text a line per row.
 * genA is the text offset of the next line.
 */
export function startupRow(x: i32): bool {
  const e = execAt(x);
  if (e.genRow == 0) {
    if (nvramCheck() != STARTUP_OK) {
      say("startup-config is not present\r\n");
      return false;
    }
    sayTpl("Using \x01 out of \x02 bytes\r\n", startupBytes() + 12, halNvramSize());
    e.genA = 0;
    return true;
  }
  nvramCheck(); // other lines may have written memory since the last row
  const end = startupBytes();
  if (e.genA >= end) {
    say("\r\n");
    return false;
  }
  const cap: u32 = 128;
  const start = out.buf + out.len;
  e.genA = nvramReadLine(e.genA, start, min<u32>(cap, out.cap - out.len - 2));
  out.len += min<u32>(lineLength(), min<u32>(cap, out.cap - out.len - 2));
  say("\r\n");
  return true;
}
