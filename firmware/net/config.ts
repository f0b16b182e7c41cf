// The interface's configuration and counters: MAC (from the HAL), IPv4 address and mask, default
// gateway, administrative shutdown. Every other net file reads these; only iface.ts changes them.
// Counters are a fixed array of u32 indexed by the NET_* ids below (`show interfaces`, tests).

/** The MAC address from halNetMac, read once at boot. */
export let ifMac: u64 = 0;
/** 0 while no address is configured: nothing is sent or accepted but ARP from others. */
export let ifIp: u32 = 0;
export let ifMask: u32 = 0;
export let ifGateway: u32 = 0;
export let ifShutdown: bool = false;

export function configSetMac(mac: u64): void {
  ifMac = mac;
}

export function configSetAddress(ip: u32, mask: u32): void {
  ifIp = ip;
  ifMask = mask;
}

export function configSetGateway(gateway: u32): void {
  ifGateway = gateway;
}

export function configSetShutdown(down: bool): void {
  ifShutdown = down;
}

/** True when the interface can send and receive IPv4. */
export function ifUp(): bool {
  return !ifShutdown && ifIp != 0;
}

/** True when `ip` is on the interface's subnet (reachable without the gateway). */
export function onLink(ip: u32): bool {
  return ifIp != 0 && (ip & ifMask) == (ifIp & ifMask);
}

// --- Counters ---
// @ts-ignore: decorator
@inline export const NET_RX_FRAMES: i32 = 0;
// @ts-ignore: decorator
@inline export const NET_RX_BYTES: i32 = 1;
// @ts-ignore: decorator
@inline export const NET_TX_FRAMES: i32 = 2;
// @ts-ignore: decorator
@inline export const NET_TX_BYTES: i32 = 3;
/** Frames lost because the receive ring was full (an overrun). */
// @ts-ignore: decorator
@inline export const NET_RX_OVERRUNS: i32 = 4;
/** Frames shorter than an Ethernet header, or longer than the MTU allows. */
// @ts-ignore: decorator
@inline export const NET_RX_BAD_LENGTH: i32 = 5;
// @ts-ignore: decorator
@inline export const NET_RX_BROADCASTS: i32 = 6;
/** Frames for another MAC, or of an EtherType we do not speak. */
// @ts-ignore: decorator
@inline export const NET_RX_IGNORED: i32 = 7;
/** Frames dropped because the interface is shut down or has no address. */
// @ts-ignore: decorator
@inline export const NET_DROPPED_DOWN: i32 = 8;
// @ts-ignore: decorator
@inline export const IP_RX_PACKETS: i32 = 9;
// @ts-ignore: decorator
@inline export const IP_RX_BAD_CHECKSUM: i32 = 10;
// @ts-ignore: decorator
@inline export const IP_RX_MALFORMED: i32 = 11;
// @ts-ignore: decorator
@inline export const IP_RX_FRAGMENTS: i32 = 12;
// @ts-ignore: decorator
@inline export const IP_RX_NOT_FOR_US: i32 = 13;
// @ts-ignore: decorator
@inline export const IP_RX_UNKNOWN_PROTOCOL: i32 = 14;
// @ts-ignore: decorator
@inline export const IP_TX_PACKETS: i32 = 15;
/** Datagrams with no route: off-link destination and no default gateway. */
// @ts-ignore: decorator
@inline export const IP_TX_NO_ROUTE: i32 = 16;
// @ts-ignore: decorator
@inline export const ICMP_RX_BAD: i32 = 17;
// @ts-ignore: decorator
@inline export const ICMP_RX_ECHO_REQUESTS: i32 = 18;
// @ts-ignore: decorator
@inline export const ICMP_RX_ECHO_REPLIES: i32 = 19;
// @ts-ignore: decorator
@inline export const ICMP_TX_ECHO_REQUESTS: i32 = 20;
// @ts-ignore: decorator
@inline export const ICMP_TX_ECHO_REPLIES: i32 = 21;
// @ts-ignore: decorator
@inline export const ARP_RX_PACKETS: i32 = 22;
// @ts-ignore: decorator
@inline export const ARP_RX_BAD: i32 = 23;
// @ts-ignore: decorator
@inline export const ARP_TX_REQUESTS: i32 = 24;
// @ts-ignore: decorator
@inline export const ARP_TX_REPLIES: i32 = 25;
/** Datagrams dropped while their next hop was unresolved (queue full, or resolution failed). */
// @ts-ignore: decorator
@inline export const ARP_DROPPED: i32 = 26;
/** Pending entries given up after ARP_REQUEST_MAX unanswered requests. */
// @ts-ignore: decorator
@inline export const ARP_FAILED: i32 = 27;
/** Stable entries that reached ARP_ENTRY_LIFETIME_MS and were removed. */
// @ts-ignore: decorator
@inline export const ARP_EXPIRED: i32 = 28;
/** Entries replaced because the table was full. */
// @ts-ignore: decorator
@inline export const ARP_EVICTED: i32 = 29;
// @ts-ignore: decorator
@inline export const NET_COUNTER_COUNT: i32 = 30;

const counters = memory.data(NET_COUNTER_COUNT * 4, 4);

export function count(id: i32): void {
  const at = counters + (<usize>id << 2);
  store<u32>(at, load<u32>(at) + 1);
}

export function countBy(id: i32, n: u32): void {
  const at = counters + (<usize>id << 2);
  store<u32>(at, load<u32>(at) + n);
}

/** A counter's value (0 for an unknown id). */
export function netCounter(id: i32): u32 {
  if (id < 0 || id >= NET_COUNTER_COUNT) return 0;
  return load<u32>(counters + (<usize>id << 2));
}
