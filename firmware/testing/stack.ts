// Test entry: the whole firmware (asc adds main.ts's exports to every entry) plus the net and TCP
// APIs the exec will call, so packet-level tests can configure the interface and drive sockets
// before the exec exists. Loaded as a Device's firmware (DeviceOptions.firmwarePath).
import { netSetAddress, netSetGateway } from "../net/iface";

const buffer = memory.data(2048, 16);

/** A 2 KiB buffer for tcpSend/tcpRecv data (the host writes and reads it through memory). */
export function testBuffer(): usize {
  return buffer;
}

/** The exec's `ip address IP MASK` and `ip default-gateway GW` in one call. */
export function testConfigure(ip: u32, mask: u32, gateway: u32): void {
  netSetAddress(ip, mask);
  netSetGateway(gateway);
}

export {
  netSetAddress, netSetGateway, netSetShutdown, netCounter, netAddress, netMask, netGateway, netMacAddress, netIsShutdown,
} from "../net/iface";
export { arpEntryState, arpEntryIp, arpEntryMac, arpEntryAgeMs, arpFlush } from "../net/arp";
export {
  pingStart, pingNextResult, pingDone, pingSent, pingReceived, pingRttMinMs, pingRttAvgMs, pingRttMaxMs, pingStop,
} from "../net/icmp";
export {
  tcpListen, tcpUnlisten, tcpAccept, tcpOpen, tcpSend, tcpSendSpace, tcpSendQueued, tcpRecv, tcpRecvAvailable, tcpRecvEof,
  tcpClose, tcpAbort, tcpKill, tcpState, tcpInUse, tcpCloseReason, tcpLocalIp, tcpLocalPort, tcpRemoteIp, tcpRemotePort,
  tcpIsPassive, tcpBytesIn, tcpBytesOut, tcpIdleMs, tcpRtoMs, tcpSrttMs, tcpKeepaliveProbes, tcpTcbAddress, tcpSetTag,
  tcpSetConnectionKeepalive, tcpSetKeepaliveIn, tcpSetKeepaliveOut, tcpSetKeepaliveTimers, tcpSetSynwaitMs, tcpSetDebug,
  tcpCounter,
} from "../tcp/tcp";
