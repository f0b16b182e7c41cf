// The topology's `serial:` entries made real for `npm start`: the server console on r1's tty1, a TCP
// listener, a pseudo-terminal, a real serial port. `terminal` is where the user's own terminal goes
// (the topology's `console:` decides where it starts; a `terminal` entry elsewhere is only noted).
import type { Device } from "../device.ts";
import {
  PtyAttachment,
  SerialPortAttachment,
  ServerConsole,
  TcpAttachment,
  type Attachment,
  type Wake,
} from "../serial-attach/index.ts";
import type { BuiltTopology } from "../topology/build.ts";
import type { SerialSpec } from "../topology/spec.ts";
import { lineName } from "./session-switcher.ts";

export interface AttachedLines {
  /** One line of text per attachment, for the banner. */
  notes: string[];
  closeAll(): Promise<void>;
}

async function attachOne(device: Device, spec: SerialSpec, wake: Wake, report: (text: string) => void): Promise<Attachment | undefined> {
  const uart = device.uart(spec.line);
  const where = lineName(device, spec.line);
  switch (spec.attach) {
    case "server-console": {
      const server = new ServerConsole(uart);
      report(`${where}: a server console (login ${server.user} / ${server.password})`);
      return { close: async () => server.detach() };
    }
    case "tcp": {
      const tcp = await TcpAttachment.listen(uart, { port: Number(spec.target), wake });
      report(`${where}: raw TCP on 127.0.0.1:${tcp.port}`);
      return tcp;
    }
    case "pty": {
      const pty = await PtyAttachment.open(uart, { path: spec.target!, wake, onEnd: (reason) => report(`${where}: pty ended: ${reason}`) });
      report(`${where}: pty ${spec.target} (${pty.ptyName})`);
      return pty;
    }
    case "serialport": {
      const [path = "", baud] = spec.target!.split("@");
      const port = await SerialPortAttachment.open(uart, {
        path,
        wake,
        ...(baud ? { baudRate: Number(baud) } : {}),
        onEnd: (reason) => report(`${where}: ${reason}`),
      });
      report(`${where}: serial port ${spec.target}`);
      return port;
    }
    case "terminal":
    case "none":
      return undefined;
  }
}

/** Attaches every `serial:` entry; on a failure, closes what was opened and throws. */
export async function attachLines(topology: BuiltTopology, wake: Wake, report: (text: string) => void = () => undefined): Promise<AttachedLines> {
  const opened: Attachment[] = [];
  const notes: string[] = [];
  let started = false; // notes until everything is attached, then later events (a pty ending) are reported
  const closeAll = async (): Promise<void> => {
    for (const a of opened.splice(0)) await a.close().catch(() => undefined);
  };
  try {
    for (const { device, spec } of topology.serial) {
      const attachment = await attachOne(device, spec, wake, (text) => (started ? report(text) : notes.push(text)));
      if (attachment) opened.push(attachment);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  started = true;
  return { notes, closeAll };
}
