// Line editing on the exec's command line, with the keys IOS users expect:
//   Backspace/DEL  delete left        Ctrl-D  delete under the cursor
//   Ctrl-A / Ctrl-E  start / end      Ctrl-B / Ctrl-F, ESC [ D / ESC [ C  left / right
//   Ctrl-U  delete to the start       Ctrl-W  delete the word left   Ctrl-K  delete to the end
//   Ctrl-P / ESC [ A  previous command  Ctrl-N / ESC [ B  next command (per-line history)
//   ?  help   Tab  complete a keyword   Ctrl-Z  leave configuration   Ctrl-C  abandon the line
// Simple edits at the end of the line echo minimal bytes; others redraw from the start of the line
// (CR, prompt, text, blanks over what was longer, backspaces to the cursor): at most
// 1 + 44 + 2 x EDIT_LINE_BYTES bytes, within one exec step. Lines longer than the terminal width
// are not scrolled the way IOS does ($).
import { EDIT_LINE_BYTES, HISTORY_BYTES, HISTORY_ENTRIES_MAX, LINE_COUNT } from "../lib/limits";
import { lineAt, LINE_FLAG_TERMINAL_ECHOES } from "../tty/line-table";
import { execAt, editPtr, historyPtr, out, say, sayByte, putPrompt, newPrompt, putEdit } from "./exec-state";
import { execEnter, execCtrlZ } from "./exec";
import { execHelp, execComplete } from "./help";
import { modeIsConfig } from "./modes";

/** The terminal echoes its own keystrokes (a vty whose client does local echo): the exec's echo of
 * an editing key is taken back, and Return prints no line break of its own. */
function terminalEchoes(x: i32): bool {
  return x < LINE_COUNT && (lineAt(x).flags & LINE_FLAG_TERMINAL_ECHOES) != 0;
}

/** Keys whose only output is their echo or a redraw of the line being edited. */
function isEditingKey(b: u32): bool {
  if (b >= 0x20 && b < 0x7f) return b != 0x3f;
  return b == 0x08 || b == 0x7f || b == 0x04 || b == 0x01 || b == 0x05 || b == 0x02 || b == 0x06 ||
    b == 0x15 || b == 0x17 || b == 0x0b || b == 0x10 || b == 0x0e || b == 0x1b;
}

export function editorByte(x: i32, b: u32): void {
  const mark = out.len;
  const inSequence = execAt(x).escState != 0;
  editorKey(x, b);
  if ((inSequence || isEditingKey(b)) && terminalEchoes(x)) out.len = mark;
}

function editorKey(x: i32, b: u32): void {
  const e = execAt(x);
  if (e.escState == 1) {
    e.escState = b == 0x5b || b == 0x4f ? 2 : 0; // ESC [ (CSI) or ESC O (SS3)
    return;
  }
  if (e.escState == 2) {
    if ((b >= 0x30 && b <= 0x39) || b == 0x3b) return; // parameters of the sequence
    e.escState = 0;
    if (b == 0x41) historyMove(x, true);
    else if (b == 0x42) historyMove(x, false);
    else if (b == 0x43) cursorRight(x);
    else if (b == 0x44) cursorLeft(x);
    return;
  }
  if (b >= 0x20 && b < 0x7f && b != 0x3f) {
    insert(x, b);
    return;
  }
  switch (b) {
    case 0x0d:
      historyAdd(x);
      e.histPos = 0;
      execEnter(x, !terminalEchoes(x));
      break;
    case 0x3f:
      execHelp(x);
      break;
    case 0x09:
      execComplete(x);
      break;
    case 0x08:
    case 0x7f:
      backspace(x);
      break;
    case 0x04:
      deleteAt(x);
      break;
    case 0x01:
      for (let i: u32 = 0; i < e.cursor; i++) sayByte(0x08);
      e.cursor = 0;
      break;
    case 0x05:
      putEdit(x, e.cursor, e.len);
      e.cursor = e.len;
      break;
    case 0x02:
      cursorLeft(x);
      break;
    case 0x06:
      cursorRight(x);
      break;
    case 0x15:
      cut(x, 0, e.cursor);
      break;
    case 0x17:
      cut(x, wordStartBefore(x), e.cursor);
      break;
    case 0x0b:
      cut(x, e.cursor, e.len);
      break;
    case 0x10:
      historyMove(x, true);
      break;
    case 0x0e:
      historyMove(x, false);
      break;
    case 0x1a:
      execCtrlZ(x);
      break;
    case 0x03:
      if (modeIsConfig(e.mode)) execCtrlZ(x);
      else {
        say("\r\n");
        newPrompt(x);
      }
      break;
    case 0x1b:
      e.escState = 1;
      break;
    default:
      break; // other control characters are ignored
  }
}

function bell(): void {
  sayByte(0x07);
}

function insert(x: i32, b: u32): void {
  const e = execAt(x);
  if (e.len >= <u32>EDIT_LINE_BYTES) {
    bell();
    return;
  }
  const p = editPtr(x);
  memory.copy(p + e.cursor + 1, p + e.cursor, e.len - e.cursor);
  store<u8>(p + e.cursor, <u8>b);
  e.len++;
  e.cursor++;
  sayByte(b);
  if (e.cursor < e.len) {
    putEdit(x, e.cursor, e.len);
    for (let i = e.cursor; i < e.len; i++) sayByte(0x08);
  }
}

/** Backspace: one left, then Ctrl-D there. */
function backspace(x: i32): void {
  const e = execAt(x);
  if (e.cursor == 0) {
    bell();
    return;
  }
  e.cursor--;
  sayByte(0x08);
  deleteAt(x);
}

function deleteAt(x: i32): void {
  const e = execAt(x);
  if (e.cursor >= e.len) return;
  const p = editPtr(x);
  memory.copy(p + e.cursor, p + e.cursor + 1, e.len - e.cursor - 1);
  e.len--;
  putEdit(x, e.cursor, e.len);
  sayByte(0x20);
  for (let i = e.cursor; i <= e.len; i++) sayByte(0x08);
}

function cursorLeft(x: i32): void {
  const e = execAt(x);
  if (e.cursor == 0) return;
  e.cursor--;
  sayByte(0x08);
}

function cursorRight(x: i32): void {
  const e = execAt(x);
  if (e.cursor >= e.len) return;
  sayByte(load<u8>(editPtr(x) + e.cursor));
  e.cursor++;
}

/** Start of the word left of the cursor (Ctrl-W): skips spaces, then the word. */
function wordStartBefore(x: i32): u32 {
  const e = execAt(x);
  const p = editPtr(x);
  let i = e.cursor;
  while (i > 0 && load<u8>(p + i - 1) == 0x20) i--;
  while (i > 0 && load<u8>(p + i - 1) != 0x20) i--;
  return i;
}

/** Removes [from, to) of the edit line and redraws it. */
function cut(x: i32, from: u32, to: u32): void {
  const e = execAt(x);
  if (to <= from) return;
  const oldLen = e.len;
  const p = editPtr(x);
  memory.copy(p + from, p + to, e.len - to);
  e.len -= to - from;
  if (e.cursor >= to) e.cursor -= to - from;
  else if (e.cursor > from) e.cursor = from;
  redisplay(x, oldLen);
}

/** Redraws the whole line from its start (the old content was oldLen bytes long). */
export function redisplay(x: i32, oldLen: u32): void {
  const e = execAt(x);
  sayByte(0x0d);
  putPrompt(x);
  putEdit(x, 0, e.len);
  let drawn = e.len;
  for (; drawn < oldLen; drawn++) sayByte(0x20);
  for (let i = e.cursor; i < drawn; i++) sayByte(0x08);
}

// --- history: entries [length byte][bytes], oldest first, at most HISTORY_ENTRIES_MAX ---

export function historyClear(x: i32): void {
  const e = execAt(x);
  memory.fill(historyPtr(x), 0, HISTORY_BYTES);
  e.histCount = 0;
  e.histUsed = 0;
  e.histPos = 0;
}

/** Offset of the k-th newest entry (1 = newest). */
function historyOffset(x: i32, k: u32): u32 {
  const e = execAt(x);
  const h = historyPtr(x);
  let off: u32 = 0;
  for (let i: u32 = 0; i < e.histCount - k; i++) off += 1 + <u32>load<u8>(h + off);
  return off;
}

function historyDropOldest(x: i32): void {
  const e = execAt(x);
  const h = historyPtr(x);
  const first = 1 + <u32>load<u8>(h);
  memory.copy(h, h + first, e.histUsed - first);
  e.histUsed -= first;
  e.histCount--;
}

function historyAdd(x: i32): void {
  const e = execAt(x);
  const len = e.len;
  if (len == 0 || 1 + len > <u32>HISTORY_BYTES) return;
  const h = historyPtr(x);
  if (e.histCount > 0) {
    const newest = historyOffset(x, 1);
    if (<u32>load<u8>(h + newest) == len && memory.compare(h + newest + 1, editPtr(x), len) == 0) return;
  }
  while (e.histCount > 0 && (e.histCount >= <u32>HISTORY_ENTRIES_MAX || e.histUsed + 1 + len > <u32>HISTORY_BYTES)) {
    historyDropOldest(x);
  }
  store<u8>(h + e.histUsed, <u8>len);
  memory.copy(h + e.histUsed + 1, editPtr(x), len);
  e.histUsed += 1 + len;
  e.histCount++;
}

/** Up (older) or down (newer) through the history; past the newest is an empty line. */
function historyMove(x: i32, older: bool): void {
  const e = execAt(x);
  if (older ? e.histPos >= e.histCount : e.histPos == 0) {
    bell();
    return;
  }
  e.histPos = older ? e.histPos + 1 : e.histPos - 1;
  const oldLen = e.len;
  if (e.histPos == 0) {
    e.len = 0;
  } else {
    const h = historyPtr(x);
    const off = historyOffset(x, e.histPos);
    e.len = <u32>load<u8>(h + off);
    memory.copy(editPtr(x), h + off + 1, e.len);
  }
  e.cursor = e.len;
  redisplay(x, oldLen);
}
