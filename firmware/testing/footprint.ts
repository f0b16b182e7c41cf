// Test entry: the whole firmware (main's exports) plus facts about its static memory layout, for
// the footprint benchmark (bench/footprint.ts). Compiled like main, so __heap_base is main's end of
// static memory. The per-object figures are the strides of the fixed tables, read from the same
// constants and classes the firmware sizes its tables with (nothing here is a copy of a number).
export * from "../main";
import {
  TCB_COUNT, TCP_TX_RING_BYTES, TCP_RX_RING_BYTES, LINE_COUNT, UART_COUNT, UART_RX_RING_BYTES, UART_TX_RING_BYTES,
  EDIT_LINE_BYTES, HISTORY_BYTES, AUTOCOMMAND_BYTES_MAX, EXEC_COUNT, ARP_ENTRY_COUNT, TELNET_COUNT, SESSION_COUNT,
} from "../lib/limits";
import { TCB_BYTES } from "../tcp/tcb";
import { RING_HEADER_BYTES } from "../lib/ring";
import { ENTRY_BYTES } from "../net/arp";
import { TELNET_RECORD_BYTES } from "../telnet/state";
import { SESSION_STRIDE } from "../tty/session";
import { Line } from "../tty/line-table";
import { Exec } from "../cli/exec-state";

/** First byte past all static data and tables: the firmware's fixed RAM footprint. */
export function staticEnd(): usize {
  return __heap_base;
}

/** One TCB record (state, sequence numbers, timers), without its rings. */
export function tcbRecordBytes(): i32 {
  return TCB_BYTES;
}

/** Everything one connection slot costs: TCB, its two rings (headers and storage). */
export function tcbSlotBytes(): i32 {
  return TCB_BYTES + 2 * RING_HEADER_BYTES + TCP_TX_RING_BYTES + TCP_RX_RING_BYTES;
}

/** One telnet engine record (option states, subnegotiation and terminal-type buffers). */
export function telnetRecordBytes(): i32 {
  return TELNET_RECORD_BYTES;
}

/** One terminal-server session record (one per TCB). */
export function sessionRecordBytes(): i32 {
  return <i32>SESSION_STRIDE;
}

/** One line record (settings, state, counters) without its buffers. */
export function lineRecordBytes(): i32 {
  return <i32>((offsetof<Line>() + 7) & ~7);
}

/** One exec context (parser and editor state) without its buffers. */
export function execRecordBytes(): i32 {
  return <i32>((offsetof<Exec>() + 7) & ~7);
}

/** Everything one physical line (a UART: con, tty or aux) costs: record, autocommand, both UART
 * rings, its exec (record, edit line, history), the sink and session pointers. */
export function uartLineBytes(): i32 {
  return lineRecordBytes() + AUTOCOMMAND_BYTES_MAX + 2 * RING_HEADER_BYTES + UART_RX_RING_BYTES + UART_TX_RING_BYTES +
    execRecordBytes() + EDIT_LINE_BYTES + HISTORY_BYTES + 8 + 4 + 4;
}

/** Same for a vty (no UART transmit ring). */
export function vtyLineBytes(): i32 {
  return uartLineBytes() - RING_HEADER_BYTES - UART_TX_RING_BYTES;
}

export function arpEntryBytes(): i32 {
  return ENTRY_BYTES;
}

export function tcbCount(): i32 { return TCB_COUNT; }
export function lineCount(): i32 { return LINE_COUNT; }
export function uartCount(): i32 { return UART_COUNT; }
export function execCount(): i32 { return EXEC_COUNT; }
export function arpEntryCount(): i32 { return ARP_ENTRY_COUNT; }
export function telnetCount(): i32 { return TELNET_COUNT; }
export function sessionCount(): i32 { return SESSION_COUNT; }
