import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { gmAndPlayer } from "../../harness/battles";
import { eventually } from "../support/browser";
import { scrape, value } from "./scrape";
import { useServer } from "../support/use-server";

describe("/metrics", function () {
  this.timeout(30_000);
  const server = useServer({ METRICS_SAMPLE_MS: "200" });

  it("serves Prometheus text with the process label on every series", async () => {
    const text = await scrape(server().port);
    assert.match(text, /# TYPE traveller_commands_total counter/);
    assert.match(text, /# TYPE traveller_command_duration_seconds histogram/);
    assert.match(text, /# TYPE nodejs_heap_size_used_bytes gauge/);
    assert.match(text, /# TYPE process_resident_memory_bytes gauge/);
    assert.match(text, /# TYPE nodejs_eventloop_lag_seconds gauge/);
    const samples = text.split("\n").filter((l) => l && !l.startsWith("#"));
    assert.ok(samples.length > 50);
    for (const line of samples) assert.match(line, new RegExp(`process="[^"]+:${server().port}"`), line);
  });

  it("exposes every series that the sample Prometheus rules and Grafana dashboard in deploy/monitoring query", async () => {
    const text = await scrape(server().port);
    const exposed = new Set(text.split("\n").filter((l) => l.startsWith("# TYPE ")).map((l) => l.split(" ")[2]));
    const dir = path.resolve(__dirname, "..", "..", "deploy", "monitoring");
    for (const file of ["prometheus-alerts.yml", "grafana-dashboard.json"]) {
      const names = new Set(fs.readFileSync(path.join(dir, file), "utf8").match(/\b(traveller|nodejs|process)_[a-z0-9_]+/g) ?? []);
      assert.ok(names.size >= 6, `${file} names ${names.size} series`);
      for (const name of names) {
        const family = name.replace(/_(bucket|sum|count)$/, "");
        assert.ok(exposed.has(family) || exposed.has(name), `${file} queries ${name}, which /metrics does not expose`);
      }
    }
  });

  it("moves as a battle is played: battles and connections up and down, commands counted, latencies observed, patches measured", async () => {
    const before = await scrape(server().port);
    const { gm, player, roomId } = await gmAndPlayer(server());
    assert.equal((await gm.command("gm:start")).kind, "ack");
    // the player fires out of turn or at nothing: a rejection with a reason
    const bad = await player.command("space:fire", { turretId: "t1", targetId: "nobody" });
    assert.equal(bad.kind, "error");
    const reason = bad.kind === "error" ? bad.error.code : "";
    assert.equal((await gm.command("chat", { text: "all hands" })).kind, "ack");
    await gm.until((s) => s.chat.length === 1, 5000, "the chat line");

    const during = await eventually(async () => {
      const t = await scrape(server().port);
      return value(t, "traveller_battle_state_bytes_count") > value(before, "traveller_battle_state_bytes_count") && value(t, "traveller_battle_state_max_bytes") > 0 && t;
    }, "a state sample of the battle");
    assert.equal(value(during, "traveller_battles"), 1);
    assert.equal(value(during, "traveller_battles_created_total") - value(before, "traveller_battles_created_total"), 1);
    assert.ok(value(during, "traveller_battles_peak") >= 1);
    assert.equal(value(during, "traveller_connections"), 2);
    assert.equal(value(during, "traveller_connections_total") - value(before, "traveller_connections_total"), 2);
    assert.equal(value(during, "traveller_commands_total", { type: "gm:start", outcome: "accepted" }), 1);
    assert.equal(value(during, "traveller_commands_total", { type: "space:fire", outcome: "rejected" }), 1);
    assert.equal(value(during, "traveller_command_rejections_total", { reason }), 1);
    assert.ok(value(during, "traveller_command_duration_seconds_count") >= 1);
    assert.ok(value(during, "traveller_command_duration_seconds_sum") > 0);
    assert.ok(value(during, "traveller_command_patch_latency_seconds_count") >= 1);
    assert.ok(value(during, "traveller_battle_state_max_bytes") > 0);
    assert.ok(value(during, "traveller_battle_state_bytes_sum") > 0);

    await eventually(async () => {
      const t = await scrape(server().port);
      return value(t, "traveller_state_patches_total") > 0 && value(t, "traveller_state_patch_bytes_total") > 0;
    }, "patches and patch bytes counted");

    // A client-chosen message type never becomes a label value of its own.
    player.room.send("made-up-type-" + "x".repeat(40), {});
    await player.errorCount(2);
    const labelled = await scrape(server().port);
    assert.doesNotMatch(labelled, /made-up-type/);
    assert.equal(value(labelled, "traveller_commands_total", { type: "other", outcome: "rejected" }), 1);

    await Promise.all([gm.room.leave(), player.room.leave()]);
    const after = await eventually(async () => {
      const t = await scrape(server().port);
      return value(t, "traveller_battles") === 0 && t;
    }, `battle ${roomId} disposed`);
    assert.equal(value(after, "traveller_connections"), 0);
    assert.ok(value(after, "traveller_battles_peak") >= 1, "the peak stays");
  });
});
