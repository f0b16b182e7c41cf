// Where a core module's bytes go: the size of each function body (named from the name section),
// and the data segments, with AssemblyScript's string literals picked out. A small reader of the
// binary format (WebAssembly core spec 5.5 "Modules"; the name section is appendix 7.4.1).
//
// AssemblyScript lays a string literal out as an object: a 4-byte block header (mmInfo), a 16-byte
// object header (gcInfo, gcInfo2, rtId = 2 for String, rtSize = byte length), then the text as
// UTF-16. The release build splits each literal's zero runs into separate segments, so the part
// that starts at rtId (`02 00 00 00`, then the byte length) is what this reader recognises.
import { WasmReader } from "../scripts/wasm-reader.ts";

export interface FunctionSize {
  index: number;
  name: string;
  /** Bytes of the body in the code section, with its size prefix. */
  bytes: number;
}

export interface StringLiteral {
  text: string;
  /** Where the text starts in memory (what code passes around as the string). */
  address: number;
  /** UTF-16 payload bytes. */
  payloadBytes: number;
  /** Every byte this literal costs in the data section: its segments' payload and encoding. */
  sectionBytes: number;
  ascii: boolean;
}

export interface WasmAnatomy {
  functions: FunctionSize[];
  segmentCount: number;
  /** Bytes of the data section spent on segment framing (flags, offset expression, length). */
  segmentOverheadBytes: number;
  strings: StringLiteral[];
  /** Data bytes that are not string literals (tables with initial values, their framing). */
  otherDataBytes: number;
  /** Payload bytes of the largest data segment (the firmware's packed text table). */
  largestSegmentBytes: number;
}

function importedFunctionCount(r: WasmReader, end: number): number {
  let count = 0;
  const n = r.leb();
  for (let i = 0; i < n && r.at < end; i++) {
    r.name();
    r.name();
    const kind = r.u8();
    if (kind === 0) {
      r.leb();
      count++;
    } else if (kind === 1) {
      r.u8();
      const flags = r.u8();
      r.leb();
      if (flags & 1) r.leb();
    } else if (kind === 2) {
      const flags = r.u8();
      r.leb();
      if (flags & 1) r.leb();
    } else if (kind === 3) {
      r.u8();
      r.u8();
    } else r.u8();
  }
  return count;
}

function functionNames(r: WasmReader, end: number): Map<number, string> {
  const names = new Map<number, string>();
  if (r.name() !== "name") return names;
  while (r.at < end) {
    const id = r.u8();
    const size = r.leb();
    const next = r.at + size;
    if (id === 1) {
      const n = r.leb();
      for (let i = 0; i < n; i++) {
        const index = r.leb();
        names.set(index, r.name());
      }
    }
    r.at = next;
  }
  return names;
}

function readString(payload: Uint8Array): { text: string; payloadBytes: number } | undefined {
  if (payload.length < 8) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  if (view.getUint32(0, true) !== 2) return undefined;
  const payloadBytes = view.getUint32(4, true);
  if (payloadBytes % 2 !== 0 || payload.length - 8 > payloadBytes) return undefined;
  const text = new Uint8Array(payloadBytes);
  text.set(payload.subarray(8)); // trailing zeros (a literal ending in NUL high bytes) were trimmed
  return { text: new TextDecoder("utf-16le").decode(text), payloadBytes };
}

export function wasmAnatomy(bytes: Uint8Array): WasmAnatomy {
  const r = new WasmReader(bytes, 8);
  let imported = 0;
  const bodies: { index: number; bytes: number }[] = [];
  let names = new Map<number, string>();
  const anatomy: WasmAnatomy = { functions: [], segmentCount: 0, segmentOverheadBytes: 0, strings: [], otherDataBytes: 0, largestSegmentBytes: 0 };
  // The header segment of a literal (its mmInfo, "\1c") comes just before the part with rtId.
  let previousSegmentBytes = 0;
  while (r.at < bytes.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.at;
    const end = start + size;
    if (id === 2) imported = importedFunctionCount(r, end);
    else if (id === 10) {
      const n = r.leb();
      for (let i = 0; i < n; i++) {
        const at = r.at;
        const bodySize = r.leb();
        r.at += bodySize;
        bodies.push({ index: imported + i, bytes: r.at - at });
      }
    } else if (id === 11) {
      const n = r.leb();
      anatomy.segmentCount = n;
      for (let i = 0; i < n; i++) {
        const at = r.at;
        const flags = r.leb();
        if (flags === 2) r.leb();
        let offset = 0;
        if (flags !== 1) {
          r.u8(); // i32.const
          offset = r.sleb();
          r.u8(); // end
        }
        const length = r.leb();
        const framing = r.at - at;
        const payload = bytes.subarray(r.at, r.at + length);
        anatomy.largestSegmentBytes = Math.max(anatomy.largestSegmentBytes, length);
        r.at += length;
        anatomy.segmentOverheadBytes += framing;
        const literal = readString(payload);
        const segmentAt = offset;
        if (literal) {
          const ascii = [...literal.text].every((c) => c.charCodeAt(0) < 0x80);
          anatomy.strings.push({ ...literal, ascii, address: segmentAt + 8, sectionBytes: framing + length + previousSegmentBytes });
          anatomy.otherDataBytes -= previousSegmentBytes;
        } else anatomy.otherDataBytes += framing + length;
        previousSegmentBytes = length <= 4 ? framing + length : 0;
      }
    } else if (id === 0) {
      names = functionNames(r, end);
    }
    r.at = end;
  }
  anatomy.functions = bodies.map((b) => ({ ...b, name: names.get(b.index) ?? `#${b.index}` }));
  return anatomy;
}
