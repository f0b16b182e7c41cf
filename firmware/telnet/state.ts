// The engine table: one fixed record per handle (a TCB index), in static memory. No pointers
// between records; the caller names an engine by its handle only (DESIGN.md: handles, not objects).
//
// Record layout (TELNET_RECORD_BYTES = 48 + TELNET_SB_BYTES + TELNET_TTYPE_BYTES = 136 bytes):
//   +0   opts: u64          one byte per option slot (codes.ts OPT_*): bits 0-1 us state,
//                           bit 2 us queue, bits 4-5 him state, bit 6 him queue (RFC 1143)
//   +8   events: u32        EV_* bits raised and not yet taken
//   +12  comBaud: u32       RFC 2217: the line's baud rate
//   +16  protocolErrors: u16, +18 sbTruncations: u16, +20 nawsCols: u16, +22 nawsRows: u16
//   +24  inUse, role, rxState, sbLen, sbOver, flags, ttypeLen, comDataSize: u8
//   +32  comParity, comStopSize, comFlow, comFlowIn, comSignals, comPurge, comLineMask,
//        comModemMask: u8
//   +40  comLastModem, comLastLine, comPeerLine, comPeerModem: u8, +44 spare
//   +48  sb buffer [TELNET_SB_BYTES]: the subnegotiation being collected (option code first)
//   +96  ttype [TELNET_TTYPE_BYTES]: the peer's terminal type (server) or ours (client)
import { TELNET_COUNT, TELNET_SB_BYTES, TELNET_TTYPE_BYTES } from "../lib/limits";

// @ts-ignore: decorator
@unmanaged export class TelnetState {
  opts: u64;
  events: u32;
  comBaud: u32;
  protocolErrors: u16;
  sbTruncations: u16;
  nawsCols: u16;
  nawsRows: u16;
  inUse: u8;
  role: u8;
  rxState: u8;
  sbLen: u8;
  sbOver: u8;
  flags: u8;
  ttypeLen: u8;
  comDataSize: u8;
  comParity: u8;
  comStopSize: u8;
  comFlow: u8;
  comFlowIn: u8;
  comSignals: u8;
  comPurge: u8;
  comLineMask: u8;
  comModemMask: u8;
  comLastModem: u8;
  comLastLine: u8;
  comPeerLine: u8;
  comPeerModem: u8;
}

// @ts-ignore: decorator
@inline export const TELNET_HEADER_BYTES: i32 = 48;
// @ts-ignore: decorator
@inline export const TELNET_RECORD_BYTES: i32 = TELNET_HEADER_BYTES + TELNET_SB_BYTES + TELNET_TTYPE_BYTES;

const table = memory.data(TELNET_COUNT * TELNET_RECORD_BYTES, 8);

// Receive states: where the parser stands between two bytes (persists across calls).
// @ts-ignore: decorator
@inline export const RX_DATA: u8 = 0;
// @ts-ignore: decorator
@inline export const RX_CR: u8 = 1; // the last data byte was CR (NVT text only)
// @ts-ignore: decorator
@inline export const RX_IAC: u8 = 2;
// @ts-ignore: decorator
@inline export const RX_WILL: u8 = 3;
// @ts-ignore: decorator
@inline export const RX_WONT: u8 = 4;
// @ts-ignore: decorator
@inline export const RX_DO: u8 = 5;
// @ts-ignore: decorator
@inline export const RX_DONT: u8 = 6;
// @ts-ignore: decorator
@inline export const RX_SB: u8 = 7;
// @ts-ignore: decorator
@inline export const RX_SB_IAC: u8 = 8;

// flags
/** The last CR sent went out as CR LF (CR LF mode): a LF right after it in the next chunk is dropped. */
// @ts-ignore: decorator
@inline export const FLAG_TX_CR_EXPANDED: u8 = 1;
/** The peer set the baud rate with Cisco's 1-byte index: answer in the same form. */
// @ts-ignore: decorator
@inline export const FLAG_BAUD_INDEX: u8 = 2;

// comSignals bits
// @ts-ignore: decorator
@inline export const SIG_BREAK: u8 = 1;
// @ts-ignore: decorator
@inline export const SIG_DTR: u8 = 2;
// @ts-ignore: decorator
@inline export const SIG_RTS: u8 = 4;
/** FLOWCONTROL-SUSPEND received: stop sending line data to the client until RESUME. */
// @ts-ignore: decorator
@inline export const SIG_SUSPENDED: u8 = 8;

/** Checks the layout once, at boot (TigerBeetle: relationships between constants asserted once). */
export function telnetStateCheck(): void {
  assert(offsetof<TelnetState>() <= <usize>TELNET_HEADER_BYTES, "telnet: header larger than its slot");
  assert(TELNET_SB_BYTES >= TELNET_TTYPE_BYTES + 2, "telnet: SB buffer cannot hold a TTYPE IS");
  assert(TELNET_SB_BYTES <= 255 && TELNET_TTYPE_BYTES <= 255, "telnet: lengths are kept in a byte");
}

/** True for a handle inside the table. */
export function validHandle(h: u32): bool {
  return h < <u32>TELNET_COUNT;
}

export function stateOf(h: u32): TelnetState {
  assert(h < <u32>TELNET_COUNT, "telnet: handle out of range");
  return changetype<TelnetState>(table + <usize>h * <usize>TELNET_RECORD_BYTES);
}

/** A header of zeros (a closed engine) that the queries read for a handle outside the table. */
const blankHeader = memory.data(TELNET_HEADER_BYTES, 8);

/** For reading only: h's record, or a closed blank one when h is outside the table, so a query
 * is one call with no test of its own (the blank is never written: every writer checks first). */
export function stateOrBlank(h: u32): TelnetState {
  return changetype<TelnetState>(h < <u32>TELNET_COUNT ? table + <usize>h * <usize>TELNET_RECORD_BYTES : blankHeader);
}

export function sbBuf(s: TelnetState): usize {
  return changetype<usize>(s) + <usize>TELNET_HEADER_BYTES;
}

export function ttypeBuf(s: TelnetState): usize {
  return changetype<usize>(s) + <usize>(TELNET_HEADER_BYTES + TELNET_SB_BYTES);
}

/** Zeroes a record. */
export function stateClear(s: TelnetState): void {
  memory.fill(changetype<usize>(s), 0, <usize>TELNET_RECORD_BYTES);
}

export function raise(s: TelnetState, events: u32): void {
  s.events |= events;
}
