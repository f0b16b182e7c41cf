// ScriptedTerminal drives a UART's far end purely in virtual time: what it types reaches the
// "device", what the device prints is collected, and expect() waits by running the scheduler.
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../host-sim/scheduler.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { ScriptedTerminal } from "../../host-sim/serial-attach/scripted-terminal.ts";
import { echoUart, upperCase } from "./fake-port.ts";

describe("ScriptedTerminal", () => {
  it("types to the device and expects its echo, at the instant the last byte finishes arriving", () => {
    const scheduler = new Scheduler();
    const { uart, port } = echoUart(scheduler, upperCase);
    const term = new ScriptedTerminal(uart, scheduler);
    term.type("hello\r");
    const result = term.expect("HELLO\r");
    expect(result.match).toBe("HELLO\r");
    expect(result.before).toBe("");
    // 9600 8N1: 1.0417 ms a character. The sixth byte finishes arriving at 6.25 ms and is offered
    // at 7 ms; its echo queues behind the five before it and finishes at 8.25 ms, landing at 9 ms.
    expect(result.atMs).toBe(9);
    expect(String.fromCharCode(...port.received)).toBe("hello\r");
    expect(term.bytesTyped).toBe(6);
    expect(term.bytesReceived).toBe(6);
  });

  it("paces keystrokes per character in virtual time, one after another across type() calls", () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler, upperCase);
    const term = new ScriptedTerminal(uart, scheduler);
    term.type("ab", { charDelayMs: 100 });
    term.type("c", { charDelayMs: 100 });
    term.type("d");
    // Each byte needs 1.04 ms on the wire in, is offered at the next whole ms, and its echo needs
    // 1.04 ms on the wire out: typed at 0, A is back at 4 ms.
    expect(term.expect("A").atMs).toBe(4);
    expect(term.expect("B").atMs).toBe(104);
    expect(term.expect("C").atMs).toBe(204);
    // Typed at 200 right behind C: D finishes arriving at 202.08 ms, is offered at 203 ms, and its
    // echo follows C's (done 203.04 ms) to finish at 204.08 ms.
    expect(term.expect("D").atMs).toBe(205);
    expect(term.screen()).toBe("ABCD");
  });

  it("expect() consumes up to its match, returns regex groups and the text it skipped", () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler);
    const term = new ScriptedTerminal(uart, scheduler);
    term.type("Tty 1 idle\r\nTty 2 busy\r\n");
    const first = term.expect(/Tty (\d) (\w+)\r\n/g);
    expect(first.groups).toEqual(["1", "idle"]);
    const second = term.expect(/Tty (\d) (\w+)\r\n/);
    expect(second.groups).toEqual(["2", "busy"]);
    expect(second.before).toBe("");
    expect(term.unread()).toBe("");
    expect(term.screen()).toBe("Tty 1 idle\r\nTty 2 busy\r\n");
    term.clear();
    expect(term.screen()).toBe("");
  });

  it("fails after exactly the timeout of virtual time, quoting the unread output", () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler);
    const term = new ScriptedTerminal(uart, scheduler);
    term.type("login:\r\n");
    expect(() => term.expect("Password:", { timeoutMs: 5_000 })).toThrow(
      'expect("Password:") timed out after 5000 ms of virtual time (now 5000 ms); unread output: "login:\\r\\n"',
    );
    expect(scheduler.nowMs).toBe(5_000);
  });

  it("expectSilence() passes on a quiet line and fails on output", () => {
    const scheduler = new Scheduler();
    const { uart } = echoUart(scheduler);
    const term = new ScriptedTerminal(uart, scheduler);
    term.expectSilence(60_000);
    expect(scheduler.nowMs).toBe(60_000);
    term.type("x");
    expect(() => term.expectSilence(1_000)).toThrow('expected silence for 1000 ms, got "x"');
  });

  it("sees the device's line settings and signals, sets the modem inputs, and detaches", () => {
    const sim = new Simulator(1);
    const { uart, port } = echoUart(sim.scheduler);
    const term = new ScriptedTerminal(uart, sim);
    uart.configure({ baud: 115_200, dataBits: 8, parity: 1, stopBits: 1, flow: 1 });
    uart.control(3);
    expect(term.lastControl).toEqual({ signals: 3, settings: { baud: 115_200, dataBits: 8, parity: 1, stopBits: 1, flow: 1 } });
    term.setModem(0xb0);
    expect(port.modemState).toBe(0xb0);
    term.type("abc");
    term.expect("abc");
    expect(sim.nowMs).toBe(2); // 115200 baud: all 3 bytes are in by 0.26 ms, offered at 1 ms, echoed by 1.26 ms
    term.detach();
    term.type("d");
    expect(() => term.expect("d", { timeoutMs: 100 })).toThrow(/timed out/);
  });
});
