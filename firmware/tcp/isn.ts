// Initial sequence numbers (RFC 6528) and ephemeral ports (RFC 6056).
//
// RFC 6528 3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), where M is a clock
// ticking every 4 microseconds and F a keyed hash. Our clock is the poll instant in ms, so
// M = now * 250. F is SipHash-2-4 (a keyed PRF made for short inputs) with a 128-bit secret drawn
// from the HAL's random at boot: an off-path attacker cannot predict the ISN of another 4-tuple.
import { halRandom } from "../hal/imports";
import { now } from "../lib/clock";

let key0: u64 = 0;
let key1: u64 = 0;
let v0: u64 = 0;
let v1: u64 = 0;
let v2: u64 = 0;
let v3: u64 = 0;

export function isnBoot(): void {
  key0 = (<u64>halRandom() << 32) | <u64>halRandom();
  key1 = (<u64>halRandom() << 32) | <u64>halRandom();
}

function sipRound(): void {
  v0 += v1;
  v1 = rotl<u64>(v1, 13);
  v1 ^= v0;
  v0 = rotl<u64>(v0, 32);
  v2 += v3;
  v3 = rotl<u64>(v3, 16);
  v3 ^= v2;
  v0 += v3;
  v3 = rotl<u64>(v3, 21);
  v3 ^= v0;
  v2 += v1;
  v1 = rotl<u64>(v1, 17);
  v1 ^= v2;
  v2 = rotl<u64>(v2, 32);
}

function sipCompress(m: u64): void {
  v3 ^= m;
  sipRound();
  sipRound();
  v0 ^= m;
}

/** SipHash-2-4 of the 12-byte message (a, b, c) as little-endian words, keyed with the boot secret. */
function sipHash12(a: u32, b: u32, c: u32): u64 {
  v0 = key0 ^ 0x736f6d6570736575;
  v1 = key1 ^ 0x646f72616e646f6d;
  v2 = key0 ^ 0x6c7967656e657261;
  v3 = key1 ^ 0x7465646279746573;
  sipCompress((<u64>b << 32) | <u64>a);
  // The last block: 4 remaining bytes, and the message length (12) in the top byte.
  sipCompress((<u64>12 << 56) | <u64>c);
  v2 ^= 0xff;
  sipRound();
  sipRound();
  sipRound();
  sipRound();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** The ISN for a connection's 4-tuple at the current instant. */
export function isnFor(localIp: u32, localPort: u32, remoteIp: u32, remotePort: u32): u32 {
  const f = <u32>sipHash12(localIp, remoteIp, (localPort << 16) | remotePort);
  return <u32>(now() * 250) + f;
}

/** RFC 6335's dynamic range, where ephemeral ports come from. */
// @ts-ignore: decorator
@inline export const EPHEMERAL_FIRST: u32 = 49152;
// @ts-ignore: decorator
@inline export const EPHEMERAL_COUNT: u32 = 16384;

/** A random port of the dynamic range (RFC 6056 3.3.1, "simple port randomization"). */
export function ephemeralPort(): u32 {
  return EPHEMERAL_FIRST + halRandom() % EPHEMERAL_COUNT;
}
