// The escape menu's key grammar: one key, an argument line where the action needs one, then back
// to the line with whatever input came after (so scripts can chain actions and text).
import { describe, expect, it } from "vitest";
import { Controls } from "../../host-sim/cli/controls.ts";
import { EscapeMenu } from "../../host-sim/cli/menu.ts";
import { SessionSwitcher } from "../../host-sim/cli/session-switcher.ts";
import { Simulator } from "../../host-sim/simulator.ts";
import { buildTopology } from "../../host-sim/topology/build.ts";
import { loadTopology } from "../../host-sim/topology/spec.ts";

function menu(): { menu: EscapeMenu; screen: () => string; closed: Uint8Array[]; sent: Uint8Array[]; quits: number[]; sim: Simulator } {
  const spec = loadTopology("topologies/technote.yaml");
  const sim = new Simulator(spec.seed);
  const built = buildTopology(sim, spec);
  const switcher = new SessionSwitcher({ device: built.devices.get("r2")!, line: 1 });
  const controls = new Controls(sim, built, switcher, undefined);
  let text = "";
  const closed: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  const quits: number[] = [];
  const m = new EscapeMenu(controls, {
    print: (t) => (text += t),
    closed: (leftover) => closed.push(leftover),
    sendToLine: (bytes) => sent.push(bytes),
    quit: () => quits.push(1),
  }, 0x1d);
  return { menu: m, screen: () => text, closed, sent, quits, sim };
}

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("escape menu", () => {
  it("runs one action with its argument line and gives back the input after it (a LF after the Return is the Return's)", () => {
    const m = menu();
    m.menu.open();
    m.menu.input(bytes("r r2\r\nshow users\r"));
    expect(m.screen()).toBe(
      "\r\n[menu, on r2 tty1: a attach  r reload  o power off/on  c cut/heal link  k keepalives  s speed  p pcap  i status  w wait  q quit  Return back]\r\n" +
        "menu> r\r\nreload which device [r2]:  r2\r\n[r2 reloaded at 00:00:00.000; boot 2]\r\n",
    );
    expect(m.menu.isOpen).toBe(false);
    expect(m.closed.map((b) => String.fromCharCode(...b))).toEqual(["show users\r"]);
  });

  it("edits the argument (backspace, ^U), cancels with Esc, and answers unknown keys with the key list", () => {
    const m = menu();
    m.menu.open();
    m.menu.input(bytes("z"));
    expect(m.screen()).toMatch(/menu> \r\n\[a attach .* Return back\]\r\nmenu> $/);
    m.menu.input(bytes("ar9\x7f1:0\x15r1:0\r"));
    expect(m.screen()).toContain("attach to (device:line, e.g. r1:0) [r2:0]: r9\b \b1:0\b \b\b \b\b \b\b \br1:0\r\n[now on r1 con 0]\r\n");
    m.menu.open();
    m.menu.input(bytes("rr2\x1bafter"));
    expect(m.screen()).toMatch(/reload which device \[r1\]: r2 \[cancelled\]\r\n$/);
    expect(String.fromCharCode(...m.closed.at(-1)!)).toBe("after");
  });

  it("Ctrl-] twice sends one Ctrl-] to the line; Return goes back; q quits; keys typed during a wait wait for it", async () => {
    const m = menu();
    m.menu.open();
    m.menu.input(Uint8Array.of(0x1d));
    expect(m.sent).toEqual([Uint8Array.of(0x1d)]);
    m.menu.open();
    m.menu.input(bytes("\r\nx"));
    expect(String.fromCharCode(...m.closed.at(-1)!)).toBe("x");
    m.menu.open();
    m.menu.input(bytes("w 30\rtyped"));
    expect(m.menu.isOpen).toBe(true); // busy: the wait runs in virtual time
    m.sim.runFor(30_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(m.screen()).toMatch(/\[00:00:30\.000\]\r\n$/);
    expect(String.fromCharCode(...m.closed.at(-1)!)).toBe("typed");
    m.menu.open();
    m.menu.input(bytes("q"));
    expect(m.quits).toEqual([1]);
  });
});
