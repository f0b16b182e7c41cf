// Log lines on the console (IOS's default `logging console`): debug lines (`debug ip tcp
// transactions`) are copied here by a log hook and written to line 0 by the console's exec between
// two of its steps, so they never cut a row of output in two nor overflow the UART ring that a
// step counts on. Each line goes out as CR LF + text: IOS starts a message on a new line and leaves
// the cursor after it, so messages in a row stack up without blank lines between them.
// A full buffer drops the line (counted); the HAL's log has every line anyway.
import { LOG_DEBUG } from "../lib/log";
import { Ring, ringInit, ringWrite, ringFree, ringContiguous, ringHeadPtr, ringDrop } from "../lib/ring";
import { lineWrite, lineWriteSpace, lineWake } from "../tty/lines";

// @ts-ignore: decorator
@inline const CONSOLE_LOG_BYTES: u32 = 256;

const ring = changetype<Ring>(memory.data(16, 4));
const ringBuf = memory.data(<i32>CONSOLE_LOG_BYTES);
const crlf = memory.data(2);
let dropped: u32 = 0;

export function consoleLogBoot(): void {
  ringInit(ring, ringBuf, CONSOLE_LOG_BYTES);
  store<u16>(crlf, 0x0a0d);
  dropped = 0;
}

/** The log hook: keeps debug lines for the console. */
export function consoleLogHook(level: u32, ptr: usize, len: u32): void {
  if (level != LOG_DEBUG) return;
  if (ringFree(ring) < len + 2) {
    dropped++;
    return;
  }
  ringWrite(ring, crlf, 2);
  ringWrite(ring, ptr, len);
  lineWake(0); // the console's exec writes it out
}

/** Bytes waiting for the console. */
export function consoleLogPending(): u32 {
  return ring.count;
}

/**
 * Writes what the console line takes of the waiting lines; true when anything was waiting (then
 * the exec's next step waits for the line to drain, so the step's output follows whole lines).
 */
export function consoleLogDrain(): bool {
  if (ring.count == 0) return false;
  for (let i = 0; i < 2 && ring.count > 0; i++) {
    const n = min<u32>(ringContiguous(ring), lineWriteSpace(0));
    if (n == 0) break;
    ringDrop(ring, lineWrite(0, ringHeadPtr(ring), n));
  }
  return true;
}

export function consoleLogDropped(): u32 {
  return dropped;
}
