// Salted password hashes: the enable secret and line passwords are never kept, shown or saved in
// clear. The text form is `$t$SSSSSSSS$HHHHHHHHHHHHHHHH` (salt and hash in hex), which running-config
// prints after `enable secret 5` / `password 5` and the startup-config replays as is.
//
// The hash is this project's own (no crypto library fits the firmware): a 64-bit FNV-1a pass over the
// password per round, finished by a MurmurHash3 64-bit mix, SECRET_ROUNDS rounds so guessing costs
// time. The salt comes from the HAL's random source, so equal passwords hash differently per device.
// It is not a standard crypt(3) format and does not claim to be MD5 (IOS's type 5).
import { halRandom } from "../hal/imports";
import { Writer, putStr, putHex8 } from "../lib/text";
import { parseHexAt, parsedHex } from "./parser";

// @ts-ignore: decorator
@inline const SECRET_ROUNDS: i32 = 1000;
/** Length of the text form. */
// @ts-ignore: decorator
@inline export const SECRET_TEXT_LEN: u32 = 28;

export function secretHash(salt: u32, ptr: usize, len: u32): u64 {
  let h: u64 = 0xcbf29ce484222325 ^ (<u64>salt * 0x9e3779b97f4a7c15);
  for (let round = 0; round < SECRET_ROUNDS; round++) {
    for (let i: u32 = 0; i < len; i++) h = (h ^ <u64>load<u8>(ptr + i)) * 0x100000001b3;
    h ^= <u64>round;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccd;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53;
    h ^= h >> 33;
  }
  return h;
}

/** A fresh salt (never 0, which marks "no secret"). */
export function secretSalt(): u32 {
  const s = halRandom();
  return s == 0 ? 1 : s;
}

export function putSecret(w: Writer, salt: u32, hash: u64): void {
  putStr(w, "$t$");
  for (let i = 3; i >= 0; i--) putHex8(w, (salt >>> (<u32>i * 8)) & 0xff);
  putStr(w, "$");
  for (let i = 7; i >= 0; i--) putHex8(w, <u32>(hash >>> (<u64>i * 8)) & 0xff);
}

let parsedSalt: u32 = 0;
let parsedHash: u64 = 0;

/** Parses the text form at ptr; false when malformed. The result is in parsedSecretSalt/Hash. */
export function parseSecret(ptr: usize, len: u32): bool {
  if (len != SECRET_TEXT_LEN) return false;
  if (load<u8>(ptr) != 0x24 || load<u8>(ptr + 1) != 0x74 || load<u8>(ptr + 2) != 0x24 || load<u8>(ptr + 11) != 0x24) return false;
  if (!parseHexAt(ptr + 3, 8)) return false;
  const salt = <u32>parsedHex();
  if (!parseHexAt(ptr + 12, 16)) return false;
  const hash = parsedHex();
  if (salt == 0) return false;
  parsedSalt = salt;
  parsedHash = hash;
  return true;
}

export function parsedSecretSalt(): u32 {
  return parsedSalt;
}

export function parsedSecretHash(): u64 {
  return parsedHash;
}
