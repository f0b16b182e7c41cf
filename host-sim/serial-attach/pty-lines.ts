// Every serial line of a simulated device as a real pseudo-terminal, in one directory: the shape of
// hardware in the loop where the "hardware" is a device process on this machine. A black-box suite
// then opens DIR/tty1, DIR/tty2 ... exactly as it would open /dev/ttyUSB0 on a real terminal server.
import { join } from "node:path";
import { PtyAttachment } from "./pty-attachment.ts";
import type { Attachment, UartEnd, Wake } from "./uart-end.ts";

export interface PtyLinesOptions {
  /** The directory for the links (it must exist). */
  dir: string;
  /** Link name before the line number (default "tty": DIR/tty0, DIR/tty1 ...). */
  prefix?: string;
  wake?: Wake;
  /** A line's socat ended on its own. */
  onEnd?: (line: number, reason: string) => void;
}

export interface PtyLines extends Attachment {
  /** Line number to link path. */
  readonly paths: ReadonlyMap<number, string>;
  readonly attachments: readonly PtyAttachment[];
}

/** Opens one PtyAttachment per UART, in order; if one fails, those already opened are closed. */
export async function openPtyLines(uarts: readonly UartEnd[], options: PtyLinesOptions): Promise<PtyLines> {
  const attachments: PtyAttachment[] = [];
  const paths = new Map<number, string>();
  const closeAll = async (): Promise<void> => {
    for (const attachment of attachments) await attachment.close();
  };
  try {
    for (const uart of uarts) {
      const path = join(options.dir, `${options.prefix ?? "tty"}${uart.line}`);
      const onEnd = options.onEnd;
      const pty = await PtyAttachment.open(uart, {
        path,
        ...(options.wake ? { wake: options.wake } : {}),
        ...(onEnd ? { onEnd: (reason: string) => onEnd(uart.line, reason) } : {}),
      });
      attachments.push(pty);
      paths.set(uart.line, path);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { paths, attachments, close: closeAll };
}
