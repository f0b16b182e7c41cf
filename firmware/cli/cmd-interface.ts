// Interface commands: `interface ethernet0` (config-if), `ip address`, `shutdown`,
// `ip default-gateway`; `show interfaces`, `show ip interface brief`; their running-config rows.
// The one interface is the stack's (firmware/net/iface.ts): these handlers only call its API.
//
// IOS names it `Ethernet0` and accepts `interface ethernet 0`, `interface ethernet0`, `int e0`,
// `int E 0`: the type is any prefix of "ethernet", the number may be glued to it (the WORD entry).
import { putStr, putHex8, putIp, Writer } from "../lib/text";
import { Text, textByte } from "../lib/text-table";
import { logText, logBegin, logEnd, LOG_NOTICE, LOG_ERROR } from "../lib/log";
import { putTpl, putHex32 } from "./template";
import {
  netSetAddress, netSetGateway, netSetShutdown, netAddress, netMask, netGateway, netIsShutdown, netMacAddress, netCounter,
} from "../net/iface";
import {
  NET_RX_FRAMES, NET_RX_BYTES, NET_TX_FRAMES, NET_TX_BYTES, NET_RX_OVERRUNS, NET_RX_BAD_LENGTH, NET_RX_BROADCASTS,
  NET_RX_IGNORED, NET_DROPPED_DOWN,
} from "../net/config";
import { execAt, editPtr, out, say, sayU32, sayPad, putInvalidAt, EXEC_REPLAY } from "./exec-state";
import { execSetMode, execStartOutput } from "./exec";
import { MODE_IF } from "./modes";
import { argNegated, argIp, argPtr, argLen } from "./parser";

/** The address came from the startup-config (`show ip interface brief` says NVRAM, else manual). */
let addressFromNvram = false;

export function interfaceCliBoot(): void {
  addressFromNvram = false;
}

/** `Ethernet0`. */
export function putIfName(w: Writer): void {
  putStr(w, "Ethernet0");
}

/** IOS's caret error under the input at `ptr` (a word of the edit line); logged at boot. */
function invalidWord(x: i32, ptr: usize): void {
  if (x == EXEC_REPLAY) logText(LOG_ERROR, "startup-config: invalid input");
  else putInvalidAt(x, <u32>(ptr - editPtr(x)));
}

// --- configuration ---

/** interface ethernet <0-0> (tag 0) / interface WORD (tag 1: `ethernet0`, `e0`). */
export function cmdInterface(x: i32): void {
  if (argLen(2) == 0 && !ethernetZero(argPtr(1), argLen(1))) {
    invalidWord(x, argPtr(1));
    return;
  }
  execSetMode(x, MODE_IF, 0, 0);
}

/** Is the word `e0`..`ethernet0` (any case)? */
function ethernetZero(p: usize, n: u32): bool {
  const name: Text = "ethernet";
  if (n < 2 || n > 9 || load<u8>(p + n - 1) != 0x30) return false;
  for (let i: u32 = 0; i + 1 < n; i++) {
    let c = <u32>load<u8>(p + i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c != textByte(name, i)) return false;
  }
  return true;
}

/** Prefix length of a contiguous mask, or -1. */
function maskPrefix(mask: u32): i32 {
  const bits = <i32>popcnt(mask);
  return bits == 0 || mask == (0xffffffff << (32 - bits)) ? bits : -1;
}

/** [no] ip address A.B.C.D A.B.C.D */
export function cmdIpAddress(x: i32): void {
  if (argNegated()) {
    netSetAddress(0, 0);
    return;
  }
  const ip = argIp(2);
  const mask = argIp(3);
  const prefix = maskPrefix(mask);
  const host = ~mask;
  if (prefix <= 0 || (prefix < 31 && ((ip & host) == 0 || (ip & host) == host))) {
    say("Bad mask ");
    if (prefix < 0) {
      say("0x");
      putHex32(out, mask);
    } else {
      say("/");
      sayU32(<u32>prefix);
    }
    say(" for address ");
    putIp(out, ip);
    say("\r\n");
    return;
  }
  addressFromNvram = x == EXEC_REPLAY;
  netSetAddress(ip, mask);
}

/** [no] shutdown: IOS logs the link and line protocol changes. */
export function cmdShutdown(x: i32): void {
  const down = !argNegated();
  if (down == netIsShutdown()) return;
  netSetShutdown(down);
  if (x == EXEC_REPLAY) return;
  // IOS: %LINK-5-CHANGED ... administratively down / %LINK-3-UPDOWN ... up, then the line protocol.
  let w = logBegin(LOG_NOTICE);
  putStr(w, down ? "%LINK-5-CHANGED: " : "%LINK-3-UPDOWN: ");
  putStr(w, "Interface Ethernet0, changed state to ");
  putStr(w, down ? "administratively down" : "up");
  logEnd();
  w = logBegin(LOG_NOTICE);
  putStr(w, "%LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet0, changed state to ");
  putProtocol(w);
  logEnd();
}

/** [no] ip default-gateway A.B.C.D */
export function cmdDefaultGateway(x: i32): void {
  netSetGateway(argNegated() ? 0 : argIp(2));
}

/** Running-config: the interface (IOS always lists it). */
export function interfaceSection(row: u32, w: Writer): bool {
  if (row == 0) {
    putStr(w, "interface ");
    putIfName(w);
    return true;
  }
  if (row == 1) {
    if (netAddress() == 0) {
      putStr(w, " no ip address");
    } else {
      putStr(w, " ip address ");
      putIp(w, netAddress());
      putStr(w, " ");
      putIp(w, netMask());
    }
    return true;
  }
  if (row != 2 || !netIsShutdown()) return false;
  putStr(w, " shutdown");
  return true;
}

/** Running-config: `ip default-gateway` (after the interfaces, as IOS). */
export function gatewaySection(row: u32, w: Writer): bool {
  if (netGateway() == 0 || row != 0) return false;
  putStr(w, "ip default-gateway ");
  putIp(w, netGateway());
  return true;
}

// --- show ---

/** `0200.0000.0001`: IOS's dotted MAC. */
export function putMac(w: Writer, mac: u64): void {
  for (let i = 0; i < 6; i++) {
    if (i == 2 || i == 4) putStr(w, ".");
    putHex8(w, <u32>(mac >> (<u64>(40 - 8 * i))) & 0xff);
  }
}

function putStatus(w: Writer): void {
  putStr(w, netIsShutdown() ? "administratively down" : "up");
}

function putProtocol(w: Writer): void {
  putStr(w, netIsShutdown() ? "down" : "up");
}

export function cmdShowInterfaces(x: i32): void {
  execStartOutput(x, interfacesRow);
}

// @ts-ignore: decorator
@inline function c(id: i32): u32 {
  return netCounter(id);
}

function interfacesRow(x: i32): bool {
  const row = execAt(x).genRow;
  if (row == 0) {
    putIfName(out);
    say(" is ");
    putStatus(out);
    say(", line protocol is ");
    putProtocol(out);
    say("\r\n  Hardware is Ethernet, address is ");
    putMac(out, netMacAddress());
    say(" (bia ");
    putMac(out, netMacAddress());
    say(")\r\n");
    if (netAddress() != 0) {
      say("  Internet address is ");
      putIp(out, netAddress());
      putTpl(out, "/\x01\r\n", <u32>maskPrefix(netMask()));
    }
  } else if (row == 1) {
    say("  MTU 1500 bytes, BW 10000 Kbit, DLY 1000 usec,\r\n  Encapsulation ARPA, loopback not set\r\n  ARP type: ARPA, ARP Timeout 04:00:00\r\n");
  } else if (row == 2) {
    putTpl(out, "     \x01 packets input, \x02 bytes, 0 no buffer\r\n     Received \x03 broadcasts, \x04 runts, 0 giants, 0 throttles\r\n",
      c(NET_RX_FRAMES), c(NET_RX_BYTES), c(NET_RX_BROADCASTS), c(NET_RX_BAD_LENGTH));
    putTpl(out, "     \x01 input errors, 0 CRC, 0 frame, \x02 overrun, \x03 ignored\r\n",
      c(NET_RX_BAD_LENGTH) + c(NET_RX_OVERRUNS), c(NET_RX_OVERRUNS), c(NET_RX_IGNORED));
  } else if (row == 3) {
    putTpl(out, "     \x01 packets output, \x02 bytes, 0 underruns\r\n     \x03 output errors, 0 collisions, 0 interface resets\r\n",
      c(NET_TX_FRAMES), c(NET_TX_BYTES), c(NET_DROPPED_DOWN));
  } else {
    return false;
  }
  return true;
}

export function cmdShowIpInterfaceBrief(x: i32): void {
  say("Interface              IP-Address      OK? Method Status                Protocol\r\n");
  putIfName(out);
  sayPad(23);
  if (netAddress() == 0) say("unassigned");
  else putIp(out, netAddress());
  sayPad(39);
  say("YES ");
  say(netAddress() == 0 ? "unset " : addressFromNvram ? "NVRAM " : "manual");
  say(" ");
  putStatus(out);
  sayPad(72);
  putProtocol(out);
  say("\r\n");
}
