// Run by stdio-attachment.test.ts inside tmux (a real terminal): the user's terminal attached to
// the simulated server console through a stand-in terminal server, Ctrl-] to leave.
import { RealTimeDriver, Scheduler } from "../../host-sim/scheduler.ts";
import { ServerConsole } from "../../host-sim/serial-attach/server-console.ts";
import { StdioAttachment } from "../../host-sim/serial-attach/stdio-attachment.ts";
import { bridgedUarts } from "./fake-port.ts";

const scheduler = new Scheduler();
const driver = new RealTimeDriver(scheduler);
const { a: userLine, b: consoleLine } = bridgedUarts(scheduler);
new ServerConsole(consoleLine);
const stdio = new StdioAttachment(userLine, {
  wake: () => driver.tick(),
  onEscape: () => {
    void stdio.close().then(() => {
      driver.stop();
      process.stdout.write(`\r\n[escape] raw mode restored: ${process.stdin.isTTY && !process.stdin.isRaw}\r\n`);
    });
  },
});
driver.start();
process.stdout.write("[attached: Ctrl-] leaves]\r\n");
