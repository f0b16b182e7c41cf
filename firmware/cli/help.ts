// `?` help and Tab completion, from the parser's listing (parser.ts helpPrepare/helpNext):
//   `show ?`  one row per word that may come next, sorted, `  word  help`, then `  <cr>` when the
//             line may end here, a blank line, and the line again;
//   `sh?`     the words the partial one may become, on one line, a blank line, the line again;
//   Tab       completes a keyword the partial word abbreviates uniquely (the bell otherwise).
// Listings can be long (every command of a mode), so they are generators: one row per exec step.
import { EDIT_LINE_BYTES } from "../lib/limits";
import { execAt, editPtr, out, say, sayByte, putLineAgain, putAmbiguous, AFTER_REDISPLAY } from "./exec-state";
import { execStartOutput } from "./exec";
import {
  helpPrepare, helpNext, helpRewind, helpRestore, helpLastCmd, helpLastStart, helpTokenLen, helpCanEnd,
  putHelpToken, putHelpText, helpTokenIsKeyword, helpTokenChar, helpPartialLen, PARSE_OK, PARSE_AMBIGUOUS,
} from "./parser";

/** genB when the word rows are done. */
// @ts-ignore: decorator
@inline const LISTING_DONE: u32 = 0xffff_ffff;
/** Width of the completion line before it wraps. */
// @ts-ignore: decorator
@inline const COMPLETION_COLUMNS: u32 = 78;

function partialAtEnd(x: i32): bool {
  const e = execAt(x);
  return e.len > 0 && load<u8>(editPtr(x) + e.len - 1) != 0x20;
}

export function execHelp(x: i32): void {
  const e = execAt(x);
  say("?\r\n");
  const partial = partialAtEnd(x);
  const r = helpPrepare(e.mode, editPtr(x), e.len, partial);
  if (r == PARSE_OK) {
    execStartOutput(x, partial ? completionRow : nextWordRow, AFTER_REDISPLAY);
    return;
  }
  if (r == PARSE_AMBIGUOUS) putAmbiguous(x);
  else say("% Unrecognized command\r\n");
  putLineAgain(x);
}

/** Finds the next listed word after the one the generator showed last (genB = entry + 1, genC, genD). */
function nextListed(x: i32): bool {
  const e = execAt(x);
  if (e.genB == 0) {
    helpRewind();
    return helpNext(true);
  }
  helpRestore(<i32>e.genB - 1, e.genC, e.genD);
  return helpNext(false);
}

function rememberListed(x: i32): void {
  const e = execAt(x);
  e.genB = <u32>helpLastCmd() + 1;
  e.genC = helpLastStart();
  e.genD = helpTokenLen();
}

function nextWordRow(x: i32): bool {
  const e = execAt(x);
  helpPrepare(e.mode, editPtr(x), e.len, false);
  if (e.genRow == 0) {
    let width: u32 = helpCanEnd() ? 4 : 0;
    helpRewind();
    for (let more = helpNext(true); more; more = helpNext(false)) width = max<u32>(width, helpTokenLen());
    e.genA = width;
  }
  if (e.genB != LISTING_DONE) {
    if (nextListed(x)) {
      rememberListed(x);
      say("  ");
      putHelpToken(out);
      for (let i = helpTokenLen(); i < e.genA + 2; i++) sayByte(0x20);
      putHelpText(out);
      say("\r\n");
      return true;
    }
    e.genB = LISTING_DONE;
    if (helpCanEnd()) {
      say("  <cr>\r\n");
      return true;
    }
  }
  say("\r\n");
  return false;
}

function completionRow(x: i32): bool {
  const e = execAt(x);
  helpPrepare(e.mode, editPtr(x), e.len, true);
  if (e.genB != LISTING_DONE) {
    if (nextListed(x)) {
      rememberListed(x);
      if (e.genA > 0 && e.genA + helpTokenLen() + 2 > COMPLETION_COLUMNS) {
        say("\r\n");
        e.genA = 0;
      }
      putHelpToken(out);
      say("  ");
      e.genA += helpTokenLen() + 2;
      return true;
    }
    const nothing = e.genRow == 0;
    e.genB = LISTING_DONE;
    say(nothing ? "% Unrecognized command\r\n" : "\r\n\r\n");
  }
  return false;
}

export function execComplete(x: i32): void {
  const e = execAt(x);
  if (e.cursor != e.len || !partialAtEnd(x) || helpPrepare(e.mode, editPtr(x), e.len, true) != PARSE_OK) {
    sayByte(0x07);
    return;
  }
  const typed = helpPartialLen();
  if (!helpNext(true) || !helpTokenIsKeyword()) {
    sayByte(0x07);
    return;
  }
  const len = helpTokenLen();
  const c = helpLastCmd();
  const s = helpLastStart();
  if (helpNext(false)) {
    sayByte(0x07); // more than one word fits
    return;
  }
  helpRestore(c, s, len);
  const p = editPtr(x);
  for (let i = typed; i < len && e.len + 1 < <u32>EDIT_LINE_BYTES; i++) {
    const ch = helpTokenChar(i);
    store<u8>(p + e.len, <u8>ch);
    e.len++;
    sayByte(ch);
  }
  store<u8>(p + e.len, 0x20);
  e.len++;
  sayByte(0x20);
  e.cursor = e.len;
}
