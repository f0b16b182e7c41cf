// Hardware in the loop, with the hardware being a simulated device on this machine: its console and
// tty lines are real pseudo-terminals (openPtyLines), paced by a RealTimeDriver, and a program
// opens them with `serialport` as it would open a real terminal server's ports.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { afterEach, expect, it } from "vitest";
import { RealTimeDriver } from "../../host-sim/scheduler.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { openPtyLines } from "../../host-sim/serial-attach/pty-lines.ts";
import { describeWithSocat, tempDirForFile, waitFor } from "./real-world.ts";

describeWithSocat("a device process with real pty lines", () => {
  const dir = tempDirForFile("device-ptys-");
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("answers on its console and on tty1 through /dev/pts, in real time", async () => {
    const sim = new Simulator(11);
    const device = sim.addDevice({ name: "r1" });
    const driver = new RealTimeDriver(sim.scheduler);
    const lineDir = join(dir(), "r1");
    mkdirSync(lineDir);
    const ptys = await openPtyLines([device.uart(0), device.uart(1)], { dir: lineDir, wake: () => driver.tick() });
    cleanups.push(() => ptys.close());
    const peers = await Promise.all(
      [0, 1].map(async (line) => {
        const port = new SerialPort({ path: join(lineDir, `tty${line}`), baudRate: 9600, autoOpen: false });
        await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
        const chunks: Buffer[] = [];
        port.on("data", (chunk: Buffer) => chunks.push(chunk));
        cleanups.push(() => new Promise<void>((resolve) => port.close(() => resolve())));
        return { port, text: () => Buffer.concat(chunks).toString("latin1") };
      }),
    );
    const [con, tty1] = [peers[0]!, peers[1]!];
    device.powerOn();
    driver.start();
    cleanups.push(() => driver.stop());
    await waitFor(() => con.text().includes("Press RETURN to get started!"), 10_000, "the console greeting");
    con.port.write("\r");
    await waitFor(() => con.text().endsWith(">"), 10_000, "the console's exec prompt");
    tty1.port.write("\r");
    await waitFor(() => tty1.text().endsWith(">"), 10_000, "tty1's exec prompt");
    con.port.write("show line\r");
    // tty1 shows as active ("*"): its exec started from the Return typed into the pty.
    await waitFor(() => /\r\n\*\s+1 TTY .*\r\n[\s\S]*>$/.test(con.text()), 10_000, "show line with tty1 active");
    expect(device.state).toBe("running");
  });
});
