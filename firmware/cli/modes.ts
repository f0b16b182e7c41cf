// Exec modes: what the prompt says, which commands a mode offers (a bit per mode in each command
// table entry), and where `exit` goes. Adding a configuration sub-mode (config-if, config-router):
// a MODE_ constant, its bit, its prompt suffix in putModeSuffix, and its parent in modeParent.
import { Writer, putStr } from "../lib/text";

/** User EXEC: `Router>`. */
// @ts-ignore: decorator
@inline export const MODE_USER: u32 = 0;
/** Privileged EXEC: `Router#`. */
// @ts-ignore: decorator
@inline export const MODE_PRIV: u32 = 1;
/** Global configuration: `Router(config)#`. */
// @ts-ignore: decorator
@inline export const MODE_CONFIG: u32 = 2;
/** Line configuration: `Router(config-line)#` (lines modeA..modeB of the exec). */
// @ts-ignore: decorator
@inline export const MODE_LINE: u32 = 3;
/** Interface configuration: `Router(config-if)#` (interface modeA), for the TCP/IP layer. */
// @ts-ignore: decorator
@inline export const MODE_IF: u32 = 4;

// Mode masks for command table entries.
// @ts-ignore: decorator
@inline export const M_USER: u32 = 1 << MODE_USER;
// @ts-ignore: decorator
@inline export const M_PRIV: u32 = 1 << MODE_PRIV;
/** Both EXEC levels (a user command is also a privileged one). */
// @ts-ignore: decorator
@inline export const M_EXEC: u32 = M_USER | M_PRIV;
// @ts-ignore: decorator
@inline export const M_CONFIG: u32 = 1 << MODE_CONFIG;
// @ts-ignore: decorator
@inline export const M_LINE: u32 = 1 << MODE_LINE;
// @ts-ignore: decorator
@inline export const M_IF: u32 = 1 << MODE_IF;
/** Every configuration mode (global and sub-modes). */
// @ts-ignore: decorator
@inline export const M_CONFIG_ANY: u32 = M_CONFIG | M_LINE | M_IF;

export function modeIsConfig(mode: u32): bool {
  return mode >= MODE_CONFIG;
}

/** The mode `exit` returns to, and whose commands a sub-mode also accepts (IOS falls back to them). */
export function modeParent(mode: u32): u32 {
  if (mode == MODE_LINE || mode == MODE_IF) return MODE_CONFIG;
  if (mode == MODE_CONFIG) return MODE_PRIV;
  return MODE_USER;
}

/** The prompt after the hostname: `>`, `#`, `(config)#`, `(config-line)#`, `(config-if)#`. */
export function putModeSuffix(w: Writer, mode: u32): void {
  if (mode == MODE_USER) putStr(w, ">");
  else if (mode == MODE_PRIV) putStr(w, "#");
  else if (mode == MODE_CONFIG) putStr(w, "(config)#");
  else if (mode == MODE_LINE) putStr(w, "(config-line)#");
  else putStr(w, "(config-if)#");
}
