// Bytes real clients sent, captured on this machine with test/telnet/capture.py (a scripted server
// on 127.0.0.1 that agrees to ECHO, SGA, BINARY, TTYPE, NAWS and COM-PORT-OPTION and echoes RFC 2217
// commands back with code + 100). Each constant is one client's bytes, in order, as hex.

/** Hex (spaces allowed) to bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Bytes to spaced hex, for readable failures. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * inetutils-telnet 2.4 (Debian 12), `telnet 127.0.0.1` (port 23: the client starts negotiating,
 * BSD telnet() in telnet.c: send_do(SGA), send_will(TTYPE, NAWS, TSPEED, LFLOW, LINEMODE,
 * NEW-ENVIRON), send_do(STATUS); inetutils adds DO/WILL ENCRYPT first), in a 100x30 tmux pane,
 * then "ab" and Return. First segment: DO ENCRYPT, WILL ENCRYPT, DO SGA, WILL TTYPE, WILL NAWS,
 * WILL TSPEED, WILL LFLOW, WILL LINEMODE, WILL NEW-ENVIRON, DO STATUS.
 */
export const INETUTILS_PORT23_FIRST = hex("fffd26 fffb26 fffd03 fffb18 fffb1f fffb20 fffb21 fffb22 fffb27 fffd05");
/** Its NAWS once agreed (100 columns, 30 rows), and "ab" Return: NVT CR NUL. */
export const INETUTILS_NAWS = hex("fffa1f 0064 001e fff0");
export const INETUTILS_TYPED = hex("61 62 0d 00");

/**
 * inetutils-telnet 2.4, `telnet 127.0.0.1 7702` (a numeric port: the client starts nothing), after
 * the server sent WILL ECHO, WILL SGA, DO SGA, DO TTYPE, DO NAWS, SB TTYPE SEND: DO ECHO, DO SGA,
 * WILL SGA, WILL TTYPE, WILL NAWS, NAWS 100x30, TTYPE IS "XTERM".
 */
export const INETUTILS_ANSWER = hex("fffd01 fffd03 fffb03 fffb18 fffb1f fffa1f0064001efff0 fffa1800585445524dfff0");

/**
 * PuTTY 0.78 (Debian 12 putty-tools, `plink -telnet -P 7704 127.0.0.1`, TERM=xterm, 100x30), which
 * negotiates actively on any port: WILL NAWS, WILL TSPEED, WILL TTYPE, WILL NEW-ENVIRON, DO ECHO,
 * WILL SGA, DO SGA; then NAWS 100x30 once agreed; then WILL OLD-ENVIRON after DONT NEW-ENVIRON;
 * "ab" Return is CR NUL.
 */
export const PUTTY_FIRST = hex("fffb1f fffb20 fffb18 fffb27 fffd01 fffb03 fffd03");
export const PUTTY_NAWS = hex("fffa1f0064001efff0");
export const PUTTY_OLD_ENVIRON = hex("fffb24");
export const PUTTY_TYPED = hex("61 62 0d 00");

/**
 * pyserial 3.5 (Debian 12 python3-serial), serial_for_url("rfc2217://127.0.0.1:7701",
 * baudrate=9600), then baudrate=115200, write(b"hi\xff\r\n"), send_break(0.05),
 * reset_input_buffer(), close(). In its order:
 */
export const PYSERIAL = {
  /** open(): DO ECHO, then WILL SGA, DO SGA, DO COM-PORT, WILL COM-PORT. */
  options: hex("fffd01 fffb03 fffd03 fffd2c fffb2c"),
  /** _reconfigure_port(): SET-BAUDRATE 9600 (4 bytes), SET-DATASIZE 8, SET-PARITY NONE, SET-STOPSIZE 1,
   * SET-CONTROL no flow control; then DTR on, RTS on; then PURGE receive, PURGE transmit. */
  configure: hex("fffa2c01 00002580 fff0 fffa2c0208fff0 fffa2c0301fff0 fffa2c0401fff0 fffa2c0501fff0"),
  signals: hex("fffa2c0508fff0 fffa2c050bfff0"),
  purge: hex("fffa2c0c01fff0 fffa2c0c02fff0"),
  /** baudrate = 115200: the whole configuration again. */
  rebaud: hex("fffa2c010001c200fff0 fffa2c0208fff0 fffa2c0301fff0 fffa2c0401fff0 fffa2c0501fff0"),
  /** write(b"hi\xff\r\n"): 0xFF doubled, CR LF as is; then send_break: BREAK on, BREAK off. */
  data: hex("6869ffff0d0a"),
  breakOnOff: hex("fffa2c0505fff0 fffa2c0506fff0"),
  purgeRx: hex("fffa2c0c01fff0"),
};
