// System-wide settings of the exec: the hostname (every prompt starts with it) and the enable
// secret (salted hash only, see secret.ts).
import { HOSTNAME_BYTES_MAX } from "../lib/limits";
import { Writer, putBytes } from "../lib/text";
import { Text, textLen, textPtr } from "../lib/text-table";

const hostnameBuf = memory.data(HOSTNAME_BYTES_MAX);
let hostnameLen: u32 = 0;
/** 0 when no enable secret is set. */
let enableSalt: u32 = 0;
let enableHash: u64 = 0;

export function systemDefaults(): void {
  hostnameDefault();
  enableSalt = 0;
  enableHash = 0;
}

/** IOS's factory hostname (`no hostname` too). */
export function hostnameDefault(): void {
  const name: Text = "Router";
  memory.copy(hostnameBuf, textPtr(name), textLen(name));
  hostnameLen = textLen(name);
}

export function putHostname(w: Writer): void {
  putBytes(w, hostnameBuf, hostnameLen);
}

export function hostnameLength(): u32 {
  return hostnameLen;
}

/** Sets the hostname; false when it is too long or not a valid name (letters, digits, hyphens). */
export function setHostname(ptr: usize, len: u32): bool {
  if (len == 0 || len > <u32>HOSTNAME_BYTES_MAX) return false;
  for (let i: u32 = 0; i < len; i++) {
    const c = <u32>load<u8>(ptr + i);
    const letter = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
    const ok = letter || (i > 0 && ((c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f));
    if (!ok) return false;
  }
  memory.copy(hostnameBuf, ptr, len);
  hostnameLen = len;
  return true;
}

export function enableSecretSet(): bool {
  return enableSalt != 0;
}

export function enableSecretSalt(): u32 {
  return enableSalt;
}

export function enableSecretHash(): u64 {
  return enableHash;
}

export function setEnableSecret(salt: u32, hash: u64): void {
  enableSalt = salt;
  enableHash = hash;
}
