// Load smoke test (CI): 10 battles x (GM + 5 players) x 10 NPC ships for 30 s through the
// headless runner, against a real server child process. Asserts behaviour, never speed:
// every join succeeds, every command is answered, the server survives.
import "../../src/server/polyfills";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { runLoadtest, type RunResult } from "../../loadtest/lib/runner";

describe("load smoke: 10 battles x (GM + 5 players) x 10 NPC ships for 30 s", function () {
  this.timeout(120_000);
  let r: RunResult;

  before(async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "load-smoke-"));
    r = await runLoadtest({
      name: "ci-smoke", battles: 10, durationSec: 30, graceSec: 5, progress: false, outDir,
      plan: { players: 5, npc: 10, thinkMs: 250 },
      failOnLoss: true, failOnJoinFailure: true, heapEverySec: 10,
    });
  });

  it("keeps the server alive", () => {
    assert.equal(r.server.crashed, false, `server crashed: ${JSON.stringify(r.server.crash)}`);
  });

  it("samples the server's live heap after a forced GC every 10 s (the soak's flat-heap check), with the rooms and clients it held", () => {
    const samples = r.server.heap?.samples ?? [];
    assert.ok(samples.length >= 2, `heap samples: ${JSON.stringify(samples)}`);
    for (const h of samples) {
      assert.ok(h.heapMb > 5 && h.heapMb < 2048, `a plausible heap: ${JSON.stringify(h)}`);
      assert.ok(h.rooms >= 10 && h.clients >= 60, `taken while the 10 battles were on: ${JSON.stringify(h)}`);
    }
    assert.equal(r.server.heap!.growth.n, samples.filter((h) => h.t >= r.durationSec / 4).length);
  });

  it("seats every GM and player", () => {
    assert.equal(r.joins.failed, 0, `join failures: ${JSON.stringify(r.joins.failures)}`);
    assert.ok(r.joins.ok >= 60, `at least 60 seats taken (got ${r.joins.ok})`);
    assert.ok(r.battles.started >= 10, `all 10 battles started (got ${r.battles.started})`);
  });

  it("answers every command (no command lost), and drives real load", () => {
    assert.equal(r.commands.lost, 0, `${r.commands.lost} commands never answered`);
    assert.equal(r.commands.sent, r.commands.acked + r.commands.refused, JSON.stringify(r.commands));
    assert.ok(r.commands.acked > 100, `commands were accepted (got ${r.commands.acked})`);
    assert.ok(r.latency.count > r.commands.acked, "every client of a battle saw the results");
    assert.deepEqual(r.errors.disconnects, {}, "no unexpected disconnects");
    assert.ok(r.pass, r.failures.join("; "));
  });
});
