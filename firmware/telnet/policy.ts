// Who accepts and who asks for what: one row per role, one byte per option slot, plus the role's
// NVT rules. Negotiation code never tests a role by name; it reads this table.
//
// Sources for the rows: REFERENCE.md ("The classic server greeting is WILL ECHO, WILL SGA, DO SGA";
// reverse telnet accepts COM-PORT-OPTION), RFC 1143 (ask only for what you want), and the BSD
// client's telnet() (send_do(TELOPT_SGA), send_will(TELOPT_TTYPE), send_will(TELOPT_NAWS) when
// the port is the telnet port, nothing otherwise).
import {
  ROLE_COUNT, OPT_SLOTS, ROLE_VTY, ROLE_REVERSE, ROLE_BINARY, ROLE_CLIENT, ROLE_CLIENT_TELNETPORT,
} from "./codes";

// Per option bits.
/** Agree when the peer sends DO (we enable the option on our side). */
// @ts-ignore: decorator
@inline export const US_ALLOW: u32 = 1;
/** Agree when the peer sends WILL. */
// @ts-ignore: decorator
@inline export const HIM_ALLOW: u32 = 2;
/** Send WILL when the engine opens. */
// @ts-ignore: decorator
@inline export const US_ASK: u32 = 4;
/** Send DO when the engine opens. */
// @ts-ignore: decorator
@inline export const HIM_ASK: u32 = 8;

// Per role bits.
/** Received NVT text: CR LF and CR NUL reach the line as a lone CR (server side: the line or the
 * exec sees what a terminal's Return key sends). Without it CR LF stays CR LF (client side: the
 * user's terminal needs the LF) and only CR NUL becomes CR. */
// @ts-ignore: decorator
@inline export const MODE_RX_CR_ONLY: u32 = 1;
/** Sent NVT text: a bare CR goes out as CR LF (IOS's telnet client default, `telnet transparent`
 * would be CR NUL; and IOS reverse telnet 2000+n, REFERENCE.md "CR -> CR LF"). Without it a bare CR
 * goes out as CR NUL (RFC 854, as BSD telnetd does on a vty). */
// @ts-ignore: decorator
@inline export const MODE_TX_CR_LF: u32 = 2;
/** Binary whatever the options say (6000+n): no CR translation either way; IAC is still doubled. */
// @ts-ignore: decorator
@inline export const MODE_FORCE_BINARY: u32 = 4;
/** Answer IAC AYT with "\r\n[Yes]\r\n" (BSD telnetd's text; IOS answers AYT too). */
// @ts-ignore: decorator
@inline export const MODE_ANSWER_AYT: u32 = 8;
/** This side is an RFC 2217 access server (answers COM-PORT-OPTION commands with code + 100). */
// @ts-ignore: decorator
@inline export const MODE_COM_SERVER: u32 = 16;

const ALL: u8 = <u8>(US_ALLOW | HIM_ALLOW | US_ASK | HIM_ASK);
const UA: u8 = <u8>US_ALLOW;
const HA: u8 = <u8>HIM_ALLOW;
const UK: u8 = <u8>(US_ALLOW | US_ASK);
const HK: u8 = <u8>(HIM_ALLOW | HIM_ASK);
const UAHA: u8 = <u8>(US_ALLOW | HIM_ALLOW);

//                      ECHO       SGA               BINARY  TTYPE  NAWS   COM-PORT
const OPTION_POLICY = memory.data<u8>([
  /* ROLE_VTY */        UK,        ALL,              UAHA,   HK,    HK,    0,
  /* ROLE_REVERSE */    UK,        UK | HA,          UAHA,   0,     0,     UAHA,
  /* ROLE_BINARY */     UK,        UK | HA,          ALL,    0,     0,     UAHA,
  /* ROLE_CLIENT */     HA,        UAHA,             UAHA,   UA,    UA,    0,
  /* ROLE_CLIENT_TP */  HA,        UAHA | HK,        UAHA,   UK,    UK,    0,
]);

const ROLE_MODES = memory.data<u8>([
  /* ROLE_VTY */        <u8>(MODE_RX_CR_ONLY | MODE_ANSWER_AYT),
  /* ROLE_REVERSE */    <u8>(MODE_RX_CR_ONLY | MODE_TX_CR_LF | MODE_ANSWER_AYT | MODE_COM_SERVER),
  /* ROLE_BINARY */     <u8>(MODE_FORCE_BINARY | MODE_ANSWER_AYT | MODE_COM_SERVER),
  /* ROLE_CLIENT */     <u8>MODE_TX_CR_LF,
  /* ROLE_CLIENT_TP */  <u8>MODE_TX_CR_LF,
]);

export function policyCheck(): void {
  assert(ROLE_VTY == 0 && ROLE_REVERSE == 1 && ROLE_BINARY == 2 && ROLE_CLIENT == 3 && ROLE_CLIENT_TELNETPORT == 4,
    "telnet policy: rows out of order");
}

/** The option bits of `slot` for `role` (role < ROLE_COUNT, 0 <= slot < OPT_SLOTS). */
export function optionPolicy(role: u32, slot: i32): u32 {
  if (role >= ROLE_COUNT || slot < 0 || slot >= OPT_SLOTS) return 0;
  return <u32>load<u8>(OPTION_POLICY + <usize>(role * <u32>OPT_SLOTS + <u32>slot));
}

export function roleModes(role: u32): u32 {
  if (role >= ROLE_COUNT) return 0;
  return <u32>load<u8>(ROLE_MODES + <usize>role);
}
