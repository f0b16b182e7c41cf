// The firmware's texts: every string literal of firmware/** is an entry of one packed ASCII table in
// static memory, and the literal itself is compiled as its handle (a Text). The build does it:
// scripts/text-table.js (an asc transform, in asconfig.json) replaces each literal with its handle
// and fills TEXT_TABLE below. Source code keeps its literals (`putStr(w, "Building configuration")`);
// a function that takes a literal takes a `Text` and reads it with textLen/textPtr/textByte.
//
// Table layout (one entry per distinct literal, shortest first):
//
//   handle -> +0        length: u8 (0..255)
//             +1 ..     length bytes (no terminator, no padding)
//
// A handle is the entry's offset in the table, so a call site passes a small i32.const (2 bytes
// below 8192). An assert's message is an entry too ("message at file:line:column", hal/abort.ts's
// firmwareAssert). Not literals: decorator arguments and template literals stay AssemblyScript
// strings (see the transform's header).
//
// Printed texts are shorter: a literal passed straight to putStr, putTpl, logText or as a command's
// help (commands.ts's rows) may hold word codes: a byte 0x80 + k stands for dictionary entry k, whose
// handle is TEXT_WORDS[k], and 0x0e..0x1f for entries 128..145 (the build picks up to 146
// substrings that save the most, e.g. "configuration ", "\r\n% "; an entry may hold codes of other
// entries, nested a bounded depth).
// Those consumers print through putTextByte (lib/text.ts), which expands them. Every other literal
// (compared, copied, indexed) is plain ASCII, so textLen/textByte give its characters.

/** A handle into the text table: what a string literal compiles to in firmware code. */
export type Text = u32;

// Filled by the build (scripts/text-table.js); the placeholders are replaced, not kept. @lazy places
// them after the eager static tables, whose addresses then stay low (shorter i32.const operands).
// @ts-ignore: decorator
@lazy const TEXT_TABLE = memory.data<u8>([0]);
// @ts-ignore: decorator
@lazy const TEXT_WORDS = memory.data<u16>([0]);

/** Characters of the text. */
export function textLen(t: Text): u32 {
  return <u32>load<u8>(TEXT_TABLE + <usize>t);
}

/** Address of the first character. */
export function textPtr(t: Text): usize {
  return TEXT_TABLE + <usize>t + 1;
}

/** Dictionary entry k (0..145) of printed texts (lib/text.ts putTextByte maps a code to k). */
export function textWord(k: u32): Text {
  return <Text>load<u16>(TEXT_WORDS + (<usize>k << 1));
}

/** Character `i` (0-based; the caller keeps i < textLen). */
export function textByte(t: Text, i: u32): u32 {
  return <u32>load<u8>(TEXT_TABLE + <usize>t + 1 + <usize>i);
}
