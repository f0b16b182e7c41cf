// Log lines to the HAL's log import, built in one static buffer (no allocation): logBegin returns
// the Writer, the caller appends, logEnd sends it. Severities are syslog's.
import { halLog } from "../hal/imports";
import { Writer, writerInit, putStr } from "./text";
import { Text } from "./text-table";

// @ts-ignore: decorator
@inline export const LOG_ERROR: u32 = 3;
// @ts-ignore: decorator
@inline export const LOG_WARNING: u32 = 4;
// @ts-ignore: decorator
@inline export const LOG_NOTICE: u32 = 5;
// @ts-ignore: decorator
@inline export const LOG_INFO: u32 = 6;
// @ts-ignore: decorator
@inline export const LOG_DEBUG: u32 = 7;

const LOG_LINE_BYTES: i32 = 200;
const logBuffer = memory.data(LOG_LINE_BYTES);
const logWriter = changetype<Writer>(memory.data(16, 4));
let logLevel: u32 = 0;

export function logBegin(level: u32): Writer {
  logLevel = level;
  return writerInit(logWriter, logBuffer, <u32>LOG_LINE_BYTES);
}

/** Function-table index of the hook that also gets every line (0: none). */
let logHookFn: u32 = 0;

/** Where log lines go besides the HAL (the cli: `logging console`): hook(level, ptr, len). */
export function logBindHook(hook: (level: u32, ptr: usize, len: u32) => void): void {
  logHookFn = hook.index;
}

export function logEnd(): void {
  halLog(logLevel, logWriter.buf, logWriter.len);
  if (logHookFn != 0) call_indirect<void>(logHookFn, logLevel, logWriter.buf, logWriter.len);
}

/** A one-literal log line. */
export function logText(level: u32, text: Text): void {
  const w = logBegin(level);
  putStr(w, text);
  logEnd();
}
