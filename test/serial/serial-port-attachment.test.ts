// SerialPortAttachment: a virtual UART joined to a real serial port through the npm `serialport`
// package. Tested against a socat pty pair (a pty is a serial port to `serialport`): the attachment
// opens one end, the test opens the other with `serialport` as a program on a real wire would.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { afterEach, expect, it } from "vitest";
import { Signal } from "../../host-sim/firmware/abi.ts";
import { RealTimeDriver, Scheduler } from "../../host-sim/scheduler.ts";
import { Uart } from "../../host-sim/serial.ts";
import { PtyAttachment } from "../../host-sim/serial-attach/pty-attachment.ts";
import { SerialPortAttachment } from "../../host-sim/serial-attach/serial-port-attachment.ts";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import { startSocat, stopSocat } from "../../host-sim/serial-attach/socat-process.ts";
import { bridgedUarts, echoUart, upperCase } from "./fake-port.ts";
import { describeWithSocat, tempDirForFile, waitFor } from "./real-world.ts";

/** The other end of the wire: a `serialport` SerialPort collecting what it reads. */
async function openPeer(path: string, baudRate = 9600): Promise<{ port: SerialPort; text: () => string }> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const chunks: Buffer[] = [];
  port.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { port, text: () => Buffer.concat(chunks).toString("latin1") };
}

function closePeer(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

describeWithSocat("SerialPortAttachment", () => {
  const dir = tempDirForFile("serial-port-");
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A socat pty pair: a null-modem cable with a serial port at each end. */
  async function cable(): Promise<{ near: string; far: string; stop: () => Promise<void> }> {
    const near = join(dir(), `near${cleanups.length}`);
    const far = join(dir(), `far${cleanups.length}`);
    const socat = await startSocat([`pty,raw,echo=0,link=${near}`, `pty,raw,echo=0,link=${far}`]);
    const stop = (): Promise<void> => stopSocat(socat.child);
    cleanups.push(stop);
    return { near, far, stop };
  }

  async function setup(onEnd?: (why: string) => void): Promise<{ uart: Uart; port: ReturnType<typeof echoUart>["port"]; attachment: SerialPortAttachment; peer: Awaited<ReturnType<typeof openPeer>>; near: string; stopCable: () => Promise<void> }> {
    const { near, far, stop } = await cable();
    const scheduler = new Scheduler();
    const driver = new RealTimeDriver(scheduler);
    const { uart, port } = echoUart(scheduler, upperCase);
    uart.paced = false;
    const attachment = await SerialPortAttachment.open(uart, { path: near, baudRate: 9600, wake: () => driver.tick(), ...(onEnd ? { onEnd } : {}) });
    driver.start();
    const peer = await openPeer(far);
    cleanups.push(() => driver.stop(), () => attachment.close(), () => closePeer(peer.port));
    return { uart, port, attachment, peer, near, stopCable: stop };
  }

  it("carries bytes both ways between the device's UART and a program on the other end of the wire", async () => {
    const { port, attachment, peer } = await setup();
    peer.port.write("show line 1\r");
    await waitFor(() => peer.text() === "SHOW LINE 1\r", 5_000, "the echo over the wire");
    expect(String.fromCharCode(...port.received)).toBe("show line 1\r");
    port.transmit(new TextEncoder().encode("\r\nr1 tty1\r\n"));
    await waitFor(() => peer.text().endsWith("\r\nr1 tty1\r\n"), 5_000, "device output");
    expect(peer.text()).toBe("SHOW LINE 1\r\r\nr1 tty1\r\n");
    expect(attachment.bytesToDevice).toBe(12);
    expect(attachment.bytesFromDevice).toBe(12 + 11);
  });

  it("applies the device's baud with port.update (stty sees it) and counts framing it cannot change while open", async () => {
    const { uart, attachment, near } = await setup();
    expect(execFileSync("stty", ["-F", near, "speed"]).toString().trim()).toBe("9600");
    uart.configure({ baud: 115_200, dataBits: 8, parity: 1, stopBits: 1, flow: 1 });
    await waitFor(() => attachment.baudUpdates === 1, 5_000, "the baud update");
    expect(execFileSync("stty", ["-F", near, "speed"]).toString().trim()).toBe("115200");
    uart.configure({ baud: 115_200, dataBits: 7, parity: 3, stopBits: 1, flow: 1 });
    expect(attachment.settingsNotApplied).toBe(1);
  });

  it("tries DTR/RTS/BREAK with port.set; a pty has no modem lines, so that is counted, never fatal", async () => {
    const { uart, port, attachment, peer } = await setup();
    uart.control(Signal.dtr | Signal.rts);
    await waitFor(() => attachment.signalUpdates + attachment.portErrors >= 2, 5_000, "the set() answer"); // +1: the modem poll's get()
    expect(attachment.portErrors).toBeGreaterThanOrEqual(1);
    expect(attachment.lastPortError).toMatch(/Inappropriate ioctl for device/); // ENOTTY: no modem lines on a pty
    expect(attachment.closed).toBe(false);
    peer.port.write("ok");
    await waitFor(() => peer.text() === "OK", 5_000, "the line still working");
    expect(port.received.length).toBe(2);
  });

  it("notices the port going away (the cable's socat ends) and closes itself", async () => {
    let reason = "";
    const { attachment, stopCable } = await setup((why) => (reason = why));
    await stopCable();
    await waitFor(() => attachment.closed, 5_000, "the attachment to close");
    expect(reason).toMatch(/^serial port .*near\d+ closed$/);
  });

  it("reaches the simulated server console through a real pty with `serialport`, as a HIL suite would", async () => {
    const scheduler = new Scheduler();
    const driver = new RealTimeDriver(scheduler);
    // A stand-in terminal server joins line 1 (the pty: the user's side) to line 2 (the console).
    const { a: userLine, b: consoleLine } = bridgedUarts(scheduler);
    const server = new ServerConsole(consoleLine);
    const path = join(dir(), "console");
    const pty = await PtyAttachment.open(userLine, { path, wake: () => driver.tick() });
    driver.start();
    const peer = await openPeer(path);
    cleanups.push(() => driver.stop(), () => pty.close(), () => closePeer(peer.port));
    peer.port.write("\r");
    await waitFor(() => peer.text().endsWith("server login: "), 5_000, "the login prompt");
    peer.port.write("admin\r");
    await waitFor(() => peer.text().endsWith("Password: "), 5_000, "the password prompt");
    peer.port.write("cisco\r");
    await waitFor(() => peer.text().endsWith("admin@server:~$ "), 5_000, "the shell prompt");
    expect(peer.text()).toBe("\r\nDebian GNU/Linux 12 server ttyS0\r\n\r\nserver login: admin\r\nPassword: \r\nLast login: on ttyS0\r\nadmin@server:~$ ");
    expect(server.logins).toBe(1);
  });
});
