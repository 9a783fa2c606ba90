import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import { eventually } from "../support/browser";
import { logger } from "../../src/server/logger";
import { loadConfig } from "../../src/server/config";
import { scrape, value } from "./scrape";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { captureLogs, type Captured } from "./log-capture";
import { useServer } from "../support/use-server";

// The alert threshold is lowered to 8 KB (ALERT_STATE_BYTES) and the battle's state is pushed past
// it with real chat lines through the SDK: a two-ship battle starts near 1.2 KB, and chat (50 lines
// of up to 500 characters kept) cannot reach the 100 KB default.
const LIMIT = 8192;

describe("state size monitoring", function () {
  this.timeout(30_000);
  let logs: Captured;
  before(async () => {
    logs = captureLogs();
  });
  const server = useServer({ METRICS_SAMPLE_MS: "150", ALERT_STATE_BYTES: String(LIMIT), LOG_LEVEL: "warn" });
  after(async () => {
    logs.stop();
    logger.level = process.env.LOG_LEVEL ?? "error";
  });

  it("defaults to a 100 KB limit", () => {
    assert.equal(loadConfig({}).ALERT_STATE_BYTES, 102_400);
  });

  it("warns once (throttled) and raises the metrics when a battle's encoded state passes the limit", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    const small = await eventually(async () => {
      const t = await scrape(server().port);
      return value(t, "traveller_battle_state_max_bytes") > 0 && t;
    }, "a first state sample");
    assert.ok(value(small, "traveller_battle_state_max_bytes") < LIMIT);
    assert.equal(value(small, "traveller_battles_state_oversize"), 0);
    assert.equal(value(small, "traveller_alert_active", { alert: "state_size" }), 0);

    for (let i = 0; i < 25; i++) gm.room.send("chat", { cid: `line-${i}`, text: `line ${i} ${"signal noise ".repeat(36)}` });
    await gm.until((s) => s.chat.length === 25, 5000, "25 chat lines");

    // Several samples above the limit, to show that the warning is throttled.
    const big = await eventually(async () => {
      const t = await scrape(server().port);
      return value(t, "traveller_battle_state_oversize_samples_total") >= 3 && value(t, "traveller_alert_active", { alert: "state_size" }) === 1 && t;
    }, "oversized samples and the alert");
    assert.ok(value(big, "traveller_battle_state_max_bytes") > LIMIT);
    // The measure is what a client joining now downloads: the GM's full view (Colyseus adds a protocol byte).
    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    const serializer = (room as unknown as { _serializer: { getFullState(c: unknown): Uint8Array } })._serializer;
    const gmClient = room.clients.find((c) => c.sessionId === gm.room.sessionId);
    assert.equal(room.encodedStateBytes() + 1, serializer.getFullState(gmClient).byteLength);
    assert.equal(value(big, "traveller_battles_state_oversize"), 1);
    assert.equal(value(big, "traveller_alerts_total", { alert: "state_size" }), 1);
    assert.ok(value(big, "traveller_battle_state_bytes_bucket", { le: "16384" }) >= 1);

    const warnings = logs.lines.filter((l) => l.level === "warn" && l.message === "battle state too large");
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0]!.roomId, roomId);
    assert.ok((warnings[0]!.stateBytes as number) > LIMIT);
    const alerts = logs.lines.filter((l) => l.level === "warn" && l.message === "alert" && l.alert === "state_size");
    assert.equal(alerts.length, 1, JSON.stringify(alerts));
    assert.equal(alerts[0]!.threshold, LIMIT);

    // The battle ends: the alert clears.
    await Promise.all([gm.room.leave(), player.room.leave()]);
    await eventually(async () => value(await scrape(server().port), "traveller_alert_active", { alert: "state_size" }) === 0, "the alert to clear");
  });
});
