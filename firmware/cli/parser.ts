// The command table and the one matcher behind everything the exec does with a command line:
// execution, unique-prefix abbreviation, `no` forms, the three IOS errors, `?` help (both the
// `sh?` completions and the `show ?` next-word list) and Tab completion.
//
// A command is one entry: the modes it exists in, a syntax string, a help string with one
// `|`-separated segment per syntax word (an empty segment reuses the help another entry gives for
// the same word), a handler, and a tag the handler may use to tell entries apart. See
// commands.ts for the table itself and how to add to it.
//
// Syntax words:  keyword (lower case, matched by any unique prefix, case-insensitive)
//                WORD (one word)   LINE (the rest of the line)   A.B.C.D (IPv4 address)
//                <lo-hi> (a decimal number in that range)   [x] (optional; every later word too)
//                a leading `[no] ` says the command also has a `no` form, in which its arguments
//                are optional (IOS's `no exec-timeout`, `no hostname`); a `|` word marks where the
//                no form may end even before keywords (`[no] parity | even`: `no parity`).
//
// Matching, word by word (IOS's rules): an exact keyword wins; otherwise one keyword that the
// word abbreviates; two different keywords are ambiguous; otherwise an argument that accepts the
// word; otherwise the input is invalid at that word. No allocation: the candidate set is a byte per
// table entry, the input words are offsets into the caller's buffer.
import { COMMAND_COUNT_MAX, COMMAND_WORDS_MAX, COMMAND_SYNTAX_BYTES } from "../lib/limits";
import { Writer, writerInit, putByte, putStr } from "../lib/text";
import { putSegment } from "./template";
import { Text, textLen, textPtr } from "../lib/text-table";

// @ts-ignore: decorator
@unmanaged class Command {
  syntaxPtr: usize;
  syntaxLen: u32;
  helpPtr: usize;
  helpLen: u32;
  modes: u32;
  /** commands.ts's handler id (0: the `no` keyword). */
  handler: u32;
  tag: u32;
  flags: u32;
}

/** The entry has a `no` form. */
// @ts-ignore: decorator
@inline const FLAG_NO: u32 = 1;
/** The entry is the `no` keyword itself (it switches the rest of the line to `no` forms). */
// @ts-ignore: decorator
@inline const FLAG_NO_KEYWORD: u32 = 2;

// Token kinds.
// @ts-ignore: decorator
@inline const TK_KEYWORD: u32 = 0;
// @ts-ignore: decorator
@inline const TK_WORD: u32 = 1;
// @ts-ignore: decorator
@inline const TK_LINE: u32 = 2;
// @ts-ignore: decorator
@inline const TK_RANGE: u32 = 3;
// @ts-ignore: decorator
@inline const TK_IP: u32 = 4;

// Parse results.
// @ts-ignore: decorator
@inline export const PARSE_OK: u32 = 0;
// @ts-ignore: decorator
@inline export const PARSE_EMPTY: u32 = 1;
// @ts-ignore: decorator
@inline export const PARSE_INVALID: u32 = 2;
// @ts-ignore: decorator
@inline export const PARSE_AMBIGUOUS: u32 = 3;
// @ts-ignore: decorator
@inline export const PARSE_INCOMPLETE: u32 = 4;

// @ts-ignore: decorator
@inline const COMMAND_STRIDE: i32 = offsetof<Command>();
const commandTable = memory.data(COMMAND_STRIDE * COMMAND_COUNT_MAX, 4);
let commandCount: i32 = 0;
/** Per entry: 0 out, 1 still a candidate; 2..5 marks during one word (MARK_*). */
const alive = memory.data(COMMAND_COUNT_MAX);
const wordStart = memory.data(4 * (COMMAND_WORDS_MAX + 1), 4);
const wordLen = memory.data(4 * (COMMAND_WORDS_MAX + 1), 4);
const slotStart = memory.data(4 * COMMAND_WORDS_MAX, 4);
const slotLen = memory.data(4 * COMMAND_WORDS_MAX, 4);

// @ts-ignore: decorator
@inline const MARK_EXACT: u8 = 2;
// @ts-ignore: decorator
@inline const MARK_PREFIX: u8 = 3;
// @ts-ignore: decorator
@inline const MARK_ARG: u8 = 4;
// @ts-ignore: decorator
@inline const MARK_LINE: u8 = 5;

// State of the last parse (valid until the next one).
let buf: usize = 0;
let bufLen: u32 = 0;
let wordCount: i32 = 0;
let negated = false;
let firstWord: i32 = 0;
let nextToken: i32 = 0;
let lineStopped = false;
let chosen: i32 = -1;
let errorPos: u32 = 0;

// The token syntaxToken found.
let tokStart: u32 = 0;
let tokLen: u32 = 0;
let tokKind: u32 = 0;
let tokOptional = false;
/** The token comes after the syntax's `|` mark (a no form may end before it). */
let tokAfterMark = false;

function entry(c: i32): Command {
  return changetype<Command>(commandTable + <usize>(c * COMMAND_STRIDE));
}

function ch(p: usize, i: u32): u32 {
  return <u32>load<u8>(p + <usize>i);
}

// @ts-ignore: decorator
@inline function inputChar(i: u32): u32 {
  const b = <u32>load<u8>(buf + i);
  return b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
}

// @ts-ignore: decorator
@inline function wStart(w: i32): u32 {
  return load<u32>(wordStart + (<usize>w << 2));
}

// @ts-ignore: decorator
@inline function wLen(w: i32): u32 {
  return load<u32>(wordLen + (<usize>w << 2));
}

/** The syntax texts, expanded: in the text table they are printed texts (dictionary codes), and the
 * matcher reads them a character at a time, so cmd() writes each out once, at boot. */
const syntaxArena = memory.data(COMMAND_SYNTAX_BYTES);
const syntaxWriter = changetype<Writer>(memory.data(16, 4));

/** Adds a command (at boot, from commands.ts's rows). The table is sized by COMMAND_COUNT_MAX.
 * `handler` is commands.ts's id of the function that runs it; 0 makes the entry the `no` keyword
 * itself (it switches the rest of the line to `no` forms). */
export function cmd(modes: u32, syntax: Text, help: Text, handler: u32, tag: u32): void {
  assert(commandCount < COMMAND_COUNT_MAX, "cmd: command table full (COMMAND_COUNT_MAX)");
  if (commandCount == 0) writerInit(syntaxWriter, syntaxArena, <u32>COMMAND_SYNTAX_BYTES);
  const e = entry(commandCount++);
  const start = syntaxWriter.len;
  putStr(syntaxWriter, syntax);
  assert(syntaxWriter.truncated == 0, "cmd: syntax texts overflow COMMAND_SYNTAX_BYTES");
  let p = syntaxArena + <usize>start;
  let n = syntaxWriter.len - start;
  e.flags = handler == 0 ? FLAG_NO_KEYWORD : 0;
  if (n > 5 && ch(p, 0) == 0x5b && ch(p, 1) == 0x6e && ch(p, 2) == 0x6f && ch(p, 3) == 0x5d) {
    e.flags = FLAG_NO; // "[no] "
    p += 5;
    n -= 5;
  }
  e.syntaxPtr = p;
  e.syntaxLen = n;
  e.helpPtr = textPtr(help);
  e.helpLen = textLen(help);
  e.modes = modes;
  e.handler = handler;
  e.tag = tag;
}

/** Function-table index of the function that runs every command (commands.ts runCommand). */
let commandRunner: u32 = 0;

export function commandsRunBy(runner: (x: i32) => void): void {
  commandRunner = runner.index;
}

export function commandTableSize(): i32 {
  return commandCount;
}

/** Finds token `index` of entry c's syntax (sets tok*); false when the syntax is shorter. */
function syntaxToken(c: i32, index: i32): bool {
  const e = entry(c);
  const p = e.syntaxPtr;
  const n = e.syntaxLen;
  let i: u32 = 0;
  let t = 0;
  let optional = false;
  let afterMark = false;
  while (i < n) {
    while (i < n && ch(p, i) == 0x20) i++;
    if (i >= n) break;
    let s = i;
    while (i < n && ch(p, i) != 0x20) i++;
    let end = i;
    if (end - s == 1 && ch(p, s) == 0x7c) {
      afterMark = true; // the no-form mark is not a word
      continue;
    }
    if (ch(p, s) == 0x5b) {
      optional = true;
      s++;
      if (end > s && ch(p, end - 1) == 0x5d) end--;
    }
    if (t == index) {
      tokStart = s;
      tokLen = end - s;
      tokOptional = optional;
      tokAfterMark = afterMark;
      tokKind = tokenKind(p, s, end - s);
      return true;
    }
    t++;
  }
  return false;
}

function tokenKind(p: usize, s: u32, l: u32): u32 {
  const first = ch(p, s);
  if (first == 0x3c) return TK_RANGE;
  if (first == 0x41 && l == 7) return TK_IP; // A.B.C.D
  if (first == 0x57 && l == 4) return TK_WORD; // WORD
  if (first == 0x4c && l == 4) return TK_LINE; // LINE
  return TK_KEYWORD;
}

/** Parses an unsigned decimal of the input at [s, s+l); u64.MAX_VALUE when not a number. */
function parseDecimal(s: u32, l: u32): u64 {
  if (l == 0 || l > 10) return u64.MAX_VALUE;
  let v: u64 = 0;
  for (let i: u32 = 0; i < l; i++) {
    const d = <u32>load<u8>(buf + s + i) - 0x30;
    if (d > 9) return u64.MAX_VALUE;
    v = v * 10 + <u64>d;
  }
  return v;
}

/** Lower and upper bounds of the range token at tokStart (`<lo-hi>`). */
let rangeLo: u64 = 0;
let rangeHi: u64 = 0;
function tokenRange(p: usize): void {
  let i = tokStart + 1;
  const end = tokStart + tokLen;
  rangeLo = 0;
  while (i < end && ch(p, i) != 0x2d) rangeLo = rangeLo * 10 + <u64>(ch(p, i++) - 0x30);
  i++;
  rangeHi = 0;
  while (i < end && ch(p, i) != 0x3e) rangeHi = rangeHi * 10 + <u64>(ch(p, i++) - 0x30);
}

/** IPv4 address parse of the input at [s, s+l): the address, or -1 when malformed. */
export function parseIpAt(p: usize, s: u32, l: u32): i64 {
  let ip: u32 = 0;
  let octet: u32 = 0;
  let digits: u32 = 0;
  let dots: u32 = 0;
  for (let i: u32 = 0; i < l; i++) {
    const c = <u32>load<u8>(p + s + i);
    if (c == 0x2e) {
      if (digits == 0 || dots == 3) return -1;
      ip = (ip << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      const d = c - 0x30;
      if (d > 9 || digits == 3) return -1;
      octet = octet * 10 + d;
      if (octet > 255) return -1;
      digits++;
    }
  }
  if (dots != 3 || digits == 0) return -1;
  return <i64>((ip << 8) | octet);
}

/** The value parseHexAt read last. */
let hexValue: u64 = 0;

/** Hexadecimal digits (either case) at [p, p+n): false when one is not a digit; the value (n <= 16)
 * is then parsedHex(). TCB addresses and the salted secrets' text form. */
export function parseHexAt(p: usize, n: u32): bool {
  let v: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    let d = c - 0x30;
    if (d > 9) {
      d = (c | 0x20) - 0x57; // a..f (A..F)
      if (d - 10 > 5) return false;
    }
    v = (v << 4) | <u64>d;
  }
  hexValue = v;
  return true;
}

export function parsedHex(): u64 {
  return hexValue;
}

/** Does input word w satisfy the token syntaxToken just found in entry c? */
function argAccepts(c: i32, w: i32): bool {
  if (tokKind == TK_WORD || tokKind == TK_LINE) return true;
  if (tokKind == TK_IP) return parseIpAt(buf, wStart(w), wLen(w)) >= 0;
  if (tokKind == TK_RANGE) {
    const v = parseDecimal(wStart(w), wLen(w));
    tokenRange(entry(c).syntaxPtr);
    return v != u64.MAX_VALUE && v >= rangeLo && v <= rangeHi;
  }
  return false;
}

/** Is input word w a prefix of the keyword token found in entry c (case-insensitive)? */
function wordAbbreviates(c: i32, w: i32): bool {
  return commonPrefix(c, w) == wLen(w);
}

/** How many leading characters of input word w the keyword token found in entry c shares. */
function commonPrefix(c: i32, w: i32): u32 {
  const l = min<u32>(wLen(w), tokLen);
  const p = entry(c).syntaxPtr;
  const s = wStart(w);
  let i: u32 = 0;
  while (i < l && inputChar(s + i) == ch(p, tokStart + i)) i++;
  return i;
}

/** Lexicographic order of two syntax texts: <0, 0, >0. */
function textCompare(p1: usize, s1: u32, l1: u32, p2: usize, s2: u32, l2: u32): i32 {
  const n = min<u32>(l1, l2);
  for (let i: u32 = 0; i < n; i++) {
    const d = <i32>ch(p1, s1 + i) - <i32>ch(p2, s2 + i);
    if (d != 0) return d;
  }
  return <i32>l1 - <i32>l2;
}

/** Splits buf[0, len) into words; false when there are more than COMMAND_WORDS_MAX (errorPos set). */
function splitWords(p: usize, len: u32): bool {
  buf = p;
  bufLen = len;
  wordCount = 0;
  let i: u32 = 0;
  while (i < len) {
    while (i < len && load<u8>(p + i) == 0x20) i++;
    if (i >= len) break;
    const s = i;
    while (i < len && load<u8>(p + i) != 0x20) i++;
    if (wordCount == COMMAND_WORDS_MAX) {
      errorPos = s;
      return false;
    }
    store<u32>(wordStart + (<usize>wordCount << 2), s);
    store<u32>(wordLen + (<usize>wordCount << 2), i - s);
    wordCount++;
  }
  return true;
}

function resetCandidates(mode: u32, requireNo: bool): void {
  const bit: u32 = 1 << mode;
  for (let c = 0; c < commandCount; c++) {
    const e = entry(c);
    let ok = (e.modes & bit) != 0;
    if (requireNo) ok = ok && (e.flags & FLAG_NO) != 0;
    store<u8>(alive + c, ok ? 1 : 0);
  }
}

/** Narrows the candidates by input word w at token position tok. */
function matchWord(tok: i32, w: i32): u32 {
  let exact = false;
  let prefixFirst = -1;
  let prefixStart: u32 = 0;
  let prefixLen: u32 = 0;
  let prefixDistinct = 0;
  let argAny = false;
  let lineAny = false;
  let matchedChars: u32 = 0;
  for (let c = 0; c < commandCount; c++) {
    if (load<u8>(alive + c) == 0) continue;
    if (!syntaxToken(c, tok)) {
      store<u8>(alive + c, 0);
      continue;
    }
    let mark: u8 = 1;
    if (tokKind == TK_KEYWORD) {
      const common = commonPrefix(c, w);
      matchedChars = max<u32>(matchedChars, common);
      if (common == wLen(w)) { // w abbreviates the keyword
        if (wLen(w) == tokLen) {
          mark = MARK_EXACT;
          exact = true;
        } else {
          mark = MARK_PREFIX;
          if (prefixFirst < 0) {
            prefixFirst = c;
            prefixStart = tokStart;
            prefixLen = tokLen;
            prefixDistinct = 1;
          } else if (textCompare(entry(prefixFirst).syntaxPtr, prefixStart, prefixLen, entry(c).syntaxPtr, tokStart, tokLen) != 0) {
            prefixDistinct = 2;
          }
        }
      }
    } else if (tokKind == TK_LINE) {
      mark = MARK_LINE;
      lineAny = true;
    } else if (argAccepts(c, w)) {
      mark = MARK_ARG;
      argAny = true;
    }
    store<u8>(alive + c, mark);
  }
  let level: u8 = 0;
  if (exact) level = MARK_EXACT;
  else if (prefixDistinct == 1) level = MARK_PREFIX;
  else if (prefixDistinct > 1) {
    errorPos = wStart(w);
    return PARSE_AMBIGUOUS;
  } else if (argAny) level = MARK_ARG;
  else if (lineAny) level = MARK_LINE;
  for (let c = 0; c < commandCount; c++) {
    const m = load<u8>(alive + c);
    store<u8>(alive + c, m != 0 && m == level ? 1 : 0);
  }
  if (level == 0) {
    // IOS puts the caret under the first character no keyword of this position accepts.
    errorPos = wStart(w) + min<u32>(matchedChars, wLen(w) - 1);
    return PARSE_INVALID;
  }
  if (level == MARK_LINE) lineStopped = true;
  return PARSE_OK;
}

function firstCandidate(): i32 {
  for (let c = 0; c < commandCount; c++) if (load<u8>(alive + c) != 0) return c;
  return -1;
}

/** Matches the first `count` words in `mode`; leaves the candidates and nextToken. */
function matchWords(mode: u32, count: i32): u32 {
  negated = false;
  firstWord = 0;
  lineStopped = false;
  resetCandidates(mode, false);
  let tok = 0;
  for (let w = 0; w < count && !lineStopped; w++) {
    const r = matchWord(tok, w);
    if (r != PARSE_OK) return r;
    const c = firstCandidate();
    if (w == 0 && c >= 0 && (entry(c).flags & FLAG_NO_KEYWORD) != 0) {
      negated = true;
      firstWord = 1;
      resetCandidates(mode, true);
      continue;
    }
    tok++;
  }
  nextToken = tok;
  return PARSE_OK;
}

/** The first candidate that is complete at nextToken, or -1. */
function firstComplete(): i32 {
  for (let c = 0; c < commandCount; c++) {
    if (load<u8>(alive + c) != 0 && completeAt(c, nextToken)) return c;
  }
  return -1;
}

/** Is candidate c complete when its next token is `tok`? */
function completeAt(c: i32, tok: i32): bool {
  if ((entry(c).flags & FLAG_NO_KEYWORD) != 0) return false;
  if (lineStopped) return true;
  if (!syntaxToken(c, tok)) return true;
  if (tokOptional) return true;
  if (!negated) return false;
  if (tokAfterMark) return true;
  // A no form needs its keywords, not its arguments.
  for (let t = tok; syntaxToken(c, t); t++) {
    if (tokKind == TK_KEYWORD && !tokOptional) return false;
  }
  return true;
}

/**
 * Parses the command line buf[0, len) in `mode`. PARSE_OK: parsedHandler() and the arg* functions
 * describe the command; PARSE_INVALID / PARSE_AMBIGUOUS: parseErrorPos() is where the bad word
 * starts; PARSE_INCOMPLETE: more words are needed; PARSE_EMPTY: nothing but spaces.
 */
export function parseLine(mode: u32, p: usize, len: u32): u32 {
  chosen = -1;
  if (!splitWords(p, len)) return PARSE_INVALID;
  if (wordCount == 0) return PARSE_EMPTY;
  const r = matchWords(mode, wordCount);
  if (r != PARSE_OK) return r;
  chosen = firstComplete();
  if (chosen < 0) return PARSE_INCOMPLETE;
  fillSlots();
  return PARSE_OK;
}

function fillSlots(): void {
  for (let t = 0; t < COMMAND_WORDS_MAX; t++) {
    const w = firstWord + t;
    let s: u32 = 0;
    let l: u32 = 0xffff_ffff;
    if (w < wordCount && syntaxToken(chosen, t)) {
      s = wStart(w);
      l = tokKind == TK_LINE ? trimmedEnd() - s : wLen(w);
    }
    store<u32>(slotStart + (<usize>t << 2), s);
    store<u32>(slotLen + (<usize>t << 2), l);
  }
}

function trimmedEnd(): u32 {
  let end = bufLen;
  while (end > 0 && load<u8>(buf + end - 1) == 0x20) end--;
  return end;
}

export function parseErrorPos(): u32 {
  return errorPos;
}

/** Function-table index of what runs the parsed command (one for all: commands.ts runCommand). */
export function parsedHandler(): u32 {
  return commandRunner;
}

/** The parsed command's handler id (commands.ts enum H). */
export function parsedCommand(): u32 {
  return entry(chosen).handler;
}

export function parsedTag(): u32 {
  return entry(chosen).tag;
}

/** True for `no <command>`. */
export function argNegated(): bool {
  return negated;
}

/** Was syntax word t (0-based, `no` not counted) given? */
export function argGiven(t: i32): bool {
  return load<u32>(slotLen + (<usize>t << 2)) != 0xffff_ffff;
}

export function argPtr(t: i32): usize {
  return buf + <usize>load<u32>(slotStart + (<usize>t << 2));
}

export function argLen(t: i32): u32 {
  const l = load<u32>(slotLen + (<usize>t << 2));
  return l == 0xffff_ffff ? 0 : l;
}

/** The number in syntax word t (a `<lo-hi>` argument, already range-checked). */
export function argU32(t: i32): u32 {
  const s = load<u32>(slotStart + (<usize>t << 2));
  return <u32>parseDecimal(s, argLen(t));
}

export function argIp(t: i32): u32 {
  return <u32>parseIpAt(buf, load<u32>(slotStart + (<usize>t << 2)), argLen(t));
}

// --- help ---

// The listing of the last helpPrepare: candidates' tokens at position nextToken, filtered by the
// partial word when there is one.
let helpPartial = false;
let helpPartialWord: i32 = 0;
/** The token helpNext found: its entry, and its text within that entry's syntax. */
let helpCmd: i32 = -1;
let helpStart: u32 = 0;
let helpLen: u32 = 0;

/**
 * Prepares `?` help for buf[0, len): with `partial`, the last word is being typed (`sh?`) and the
 * listing is the words it could become; otherwise (`show ?`) every word that may come next.
 * Returns PARSE_OK, or the error of the words before.
 */
export function helpPrepare(mode: u32, p: usize, len: u32, partial: bool): u32 {
  if (!splitWords(p, len)) return PARSE_INVALID;
  helpPartial = partial && wordCount > 0;
  helpPartialWord = wordCount - 1;
  return matchWords(mode, helpPartial ? wordCount - 1 : wordCount);
}

/** Is entry c's token at nextToken in the listing (sets tok*)? */
function listed(c: i32): bool {
  if (load<u8>(alive + c) == 0 || lineStopped) return false;
  if (!syntaxToken(c, nextToken)) return false;
  if (!helpPartial) return true;
  if (tokKind == TK_KEYWORD) return wordAbbreviates(c, helpPartialWord);
  return argAccepts(c, helpPartialWord);
}

/**
 * Finds the smallest listed token text after the last one found (from the start when `first`), so
 * the listing comes out sorted and without duplicates. False when there is none left.
 */
export function helpNext(first: bool): bool {
  let bestCmd = -1;
  let bestStart: u32 = 0;
  let bestLen: u32 = 0;
  const lastPtr = helpCmd >= 0 ? entry(helpCmd).syntaxPtr : 0;
  for (let c = 0; c < commandCount; c++) {
    if (!listed(c)) continue;
    const p = entry(c).syntaxPtr;
    if (!first && textCompare(p, tokStart, tokLen, lastPtr, helpStart, helpLen) <= 0) continue;
    if (bestCmd >= 0 && textCompare(p, tokStart, tokLen, entry(bestCmd).syntaxPtr, bestStart, bestLen) >= 0) continue;
    bestCmd = c;
    bestStart = tokStart;
    bestLen = tokLen;
  }
  if (bestCmd < 0) return false;
  helpCmd = bestCmd;
  helpStart = bestStart;
  helpLen = bestLen;
  return true;
}

/** Forgets the position of helpNext (call before a listing starts over). */
export function helpRewind(): void {
  helpCmd = -1;
}

// A listing spans several polls, and other lines parse in between: the generator keeps where it
// was (entry, text start, text length) and restores it after its own helpPrepare.
export function helpLastCmd(): i32 {
  return helpCmd;
}
export function helpLastStart(): u32 {
  return helpStart;
}
export function helpRestore(c: i32, start: u32, len: u32): void {
  helpCmd = c;
  helpStart = start;
  helpLen = len;
}

/** Length of the token helpNext found. */
export function helpTokenLen(): u32 {
  return helpLen;
}

/** True when the found token is a keyword (Tab completes only keywords). */
export function helpTokenIsKeyword(): bool {
  return tokenKind(entry(helpCmd).syntaxPtr, helpStart, helpLen) == TK_KEYWORD;
}

export function putHelpToken(w: Writer): void {
  const p = entry(helpCmd).syntaxPtr;
  for (let i: u32 = 0; i < helpLen; i++) putByte(w, ch(p, helpStart + i));
}

/** Writes the found token's character `i` (Tab completion appends the rest of a keyword). */
export function helpTokenChar(i: u32): u32 {
  return ch(entry(helpCmd).syntaxPtr, helpStart + i);
}

/** Writes the help text of the found token: the first non-empty segment any listed entry gives. */
export function putHelpText(w: Writer): void {
  const p = entry(helpCmd).syntaxPtr;
  for (let c = 0; c < commandCount; c++) {
    if (!listed(c)) continue;
    if (textCompare(entry(c).syntaxPtr, tokStart, tokLen, p, helpStart, helpLen) != 0) continue;
    if (putHelpSegment(w, c, nextToken)) return;
  }
}

function putHelpSegment(w: Writer, c: i32, index: i32): bool {
  const e = entry(c);
  return putSegment(w, e.helpPtr, e.helpLen, <u32>index); // a help text may hold word codes
}

/** In a next-word listing: may the line end here (`<cr>`)? */
export function helpCanEnd(): bool {
  return !helpPartial && wordCount > 0 && firstComplete() >= 0;
}

/** Start of the partial word (Tab completion) and its length. */
export function helpPartialLen(): u32 {
  return helpPartial ? wLen(helpPartialWord) : 0;
}
