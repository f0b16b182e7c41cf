// A fake IPv4 host for network tests: a port that answers ARP requests for its address and ICMP
// echo requests to it, from raw frames, and records everything it hears. It lets the TAP bridge be
// proved against the Linux kernel without the firmware's IP stack.
import { destinationMac, ETHERTYPE_ARP, ETHERTYPE_IPV4, etherType, macFromBytes, sourceMac } from "../../host-sim/network/ethernet.ts";
import { Port } from "../../host-sim/network/port.ts";
import { arp, ethernet, formatIpv4, icmpEcho, internetChecksum, ipv4 } from "./frames.ts";

const IP_PROTOCOL_ICMP = 1;

export class FakeHost {
  readonly port: Port;
  readonly heard: Uint8Array[] = [];
  echoRepliesSent = 0;
  arpRepliesSent = 0;

  constructor(readonly name: string, readonly mac: bigint, readonly ip: string, clock: { readonly nowMs: number }) {
    this.port = new Port(name, clock, (frame) => this.receive(frame));
  }

  private receive(frame: Uint8Array): void {
    this.heard.push(frame);
    const destination = destinationMac(frame);
    if (destination !== this.mac && destination !== 0xff_ff_ff_ff_ff_ffn) return;
    if (etherType(frame) === ETHERTYPE_ARP) this.answerArp(frame);
    else if (etherType(frame) === ETHERTYPE_IPV4) this.answerIcmp(frame);
  }

  private answerArp(frame: Uint8Array): void {
    const operation = (frame[20]! << 8) | frame[21]!;
    if (operation !== 1 || formatIpv4(frame, 38) !== this.ip) return;
    const askerMac = macFromBytes(frame, 22);
    const askerIp = formatIpv4(frame, 28);
    this.port.send(ethernet(askerMac, this.mac, ETHERTYPE_ARP, arp(2, this.mac, this.ip, askerMac, askerIp)));
    this.arpRepliesSent++;
  }

  private answerIcmp(frame: Uint8Array): void {
    const header = frame.subarray(14, 34);
    if (header[0] !== 0x45 || header[9] !== IP_PROTOCOL_ICMP || internetChecksum(header) !== 0) return;
    if (formatIpv4(frame, 30) !== this.ip) return;
    const totalLength = (header[2]! << 8) | header[3]!;
    const message = frame.subarray(34, 14 + totalLength);
    if (message[0] !== 8 || internetChecksum(message) !== 0) return;
    const identifier = (message[4]! << 8) | message[5]!;
    const sequence = (message[6]! << 8) | message[7]!;
    const reply = icmpEcho(0, identifier, sequence, message.subarray(8));
    const packet = ipv4(IP_PROTOCOL_ICMP, this.ip, formatIpv4(frame, 26), reply, sequence);
    this.port.send(ethernet(sourceMac(frame), this.mac, ETHERTYPE_IPV4, packet));
    this.echoRepliesSent++;
  }
}
