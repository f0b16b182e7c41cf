// The far ends of the simulator's virtual UARTs, in one import. Virtual time: ScriptedTerminal,
// ServerConsole. Real time (a RealTimeDriver paces the scheduler; pass `wake: () => driver.tick()`):
// PtyAttachment, TcpAttachment, StdioAttachment, SerialPortAttachment. See README.md beside this.
export { ScriptedTerminal, EXPECT_TIMEOUT_MS_DEFAULT, type Clock, type ExpectOptions, type ExpectResult, type TypeOptions } from "./scripted-terminal.ts";
export { ServerConsole, SERVER_CONSOLE_LINE_MAX, type ServerConsoleOptions, type ServerConsoleState } from "./server-console.ts";
export { PtyAttachment, PTY_OUTPUT_BUFFERED_MAX, type PtyAttachmentOptions } from "./pty-attachment.ts";
export { TcpAttachment, TCP_BUSY_TEXT_DEFAULT, TCP_OUTPUT_BUFFERED_MAX, type TcpAttachmentOptions } from "./tcp-attachment.ts";
export { StdioAttachment, ESCAPE_BYTE_DEFAULT, STDIO_HELD_OUTPUT_MAX, type StdioAttachmentOptions } from "./stdio-attachment.ts";
export { SerialPortAttachment, MODEM_POLL_MS_DEFAULT, portOptionsFor, type SerialPortAttachmentOptions } from "./serial-port-attachment.ts";
export { InputGate, INPUT_BACKLOG_MAX } from "./input-gate.ts";
export { startSocat, stopSocat, checkLinkPath, type SocatStarted } from "./socat-process.ts";
export { bytesToLatin1, latin1ToBytes, visible, type Attachment, type UartEnd, type Wake } from "./uart-end.ts";
export { openPtyLines, type PtyLines, type PtyLinesOptions } from "./pty-lines.ts";
