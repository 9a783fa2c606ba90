// Load leak test (CI): 2 minutes of sustained play with fast turns and short battles (the GM
// ends each battle after 3 rounds and opens a new one, so rooms are created and disposed all
// the time), sampling the server's RSS every second. After a 20 s warm-up the RSS must not
// grow steadily: it fails only when BOTH the least-squares slope exceeds MAX_SLOPE_MB_PER_MIN
// AND the growth (last 10 % of samples vs first 10 %) exceeds MAX_GROWTH_MB. The bounds and
// their reasoning are in docs/performance.md ("Leak test bound").
import "../../src/server/polyfills";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { runLoadtest, type RunResult } from "../../loadtest/lib/runner";
import { linearGrowth } from "../../loadtest/lib/growth";

export const WARMUP_SEC = 20;
export const MAX_SLOPE_MB_PER_MIN = 40;
export const MAX_GROWTH_MB = 60;

describe("load leak: server RSS stays flat over 2 minutes of battles opening and closing", function () {
  this.timeout(200_000);
  let r: RunResult;

  before(async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "load-leak-"));
    r = await runLoadtest({
      name: "ci-leak", battles: 10, durationSec: 120, graceSec: 5, progress: false, outDir,
      plan: { players: 5, npc: 10, thinkMs: 50, maxRounds: 3 },
    });
  });

  it("keeps the server alive and answers every command", () => {
    assert.equal(r.server.crashed, false, `server crashed: ${JSON.stringify(r.server.crash)}`);
    assert.equal(r.joins.failed, 0, JSON.stringify(r.joins.failures));
    assert.equal(r.commands.lost, 0);
  });

  it("churns battles (rooms are created and disposed during the run)", () => {
    assert.ok(r.battles.created > 10, `more battles than tables were opened (got ${r.battles.created})`);
  });

  it(`shows no sustained RSS growth after a ${WARMUP_SEC} s warm-up`, () => {
    const points = r.timeline.filter((s) => s.t >= WARMUP_SEC && s.serverRssMb > 0).map((s) => ({ t: s.t, y: s.serverRssMb }));
    assert.ok(points.length >= 60, `enough samples (${points.length})`);
    const g = linearGrowth(points);
    const detail = `slope ${g.slopePerMin.toFixed(2)} MB/min, growth ${g.total.toFixed(1)} MB (${g.first.toFixed(1)} -> ${g.last.toFixed(1)} MB)`;
    process.stderr.write(`      RSS after warm-up: ${detail}; battles opened ${r.battles.created}, commands acked ${r.commands.acked}\n`);
    assert.ok(!(g.slopePerMin > MAX_SLOPE_MB_PER_MIN && g.total > MAX_GROWTH_MB), `RSS grows: ${detail}`);
  });
});
