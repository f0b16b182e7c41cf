// Test entry: exercises the lib layer (rings, writer, logging) through small exports.
import "../hal/abort";
import { Ring, ringInit, ringWrite, ringRead, ringFree } from "../lib/ring";
import { Writer, writerInit, putStr, putU32Padded, putIp } from "../lib/text";
import { logText, LOG_INFO } from "../lib/log";
import { sealHeap } from "../lib/runtime";

const ring = changetype<Ring>(memory.data(16, 4));
const ringBuf = memory.data(8);
const writer = changetype<Writer>(memory.data(16, 4));
const text = memory.data(64);
const scratch = memory.data(32);

export function boot(): void {
  ringInit(ring, ringBuf, 8);
  sealHeap();
}

/** Writes `len` bytes 1..len into the ring, reads `take` back; returns free space after. */
export function ringCycle(len: u32, take: u32): u32 {
  for (let i: u32 = 0; i < len; i++) store<u8>(scratch + i, <u8>(i + 1));
  ringWrite(ring, scratch, len);
  ringRead(ring, scratch, take);
  return ringFree(ring);
}

export function scratchAt(i: u32): u32 {
  return load<u8>(scratch + i);
}

export function formatDemo(): u32 {
  writerInit(writer, text, 64);
  putStr(writer, "ip ");
  putIp(writer, 0x0a000001);
  putU32Padded(writer, 42, 5);
  logText(LOG_INFO, "lib smoke");
  return writer.len;
}

export function textPtr(): usize {
  return text;
}
