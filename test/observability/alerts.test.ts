// Alert plumbing: thresholds are set so low that any command, any patch and any error crosses
// them (the behaviour under test is raise -> metric + one throttled warning -> clear, not speed).
import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import { eventually } from "../support/browser";
import { logger } from "../../src/server/logger";
import { scrape, value } from "./scrape";
import { captureLogs, type Captured } from "./log-capture";
import { useServer } from "../support/use-server";

describe("alerts", function () {
  this.timeout(30_000);
  let logs: Captured;
  before(async () => {
    logs = captureLogs();
  });
  const server = useServer({
      LOG_LEVEL: "info", METRICS_SAMPLE_MS: "150", ALERT_LOG_INTERVAL_SEC: "3600",
      ALERT_COMMAND_P95_MS: "0.000001", ALERT_PATCH_P95_MS: "0.000001", ALERT_ERRORS_PER_MIN: "1",
    });
  after(async () => {
    logs.stop();
    logger.level = process.env.LOG_LEVEL ?? "error";
  });

  const warnings = (alert: string) => logs.lines.filter((l) => l.level === "warn" && l.message === "alert" && l.alert === alert);

  it("raises each crossed threshold as traveller_alert_active and one throttled warning, and clears it when the figure falls back", async () => {
    const { gm, player } = await gmAndPlayer(server());
    const before = await scrape(server().port);
    assert.equal(value(before, "traveller_alert_active", { alert: "command_p95" }), 0);

    assert.equal((await gm.command("gm:start")).kind, "ack");
    logger.error("first test error");
    logger.error("second test error");
    const raised = await eventually(async () => {
      const t = await scrape(server().port);
      return ["command_p95", "patch_p95", "error_rate"].every((a) => value(t, "traveller_alert_active", { alert: a }) === 1) && t;
    }, "the alerts to be raised");
    assert.equal(value(raised, "traveller_errors_total") - value(before, "traveller_errors_total"), 2);
    for (const a of ["command_p95", "patch_p95", "error_rate"]) assert.equal(value(raised, "traveller_alerts_total", { alert: a }), 1, a);

    // No command for a while: the command alerts clear; the error-rate alert holds for its minute.
    await eventually(async () => value(await scrape(server().port), "traveller_alert_active", { alert: "command_p95" }) === 0, "command_p95 to clear");
    assert.ok(logs.lines.some((l) => l.message === "alert cleared" && l.alert === "command_p95"));
    assert.equal(value(await scrape(server().port), "traveller_alert_active", { alert: "error_rate" }), 1);

    // Raised again: the metric counts it, the log stays quiet within ALERT_LOG_INTERVAL_SEC.
    await gm.command("gm:act", { shipId: "n1", command: { type: "endTurn" } });
    await player.command("space:endTurn", {});
    await eventually(async () => value(await scrape(server().port), "traveller_alerts_total", { alert: "command_p95" }) >= 2, "command_p95 raised again");
    assert.equal(warnings("command_p95").length, 1, JSON.stringify(warnings("command_p95")));
    assert.equal(warnings("error_rate").length, 1);
    const w = warnings("error_rate")[0]!;
    assert.equal(w.threshold, 1);
    assert.equal(w.unit, "errors/min");
    await Promise.all([gm.room.leave(), player.room.leave()]);
  });
});
