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
// An assert with a literal message, `assert(cond, "message")`, becomes `firmwareAssert(cond, T)`
// (hal/abort.ts), T the printed text "message at file:line:column": the same panic text AS's abort
// would build from two UTF-16 Strings and the line numbers. Left as AS strings (not rewritten):
// decorator arguments (`@external("hal", "log")`), import and export paths, offsetof's field names
// (`offsetof<Line>("speed")`), and template literals
// (`\`...\``: the one way to write a real String in firmware code, e.g. the heap-guard test that
// must allocate).
//
// A non-ASCII literal or one longer than 255 characters is a build error naming file:line:column.
import { Transform } from "assemblyscript/transform";
import { Node, NodeKind, LiteralKind, AssertionKind } from "assemblyscript";

/** The module that holds the table, and the name of its `memory.data<u8>([...])` constant. */
const TABLE_SOURCE = "firmware/lib/text-table.ts";
const TABLE_NAME = "TEXT_TABLE";
const WORDS_NAME = "TEXT_WORDS";
const LENGTH_MAX = 255;
/** Codes 0x80..0xff, then 0x0e..0x1f (control characters no printed text holds), stand for
 * dictionary entries 0..127, 128..145 in printed texts (firmware/lib/text.ts putTextByte). */
const WORDS_MAX = 146;
/** @param {number} k @returns {string} the code of dictionary entry k */
const codeOf = (k) => String.fromCharCode(k < 128 ? 0x80 + k : 0x0e + k - 128);
/** @param {number} c @returns {number} the dictionary entry of code c, or -1 */
const entryOf = (c) => (c >= 0x80 ? c - 0x80 : c >= 0x0e && c < 0x20 ? c - 0x0e + 128 : -1);
/** What `assert(condition, "message")` becomes (a global of firmware/hal/abort.ts). */
const ASSERT_FUNCTION = "firmwareAssert";
/** The longest substring the dictionary considers. */
const SUBSTRING_MAX = 32;
/** How deep dictionary entries may nest (codes inside an entry's text), so putTextByte's recursion is bounded. */
const DEPTH_MAX = 8;

/**
 * The functions whose text argument is only ever printed (through putStr's expansion of word codes),
 * and its position: a literal there may hold dictionary codes. Everything else gets plain ASCII.
 * @type {Map<string, number>}
 */
const PRINTED_ARGUMENT = new Map([["putStr", 1], ["putTpl", 1], ["putPick", 1], ["logText", 1], ["say", 0], ["sayTpl", 0]]);

/**
 * Static tables of rows in bytes: `const NAME = memory.data<u8>([...])` whose values form rows of
 * `widths.length` columns. A column of width 1 holds a small constant (cast to u8: constants such as
 * M_EXEC are u32 and an enum member is i32), a column of width 2 a string literal, written as its
 * handle in two bytes (low first), or 0; the literals of the `printed` columns are printed texts
 * (word codes allowed). commands.ts's COMMAND_ROWS: modes, syntax, help, handler, tag (7 bytes a
 * row); the parser expands the syntax once at boot (parser.ts cmd).
 * @typedef {{ widths: number[], printed: number[] }} RowShape
 * @type {Map<string, RowShape>}
 */
const ROW_TABLES = new Map([["COMMAND_ROWS", { widths: [1, 2, 2, 1, 1], printed: [1, 2] }]]);

/** @typedef {{ node: any, set: (n: any, handle: number) => void, printed: boolean }} Site */

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

/** @param {any} node @returns {boolean} */
function isOffsetofCall(node) {
  return node.kind === NodeKind.Call && node.expression.kind === NodeKind.Identifier && node.expression.text === "offsetof";
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
    const dictionary = chooseDictionary([...new Set(sites.filter((s) => s.printed).map((s) => s.node.value))]);
    const words = dictionary.words;
    /** @param {Site} site @returns {string} the entry's bytes (one char per byte) */
    const encoded = (site) => (site.printed ? dictionary.encoded.get(site.node.value) ?? "" : site.node.value);
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
    for (const site of sites) {
      const handle = handles.get(encoded(site)) ?? 0;
      site.set(Node.createIntegerLiteralExpression(i64(handle), site.node.range), handle);
    }
    const table = parser.sources.find((/** @type {any} */ s) => s.normalizedPath === TABLE_SOURCE);
    if (table) {
      fillArray(table, TABLE_NAME, bytes.length > 0 ? bytes : [0]);
      fillArray(table, WORDS_NAME, words.length > 0 ? words.map((w) => handles.get(w) ?? 0) : [0]);
    } else if (sites.length > 0) throw new Error(`text-table transform: ${sites.length} string literals but ${TABLE_SOURCE} is not in the program`);
  }
}

/**
 * The dictionary of printed texts, picked greedily like byte-pair encoding: up to 128 times, the
 * substring (2..SUBSTRING_MAX characters, of the printed texts and of the dictionary so far) that
 * saves the most bytes gets the next code, and every text and earlier dictionary entry is rewritten
 * with it. An entry may therefore hold codes of other entries ("% Invalid input" inside a longer
 * phrase); the writer expands them recursively (lib/text.ts putTextByte), and the depth is bounded
 * here (DEPTH_MAX). A use of a substring of n characters costs 1 byte instead of n; the substring
 * costs its own entry (n + 1) and a 2-byte slot in TEXT_WORDS. Occurrences are counted without
 * overlap, left to right. Never in a substring: the `|` that separates help segments (parser.ts)
 * and control characters other than CR and LF (putTpl's placeholders 1..6). Ties go by text, so
 * the table is the same for the same sources.
 * @param {string[]} texts distinct printed texts @returns {{ encoded: Map<string, string>, words: string[] }}
 */
function chooseDictionary(texts) {
  const units = texts.slice();
  /** @type {Map<string, number>} */
  const counts = new Map();
  /** Substrings seen at least twice: the only ones that can save anything. @type {Set<string>} */
  const candidates = new Set();
  for (const t of texts) if (/[\x0e-\x1f]/.test(t)) throw new Error(`text-table transform: a printed text holds a control character that is a dictionary code: ${JSON.stringify(t)}`);
  const excluded = (/** @type {number} */ c) => (c < 0x0e && c !== 10 && c !== 13) || c === 0x7c;
  /** Adds (sign 1) or removes (-1) the substrings of one unit to the counts. @param {string} t @param {number} sign */
  const count = (t, sign) => {
    /** @type {Map<string, number>} */
    const last = new Map();
    for (let i = 0; i + 1 < t.length; i++) {
      if (excluded(t.charCodeAt(i))) continue;
      for (let n = 2; n <= SUBSTRING_MAX && i + n <= t.length; n++) {
        if (excluded(t.charCodeAt(i + n - 1))) break;
        const sub = t.slice(i, i + n);
        const at = last.get(sub);
        if (at !== undefined && at + n > i) continue;
        last.set(sub, i);
        const c = (counts.get(sub) ?? 0) + sign;
        counts.set(sub, c);
        if (c >= 2) candidates.add(sub);
        else candidates.delete(sub);
      }
    }
  };
  for (const u of units) count(u, 1);
  /** @type {string[]} */
  const words = [];
  while (words.length < WORDS_MAX) {
    let best = "";
    let bestGain = 0;
    for (const sub of candidates) {
      const gain = (counts.get(sub) ?? 0) * (sub.length - 1) - (sub.length + 3);
      if (gain > bestGain || (gain === bestGain && gain > 0 && sub < best)) {
        bestGain = gain;
        best = sub;
      }
    }
    if (bestGain <= 0) break;
    const code = codeOf(words.length);
    for (let j = 0; j < units.length; j++) {
      const u = /** @type {string} */ (units[j]);
      if (!u.includes(best)) continue;
      count(u, -1);
      units[j] = u.split(best).join(code);
      count(/** @type {string} */ (units[j]), 1);
    }
    units.push(best);
    count(best, 1);
    words.push("");
  }
  for (let k = 0; k < words.length; k++) words[k] = /** @type {string} */ (units[texts.length + k]);
  /** @param {string} t @returns {number} */
  const depth = (t) => {
    let d = 0;
    for (const c of t) if (entryOf(c.charCodeAt(0)) >= 0) d = Math.max(d, 1 + depth(/** @type {string} */ (words[entryOf(c.charCodeAt(0))])));
    return d;
  };
  for (const w of words) if (depth(w) >= DEPTH_MAX) throw new Error(`text-table transform: dictionary nesting deeper than ${DEPTH_MAX}`);
  return { encoded: new Map(texts.map((t, i) => [t, /** @type {string} */ (units[i])])), words };
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
  if (isOffsetofCall(node)) return; // offsetof<T>("field") names a field: the compiler reads the literal
  if (node.kind === NodeKind.VariableDeclaration && ROW_TABLES.has(node.name.text)) {
    collectRows(node, sites, /** @type {RowShape} */ (ROW_TABLES.get(node.name.text)));
    return;
  }
  const assertCall = isAssertCall(node);
  if (assertCall && node.args.length === 2 && isStringLiteral(node.args[1])) {
    // assert(condition, "message") -> firmwareAssert(condition, "message at file:line:column"): the
    // panic text AS's abort would have built, as one printed text (hal/abort.ts).
    const range = node.range;
    const line = range.source.lineAt(range.start);
    const where = `${node.args[1].value} at ${range.source.normalizedPath}:${line}:${range.source.columnAt()}`;
    node.expression = Node.createIdentifierExpression(ASSERT_FUNCTION, node.expression.range);
    node.args[1] = Node.createStringLiteralExpression(where, node.args[1].range);
    visit(node.args[0], (/** @type {any} */ n) => (node.args[0] = n), sites, false);
    sites.push({ node: node.args[1], set: (/** @type {any} */ n) => (node.args[1] = n), printed: true });
    return;
  }
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

/** The rows of a ROW_TABLES declaration, as bytes: a 1-byte column is its value cast to u8, a
 * 2-byte column (a text) its handle, low byte first; 0 stands for no text (the closing row).
 * @param {any} declaration @param {Site[]} sites @param {RowShape} shape */
function collectRows(declaration, sites, shape) {
  const call = declaration.initializer;
  const array = call && call.kind === NodeKind.Call ? call.args[0] : null;
  const type = call && call.typeArguments && call.typeArguments[0];
  if (!array || !(array.kind === NodeKind.Literal && array.literalKind === LiteralKind.Array) || !type) throw sourceError(declaration.range, `${declaration.name.text} must be memory.data<u8>([...])`);
  const columns = shape.widths.length;
  const values = array.elementExpressions;
  if (values.length % columns !== 0) throw sourceError(declaration.range, `${declaration.name.text}: ${values.length} values do not make rows of ${columns}`);
  /** @type {any[]} */
  const bytes = [];
  const byte = (/** @type {any} */ expression) => {
    const cast = Node.createAssertionExpression(AssertionKind.Prefix, expression, type, expression.range);
    bytes.push(cast);
    return cast;
  };
  values.forEach((/** @type {any} */ value, /** @type {number} */ i) => {
    const column = i % columns;
    if (shape.widths[column] === 1) {
      if (isStringLiteral(value)) throw sourceError(value.range, `${declaration.name.text}: column ${column} holds a byte, not a text`);
      const cast = byte(value);
      visit(value, (/** @type {any} */ n) => (cast.expression = n), sites, false);
      return;
    }
    const zero = value.kind === NodeKind.Literal && value.literalKind === LiteralKind.Integer;
    if (!isStringLiteral(value) && !zero) throw sourceError(value.range, `${declaration.name.text}: column ${column} holds texts (or 0)`);
    const low = byte(value);
    const high = byte(value);
    if (zero) return;
    const set = (/** @type {any} */ n, /** @type {number} */ handle) => {
      low.expression = Node.createIntegerLiteralExpression(i64(handle & 0xff), n.range);
      high.expression = Node.createIntegerLiteralExpression(i64(handle >> 8), n.range);
    };
    sites.push({ node: value, set, printed: shape.printed.includes(column) });
  });
  array.elementExpressions = bytes;
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
