// Drops the object headers of AssemblyScript's static function objects from the release module's data.
//
// Every function the firmware passes as a value (a command handler, an output generator, a hook)
// is a static object in memory: a 4-byte block header (mmInfo), a 16-byte object header (gcInfo,
// gcInfo2, rtId, rtSize = 8), then the two words the code reads: the function's table index and its
// closure environment (always 0: the firmware has no closures). With the stub runtime nothing reads
// the headers (no GC, no `instanceof` on functions), yet each one costs a data segment of its own
// (~16 bytes) in flash. This keeps only the index: for each function object the header bytes are
// removed from the data segments, so they read as zero in memory, like any unused static byte.
//
// A function object is recognised by its exact layout in the data (std/assembly/rt/common.ts): a
// segment that starts at rtId (memory packing cut the zero words before it), mmInfo 28, zero gcInfo
// words, rtSize 8, an rtId other than String's (2), a table index below the table's size and a zero
// environment. The firmware has no other static objects (no array literals, no `new` at compile time).
// Binary format: WebAssembly core spec 5.5 (data section 11, data count section 12).
import { WasmReader } from "./wasm-reader.ts";

interface Segment {
  offset: number;
  bytes: Uint8Array;
}

const STRING_ID = 2;
const OBJECT_HEADER_BYTES = 20; // mmInfo + gcInfo + gcInfo2 + rtId + rtSize
const FUNCTION_PAYLOAD_BYTES = 8;
/** mmInfo of a function object's block (object header 16 + payload 8, plus AssemblyScript's padding). */
const FUNCTION_BLOCK_INFO = 28;

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value >>>= 7;
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (b & 0x40) === 0) || (value === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function readSegments(r: WasmReader, end: number): Segment[] {
  const segments: Segment[] = [];
  const count = r.leb();
  for (let i = 0; i < count; i++) {
    if (r.leb() !== 0 || r.u8() !== 0x41) throw new Error("function-objects: expected active segments at i32.const offsets");
    const offset = r.sleb();
    if (r.u8() !== 0x0b) throw new Error("function-objects: unexpected offset expression");
    const length = r.leb();
    segments.push({ offset, bytes: r.bytes.slice(r.at, r.at + length) });
    r.at += length;
  }
  if (r.at !== end) throw new Error("function-objects: data section size mismatch");
  return segments;
}

function tableSize(bytes: Uint8Array, at: number): number {
  const r = new WasmReader(bytes, at);
  if (r.leb() !== 1) throw new Error("function-objects: expected one table");
  r.u8(); // reftype
  const flags = r.u8();
  return flags & 1 ? (r.leb(), r.leb()) : r.leb();
}

/** The memory image byte at `address`, from the segments (0 where none covers it). */
function byteAt(segments: Segment[], address: number): number {
  for (const s of segments) if (address >= s.offset && address < s.offset + s.bytes.length) return s.bytes[address - s.offset] ?? 0;
  return 0;
}

function u32At(segments: Segment[], address: number): number {
  return (byteAt(segments, address) | (byteAt(segments, address + 1) << 8) | (byteAt(segments, address + 2) << 16) | (byteAt(segments, address + 3) << 24)) >>> 0;
}

/** Returns the module without function-object headers, and how many objects it found. */
export function stripFunctionHeaders(module: Uint8Array): { bytes: Uint8Array; functionObjects: number } {
  const sections: { id: number; start: number; end: number }[] = [];
  const r = new WasmReader(module, 8);
  while (r.at < module.length) {
    const id = r.u8();
    const size = r.leb();
    sections.push({ id, start: r.at, end: r.at + size });
    r.at += size;
  }
  const data = sections.find((s) => s.id === 11);
  const table = sections.find((s) => s.id === 4);
  if (!data) return { bytes: module, functionObjects: 0 };
  const elements = table ? tableSize(module, table.start) : 0;
  const segments = readSegments(new WasmReader(module, data.start), data.end);

  // Headers to drop: [payload - 20, payload) of each function object. A segment that starts with an
  // rtId/rtSize pair is the visible part of an object (memory packing cut off the zero bytes before).
  const headers: [number, number][] = [];
  for (const s of segments) {
    if (s.bytes.length < 9 || s.bytes.length > FUNCTION_PAYLOAD_BYTES + 8) continue;
    const payload = s.offset + 8;
    const looksLikeFunction =
      u32At(segments, s.offset - 12) === FUNCTION_BLOCK_INFO && u32At(segments, s.offset - 8) === 0 && u32At(segments, s.offset - 4) === 0 &&
      u32At(segments, s.offset) !== STRING_ID && u32At(segments, s.offset + 4) === FUNCTION_PAYLOAD_BYTES &&
      u32At(segments, payload) < elements && u32At(segments, payload + 4) === 0;
    if (looksLikeFunction) headers.push([payload - OBJECT_HEADER_BYTES, payload]);
  }
  const kept: Segment[] = [];
  for (const s of segments) {
    let start = s.offset;
    const end = s.offset + s.bytes.length;
    for (const [from, to] of headers) if (start >= from && start < to) start = Math.min(to, end);
    for (const [from] of headers) if (start < from && end > from) throw new Error(`function-objects: segment at ${s.offset} runs into a header at ${from}`);
    if (start < end) kept.push({ offset: start, bytes: s.bytes.subarray(start - s.offset) });
  }

  const body: number[] = [...leb(kept.length)];
  for (const s of kept) body.push(0, 0x41, ...sleb(s.offset), 0x0b, ...leb(s.bytes.length), ...s.bytes);
  const out: number[] = [...module.subarray(0, 8)];
  for (const s of sections) {
    const content = s.id === 11 ? body : s.id === 12 ? leb(kept.length) : [...module.subarray(s.start, s.end)];
    out.push(s.id, ...leb(content.length), ...content);
  }
  return { bytes: Uint8Array.from(out), functionObjects: headers.length };
}
