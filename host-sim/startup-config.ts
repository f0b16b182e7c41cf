// The startup-config as the firmware keeps it in NVRAM (firmware/config/nvram.ts): a 12-byte header
// (magic "TSC1", text length, Adler-32 of the text, all little-endian u32), then the CLI text with
// "\n" line endings. The simulator uses this to give a device a configuration before its first boot,
// exactly as if someone had typed it and said `write memory`.

export const STARTUP_MAGIC = 0x31435354; // "TSC1" little-endian
export const STARTUP_HEADER_BYTES = 12;

/** Adler-32 (RFC 1950, section 8.2). */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function encodeStartupConfig(text: string): Uint8Array {
  const body = new TextEncoder().encode(text.endsWith("\n") ? text : `${text}\n`);
  const out = new Uint8Array(STARTUP_HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, STARTUP_MAGIC, true);
  view.setUint32(4, body.length, true);
  view.setUint32(8, adler32(body), true);
  out.set(body, STARTUP_HEADER_BYTES);
  return out;
}

/** The text, or undefined for a blank or corrupt NVRAM. */
export function decodeStartupConfig(nvram: Uint8Array): string | undefined {
  if (nvram.length < STARTUP_HEADER_BYTES) return undefined;
  const view = new DataView(nvram.buffer, nvram.byteOffset, nvram.byteLength);
  if (view.getUint32(0, true) !== STARTUP_MAGIC) return undefined;
  const length = view.getUint32(4, true);
  if (STARTUP_HEADER_BYTES + length > nvram.length) return undefined;
  const body = nvram.subarray(STARTUP_HEADER_BYTES, STARTUP_HEADER_BYTES + length);
  if (adler32(body) !== view.getUint32(8, true)) return undefined;
  return new TextDecoder("latin1").decode(body);
}
