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
const LENGTH_MAX = 255;

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
    /** @type {{ node: any, set: (n: any) => void }[]} */
    const sites = [];
    for (const source of parser.sources) {
      if (!source.normalizedPath.startsWith("firmware/")) continue;
      collect(source.statements, sites);
    }
    const texts = [...new Set(sites.map((s) => s.node.value))].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    /** @type {Map<string, number>} */
    const handles = new Map();
    /** @type {number[]} */
    const bytes = [];
    for (const text of texts) {
      handles.set(text, bytes.length);
      bytes.push(text.length);
      for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i));
    }
    for (const site of sites) {
      const text = site.node.value;
      if (!/^[\x00-\x7f]*$/.test(text)) throw sourceError(site.node.range, `non-ASCII character in a string literal (the text table is ASCII): ${JSON.stringify(text)}`);
      if (text.length > LENGTH_MAX) throw sourceError(site.node.range, `string literal longer than ${LENGTH_MAX} characters (the text table's length byte)`);
      site.set(Node.createIntegerLiteralExpression(i64(handles.get(text) ?? 0), site.node.range));
    }
    const table = parser.sources.find((/** @type {any} */ s) => s.normalizedPath === TABLE_SOURCE);
    if (table) fillTable(table, bytes);
    else if (sites.length > 0) throw new Error(`text-table transform: ${sites.length} string literals but ${TABLE_SOURCE} is not in the program`);
  }
}

/**
 * Finds the string literals under `node` and how to replace each (its parent's slot). Skips what
 * must stay an AS String (see the header). AST nodes are plain objects: every field that is a node
 * (an object with a numeric `kind`) or an array of nodes is walked; `range` leads back to the Source.
 * @param {any} node @param {{ node: any, set: (n: any) => void }[]} sites
 */
function collect(node, sites) {
  if (Array.isArray(node)) {
    node.forEach((child, i) => visit(child, (/** @type {any} */ n) => (node[i] = n), sites));
    return;
  }
  if (node.kind === NodeKind.Decorator || node.kind === NodeKind.Import || node.kind === NodeKind.Export) return;
  const assertCall = isAssertCall(node);
  for (const key of Object.keys(node)) {
    if (key === "range" || key === "decorators") continue;
    const child = node[key];
    if (assertCall && key === "args") {
      child.forEach((arg, /** @type {number} */ i) => {
        if (i !== 1) visit(arg, (/** @type {any} */ n) => (child[i] = n), sites);
      });
      continue;
    }
    visit(child, (/** @type {any} */ n) => (node[key] = n), sites);
  }
}

/** @param {any} child @param {(n: any) => void} set @param {{ node: any, set: (n: any) => void }[]} sites */
function visit(child, set, sites) {
  if (child === null || typeof child !== "object") return;
  if (!Array.isArray(child) && typeof child.kind !== "number") return;
  if (!Array.isArray(child) && isStringLiteral(child)) sites.push({ node: child, set });
  else collect(child, sites);
}

/** Replaces the array literal of `const TEXT_TABLE = memory.data<u8>([...])` with the table's bytes. */
/** @param {any} source @param {number[]} bytes */
function fillTable(source, bytes) {
  for (const statement of source.statements) {
    if (statement.kind !== NodeKind.Variable) continue;
    for (const declaration of statement.declarations) {
      if (declaration.name.text !== TABLE_NAME) continue;
      const call = declaration.initializer;
      const array = call.args[0];
      const range = array.range;
      // An empty program still gets one byte: memory.data<u8>([]) would not give a distinct address.
      const values = bytes.length > 0 ? bytes : [0];
      call.args[0] = Node.createArrayLiteralExpression(values.map((b) => Node.createIntegerLiteralExpression(i64(b), range)), range);
      return;
    }
  }
  throw new Error(`text-table transform: no \`const ${TABLE_NAME} = memory.data<u8>([...])\` in ${TABLE_SOURCE}`);
}
