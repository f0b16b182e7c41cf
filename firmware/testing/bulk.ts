// Test entry: the bulk byte primitives of the forwarding path against byte-at-a-time references:
// ring spans (lib/ring.ts), the word-at-a-time byte scan (lib/bytes.ts), the Internet checksum
// (wire/checksum.ts) and the telnet engine's encode and decode (telnet/telnet.ts). Each reference
// is the code the bulk version replaced, kept here (and only here) so a test can compare the two
// on random input (test/lib/bulk.test.ts).
import "../hal/abort";
import { Ring, ringInit, ringWrite, ringPut, ringPut2, ringPeek, ringRead, ringFree } from "../lib/ring";
import { bytesFind2 } from "../lib/bytes";
import { sealHeap } from "../lib/runtime";
import { TELNET_REPLY_RESERVE_BYTES } from "../lib/limits";
import { checksumAdd, checksumFinish } from "../wire/checksum";
import { telnetBoot, telnetOpen, telnetReceive, telnetSend, telnetTakeEvents, commandByte } from "../telnet/telnet";
import { stateOf, TelnetState, RX_DATA, RX_CR, RX_IAC, RX_SB, FLAG_TX_CR_EXPANDED } from "../telnet/state";
import { roleModes, MODE_RX_CR_ONLY, MODE_TX_CR_LF, MODE_FORCE_BINARY } from "../telnet/policy";
import { optionOn } from "../telnet/negotiate";
import { IAC, CR, LF, NUL, OPT_BINARY } from "../telnet/codes";

const BUF_BYTES: i32 = 8192;
const staging = memory.data(BUF_BYTES, 16);
const work = memory.data(BUF_BYTES, 16);
const out = memory.data(BUF_BYTES, 16);
const lineRing = changetype<Ring>(memory.data(16, 4));
const netRing = changetype<Ring>(memory.data(16, 4));
const lineBuf = memory.data(BUF_BYTES);
const netBuf = memory.data(BUF_BYTES);
const ring = changetype<Ring>(memory.data(16, 4));
const ringBuf = memory.data(BUF_BYTES);

export function boot(): void {
  telnetBoot();
  sealHeap();
}

export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  assert(newSize <= <usize>BUF_BYTES, "bulk: staging too small");
  return staging;
}

export function workPtr(): usize {
  return work;
}

export function outPtr(): usize {
  return out;
}

// --- rings ---

/** An empty ring of `cap` bytes whose head stands at `head` (so writes wrap where a test wants). */
export function ringSetup(cap: u32, head: u32): void {
  ringInit(ring, ringBuf, cap);
  ring.head = head % cap;
}

export function ringWriteFrom(src: usize, len: u32): u32 {
  return ringWrite(ring, src, len);
}

export function ringPut2Bytes(a: u32, b: u32): bool {
  if (ringFree(ring) < 2) return false;
  ringPut2(ring, a, b);
  return true;
}

export function ringPeekTo(dst: usize, offset: u32, len: u32): u32 {
  return ringPeek(ring, offset, dst, len);
}

export function ringReadTo(dst: usize, len: u32): u32 {
  return ringRead(ring, dst, len);
}

export function ringCount(): u32 {
  return ring.count;
}

// --- byte scan ---

export function find2(ptr: usize, len: u32, a: u32, b: u32): u32 {
  return bytesFind2(ptr, len, a, b);
}

// --- checksum ---

/** The bulk sum, started from `sum`, finished (0..0xffff). */
export function checksumBulk(sum: u32, ptr: usize, len: u32): u32 {
  return checksumFinish(checksumAdd(sum, ptr, len));
}

/** The reference: big-endian 16-bit words one at a time (the code checksumAdd replaced). */
export function checksumRef(sum: u32, ptr: usize, len: u32): u32 {
  let i: u32 = 0;
  for (; i + 1 < len; i += 2) sum += (<u32>load<u8>(ptr + i) << 8) | <u32>load<u8>(ptr + i + 1);
  if (i < len) sum += <u32>load<u8>(ptr + i) << 8;
  return checksumFinish(sum);
}

// --- telnet ---

/** Rings for one telnet call: capacities, and where their heads stand (to test wrapping). */
export function telnetRings(lineCap: u32, lineHead: u32, netCap: u32, netHead: u32): void {
  ringInit(lineRing, lineBuf, lineCap);
  ringInit(netRing, netBuf, netCap);
  lineRing.head = lineHead % lineCap;
  netRing.head = netHead % netCap;
}

/** Opens engine h in `role`; the greeting is left in the net ring (read it with netTake). */
export function telnetOpenRole(h: u32, role: u32): bool {
  return telnetOpen(h, role, netRing);
}

export function receiveBulk(h: u32, ptr: usize, len: u32): u32 {
  return telnetReceive(h, ptr, len, lineRing, netRing);
}

export function sendBulk(h: u32, ptr: usize, len: u32): u32 {
  return telnetSend(h, ptr, len, netRing);
}

export function takeEvents(h: u32): u32 {
  return telnetTakeEvents(h);
}

export function lineTake(): u32 {
  return ringRead(lineRing, out, <u32>BUF_BYTES);
}

export function netTake(): u32 {
  return ringRead(netRing, out, <u32>BUF_BYTES);
}

// @ts-ignore: decorator
@inline function binaryIn(s: TelnetState): bool {
  return (roleModes(<u32>s.role) & MODE_FORCE_BINARY) != 0 || optionOn(s, OPT_BINARY, true);
}

// @ts-ignore: decorator
@inline function binaryOut(s: TelnetState): bool {
  return (roleModes(<u32>s.role) & MODE_FORCE_BINARY) != 0 || optionOn(s, OPT_BINARY, false);
}

/** The byte-at-a-time telnetReceive that the bulk one replaced. */
export function receiveRef(h: u32, src: usize, len: u32): u32 {
  const s = stateOf(h);
  if (s.inUse == 0) return 0;
  const crOnly = (roleModes(<u32>s.role) & MODE_RX_CR_ONLY) != 0;
  let i: u32 = 0;
  while (i < len) {
    const byte = <u32>load<u8>(src + i);
    const st = s.rxState;
    if (st <= RX_CR) {
      if (byte == IAC) {
        s.rxState = RX_IAC;
        i++;
        continue;
      }
      if (ringFree(lineRing) == 0) break;
      i++;
      s.rxState = RX_DATA;
      if (st == RX_CR && (byte == NUL || (byte == LF && crOnly))) continue;
      ringPut(lineRing, byte);
      if (byte == CR && !binaryIn(s)) s.rxState = RX_CR;
      continue;
    }
    if (ringFree(lineRing) == 0) break;
    // IAC IAC (a data byte) and a subnegotiation's payload never answer: they pass a full net ring.
    if (ringFree(netRing) < <u32>TELNET_REPLY_RESERVE_BYTES && !(st == RX_IAC && byte == IAC) && st != RX_SB) break;
    const before = s.events;
    if (commandByte(s, st, byte, lineRing, netRing)) i++;
    if (s.events != before) break;
  }
  return i;
}

/** The byte-at-a-time telnetSend that the bulk one replaced. */
export function sendRef(h: u32, src: usize, len: u32): u32 {
  const s = stateOf(h);
  if (s.inUse == 0) return 0;
  const binary = binaryOut(s);
  const crLf = (roleModes(<u32>s.role) & MODE_TX_CR_LF) != 0;
  let i: u32 = 0;
  while (i < len && ringFree(netRing) >= 2) {
    const byte = <u32>load<u8>(src + i);
    i++;
    const afterExpandedCr = (s.flags & FLAG_TX_CR_EXPANDED) != 0;
    s.flags &= ~FLAG_TX_CR_EXPANDED;
    if (byte == IAC) {
      ringPut(netRing, IAC);
      ringPut(netRing, IAC);
    } else if (binary) {
      ringPut(netRing, byte);
    } else if (byte == CR) {
      ringPut(netRing, CR);
      if (i < len && <u32>load<u8>(src + i) == LF) {
        ringPut(netRing, LF);
        i++;
      } else if (crLf) {
        ringPut(netRing, LF);
        s.flags |= FLAG_TX_CR_EXPANDED;
      } else {
        ringPut(netRing, NUL);
      }
    } else if (byte == LF && afterExpandedCr) {
      // The LF of a CR LF split across two calls, whose CR already went out as CR LF.
    } else {
      ringPut(netRing, byte);
    }
  }
  return i;
}

/** The engine's receive state and flags, to compare two engines after the same input. */
export function engineState(h: u32): u32 {
  const s = stateOf(h);
  return (<u32>s.rxState) | (<u32>s.flags << 8) | (<u32>(s.opts & 0xffff) << 16);
}

export function engineOpts(h: u32): u64 {
  return stateOf(h).opts;
}
