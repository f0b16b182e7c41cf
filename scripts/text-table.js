// @ts-check
// The text-table transform for asc (asconfig.json "transform", so every compile uses it: release,
// debug, test entries, bench variants): it turns every string literal in the firmware's own sources
// (firmware/**, not ~lib) into an integer handle into ONE packed ASCII table, and fills that table.
//
// Why: an AssemblyScript string literal is a String object in static memory: a 20-byte header,
// UTF-16 text, and (in the release build) a data segment or two of its own. For the ~470 texts of
// the exec, help and logs that was 34 KB of flash and the same 34 KB of the 128 KiB RAM. Packed as
// ASCII with a length byte they take a third of that, and a call site passes a 2-byte i32.const.
//
// The table's format, the Text type and its readers are in firmware/lib/text-table.ts (read it
// first). In short: entry = one length byte, then that many ASCII bytes; handle = the entry's
// offset in the table; identical literals share one entry; entries are sorted shortest first, so
// the handles used most (short words) stay below 8192 and their i32.const immediates in 2 bytes.
//
// Left as AS strings (not rewritten): the message of `assert(cond, "message")` (AS's abort takes
// a String, and its file name comes from the compiler as a String too), decorator arguments
// (`@external("hal", "log")`), import and export paths, and template literals (`\`...\``: the one
// way to write a real String in firmware code, e.g. the heap-guard test that must allocate).
//
// A non-ASCII literal or one longer than 255 characters is a build error naming file:line:column.
import { Transform } from "assemblyscript/transform";
import { Node, NodeKind, LiteralKind } from "assemblyscript";

/** The module that holds the table, and the name of its `memory.data<u8>([...])` constant. */
const TABLE_SOURCE = "firmware/lib/text-table.ts";
const TABLE_NAME = "TEXT_TABLE";
const WORDS_NAME = "TEXT_WORDS";
const LENGTH_MAX = 255;
/** Codes 0x80..0xff stand for dictionary words in printed texts. */
const WORDS_MAX = 128;
/** A dictionary candidate: a word of letters (and inner hyphens), with its trailing space if any. */
const WORD = /[A-Za-z][A-Za-z-]*[A-Za-z] ?/g;

/**
 * The functions whose text argument is only ever printed (through putStr's expansion of word codes),
 * and its position: a literal there may hold dictionary codes. Everything else gets plain ASCII.
 * @type {Map<string, number>}
 */
const PRINTED_ARGUMENT = new Map([["putStr", 1], ["putTpl", 1], ["logText", 1], ["cmd", 2], ["cmdNoKeyword", 1]]);

/** @typedef {{ node: any, set: (n: any) => void, printed: boolean }} Site */

/** i64 values in AssemblyScript's JS build are long.js objects made by this global (its glue). */
// @ts-ignore: a global of the AssemblyScript compiler's JavaScript glue
const i64 = (/** @type {number} */ n) => globalThis.i64_new(n, 0);

/** @param {any} node @returns {boolean} */
function isStringLiteral(node) {
  return node.kind === NodeKind.Literal && node.literalKind === LiteralKind.String;
}

/** @param {any} node @returns {boolean} */
function isAssertCall(node) {
  return node.kind === NodeKind.Call && node.expression.kind === NodeKind.Identifier && node.expression.text === "assert";
}

/** @param {any} range @param {string} message @returns {Error} */
function sourceError(range, message) {
  const line = range.source.lineAt(range.start);
  return new Error(`${range.source.normalizedPath}:${line}:${range.source.columnAt()}: ${message}`);
}

export default class TextTable extends Transform {
  /** @param {any} parser */
  afterParse(parser) {
    /** @type {Site[]} */
    const sites = [];
    for (const source of parser.sources) {
      if (!source.normalizedPath.startsWith("firmware/")) continue;
      collect(source.statements, sites, false);
    }
    for (const site of sites) {
      const text = site.node.value;
      if (!/^[\x00-\x7f]*$/.test(text)) throw sourceError(site.node.range, `non-ASCII character in a string literal (the text table is ASCII): ${JSON.stringify(text)}`);
      if (text.length > LENGTH_MAX) throw sourceError(site.node.range, `string literal longer than ${LENGTH_MAX} characters (the text table's length byte)`);
    }
    const words = chooseWords([...new Set(sites.filter((s) => s.printed).map((s) => s.node.value))]);
    /** @param {Site} site @returns {string} the entry's bytes (one char per byte) */
    const encoded = (site) => (site.printed ? encode(site.node.value, words) : site.node.value);
    const entries = [...new Set([...sites.map(encoded), ...words])].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    /** @type {Map<string, number>} */
    const handles = new Map();
    /** @type {number[]} */
    const bytes = [];
    for (const entry of entries) {
      handles.set(entry, bytes.length);
      bytes.push(entry.length);
      for (let i = 0; i < entry.length; i++) bytes.push(entry.charCodeAt(i));
    }
    for (const site of sites) site.set(Node.createIntegerLiteralExpression(i64(handles.get(encoded(site)) ?? 0), site.node.range));
    const table = parser.sources.find((/** @type {any} */ s) => s.normalizedPath === TABLE_SOURCE);
    if (table) {
      fillArray(table, TABLE_NAME, bytes.length > 0 ? bytes : [0]);
      fillArray(table, WORDS_NAME, words.length > 0 ? words.map((w) => handles.get(w) ?? 0) : [0]);
    } else if (sites.length > 0) throw new Error(`text-table transform: ${sites.length} string literals but ${TABLE_SOURCE} is not in the program`);
  }
}

/**
 * The dictionary of printed texts: up to 128 words (a word with its trailing space, when it has
 * one), those that save the most bytes first: each use costs 1 byte instead of its length, and the
 * word costs its own entry and a 2-byte slot in TEXT_WORDS. Uses are counted once, before any
 * replacement (an estimate: "connection" inside "connections" counts for both). Ties go by text.
 * @param {string[]} texts @returns {string[]}
 */
function chooseWords(texts) {
  /** @type {Map<string, number>} */
  const uses = new Map();
  for (const text of texts) for (const word of text.match(WORD) ?? []) uses.set(word, (uses.get(word) ?? 0) + 1);
  return [...uses]
    .map(([word, count]) => ({ word, gain: count * (word.length - 1) - (word.length + 3) }))
    .filter((w) => w.gain > 0)
    .sort((x, y) => y.gain - x.gain || (x.word < y.word ? -1 : 1))
    .slice(0, WORDS_MAX)
    .map((w) => w.word);
}

/** A printed text with each dictionary word replaced by its code (0x80 + index), longest words first.
 * @param {string} text @param {string[]} words @returns {string} */
function encode(text, words) {
  const order = words.map((w, i) => /** @type {const} */ ([w, i])).sort((a, b) => b[0].length - a[0].length || a[1] - b[1]);
  let out = text;
  for (const [word, i] of order) out = out.split(word).join(String.fromCharCode(0x80 + i));
  return out;
}

/**
 * Finds the string literals under `node` and how to replace each (its parent's slot). Skips what
 * must stay an AS String (see the header). AST nodes are plain objects: every field that is a node
 * (an object with a numeric `kind`) or an array of nodes is walked; `range` leads back to the Source.
 * `printed`: the node is (a branch of a conditional that is) a text argument of a printing function.
 * @param {any} node @param {Site[]} sites @param {boolean} printed
 */
function collect(node, sites, printed) {
  if (Array.isArray(node)) {
    node.forEach((child, i) => visit(child, (/** @type {any} */ n) => (node[i] = n), sites, false));
    return;
  }
  if (node.kind === NodeKind.Decorator || node.kind === NodeKind.Import || node.kind === NodeKind.Export) return;
  const assertCall = isAssertCall(node);
  const printedArg = node.kind === NodeKind.Call && node.expression.kind === NodeKind.Identifier ? PRINTED_ARGUMENT.get(node.expression.text) : undefined;
  for (const key of Object.keys(node)) {
    if (key === "range" || key === "decorators") continue;
    const child = node[key];
    if (key === "args" && (assertCall || printedArg !== undefined)) {
      child.forEach((/** @type {any} */ arg, /** @type {number} */ i) => {
        if (assertCall && i === 1) return;
        visit(arg, (/** @type {any} */ n) => (child[i] = n), sites, i === printedArg);
      });
      continue;
    }
    // A conditional passes `printed` on to its two results (not to its condition); so do parentheses.
    const passOn = printed && ((node.kind === NodeKind.Ternary && key !== "condition") || node.kind === NodeKind.Parenthesized);
    visit(child, (/** @type {any} */ n) => (node[key] = n), sites, passOn);
  }
}

/** @param {any} child @param {(n: any) => void} set @param {Site[]} sites @param {boolean} printed */
function visit(child, set, sites, printed) {
  if (child === null || typeof child !== "object") return;
  if (!Array.isArray(child) && typeof child.kind !== "number") return;
  if (!Array.isArray(child) && isStringLiteral(child)) sites.push({ node: child, set, printed });
  else collect(child, sites, printed);
}

/** Replaces the array literal of `const NAME = memory.data<T>([...])` in the table's source.
 * @param {any} source @param {string} name @param {number[]} values */
function fillArray(source, name, values) {
  for (const statement of source.statements) {
    if (statement.kind !== NodeKind.Variable) continue;
    for (const declaration of statement.declarations) {
      if (declaration.name.text !== name) continue;
      const call = declaration.initializer;
      const range = call.args[0].range;
      call.args[0] = Node.createArrayLiteralExpression(values.map((b) => Node.createIntegerLiteralExpression(i64(b), range)), range);
      return;
    }
  }
  throw new Error(`text-table transform: no \`const ${name} = memory.data<...>([...])\` in ${TABLE_SOURCE}`);
}
