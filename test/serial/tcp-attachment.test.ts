// TcpAttachment: one TCP client on 127.0.0.1 is the far end of a virtual UART, raw bytes both ways;
// a second client is told the line is busy and closed; a paste faster than the line is held back.
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Modem } from "../../host-sim/firmware/abi.ts";
import { RealTimeDriver, Scheduler } from "../../host-sim/scheduler.ts";
import { Uart } from "../../host-sim/serial.ts";
import { INPUT_BACKLOG_MAX } from "../../host-sim/serial-attach/input-gate.ts";
import { TCP_BUSY_TEXT_DEFAULT, TcpAttachment, type TcpAttachmentOptions } from "../../host-sim/serial-attach/tcp-attachment.ts";
import { echoUart, FakePort, upperCase } from "./fake-port.ts";
import { waitFor } from "./real-world.ts";

interface Client {
  socket: Socket;
  text: () => string;
  bytes: () => Buffer;
  closed: () => boolean;
}

async function client(port: number): Promise<Client> {
  const socket = connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("close", () => (closed = true));
  socket.on("error", () => undefined);
  await new Promise((resolve) => socket.once("connect", resolve));
  return { socket, text: () => Buffer.concat(chunks).toString("latin1"), bytes: () => Buffer.concat(chunks), closed: () => closed };
}

describe("TcpAttachment", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(uart: Uart, scheduler: Scheduler, options: Partial<TcpAttachmentOptions> = {}): Promise<TcpAttachment> {
    const driver = new RealTimeDriver(scheduler);
    const tcp = await TcpAttachment.listen(uart, { port: 0, wake: () => driver.tick(), ...options });
    driver.start();
    cleanups.push(() => driver.stop(), () => tcp.close());
    return tcp;
  }

  it("carries raw bytes both ways between one client and the device", async () => {
    const scheduler = new Scheduler();
    const { uart, port } = echoUart(scheduler, upperCase);
    const tcp = await setup(uart, scheduler);
    expect(tcp.port).toBeGreaterThan(0);
    const c = await client(tcp.port);
    cleanups.push(() => c.socket.destroy());
    c.socket.write(Buffer.from([0xff, 0xfd, 0x01, 0x00, 0x0d, 0x0a, 0x61])); // telnet-looking bytes stay raw
    await waitFor(() => c.bytes().length === 7, 5_000, "the echo");
    expect([...c.bytes()]).toEqual([0xff, 0xfd, 0x01, 0x00, 0x0d, 0x0a, 0x41]);
    expect(port.received).toEqual([0xff, 0xfd, 0x01, 0x00, 0x0d, 0x0a, 0x61]);
    expect(tcp.bytesToDevice).toBe(7);
    expect(tcp.bytesFromDevice).toBe(7);
    expect(tcp.connected).toBe(true);
  });

  it("tells a second client the line is busy and closes it; the first keeps the line; the next is accepted", async () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler, upperCase);
    const tcp = await setup(uart, scheduler);
    const first = await client(tcp.port);
    const second = await client(tcp.port);
    await waitFor(() => second.closed(), 5_000, "the second client closed");
    expect(second.text()).toBe(TCP_BUSY_TEXT_DEFAULT);
    first.socket.write("still mine");
    await waitFor(() => first.text() === "STILL MINE", 5_000, "the first client's echo");
    first.socket.end();
    await waitFor(() => !tcp.connected, 5_000, "the first client gone");
    const third = await client(tcp.port);
    cleanups.push(() => third.socket.destroy());
    third.socket.write("next");
    await waitFor(() => third.text() === "NEXT", 5_000, "the third client's echo");
    expect(tcp.clientsAccepted).toBe(2);
    expect(tcp.clientsRefused).toBe(1);
  });

  it("raises the configured modem inputs while a client is connected and drops them after", async () => {
    const scheduler = new Scheduler();
    const { uart, port } = echoUart(scheduler);
    const connected = Modem.cts | Modem.dsr | Modem.dcd;
    const events: string[] = [];
    const tcp = await setup(uart, scheduler, {
      modem: { connected, disconnected: 0 },
      onConnect: (remote) => events.push(remote.startsWith("127.0.0.1:") ? "connect" : remote),
      onDisconnect: () => events.push("disconnect"),
    });
    const c = await client(tcp.port);
    await waitFor(() => port.modemState === connected, 5_000, "DCD up");
    c.socket.destroy();
    await waitFor(() => port.modemState === 0, 5_000, "DCD down");
    expect(events).toEqual(["connect", "disconnect"]);
  });

  it("drops what the device prints while no client is attached, as a wire with nobody on it would", async () => {
    const scheduler = new Scheduler();
    const { uart, port } = echoUart(scheduler);
    uart.paced = false;
    const tcp = await setup(uart, scheduler);
    port.transmit(new TextEncoder().encode("lost"));
    await waitFor(() => tcp.bytesDropped === 4, 5_000, "the drop");
    const c = await client(tcp.port);
    cleanups.push(() => c.socket.destroy());
    port.transmit(new TextEncoder().encode("seen"));
    await waitFor(() => c.text() === "seen", 5_000, "output to the new client");
  });

  it("holds back a paste faster than the line (bounded queue, socket paused), then delivers it all in order", async () => {
    const scheduler = new Scheduler();
    const uart = new Uart(1, scheduler); // 9600 baud: a 256 KiB paste would take minutes to drain
    const port = new FakePort(uart);
    const tcp = await setup(uart, scheduler);
    const c = await client(tcp.port);
    cleanups.push(() => c.socket.destroy());
    const paste = Buffer.alloc(256 * 1024, 0);
    for (let i = 0; i < paste.length; i++) paste[i] = (i * 7 + (i >> 8)) & 0xff;
    c.socket.write(paste);
    await waitFor(() => tcp.inputPauses > 0, 5_000, "the socket paused");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(uart.backlogBytes()).toBeLessThanOrEqual(INPUT_BACKLOG_MAX + 64 * 1024); // one socket read past the bound
    expect(tcp.bytesToDevice).toBeLessThan(paste.length);
    uart.paced = false; // the line speeds up: everything drains and the socket resumes
    await waitFor(() => port.received.length === paste.length, 10_000, "the whole paste");
    expect(Buffer.from(port.received).equals(paste)).toBe(true);
  });
});
