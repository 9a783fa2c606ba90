// The load runner's multi-process mode against real processes: two servers on one real
// redis-server, clients entering through alternate processes, so the matchmaker must route
// GM and players of one battle across processes; the bots themselves run in two worker
// processes whose figures the runner adds up. Asserts behaviour, never speed.
import "../../src/server/polyfills";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { runLoadtest, type RunResult } from "../../loadtest/lib/runner";

describe("load runner on two server processes sharing Redis, bots in two workers: 4 battles x (GM + 5 players) for 10 s", function () {
  this.timeout(90_000);
  let r: RunResult;

  before(async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "load-mp-"));
    r = await runLoadtest({
      name: "ci-multiprocess", battles: 4, durationSec: 10, graceSec: 5, progress: false, outDir,
      processes: 2, redis: true, botWorkers: 2, plan: { players: 5, npc: 10, thinkMs: 100 },
      failOnLoss: true, failOnJoinFailure: true,
    });
  });

  it("starts both server processes and reports each of them", () => {
    assert.equal(r.server.processes.length, 2);
    assert.ok(r.server.processes.every((p) => !p.crashed && p.rssMbMax > 0), JSON.stringify(r.server.processes));
  });

  it("seats every GM and player wherever they entered, and answers every command, counted across both bot workers", () => {
    assert.equal(r.joins.failed, 0, `join failures: ${JSON.stringify(r.joins.failures)}`);
    assert.ok(r.joins.ok >= 24, `4 GMs and 20 players seated (got ${r.joins.ok})`);
    assert.ok(r.battles.started >= 4, `all 4 battles started (got ${r.battles.started})`);
    assert.equal(r.commands.lost, 0, `${r.commands.lost} commands never answered`);
    assert.ok(r.commands.acked > 20, `commands were accepted (got ${r.commands.acked})`);
    assert.ok(r.latency.count > r.commands.acked, "every client of a battle saw the results");
    assert.ok(r.pass, r.failures.join("; "));
  });
});
