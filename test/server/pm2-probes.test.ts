// src/server/pm2-probes.ts: outside PM2, importing @pm2/io (as @colyseus/core's matchmaker does
// when it starts) must start none of its probes; under PM2 (pm_id set) its agent runs as before.
// Each case in a fresh Node process: the agent is process-wide and cannot be stopped cleanly.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * In a child process: imports @pm2/io as Colyseus does and counts, over 2.5 s, the calls to
 * `process._getActiveHandles` (its agent lists every handle twice a second: the probe whose cost
 * grows with the clients).
 */
function handleListingsAfterPm2Import(pmId?: string): { listings: number; off: boolean } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.pm_id;
  if (pmId !== undefined) env.pm_id = pmId;
  const script = `
    const { pm2ProbesOffOutsidePm2 } = await import(${JSON.stringify(path.join(ROOT, "src/server/pm2-probes.ts"))});
    const off = pm2ProbesOffOutsidePm2();
    let listings = 0;
    const list = process._getActiveHandles;
    process._getActiveHandles = function () { listings++; return list.call(this); };
    const io = await import("@pm2/io");
    io.default.metric({ id: "app/stats/ccu", name: "ccu", value: () => 0 });
    await new Promise((r) => setTimeout(r, 2500));
    console.log(JSON.stringify({ listings, off }));
    process.exit(0);
  `;
  const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!);
}

describe("PM2's probes", function () {
  this.timeout(120_000);

  it("are not started outside PM2: importing @pm2/io as Colyseus does lists no handle", () => {
    assert.deepEqual(handleListingsAfterPm2Import(), { listings: 0, off: true });
  });

  it("run as before under PM2 (pm_id set): the agent lists the handles every second", () => {
    const r = handleListingsAfterPm2Import("0");
    assert.equal(r.off, false);
    assert.ok(r.listings >= 2, `@pm2/io's agent listed the handles ${r.listings} times in 2.5 s`);
  });
});
