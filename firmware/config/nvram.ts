// The startup-config in NVRAM: a 12-byte header, then the configuration text ("\n" line endings).
//
//   +0 magic u32 (little-endian "TSC1")   +4 length u32 (text bytes)   +8 checksum u32 (Fletcher-32
//   over the text)   +12 text
//
// write memory writes the text first and the header last, so an interrupted write leaves a header
// whose checksum fails: the next boot uses the defaults and says so in the log, never half a config.
import { halNvramRead, halNvramWrite, halNvramSize } from "../hal/imports";
import { STAGING_BYTES } from "../lib/limits";
import { Writer } from "../lib/text";
import { runningSeek, runningNext, runningScratch, runningRowsMax } from "./running";

// @ts-ignore: decorator
@inline export const NVRAM_MAGIC: u32 = 0x31435354; // "TSC1"
// @ts-ignore: decorator
@inline export const NVRAM_HEADER_BYTES: u32 = 12;
/** Bytes moved per HAL call (within the host's staging buffer). */
// @ts-ignore: decorator
@inline export const NVRAM_CHUNK_BYTES: u32 = 256;

const retArea = memory.data(8, 4);
const chunk = memory.data(<i32>NVRAM_CHUNK_BYTES);
let chunkLen: u32 = 0;
let writeOffset: u32 = 0;
let writeFailed = false;
let sumA: u32 = 0;
let sumB: u32 = 0;

// Startup-config status (nvramCheck).
// @ts-ignore: decorator
@inline export const STARTUP_OK: u32 = 0;
// @ts-ignore: decorator
@inline export const STARTUP_BLANK: u32 = 1;
// @ts-ignore: decorator
@inline export const STARTUP_CORRUPT: u32 = 2;

let startupLength: u32 = 0;

/** Reads up to len (<= STAGING_BYTES) bytes at offset into dst; returns how many arrived. */
export function nvramRead(offset: u32, dst: usize, len: u32): u32 {
  assert(len <= <u32>STAGING_BYTES, "nvramRead: chunk larger than the staging buffer");
  halNvramRead(offset, len, retArea);
  const ptr = load<usize>(retArea);
  const got = min<u32>(load<u32>(retArea, 4), len);
  memory.copy(dst, ptr, got);
  return got;
}

function checksumReset(): void {
  sumA = 1;
  sumB = 0;
}

function checksumAdd(ptr: usize, len: u32): void {
  for (let i: u32 = 0; i < len; i++) {
    sumA = (sumA + <u32>load<u8>(ptr + i)) % 65521;
    sumB = (sumB + sumA) % 65521;
  }
}

function checksum(): u32 {
  return (sumB << 16) | sumA;
}

/** Validates the header and the checksum of the text (bounded by the NVRAM's size). */
export function nvramCheck(): u32 {
  startupLength = 0;
  const size = halNvramSize();
  if (size < NVRAM_HEADER_BYTES) return STARTUP_BLANK;
  if (nvramRead(0, chunk, NVRAM_HEADER_BYTES) < NVRAM_HEADER_BYTES) return STARTUP_BLANK;
  const magic = load<u32>(chunk);
  const length = load<u32>(chunk, 4);
  const expected = load<u32>(chunk, 8);
  if (magic != NVRAM_MAGIC) {
    for (let i: u32 = 0; i < NVRAM_HEADER_BYTES; i++) if (load<u8>(chunk + i) != 0 && load<u8>(chunk + i) != 0xff) return STARTUP_CORRUPT;
    return STARTUP_BLANK;
  }
  if (length > size - NVRAM_HEADER_BYTES) return STARTUP_CORRUPT;
  checksumReset();
  for (let at: u32 = 0; at < length; ) {
    const got = nvramRead(NVRAM_HEADER_BYTES + at, chunk, min<u32>(NVRAM_CHUNK_BYTES, length - at));
    if (got == 0) return STARTUP_CORRUPT;
    checksumAdd(chunk, got);
    at += got;
  }
  if (checksum() != expected) return STARTUP_CORRUPT;
  startupLength = length;
  return STARTUP_OK;
}

/** Text bytes of the startup-config found by the last nvramCheck. */
export function startupBytes(): u32 {
  return startupLength;
}

function chunkFlush(): void {
  if (chunkLen == 0) return;
  if (!halNvramWrite(NVRAM_HEADER_BYTES + writeOffset, chunk, chunkLen)) writeFailed = true;
  writeOffset += chunkLen;
  chunkLen = 0;
}

function chunkPut(ptr: usize, len: u32): void {
  checksumAdd(ptr, len);
  for (let i: u32 = 0; i < len; ) {
    const n = min<u32>(len - i, NVRAM_CHUNK_BYTES - chunkLen);
    memory.copy(chunk + chunkLen, ptr + i, n);
    chunkLen += n;
    i += n;
    if (chunkLen == NVRAM_CHUNK_BYTES) chunkFlush();
  }
}

/** write memory: streams the running-config into NVRAM; false when it does not fit or a write failed. */
export function nvramSaveRunning(): bool {
  const size = halNvramSize();
  if (size < NVRAM_HEADER_BYTES) return false;
  writeOffset = 0;
  chunkLen = 0;
  writeFailed = false;
  checksumReset();
  const row: Writer = runningScratch();
  const newline = memory.data(1);
  store<u8>(newline, 0x0a);
  runningSeek(0, 0);
  const rowsMax = runningRowsMax();
  for (let rows: u32 = 0; rows < rowsMax; rows++) {
    row.len = 0;
    if (!runningNext(row)) break;
    chunkPut(row.buf, row.len);
    chunkPut(newline, 1);
  }
  chunkFlush();
  if (writeFailed || writeOffset > size - NVRAM_HEADER_BYTES) return false;
  store<u32>(chunk, NVRAM_MAGIC);
  store<u32>(chunk, writeOffset, 4);
  store<u32>(chunk, checksum(), 8);
  return halNvramWrite(0, chunk, NVRAM_HEADER_BYTES);
}

/** erase startup-config: a blank header (the text is left, unreachable). */
export function nvramErase(): bool {
  memory.fill(chunk, 0, NVRAM_HEADER_BYTES);
  return halNvramWrite(0, chunk, NVRAM_HEADER_BYTES);
}

/**
 * Reads the startup-config line starting at text offset `at` into dst (at most cap bytes, without
 * the "\n"); returns the offset of the next line. lineLength() says how long the line was (it
 * may be longer than cap: the rest is skipped).
 */
let lastLineLen: u32 = 0;
export function nvramReadLine(at: u32, dst: usize, cap: u32): u32 {
  const end = startupLength;
  lastLineLen = 0;
  let pos = at;
  while (pos < end) {
    const got = nvramRead(NVRAM_HEADER_BYTES + pos, chunk, min<u32>(NVRAM_CHUNK_BYTES, end - pos));
    if (got == 0) return end;
    for (let i: u32 = 0; i < got; i++) {
      const b = load<u8>(chunk + i);
      if (b == 0x0a) return pos + i + 1;
      if (lastLineLen < cap) store<u8>(dst + lastLineLen, b);
      lastLineLen++;
    }
    pos += got;
  }
  return end;
}

export function lineLength(): u32 {
  return lastLineLen;
}
