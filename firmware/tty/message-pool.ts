// The line messages' pool (`refuse-message`): MESSAGE_SLOT_COUNT slots of MESSAGE_SLOT_BYTES,
// shared by every line (limits.ts), plus one edit buffer where a message is gathered while it is
// typed (it may span lines until its delimiter: cli/cmd-line.ts). A line holds a slot index in its
// record (-1: none). Lines with equal text share one slot; a slot no line refers to is free again
// (lineMessagesSweep, after every change). Text is printable ASCII with "\n" between its lines.
//
// `busy-message` (IOS: per host, shown instead of the failure message when a telnet to that host
// fails) keeps its own small table here: destination address -> slot of the same pool.
import { MESSAGE_SLOT_COUNT, MESSAGE_SLOT_BYTES, BUSY_MESSAGE_COUNT } from "../lib/limits";
import { Writer, putBytes, putStr } from "../lib/text";

/** Per slot: the text length (u16), MESSAGE_SLOT_FREE when the slot is free. */
const slotLens = memory.data(2 * MESSAGE_SLOT_COUNT, 2);
const slotText = memory.data(MESSAGE_SLOT_COUNT * MESSAGE_SLOT_BYTES);
const editText = memory.data(MESSAGE_SLOT_BYTES);
let editLen: u32 = 0;
/** True once the edit buffer overflowed (the message is refused when it ends). */
let editOverflow = false;

// @ts-ignore: decorator
@inline const MESSAGE_SLOT_FREE: u32 = 0xffff;

export function messagePoolBoot(): void {
  for (let s = 0; s < MESSAGE_SLOT_COUNT; s++) store<u16>(slotLens + <usize>(s * 2), <u16>MESSAGE_SLOT_FREE);
  for (let i = 0; i < BUSY_MESSAGE_COUNT; i++) {
    store<u32>(busyIps + <usize>(i * 4), 0);
    store<i8>(busySlots + <usize>i, -1);
  }
  editLen = 0;
  editOverflow = false;
}

export function messageValid(s: i32): bool {
  return s >= 0 && s < MESSAGE_SLOT_COUNT && <u32>load<u16>(slotLens + <usize>(s * 2)) != MESSAGE_SLOT_FREE;
}

export function messagePtr(s: i32): usize {
  return slotText + <usize>(s * MESSAGE_SLOT_BYTES);
}

export function messageLen(s: i32): u32 {
  return messageValid(s) ? <u32>load<u16>(slotLens + <usize>(s * 2)) : 0;
}

/** Slots in use (for the error text and the tests). */
export function messageSlotsUsed(): u32 {
  let n: u32 = 0;
  for (let s = 0; s < MESSAGE_SLOT_COUNT; s++) if (messageValid(s)) n++;
  return n;
}

// --- the edit buffer ---

export function messageEditStart(): void {
  editLen = 0;
  editOverflow = false;
}

/** Appends bytes to the message being typed; false (and the message is spoiled) when it is full. */
export function messageEditAppend(ptr: usize, len: u32): bool {
  if (editOverflow || editLen + len > <u32>MESSAGE_SLOT_BYTES) {
    editOverflow = true;
    return false;
  }
  memory.copy(editText + editLen, ptr, len);
  editLen += len;
  return true;
}

export function messageEditByte(b: u32): bool {
  if (editOverflow || editLen >= <u32>MESSAGE_SLOT_BYTES) {
    editOverflow = true;
    return false;
  }
  store<u8>(editText + editLen, <u8>b);
  editLen++;
  return true;
}

export function messageEditOverflow(): bool {
  return editOverflow;
}

export function messageEditPtr(): usize {
  return editText;
}

export function messageEditLen(): u32 {
  return editLen;
}

/**
 * A slot holding the edited text: one with the same text already, else a free one filled with it;
 * -1 when every slot holds another text (the pool is full).
 */
export function messageEditCommit(): i32 {
  let free = -1;
  for (let s = 0; s < MESSAGE_SLOT_COUNT; s++) {
    if (!messageValid(s)) {
      if (free < 0) free = s;
      continue;
    }
    if (messageLen(s) == editLen && memory.compare(messagePtr(s), editText, editLen) == 0) return s;
  }
  if (free < 0) return -1;
  memory.copy(messagePtr(free), editText, editLen);
  store<u16>(slotLens + <usize>(free * 2), <u16>editLen);
  return free;
}

/** Overwrites slot s with the edited text (its lines all take the new text). */
export function messageEditStore(s: i32): void {
  memory.copy(messagePtr(s), editText, editLen);
  store<u16>(slotLens + <usize>(s * 2), <u16>editLen);
}

/** Frees slot s (its last line let go of it). */
export function messageFree(s: i32): void {
  if (s >= 0 && s < MESSAGE_SLOT_COUNT) store<u16>(slotLens + <usize>(s * 2), <u16>MESSAGE_SLOT_FREE);
}

/** Message m with each "\n" as CR LF. */
export function putMessage(w: Writer, m: i32): void {
  const p = messagePtr(m);
  const len = messageLen(m);
  let from: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    if (load<u8>(p + i) != 0x0a) continue;
    putBytes(w, p + from, i - from);
    putStr(w, "\r\n");
    from = i + 1;
  }
  putBytes(w, p + from, len - from);
}

// --- busy-message: address -> slot ---
const busyIps = memory.data(4 * BUSY_MESSAGE_COUNT, 4);
const busySlots = memory.data(BUSY_MESSAGE_COUNT);

export function busyEntryIp(i: i32): u32 {
  return i >= 0 && i < BUSY_MESSAGE_COUNT ? load<u32>(busyIps + <usize>(i * 4)) : 0;
}

export function busyEntrySlot(i: i32): i32 {
  return i >= 0 && i < BUSY_MESSAGE_COUNT ? <i32>load<i8>(busySlots + <usize>i) : -1;
}

/** The entry of address ip, or -1. */
export function busyFind(ip: u32): i32 {
  for (let i = 0; i < BUSY_MESSAGE_COUNT; i++) if (ip != 0 && busyEntryIp(i) == ip) return i;
  return -1;
}

/** The message slot for failed connections to ip, or -1. */
export function busyMessageFor(ip: u32): i32 {
  const i = busyFind(ip);
  return i >= 0 && messageValid(busyEntrySlot(i)) ? busyEntrySlot(i) : -1;
}

/** Sets ip's message slot (-1 removes the entry); false when the table is full. */
export function busyMessageSet(ip: u32, slot: i32): bool {
  let i = busyFind(ip);
  if (slot < 0) {
    if (i >= 0) {
      store<u32>(busyIps + <usize>(i * 4), 0);
      store<i8>(busySlots + <usize>i, -1);
    }
    return true;
  }
  for (let k = 0; k < BUSY_MESSAGE_COUNT && i < 0; k++) if (busyEntryIp(k) == 0) i = k;
  if (i < 0) return false;
  store<u32>(busyIps + <usize>(i * 4), ip);
  store<i8>(busySlots + <usize>i, <i8>slot);
  return true;
}

/** Does a busy-message entry use slot m? */
export function busyMessageUses(m: i32): bool {
  for (let i = 0; i < BUSY_MESSAGE_COUNT; i++) if (busyEntryIp(i) != 0 && busyEntrySlot(i) == m) return true;
  return false;
}
