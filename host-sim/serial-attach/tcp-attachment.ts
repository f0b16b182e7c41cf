// A virtual UART reachable over TCP: a listener on 127.0.0.1:PORT whose one client is the far end
// of the line, raw bytes both ways (no telnet: a line is not a telnet server; the firmware's own
// reverse telnet is that). Like a console cable, one person at a time: a second client gets a short
// notice and is closed. Real time only, like every attachment to the outside world: pass
// `wake: () => driver.tick()` for the RealTimeDriver pacing the scheduler.
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { InputGate } from "./input-gate.ts";
import type { Attachment, UartEnd, Wake } from "./uart-end.ts";

/** Device output buffered for a slow client; past this, bytes are dropped (as on a wire). */
export const TCP_OUTPUT_BUFFERED_MAX = 64 * 1024;
/** What a second client reads before it is closed. */
export const TCP_BUSY_TEXT_DEFAULT = "% Serial line busy: another client is attached\r\n";

export interface TcpAttachmentOptions {
  /** TCP port; 0 picks a free one (read it back from `.port`). */
  port: number;
  /** Address to listen on: loopback unless told otherwise. */
  host?: string;
  wake?: Wake;
  /** Sent to a refused second client before closing it. */
  busyText?: string;
  /** Input modem bits (abi.ts `Modem`) the device sees while a client is connected, and after. */
  modem?: { connected: number; disconnected: number };
  onConnect?: (remote: string) => void;
  onDisconnect?: () => void;
}

export class TcpAttachment implements Attachment {
  readonly port: number;
  bytesToDevice = 0;
  bytesFromDevice = 0;
  /** Device output dropped: no client, or a client not reading. */
  bytesDropped = 0;
  clientsAccepted = 0;
  clientsRefused = 0;
  closed = false;
  private client: { socket: Socket; gate: InputGate } | undefined;
  private pausesOfPastClients = 0;
  private readonly detachPeer: () => void;

  static async listen(uart: UartEnd, options: TcpAttachmentOptions): Promise<TcpAttachment> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return new TcpAttachment(uart, options, server);
  }

  private constructor(
    private readonly uart: UartEnd,
    private readonly options: TcpAttachmentOptions,
    private readonly server: Server,
  ) {
    this.port = (server.address() as AddressInfo).port;
    server.on("connection", (socket) => this.accept(socket));
    this.detachPeer = uart.attach({ data: (bytes) => this.write(bytes) });
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Times a client was paused because the device was behind (flow control, input-gate.ts). */
  get inputPauses(): number {
    return this.pausesOfPastClients + (this.client?.gate.pauses ?? 0);
  }

  /** Closes the client (if any) and the listener, and detaches from the UART. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.detachPeer();
    const client = this.client;
    if (client) {
      client.socket.destroy();
      this.dropClient(client.socket);
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.client || this.closed) {
      this.clientsRefused++;
      socket.on("error", () => undefined);
      socket.end(this.options.busyText ?? TCP_BUSY_TEXT_DEFAULT);
      return;
    }
    this.clientsAccepted++;
    socket.setNoDelay(true);
    const gate = new InputGate(this.uart, socket, this.options.wake);
    this.client = { socket, gate };
    socket.on("data", (chunk: Buffer) => {
      if (this.client?.socket !== socket) return;
      this.bytesToDevice += chunk.length;
      gate.push(new Uint8Array(chunk));
    });
    socket.on("error", () => undefined); // a reset client simply goes away: "close" follows
    socket.on("close", () => this.dropClient(socket));
    if (this.options.modem) this.setModem(this.options.modem.connected);
    this.options.onConnect?.(`${socket.remoteAddress}:${socket.remotePort}`);
  }

  private dropClient(socket: Socket): void {
    if (this.client?.socket !== socket) return;
    this.client.gate.stop();
    this.pausesOfPastClients += this.client.gate.pauses;
    this.client = undefined;
    if (this.options.modem) this.setModem(this.options.modem.disconnected);
    this.options.onDisconnect?.();
  }

  private setModem(bits: number): void {
    this.uart.setModem(bits);
    this.options.wake?.();
  }

  private write(bytes: Uint8Array): void {
    const socket = this.client?.socket;
    if (!socket || socket.writableLength + bytes.length > TCP_OUTPUT_BUFFERED_MAX) {
      this.bytesDropped += bytes.length;
      return;
    }
    this.bytesFromDevice += bytes.length;
    socket.write(bytes);
  }
}
