// Telnet's numbers: commands (RFC 854), options (RFC 855 and one RFC per option), the RFC 2217
// COM-PORT-OPTION commands and values, and the engine's own roles and event bits.
// Read RFC 854 ("TELNET COMMAND STRUCTURE") and RFC 2217 section 3 first.

// --- Commands (RFC 854, page 14) ---
// @ts-ignore: decorator
@inline export const IAC: u32 = 255;
// @ts-ignore: decorator
@inline export const DONT: u32 = 254;
// @ts-ignore: decorator
@inline export const DO: u32 = 253;
// @ts-ignore: decorator
@inline export const WONT: u32 = 252;
// @ts-ignore: decorator
@inline export const WILL: u32 = 251;
// @ts-ignore: decorator
@inline export const SB: u32 = 250;
// @ts-ignore: decorator
@inline export const GA: u32 = 249;
// @ts-ignore: decorator
@inline export const EL: u32 = 248;
// @ts-ignore: decorator
@inline export const EC: u32 = 247;
// @ts-ignore: decorator
@inline export const AYT: u32 = 246;
// @ts-ignore: decorator
@inline export const AO: u32 = 245;
// @ts-ignore: decorator
@inline export const IP: u32 = 244;
// @ts-ignore: decorator
@inline export const BRK: u32 = 243;
// @ts-ignore: decorator
@inline export const DM: u32 = 242;
// @ts-ignore: decorator
@inline export const NOP: u32 = 241;
// @ts-ignore: decorator
@inline export const SE: u32 = 240;
/** RFC 885 END-OF-RECORD, RFC 1184 ABORT / SUSP / EOF: accepted and reported or ignored. */
// @ts-ignore: decorator
@inline export const EOR: u32 = 239;
// @ts-ignore: decorator
@inline export const ABORT: u32 = 238;
// @ts-ignore: decorator
@inline export const SUSP: u32 = 237;
// @ts-ignore: decorator
@inline export const XEOF: u32 = 236;

// @ts-ignore: decorator
@inline export const CR: u32 = 13;
// @ts-ignore: decorator
@inline export const LF: u32 = 10;
// @ts-ignore: decorator
@inline export const NUL: u32 = 0;

// --- Option codes on the wire ---
// @ts-ignore: decorator
@inline export const TELOPT_BINARY: u32 = 0; // RFC 856
// @ts-ignore: decorator
@inline export const TELOPT_ECHO: u32 = 1; // RFC 857
// @ts-ignore: decorator
@inline export const TELOPT_SGA: u32 = 3; // RFC 858
// @ts-ignore: decorator
@inline export const TELOPT_TTYPE: u32 = 24; // RFC 1091
// @ts-ignore: decorator
@inline export const TELOPT_NAWS: u32 = 31; // RFC 1073
// @ts-ignore: decorator
@inline export const TELOPT_LINEMODE: u32 = 34; // RFC 1184: refused like any unknown option
// @ts-ignore: decorator
@inline export const TELOPT_COM_PORT: u32 = 44; // RFC 2217

// --- The engine's option slots: the options it keeps RFC 1143 state for. Every other code is
// unknown: always NO, every WILL/DO for it is refused with DONT/WONT. The slot order is also the
// order of the greeting (see policy.ts): WILL ECHO, WILL SGA, DO SGA, ... as IOS sends them.
// @ts-ignore: decorator
@inline export const OPT_ECHO: i32 = 0;
// @ts-ignore: decorator
@inline export const OPT_SGA: i32 = 1;
// @ts-ignore: decorator
@inline export const OPT_BINARY: i32 = 2;
// @ts-ignore: decorator
@inline export const OPT_TTYPE: i32 = 3;
// @ts-ignore: decorator
@inline export const OPT_NAWS: i32 = 4;
// @ts-ignore: decorator
@inline export const OPT_COM_PORT: i32 = 5;
// @ts-ignore: decorator
@inline export const OPT_SLOTS: i32 = 6;
/** Not one of the slots. */
// @ts-ignore: decorator
@inline export const OPT_UNKNOWN: i32 = -1;

/** The slot of a wire option code, or OPT_UNKNOWN. */
export function optSlot(code: u32): i32 {
  switch (code) {
    case TELOPT_ECHO: return OPT_ECHO;
    case TELOPT_SGA: return OPT_SGA;
    case TELOPT_BINARY: return OPT_BINARY;
    case TELOPT_TTYPE: return OPT_TTYPE;
    case TELOPT_NAWS: return OPT_NAWS;
    case TELOPT_COM_PORT: return OPT_COM_PORT;
    default: return OPT_UNKNOWN;
  }
}

/** The wire code of a slot. */
export function optCode(slot: i32): u32 {
  switch (slot) {
    case OPT_ECHO: return TELOPT_ECHO;
    case OPT_SGA: return TELOPT_SGA;
    case OPT_BINARY: return TELOPT_BINARY;
    case OPT_TTYPE: return TELOPT_TTYPE;
    case OPT_NAWS: return TELOPT_NAWS;
    default: return TELOPT_COM_PORT;
  }
}

// --- RFC 1091 TTYPE and RFC 1073 NAWS subnegotiation ---
// @ts-ignore: decorator
@inline export const TTYPE_IS: u32 = 0;
// @ts-ignore: decorator
@inline export const TTYPE_SEND: u32 = 1;

// --- RFC 2217 commands, client to access server; the server's replies are these + 100 ---
// @ts-ignore: decorator
@inline export const COM_SIGNATURE: u32 = 0;
// @ts-ignore: decorator
@inline export const COM_SET_BAUDRATE: u32 = 1;
// @ts-ignore: decorator
@inline export const COM_SET_DATASIZE: u32 = 2;
// @ts-ignore: decorator
@inline export const COM_SET_PARITY: u32 = 3;
// @ts-ignore: decorator
@inline export const COM_SET_STOPSIZE: u32 = 4;
// @ts-ignore: decorator
@inline export const COM_SET_CONTROL: u32 = 5;
// @ts-ignore: decorator
@inline export const COM_NOTIFY_LINESTATE: u32 = 6;
// @ts-ignore: decorator
@inline export const COM_NOTIFY_MODEMSTATE: u32 = 7;
// @ts-ignore: decorator
@inline export const COM_FLOWCONTROL_SUSPEND: u32 = 8;
// @ts-ignore: decorator
@inline export const COM_FLOWCONTROL_RESUME: u32 = 9;
// @ts-ignore: decorator
@inline export const COM_SET_LINESTATE_MASK: u32 = 10;
// @ts-ignore: decorator
@inline export const COM_SET_MODEMSTATE_MASK: u32 = 11;
// @ts-ignore: decorator
@inline export const COM_PURGE_DATA: u32 = 12;
/** RFC 2217: "the access server ... uses the same command number plus 100". */
// @ts-ignore: decorator
@inline export const COM_SERVER_OFFSET: u32 = 100;

// RFC 2217 values. SET-PARITY: 1 NONE, 2 ODD, 3 EVEN, 4 MARK, 5 SPACE (the HAL uses the same).
// SET-STOPSIZE: 1 one, 2 two, 3 one and a half. SET-DATASIZE: 5..8. 0 always means "query".
// @ts-ignore: decorator
@inline export const COM_PARITY_NONE: u32 = 1;
// @ts-ignore: decorator
@inline export const COM_PARITY_SPACE: u32 = 5;
// @ts-ignore: decorator
@inline export const COM_STOPSIZE_ONE: u32 = 1;
// @ts-ignore: decorator
@inline export const COM_STOPSIZE_ONE_HALF: u32 = 3;

// SET-CONTROL values (RFC 2217 page 7).
// @ts-ignore: decorator
@inline export const CTL_FLOW_QUERY: u32 = 0;
// @ts-ignore: decorator
@inline export const CTL_FLOW_NONE: u32 = 1;
// @ts-ignore: decorator
@inline export const CTL_FLOW_XONXOFF: u32 = 2;
// @ts-ignore: decorator
@inline export const CTL_FLOW_HARDWARE: u32 = 3;
// @ts-ignore: decorator
@inline export const CTL_BREAK_QUERY: u32 = 4;
// @ts-ignore: decorator
@inline export const CTL_BREAK_ON: u32 = 5;
// @ts-ignore: decorator
@inline export const CTL_BREAK_OFF: u32 = 6;
// @ts-ignore: decorator
@inline export const CTL_DTR_QUERY: u32 = 7;
// @ts-ignore: decorator
@inline export const CTL_DTR_ON: u32 = 8;
// @ts-ignore: decorator
@inline export const CTL_DTR_OFF: u32 = 9;
// @ts-ignore: decorator
@inline export const CTL_RTS_QUERY: u32 = 10;
// @ts-ignore: decorator
@inline export const CTL_RTS_ON: u32 = 11;
// @ts-ignore: decorator
@inline export const CTL_RTS_OFF: u32 = 12;
// @ts-ignore: decorator
@inline export const CTL_INFLOW_QUERY: u32 = 13;
// @ts-ignore: decorator
@inline export const CTL_INFLOW_NONE: u32 = 14;
// @ts-ignore: decorator
@inline export const CTL_INFLOW_XONXOFF: u32 = 15;
// @ts-ignore: decorator
@inline export const CTL_INFLOW_HARDWARE: u32 = 16;
// 17 DCD, 18 DTR and 19 DSR flow control: not supported (the reply carries the current setting).

// PURGE-DATA values.
// @ts-ignore: decorator
@inline export const PURGE_RX: u32 = 1;
// @ts-ignore: decorator
@inline export const PURGE_TX: u32 = 2;
// @ts-ignore: decorator
@inline export const PURGE_BOTH: u32 = 3;

// MODEMSTATE bits (RFC 2217 page 12): the high nibble is the state, the low nibble the deltas.
// @ts-ignore: decorator
@inline export const MODEM_DCD: u32 = 0x80;
// @ts-ignore: decorator
@inline export const MODEM_RI: u32 = 0x40;
// @ts-ignore: decorator
@inline export const MODEM_DSR: u32 = 0x20;
// @ts-ignore: decorator
@inline export const MODEM_CTS: u32 = 0x10;
// @ts-ignore: decorator
@inline export const MODEM_DELTA_DCD: u32 = 0x08;
// @ts-ignore: decorator
@inline export const MODEM_RI_TRAILING: u32 = 0x04;
// @ts-ignore: decorator
@inline export const MODEM_DELTA_DSR: u32 = 0x02;
// @ts-ignore: decorator
@inline export const MODEM_DELTA_CTS: u32 = 0x01;

// --- Roles: which policy row an engine follows (policy.ts) ---
/** A vty: the exec behind port 23. */
// @ts-ignore: decorator
@inline export const ROLE_VTY: u32 = 0;
/** Reverse telnet to a line, port 2000+n: NVT text, COM-PORT-OPTION accepted. */
// @ts-ignore: decorator
@inline export const ROLE_REVERSE: u32 = 1;
/** Binary reverse telnet, port 6000+n: BINARY both ways, no CR translation ever. */
// @ts-ignore: decorator
@inline export const ROLE_BINARY: u32 = 2;
/** The exec's `telnet` command to a port other than 23: answers, asks for nothing. */
// @ts-ignore: decorator
@inline export const ROLE_CLIENT: u32 = 3;
/** The exec's `telnet` command to port 23: also offers what a BSD client offers (TTYPE, NAWS). */
// @ts-ignore: decorator
@inline export const ROLE_CLIENT_TELNETPORT: u32 = 4;
// @ts-ignore: decorator
@inline export const ROLE_COUNT: u32 = 5;

// --- Events (telnetTakeEvents): what the caller must act on, in stream order ---
// @ts-ignore: decorator
@inline export const EV_BREAK: u32 = 1 << 0; // IAC BRK: send a break on the line
// @ts-ignore: decorator
@inline export const EV_IP: u32 = 1 << 1; // Interrupt Process
// @ts-ignore: decorator
@inline export const EV_AO: u32 = 1 << 2; // Abort Output: discard queued output
// @ts-ignore: decorator
@inline export const EV_AYT: u32 = 1 << 3; // Are You There (already answered when the role says so)
// @ts-ignore: decorator
@inline export const EV_EC: u32 = 1 << 4; // Erase Character
// @ts-ignore: decorator
@inline export const EV_EL: u32 = 1 << 5; // Erase Line
// @ts-ignore: decorator
@inline export const EV_OPTIONS: u32 = 1 << 6; // an option settled (ECHO, BINARY, ...): re-read modes
// @ts-ignore: decorator
@inline export const EV_TTYPE: u32 = 1 << 7; // the peer's terminal type arrived
// @ts-ignore: decorator
@inline export const EV_NAWS: u32 = 1 << 8; // the peer's window size arrived
// @ts-ignore: decorator
@inline export const EV_COM_LINE: u32 = 1 << 9; // baud, data size, parity, stop size or flow changed
// @ts-ignore: decorator
@inline export const EV_COM_CONTROL: u32 = 1 << 10; // break state, DTR or RTS changed
// @ts-ignore: decorator
@inline export const EV_COM_PURGE: u32 = 1 << 11; // purge requested: telnetComPurge says which
// @ts-ignore: decorator
@inline export const EV_COM_FLOW: u32 = 1 << 12; // FLOWCONTROL-SUSPEND/RESUME: telnetComSuspended
// @ts-ignore: decorator
@inline export const EV_COM_NOTIFY: u32 = 1 << 13; // (client) the server sent line or modem state
// @ts-ignore: decorator
@inline export const EV_SUSP: u32 = 1 << 14; // RFC 1184 SUSP
// @ts-ignore: decorator
@inline export const EV_ABORT: u32 = 1 << 15; // RFC 1184 ABORT
// @ts-ignore: decorator
@inline export const EV_EOF: u32 = 1 << 16; // RFC 1184 EOF
