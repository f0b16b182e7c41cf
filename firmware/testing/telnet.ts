// Test entry: drives the telnet engine (firmware/telnet/) through small exports, with two rings
// standing in for the line (UART or exec) and the network (the TCP send ring).
import "../hal/abort";
import { Ring, ringInit, ringRead, ringClear } from "../lib/ring";
import { sealHeap, heapUsed } from "../lib/runtime";
import {
  telnetBoot, telnetOpen, telnetClose, telnetReceive, telnetSend, telnetTakeEvents, telnetRequest,
  telnetOptionOn, telnetRemoteEcho, telnetWeEcho, telnetBinaryIn, telnetBinaryOut, telnetSetWindow,
  telnetSetTerminalType, telnetTerminalTypePtr, telnetTerminalTypeLen, telnetWindowCols, telnetWindowRows,
  telnetProtocolErrors, telnetSbTruncations, telnetSbTruncatedTotal, telnetBadHandleCalls, telnetComActive,
  telnetComSetLine, telnetComBaud, telnetComDataSize, telnetComParity, telnetComStopSize, telnetComFlow,
  telnetComFlowIn, telnetComSignals, telnetComPurge, telnetComSuspended, telnetComPeerModem, telnetComPeerLine,
  telnetComModem, telnetComLineState, telnetSetSignature,
} from "../telnet/telnet";
import { telnetUnknownRefused } from "../telnet/negotiate";

const RING_BYTES: i32 = 8192;
const STAGING_BYTES_TEST: i32 = 8192;
const EVENT_LOG_COUNT: i32 = 256;

const lineRing = changetype<Ring>(memory.data(16, 4));
const netRing = changetype<Ring>(memory.data(16, 4));
const lineBuf = memory.data(RING_BYTES);
const netBuf = memory.data(RING_BYTES);
const outBuf = memory.data(RING_BYTES);
const staging = memory.data(STAGING_BYTES_TEST, 16);
/** Pairs (bytes written to the line so far, events) in the order the events were taken. */
const eventLog = memory.data(EVENT_LOG_COUNT * 8, 4);
let eventLogLen: i32 = 0;
let lineWritten: u32 = 0;
let receiveCalls: u32 = 0;

export function boot(): void {
  telnetBoot();
  ringInit(lineRing, lineBuf, <u32>RING_BYTES);
  ringInit(netRing, netBuf, <u32>RING_BYTES);
  sealHeap();
}

export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  assert(newSize <= <usize>STAGING_BYTES_TEST, "test staging too small");
  return staging;
}

/** Shrinks (or restores) the two rings, emptied, to test back-pressure. */
export function setCaps(lineCap: u32, netCap: u32): void {
  ringInit(lineRing, lineBuf, min<u32>(lineCap, <u32>RING_BYTES));
  ringInit(netRing, netBuf, min<u32>(netCap, <u32>RING_BYTES));
}

export function open(h: u32, role: u32): bool {
  return telnetOpen(h, role, netRing);
}

export function close(h: u32): void {
  telnetClose(h);
}

/** One call of telnetReceive. */
export function receive(h: u32, ptr: usize, len: u32): u32 {
  const before = lineRingCount();
  const n = telnetReceive(h, ptr, len, lineRing, netRing);
  lineWritten += lineRingCount() - before;
  return n;
}

function lineRingCount(): u32 {
  return lineRing.count;
}

/** What a terminal line does: call, take the events (logged with the line position), repeat. */
export function receiveAll(h: u32, ptr: usize, len: u32): u32 {
  let at: u32 = 0;
  for (let guard: u32 = 0; guard <= len && at < len; guard++) {
    const n = receive(h, ptr + at, len - at);
    receiveCalls++;
    at += n;
    const events = telnetTakeEvents(h);
    if (events != 0 && eventLogLen < EVENT_LOG_COUNT) {
      store<u32>(eventLog + <usize>(eventLogLen * 8), lineWritten);
      store<u32>(eventLog + <usize>(eventLogLen * 8 + 4), events);
      eventLogLen++;
    }
    if (n == 0) break;
  }
  return at;
}

export function eventLogCount(): i32 {
  return eventLogLen;
}

export function eventLogAt(i: i32, field: i32): u32 {
  return load<u32>(eventLog + <usize>(i * 8 + field * 4));
}

export function resetLog(): void {
  eventLogLen = 0;
  lineWritten = 0;
  receiveCalls = 0;
}

export function calls(): u32 {
  return receiveCalls;
}

export function send(h: u32, ptr: usize, len: u32): u32 {
  return telnetSend(h, ptr, len, netRing);
}

export function takeEvents(h: u32): u32 {
  return telnetTakeEvents(h);
}

/** Moves the line ring's bytes to the out buffer; returns how many. */
export function lineTake(): u32 {
  return ringRead(lineRing, outBuf, <u32>RING_BYTES);
}

export function netTake(): u32 {
  return ringRead(netRing, outBuf, <u32>RING_BYTES);
}

export function clearRings(): void {
  ringClear(lineRing);
  ringClear(netRing);
}

export function outPtr(): usize {
  return outBuf;
}

export function request(h: u32, code: u32, him: bool, enable: bool): bool {
  return telnetRequest(h, code, him, enable, netRing);
}

export function optionOn(h: u32, code: u32, him: bool): bool {
  return telnetOptionOn(h, code, him);
}

export function remoteEcho(h: u32): bool {
  return telnetRemoteEcho(h);
}

export function weEcho(h: u32): bool {
  return telnetWeEcho(h);
}

export function binaryIn(h: u32): bool {
  return telnetBinaryIn(h);
}

export function binaryOut(h: u32): bool {
  return telnetBinaryOut(h);
}

export function setWindow(h: u32, cols: u32, rows: u32): void {
  telnetSetWindow(h, cols, rows, netRing);
}

export function setTerminalType(h: u32, ptr: usize, len: u32): void {
  telnetSetTerminalType(h, ptr, len);
}

export function ttypePtr(h: u32): usize {
  return telnetTerminalTypePtr(h);
}

export function ttypeLen(h: u32): u32 {
  return telnetTerminalTypeLen(h);
}

export function windowCols(h: u32): u32 {
  return telnetWindowCols(h);
}

export function windowRows(h: u32): u32 {
  return telnetWindowRows(h);
}

export function protocolErrors(h: u32): u32 {
  return telnetProtocolErrors(h);
}

export function sbTruncations(h: u32): u32 {
  return telnetSbTruncations(h);
}

export function sbTruncatedTotal(): u32 {
  return telnetSbTruncatedTotal();
}

export function badHandleCalls(): u32 {
  return telnetBadHandleCalls();
}

export function unknownRefused(): u32 {
  return telnetUnknownRefused();
}

export function comActive(h: u32): bool {
  return telnetComActive(h);
}

export function comSetLine(h: u32, baud: u32, dataBits: u32, parity: u32, stopBits: u32, flow: u32): void {
  telnetComSetLine(h, baud, dataBits, parity, stopBits, flow);
}

export function comBaud(h: u32): u32 {
  return telnetComBaud(h);
}

export function comDataSize(h: u32): u32 {
  return telnetComDataSize(h);
}

export function comParity(h: u32): u32 {
  return telnetComParity(h);
}

export function comStopSize(h: u32): u32 {
  return telnetComStopSize(h);
}

export function comFlow(h: u32): u32 {
  return telnetComFlow(h);
}

export function comFlowIn(h: u32): u32 {
  return telnetComFlowIn(h);
}

export function comSignals(h: u32): u32 {
  return telnetComSignals(h);
}

export function comPurge(h: u32): u32 {
  return telnetComPurge(h);
}

export function comSuspended(h: u32): bool {
  return telnetComSuspended(h);
}

export function comPeerModem(h: u32): u32 {
  return telnetComPeerModem(h);
}

export function comPeerLine(h: u32): u32 {
  return telnetComPeerLine(h);
}

export function comModem(h: u32, state: u32): bool {
  return telnetComModem(h, state, netRing);
}

export function comLineState(h: u32, state: u32): bool {
  return telnetComLineState(h, state, netRing);
}

export function setSignature(ptr: usize, len: u32): void {
  telnetSetSignature(ptr, len);
}

export function heap(): u32 {
  return <u32>heapUsed();
}

export function memoryBytes(): u32 {
  return <u32>memory.size() << 16;
}
