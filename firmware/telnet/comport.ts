// RFC 2217 COM-PORT-OPTION: the access-server side (reverse telnet lines) parses each command into
// the line settings the caller reads, and answers every command that RFC 2217 answers with the
// same command number plus 100 and the value now in effect (0 in a request means "query"; a value
// the server does not take is answered with the current one, which is how a client such as
// pyserial learns it was refused). Read RFC 2217 sections 3 and 4 first.
//
// Cisco IOS sends SET-BAUDRATE with a 1-byte index where RFC 2217 uses 4 bytes; the engine accepts
// both by length and answers in the form it was asked in.
import { Ring, ringPut } from "../lib/ring";
import { load32be } from "../lib/bytes";
import { LINE_BAUD_MIN, LINE_BAUD_MAX, TELNET_SIGNATURE_BYTES } from "../lib/limits";
import {
  TELOPT_COM_PORT, COM_SERVER_OFFSET, COM_SIGNATURE, COM_SET_BAUDRATE, COM_SET_DATASIZE, COM_SET_PARITY,
  COM_SET_STOPSIZE, COM_SET_CONTROL, COM_NOTIFY_LINESTATE, COM_NOTIFY_MODEMSTATE, COM_FLOWCONTROL_SUSPEND,
  COM_FLOWCONTROL_RESUME, COM_SET_LINESTATE_MASK, COM_SET_MODEMSTATE_MASK, COM_PURGE_DATA,
  COM_PARITY_NONE, COM_PARITY_SPACE, COM_STOPSIZE_ONE, COM_STOPSIZE_ONE_HALF,
  CTL_FLOW_QUERY, CTL_FLOW_NONE, CTL_FLOW_HARDWARE, CTL_BREAK_QUERY, CTL_BREAK_ON, CTL_BREAK_OFF,
  CTL_DTR_QUERY, CTL_DTR_ON, CTL_DTR_OFF, CTL_RTS_QUERY, CTL_RTS_ON, CTL_RTS_OFF,
  CTL_INFLOW_QUERY, CTL_INFLOW_NONE, CTL_INFLOW_HARDWARE, PURGE_RX, PURGE_BOTH,
  MODEM_CTS, MODEM_DSR, MODEM_DCD, MODEM_RI, MODEM_DELTA_CTS, MODEM_DELTA_DSR, MODEM_DELTA_DCD,
  MODEM_RI_TRAILING, EV_COM_LINE, EV_COM_CONTROL, EV_COM_PURGE, EV_COM_FLOW, EV_COM_NOTIFY,
} from "./codes";
import {
  TelnetState, raise, FLAG_BAUD_INDEX, SIG_BREAK, SIG_DTR, SIG_RTS, SIG_SUSPENDED,
} from "./state";
import { putSbStart, putSbByte, putSbEnd } from "./negotiate";

// Cisco's 1-byte SET-BAUDRATE index. Source: ser2net (Corey Minyard), the baud_rates[] table's
// cisco_ios_val column, used with its -b option ("Cisco IOS baud rates"): 3=300 4=600 5=1200
// 6=2400 7=4800 8=9600 10=19200 12=38400 13=57600 14=115200 15=230400. ser2net marks the gaps 9 and
// 11 "We don't support 14400 / 28800 baud", so they are 14400 and 28800. 0 asks; 1, 2 and anything
// above 15 are not known: answered with the current rate's index.
const CISCO_BAUD = memory.data<u32>([
  0, 0, 0, 300, 600, 1200, 2400, 4800, 9600, 14400, 19200, 28800, 38400, 57600, 115200, 230400,
]);
// @ts-ignore: decorator
@inline const CISCO_BAUD_COUNT: u32 = 16;

export function ciscoBaudRate(index: u32): u32 {
  return index < CISCO_BAUD_COUNT ? load<u32>(CISCO_BAUD + (<usize>index << 2)) : 0;
}

/** The Cisco index of a rate, 0 when it has none. */
export function ciscoBaudIndex(rate: u32): u32 {
  for (let i: u32 = 1; i < CISCO_BAUD_COUNT; i++) {
    if (rate != 0 && ciscoBaudRate(i) == rate) return i;
  }
  return 0;
}

// This server's SIGNATURE text (RFC 2217: "a text string ... identifying the access server").
// Static data, so it holds "termsrv" from power-on without a start function or a boot step.
const signature = memory.data<u8>([
  0x74, 0x65, 0x72, 0x6d, 0x73, 0x72, 0x76, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
let signatureLen: u32 = 7;

/** Sets the SIGNATURE text (ASCII; cut to TELNET_SIGNATURE_BYTES; 0xFF bytes are escaped anyway). */
export function comSetSignature(src: usize, len: u32): void {
  assert(TELNET_SIGNATURE_BYTES == 32, "telnet: resize the signature's static data with the limit");
  signatureLen = min<u32>(len, <u32>TELNET_SIGNATURE_BYTES);
  memory.copy(signature, src, signatureLen);
}

/** Line defaults until the caller seeds the real ones: 9600 8N1, no flow, DTR and RTS up. RFC 2217
 * defaults: line-state mask 0, modem-state mask 255. */
export function comDefaults(s: TelnetState): void {
  s.comBaud = 9600;
  s.comDataSize = 8;
  s.comParity = <u8>COM_PARITY_NONE;
  s.comStopSize = <u8>COM_STOPSIZE_ONE;
  s.comFlow = <u8>CTL_FLOW_NONE;
  s.comFlowIn = <u8>CTL_INFLOW_NONE;
  s.comSignals = SIG_DTR | SIG_RTS;
  s.comLineMask = 0;
  s.comModemMask = 255;
}

function replyByte(out: Ring, command: u32, value: u32): void {
  putSbStart(out, TELOPT_COM_PORT);
  ringPut(out, command + COM_SERVER_OFFSET);
  putSbByte(out, value & 255);
  putSbEnd(out);
}

function replyBaud(s: TelnetState, out: Ring): void {
  putSbStart(out, TELOPT_COM_PORT);
  ringPut(out, COM_SET_BAUDRATE + COM_SERVER_OFFSET);
  if ((s.flags & FLAG_BAUD_INDEX) != 0) {
    putSbByte(out, ciscoBaudIndex(s.comBaud));
  } else {
    putSbByte(out, s.comBaud >>> 24);
    putSbByte(out, (s.comBaud >>> 16) & 255);
    putSbByte(out, (s.comBaud >>> 8) & 255);
    putSbByte(out, s.comBaud & 255);
  }
  putSbEnd(out);
}

function setBaud(s: TelnetState, value: usize, len: u32): void {
  let rate: u32 = 0;
  if (len == 4) {
    s.flags &= ~FLAG_BAUD_INDEX;
    rate = load32be(value);
    if (rate < LINE_BAUD_MIN || rate > LINE_BAUD_MAX) rate = 0;
  } else if (len == 1) {
    s.flags |= FLAG_BAUD_INDEX;
    rate = ciscoBaudRate(<u32>load<u8>(value));
  } else {
    s.protocolErrors++;
  }
  if (rate != 0 && rate != s.comBaud) {
    s.comBaud = rate;
    raise(s, EV_COM_LINE);
  }
}

/** A setting byte in [low, high] (0 queries): stores it and raises EV_COM_LINE when it changes. */
function setLineByte(s: TelnetState, value: u32, low: u32, high: u32, current: u32): u32 {
  if (value >= low && value <= high && value != current) {
    raise(s, EV_COM_LINE);
    return value;
  }
  return current;
}

function setSignal(s: TelnetState, bit: u8, on: bool): void {
  const next = on ? (s.comSignals | bit) : (s.comSignals & ~bit);
  if (next != s.comSignals) {
    s.comSignals = next;
    raise(s, EV_COM_CONTROL);
  }
}

/** SET-CONTROL: applies the value and returns the answer's value (RFC 2217 page 7-9). */
function setControl(s: TelnetState, value: u32): u32 {
  if (value == CTL_FLOW_QUERY) return s.comFlow;
  if (value >= CTL_FLOW_NONE && value <= CTL_FLOW_HARDWARE) {
    s.comFlow = <u8>setLineByte(s, value, CTL_FLOW_NONE, CTL_FLOW_HARDWARE, s.comFlow);
    return s.comFlow;
  }
  if (value == CTL_BREAK_QUERY) return (s.comSignals & SIG_BREAK) != 0 ? CTL_BREAK_ON : CTL_BREAK_OFF;
  if (value == CTL_BREAK_ON || value == CTL_BREAK_OFF) {
    setSignal(s, SIG_BREAK, value == CTL_BREAK_ON);
    return value;
  }
  if (value == CTL_DTR_QUERY) return (s.comSignals & SIG_DTR) != 0 ? CTL_DTR_ON : CTL_DTR_OFF;
  if (value == CTL_DTR_ON || value == CTL_DTR_OFF) {
    setSignal(s, SIG_DTR, value == CTL_DTR_ON);
    return value;
  }
  if (value == CTL_RTS_QUERY) return (s.comSignals & SIG_RTS) != 0 ? CTL_RTS_ON : CTL_RTS_OFF;
  if (value == CTL_RTS_ON || value == CTL_RTS_OFF) {
    setSignal(s, SIG_RTS, value == CTL_RTS_ON);
    return value;
  }
  if (value == CTL_INFLOW_QUERY) return s.comFlowIn;
  if (value >= CTL_INFLOW_NONE && value <= CTL_INFLOW_HARDWARE) {
    s.comFlowIn = <u8>setLineByte(s, value, CTL_INFLOW_NONE, CTL_INFLOW_HARDWARE, s.comFlowIn);
    return s.comFlowIn;
  }
  // 17-19 (DCD, DTR, DSR flow control) and unknown values: refused, answered with the current
  // outbound flow setting so the client sees its value was not taken.
  s.protocolErrors++;
  return s.comFlow;
}

/** A COM-PORT-OPTION subnegotiation at the access server: `buf` holds 44, command, value... */
export function comServerSubneg(s: TelnetState, buf: usize, len: u32, out: Ring): void {
  if (len < 2) {
    s.protocolErrors++;
    return;
  }
  const command = <u32>load<u8>(buf + 1);
  const value = buf + 2;
  const valueLen = len - 2;
  const first: u32 = valueLen > 0 ? <u32>load<u8>(value) : 0;
  switch (command) {
    case COM_SIGNATURE: {
      // An empty SIGNATURE asks for ours; a client's own signature needs no answer.
      if (valueLen == 0) {
        putSbStart(out, TELOPT_COM_PORT);
        ringPut(out, COM_SIGNATURE + COM_SERVER_OFFSET);
        for (let i: u32 = 0; i < signatureLen; i++) putSbByte(out, <u32>load<u8>(signature + i));
        putSbEnd(out);
      }
      break;
    }
    case COM_SET_BAUDRATE: {
      setBaud(s, value, valueLen);
      replyBaud(s, out);
      break;
    }
    case COM_SET_DATASIZE: {
      s.comDataSize = <u8>setLineByte(s, first, 5, 8, s.comDataSize);
      replyByte(out, command, s.comDataSize);
      break;
    }
    case COM_SET_PARITY: {
      s.comParity = <u8>setLineByte(s, first, COM_PARITY_NONE, COM_PARITY_SPACE, s.comParity);
      replyByte(out, command, s.comParity);
      break;
    }
    case COM_SET_STOPSIZE: {
      s.comStopSize = <u8>setLineByte(s, first, COM_STOPSIZE_ONE, COM_STOPSIZE_ONE_HALF, s.comStopSize);
      replyByte(out, command, s.comStopSize);
      break;
    }
    case COM_SET_CONTROL: {
      replyByte(out, command, setControl(s, first));
      break;
    }
    case COM_NOTIFY_LINESTATE: {
      // Not a client command in RFC 2217, but clients poll with it (pyserial): answer the state.
      replyByte(out, command, <u32>(s.comLastLine & s.comLineMask));
      break;
    }
    case COM_NOTIFY_MODEMSTATE: {
      replyByte(out, command, <u32>(s.comLastModem & s.comModemMask));
      break;
    }
    case COM_FLOWCONTROL_SUSPEND:
    case COM_FLOWCONTROL_RESUME: {
      // No answer: RFC 2217 flow control is a notification.
      const suspended = (s.comSignals & SIG_SUSPENDED) != 0;
      const want = command == COM_FLOWCONTROL_SUSPEND;
      if (suspended != want) {
        s.comSignals = want ? (s.comSignals | SIG_SUSPENDED) : (s.comSignals & ~SIG_SUSPENDED);
        raise(s, EV_COM_FLOW);
      }
      break;
    }
    case COM_SET_LINESTATE_MASK: {
      s.comLineMask = <u8>first;
      replyByte(out, command, first);
      break;
    }
    case COM_SET_MODEMSTATE_MASK: {
      s.comModemMask = <u8>first;
      replyByte(out, command, first);
      break;
    }
    case COM_PURGE_DATA: {
      if (first >= PURGE_RX && first <= PURGE_BOTH) {
        s.comPurge = <u8>first;
        raise(s, EV_COM_PURGE);
        replyByte(out, command, first);
      } else {
        s.protocolErrors++;
        replyByte(out, command, 0);
      }
      break;
    }
    default: {
      s.protocolErrors++;
    }
  }
}

/** A COM-PORT-OPTION subnegotiation at the client: keeps the server's line and modem state. */
export function comClientSubneg(s: TelnetState, buf: usize, len: u32): void {
  if (len < 3) return;
  const command = <u32>load<u8>(buf + 1);
  const value = load<u8>(buf + 2);
  if (command == COM_NOTIFY_LINESTATE + COM_SERVER_OFFSET) {
    s.comPeerLine = value;
    raise(s, EV_COM_NOTIFY);
  } else if (command == COM_NOTIFY_MODEMSTATE + COM_SERVER_OFFSET) {
    s.comPeerModem = value;
    raise(s, EV_COM_NOTIFY);
  }
}

/**
 * The line's modem inputs changed (state: MODEM_DCD | MODEM_RI | MODEM_DSR | MODEM_CTS). Sends
 * NOTIFY-MODEMSTATE with the delta bits when a bit the client's mask selects changed. Returns false
 * when nothing was sent.
 */
export function comNotifyModem(s: TelnetState, state: u32, out: Ring): bool {
  const now = state & 0xf0;
  const last = <u32>s.comLastModem;
  const changed = now ^ last;
  let deltas: u32 = 0;
  if ((changed & MODEM_CTS) != 0) deltas |= MODEM_DELTA_CTS;
  if ((changed & MODEM_DSR) != 0) deltas |= MODEM_DELTA_DSR;
  if ((changed & MODEM_DCD) != 0) deltas |= MODEM_DELTA_DCD;
  if ((last & MODEM_RI) != 0 && (now & MODEM_RI) == 0) deltas |= MODEM_RI_TRAILING;
  s.comLastModem = <u8>now;
  const mask = <u32>s.comModemMask;
  if (((changed | deltas) & mask) == 0) return false;
  replyByte(out, COM_NOTIFY_MODEMSTATE, (now | deltas) & mask);
  return true;
}

/** Line conditions (RFC 2217 LINESTATE bits): sends NOTIFY-LINESTATE when the mask selects any. */
export function comNotifyLine(s: TelnetState, state: u32, out: Ring): bool {
  s.comLastLine = <u8>state;
  const masked = state & <u32>s.comLineMask;
  if (masked == 0) return false;
  replyByte(out, COM_NOTIFY_LINESTATE, masked);
  return true;
}
