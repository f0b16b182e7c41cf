// The tech note "Using service tcp-keepalives to Avoid Hung Telnet Sessions", told by the firmware
// in virtual time on topologies/technote.yaml, for both firmware paths (core module, component):
//
//  [user] --tty1-- [r2] ====== lan0 ====== [r1] --tty1-- [server console]
//          autocommand telnet 10.0.0.1 2001       reverse telnet: port 2000+line
//
// (a) without keepalives, r2 reloads: r1 holds the dead connection for a whole day; every attempt is
//     refused until `clear line 1` on r1. (b) with keepalives: r1 frees the line by itself within
//     idle + probes * interval and the user gets back in alone. (c) the link is cut instead: both
//     ends give up within the bound. (d) r1 reloads instead: r2's session notices and the user gets
//     back in once r1 is up.
import { describe, expect, it } from "vitest";
import {
  adminPrompt,
  attempt,
  clearLineOnR1,
  connectToServer,
  KEEPALIVE_BOUND_MS,
  KEEPALIVE_IDLE_MS,
  POLL_SLACK_MS,
  r1LineBusy,
  retryUntilOpen,
  SESSION_ENDED,
  CLOSED_BY_FOREIGN_HOST,
  technoteWorld,
} from "./technote-world.ts";

const HOUR_MS = 3_600_000;
const RETRY_MS = 2_000;

for (const firmware of ["core", "component"] as const) {
  describe(`the tech note's story (${firmware} firmware)`, () => {
    it("(a) without keepalives, after r2 reloads every reconnection for 24 hours is refused, until clear line 1 on r1", async () => {
      const w = await technoteWorld(firmware, false);
      connectToServer(w);
      w.sim.runFor(5_000);
      w.r2.reload();
      w.sim.runFor(2_000);
      expect(attempt(w)).toBe("refused");
      for (let hour = 1; hour <= 24; hour++) {
        w.sim.runFor(HOUR_MS);
        expect(attempt(w), `attempt after ${hour} h`).toBe("refused");
      }
      clearLineOnR1(w);
      expect(attempt(w)).toBe("open");
      w.user.type("\r");
      w.user.expect(`${w.server.hostname} login: `);
    });

    it("(b) with keepalives, after r2 reloads r1 frees the line within idle + 4 x interval and the user gets back in alone", async () => {
      const w = await technoteWorld(firmware, true);
      const { loginAtMs } = connectToServer(w);
      w.sim.runFor(5_000);
      w.r2.reload();
      w.sim.runFor(2_000);
      expect(attempt(w)).toBe("refused"); // r1 still holds the old connection
      w.sim.runFor(RETRY_MS);
      const { openAtMs } = retryUntilOpen(w, RETRY_MS, KEEPALIVE_BOUND_MS + 60_000);
      expect(openAtMs).toBeGreaterThanOrEqual(loginAtMs + KEEPALIVE_IDLE_MS - POLL_SLACK_MS); // not before the first probe
      expect(openAtMs).toBeLessThanOrEqual(loginAtMs + KEEPALIVE_BOUND_MS + POLL_SLACK_MS + RETRY_MS);
      w.user.type("\r");
      w.user.expect(`${w.server.hostname} login: `);
    });

    it("(c) with keepalives, the link cut: r2's session and r1's line both give up within the bound, and after healing the user gets in", async () => {
      const w = await technoteWorld(firmware, true);
      const { loginAtMs } = connectToServer(w);
      adminPrompt(w);
      expect(r1LineBusy(w)).toBe(true);
      w.sim.runFor(5_000);
      w.sim.network.partition("r2", "lan0");
      w.sim.runFor(30_000);
      expect(r1LineBusy(w)).toBe(true); // nothing has told r1 yet
      const ended = w.user.expect(SESSION_ENDED, { timeoutMs: KEEPALIVE_BOUND_MS + 60_000 });
      expect(ended.atMs).toBeLessThanOrEqual(loginAtMs + KEEPALIVE_BOUND_MS + POLL_SLACK_MS);
      w.sim.runUntilTrue(() => w.sim.nowMs >= loginAtMs + KEEPALIVE_BOUND_MS + POLL_SLACK_MS, KEEPALIVE_BOUND_MS);
      expect(r1LineBusy(w)).toBe(false); // freed by keepalive-in with nobody answering its probes
      w.sim.network.repair("r2", "lan0");
      w.sim.runFor(RETRY_MS);
      expect(attempt(w)).toBe("open");
      w.user.type("\r");
      w.user.expect(`${w.server.hostname} login: `);
    });

    it("(d) with keepalives, r1 reloads: r2's session notices within the bound and the user gets back in once r1 is up", async () => {
      const w = await technoteWorld(firmware, true);
      const { loginAtMs } = connectToServer(w);
      w.sim.runFor(5_000);
      w.r1.reload();
      const ended = w.user.expect(SESSION_ENDED, { timeoutMs: KEEPALIVE_BOUND_MS + 60_000 });
      expect(ended.atMs).toBeLessThanOrEqual(loginAtMs + KEEPALIVE_BOUND_MS + POLL_SLACK_MS);
      w.sim.runFor(RETRY_MS);
      expect(attempt(w)).toBe("open");
      w.user.type("\r");
      w.user.expect(`${w.server.hostname} login: `);
    });

    it("(d) without keepalives, r1 reloads: the user's next keystroke meets a RST and the session closes", async () => {
      const w = await technoteWorld(firmware, false);
      connectToServer(w);
      w.sim.runFor(5_000);
      w.r1.reload();
      w.sim.runFor(60_000);
      w.user.type("x");
      w.user.expect(CLOSED_BY_FOREIGN_HOST, { timeoutMs: 10_000 });
      w.sim.runFor(RETRY_MS);
      expect(attempt(w)).toBe("open");
    });
  });
}
