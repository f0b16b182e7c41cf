// Every fixed limit of the firmware, in one place (STYLE.md: "the firmware has one place for each
// limit"). Tables are sized from these at build time; relationships between them are asserted once,
// at boot (checkLimits). Memory is 2 pages (128 KiB) in all: see the budget at the end.

/** Largest argument the host may pass in one call (a frame, a chunk of serial bytes, an NVRAM read). */
// @ts-ignore: decorator
@inline export const STAGING_BYTES: i32 = 2048;

// --- Lines (IOS absolute numbering: con 0, tty 1..TTY_COUNT, aux, vty 0..VTY_COUNT-1) ---
// @ts-ignore: decorator
@inline export const TTY_COUNT: i32 = 16;
// @ts-ignore: decorator
@inline export const VTY_COUNT: i32 = 5;
/** UARTs: con, the TTYs and aux. */
// @ts-ignore: decorator
@inline export const UART_COUNT: i32 = TTY_COUNT + 2;
// @ts-ignore: decorator
@inline export const LINE_COUNT: i32 = UART_COUNT + VTY_COUNT;
/** Input waiting for the line's reader (exec, session). Input is flow-controlled (the host holds
 * back what does not fit), so the size costs steps, not bytes: a session's line moves its input on
 * one ring at a time inside serial(). 128 -> 256 (+2.9 KiB over 23 lines, issue 7): 16 lines
 * forwarding tty -> TCP took ~15 % less firmware time per byte. */
// @ts-ignore: decorator
@inline export const UART_RX_RING_BYTES: i32 = 256;
// @ts-ignore: decorator
@inline export const UART_TX_RING_BYTES: i32 = 256;

/**
 * Line messages (`refuse-message`): one small pool shared by every line, not a buffer per line.
 * A line refers to a slot by index; lines with the same text share one slot. Text bytes per slot
 * (printable ASCII and line breaks) and lines per message (each is a running-config row).
 */
// @ts-ignore: decorator
@inline export const MESSAGE_SLOT_COUNT: i32 = 4;
// @ts-ignore: decorator
@inline export const MESSAGE_SLOT_BYTES: i32 = 120;
// @ts-ignore: decorator
@inline export const MESSAGE_LINES_MAX: i32 = 8;
/** `busy-message`: destinations (by address) with their own connection-failed message. */
// @ts-ignore: decorator
@inline export const BUSY_MESSAGE_COUNT: i32 = 4;

// --- Exec (firmware/cli) and configuration (firmware/config) ---
/** Longest command line a user can type (IOS scrolls longer lines; here the bell rings). */
// @ts-ignore: decorator
@inline export const EDIT_LINE_BYTES: i32 = 100;
/** Per-line command history: entries stored length-prefixed in this many bytes... */
// @ts-ignore: decorator
@inline export const HISTORY_BYTES: i32 = 200;
/** ...and at most this many entries (IOS's default `history size` is 10). */
// @ts-ignore: decorator
@inline export const HISTORY_ENTRIES_MAX: i32 = 10;
// @ts-ignore: decorator
@inline export const HOSTNAME_BYTES_MAX: i32 = 30;
// @ts-ignore: decorator
@inline export const AUTOCOMMAND_BYTES_MAX: i32 = 60;
/** Entries in the command table (all modes together). */
// @ts-ignore: decorator
@inline export const COMMAND_COUNT_MAX: i32 = 128;
/** RAM for the commands' syntax texts, expanded at boot from the text table (1898 bytes today). */
// @ts-ignore: decorator
@inline export const COMMAND_SYNTAX_BYTES: i32 = 2048;
/** Words in one command line (the rest is an error). */
// @ts-ignore: decorator
@inline export const COMMAND_WORDS_MAX: i32 = 16;
/** Sections of the running-config (hostname, enable, lines, interfaces, ...). */
// @ts-ignore: decorator
@inline export const CONFIG_SECTION_COUNT_MAX: i32 = 16;
/**
 * Output room a line must have before its exec does one step (one input byte or one row of a
 * long output). Every step writes at most this much: the longest is the caret line of an invalid
 * command, or a full redisplay of the edit line (1 + prompt 44 + 2 x EDIT_LINE_BYTES).
 */
// @ts-ignore: decorator
@inline export const EXEC_STEP_BYTES_MAX: i32 = 256;
/** Exec contexts: one per line plus one that replays the startup-config at boot. */
// @ts-ignore: decorator
@inline export const EXEC_COUNT: i32 = LINE_COUNT + 1;

// --- Network ---
/** Largest Ethernet II frame without FCS (1500-byte MTU + 14-byte header). */
// @ts-ignore: decorator
@inline export const FRAME_BYTES_MAX: i32 = 1514;
// @ts-ignore: decorator
@inline export const ARP_ENTRY_COUNT: i32 = 16;
/** Frames waiting for an ARP answer (one per pending entry at most; a newer one replaces it). */
// @ts-ignore: decorator
@inline export const ARP_QUEUE_COUNT: i32 = 2;
/** Largest frame the ARP queue keeps: a SYN, a default ping, a short telnet segment. A bigger one
 * is dropped (counted) while resolution runs; TCP sends it again. */
// @ts-ignore: decorator
@inline export const ARP_QUEUE_FRAME_BYTES: i32 = 256;
/** Received frames wait here, contiguous, between frame() and the next poll (which knows the time).
 * A frame that finds it full makes frame() handle the oldest ones first (net/iface.ts), so its size
 * no longer decides losses (16 lines lost frames to it at 3072 and stalled on 1 s RTOs). */
// @ts-ignore: decorator
@inline export const NET_RX_RING_BYTES: i32 = 3072;
/** Concurrent ping sessions (one per exec running `ping`). */
// @ts-ignore: decorator
@inline export const PING_SESSION_COUNT: i32 = 2;

// --- TCP ---
// @ts-ignore: decorator
@inline export const TCB_COUNT: i32 = 24;
/** Send ring: every byte from SND.UNA on (retransmissions re-read it), so it bounds the data in
 * flight; kept at 1024 to match the peer's (our) receive window. */
// @ts-ignore: decorator
@inline export const TCP_TX_RING_BYTES: i32 = 1024;
/** Receive ring = the window we offer, i.e. the bytes a session moves per round trip. 512 -> 1024
 * (+12 KiB over 24 TCBs, issue 7): one line 2 MiB in 16.4 -> ~8.2 virtual s (4 ms RTT), r2's
 * ACKs per KiB halved; only with the ACK waiting for the reader (tcp/output.ts tcbOutput), else
 * the window stuck at 640 and one line got slower (26 s). */
// @ts-ignore: decorator
@inline export const TCP_RX_RING_BYTES: i32 = 1024;
/** Rotary groups (`rotary n` on lines) listened on at once: 3 ports each (3000+r, 5000+r, 7000+r). */
// @ts-ignore: decorator
@inline export const ROTARY_LISTEN_COUNT: i32 = 4;
/** Passive opens: port or port-range listeners: 23, three per TTY (2000+n, 4000+n, 6000+n), three
 * per rotary group, and a few spare. */
// @ts-ignore: decorator
@inline export const TCP_LISTENER_COUNT: i32 = 1 + 3 * TTY_COUNT + 3 * ROTARY_LISTEN_COUNT + 3;
/** Connections a listener holds that the upper layer has not accepted yet. */
// @ts-ignore: decorator
@inline export const TCP_BACKLOG_MAX: i32 = 2;
/** Segments one TCB may send per poll (bounded work; the rest goes on the next poll). */
// @ts-ignore: decorator
@inline export const TCP_SEGMENTS_PER_POLL: i32 = 4;

// --- Telnet (firmware/telnet/) ---
/** One engine per connection that may run telnet: one per TCB. */
// @ts-ignore: decorator
@inline export const TELNET_COUNT: i32 = TCB_COUNT;
/** Subnegotiation bytes kept (option code included); longer ones are truncated and counted. */
// @ts-ignore: decorator
@inline export const TELNET_SB_BYTES: i32 = 48;
/** RFC 1091: "terminal type names are ... up to 40 characters". */
// @ts-ignore: decorator
@inline export const TELNET_TTYPE_BYTES: i32 = 40;
/** Free space the engine needs in the network-side ring before it handles a command (the largest
 * reply one received command can cause: TTYPE IS with a 40-byte name, every byte escaped). */
// @ts-ignore: decorator
@inline export const TELNET_REPLY_RESERVE_BYTES: i32 = 96;
/** RFC 2217 SIGNATURE text of this server (ASCII, bounded). */
// @ts-ignore: decorator
@inline export const TELNET_SIGNATURE_BYTES: i32 = 32;
/** Baud rates a line accepts through RFC 2217 (others are answered with the current rate). */
// @ts-ignore: decorator
@inline export const LINE_BAUD_MIN: u32 = 50;
// @ts-ignore: decorator
@inline export const LINE_BAUD_MAX: u32 = 921600;

// --- Terminal server sessions (firmware/tty/session.ts) ---
/** Sessions (a vty's or a reverse line's incoming connection, or an outgoing telnet): each holds one
 * TCB, so the table has one slot per TCB and is indexed by the TCB handle. */
// @ts-ignore: decorator
@inline export const SESSION_COUNT: i32 = TCB_COUNT;
/** Outgoing sessions one line may hold when `session-limit` is not set (IOS has no default limit;
 * here one line must not take every TCB). */
// @ts-ignore: decorator
@inline export const SESSIONS_PER_LINE_DEFAULT: u32 = 4;
/** Bytes one step of a session moves in each direction (the size of the shared scratch rings
 * between TCP, the telnet engine and the lines). */
// @ts-ignore: decorator
@inline export const SESSION_SCRATCH_BYTES: i32 = 256;

// Budget (bytes, approximate, 131072 in all): static data and strings ~16 K; TCP 24 x (1024 + 512
// + TCB) ~40 K; lines 23 x (rings, editor, history) ~22 K; frame buffers ~4 K; the rest is margin.
// The benchmark prints the real figures (npm run bench). Since the text table (lib/text-table.ts),
// all texts take ~9 K of packed ASCII; static data ends at ~97.5 K (33.5 K free).
// Measured with the exec (show version "bytes in use", before TCP/IP): 54.7 K in all. Strings (AS
// literals are UTF-16: command syntax and help, messages) ~19 K; line rings 23 x 256 rx + 18 x 256
// tx = 10.5 K; exec contexts 24 x (edit 100 + history 200 + state ~96) = 9.5 K; command table
// 128 x 36 = 4.6 K; line records 23 x (96 + autocommand 60) = 3.6 K; staging 2 K; the rest small.
