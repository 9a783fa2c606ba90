// Load leak test (CI): a fixed number of complete battles, played in batches by 10 concurrent
// tables (GM + 5 players, 10 NPC ships, fast turns, the GM ends each battle after 3 rounds), against
// a real server process. After every batch all rooms are disposed and the server's live memory is
// measured after forced garbage collection (harness/memory-probe.ts over IPC). Heap and
// external memory must stay within LEAK_BOUND of the first batch's level; RSS is reported, not
// judged (V8 grows its heap lazily, and more so on a busy machine: docs/performance.md, "Leak
// test bound"). A second run against a server that keeps its disposed rooms shows the bound fails
// on a real leak, so this check cannot pass vacuously.
import "../../src/server/polyfills";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { runBatches, line, type BatchOptions, type BatchResult } from "../../loadtest/lib/batches";
import { LEAK_BOUND, leakVerdict, type MemoryPoint } from "../../loadtest/lib/growth";

const PLAN = { players: 5, npc: 10, thinkMs: 20, maxRounds: 3 };
const TABLES = 10;
const BATCHES = 5;

const points = (r: BatchResult): MemoryPoint[] => r.samples.map((s) => ({ battles: s.battles, heapMb: s.heapMb, externalMb: s.externalMb }));

function run(name: string, o: Pick<BatchOptions, "tables" | "batches" | "serverEnv">): Promise<BatchResult> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "load-leak-"));
  return runBatches({ name, battlesPerTable: 1, plan: PLAN, batchTimeoutSec: 90, outDir, ...o });
}

function report(label: string, r: BatchResult) {
  process.stderr.write(`      ${label} (${r.durationSec} s, load average ${r.environment.loadAvg1m}):\n${r.samples.map((s) => `        ${line(s)}\n`).join("")}`);
}

describe("load leak: finished battles leave nothing behind in the server's memory", function () {
  this.timeout(BATCHES * 90_000 + 60_000);
  let r: BatchResult;

  before(async () => {
    r = await run("ci-leak", { tables: TABLES, batches: BATCHES });
    report("server memory after GC, batch by batch", r);
  });

  it(`plays all ${TABLES * BATCHES} battles to their end, seats every client and answers every command`, () => {
    assert.equal(r.server.crashed, false, `server crashed: ${JSON.stringify(r.server.crash)}`);
    assert.deepEqual(r.timedOutBatches, [], "every batch finished in time");
    assert.equal(r.joins.failed, 0, JSON.stringify(r.joins.failures));
    assert.equal(r.battles.ended, TABLES * BATCHES, `battles ended: ${JSON.stringify(r.battles)}`);
    assert.equal(r.commands.lost, 0);
    assert.ok(r.commands.acked > TABLES * BATCHES * 50, `commands were played (${r.commands.acked} acked)`);
  });

  it("disposes every room and client once a batch is over", () => {
    assert.equal(r.samples.length, BATCHES + 1);
    for (const s of r.samples) assert.deepEqual({ batch: s.batch, rooms: s.rooms, clients: s.clients }, { batch: s.batch, rooms: 0, clients: 0 });
  });

  it(`keeps the live heap within ${LEAK_BOUND.heapMb} MB and external memory within ${LEAK_BOUND.externalMb} MB of the first batch`, () => {
    const v = leakVerdict(points(r), LEAK_BOUND);
    process.stderr.write(`      heap growth ${v.heapGrowthMb.toFixed(1)} MB, external growth ${v.externalGrowthMb.toFixed(1)} MB over ${v.battles} battles (${v.heapPerBattleKb.toFixed(1)} KB per battle)\n`);
    assert.equal(v.battles, TABLES * (BATCHES - 1));
    assert.ok(v.ok, v.failures.join("; "));
  });
});

describe("load leak: the bound fails on a server that keeps every disposed room", function () {
  // A kept room holds about 0.45 MB of heap (420–490 KB measured, its logs differ with the dice;
  // it was 1.3–2.1 MB while the combat log was schema state): 40 of them between the first and
  // last judged batch are about twice the bound.
  const tables = 10;
  const batches = 5;
  this.timeout(batches * 90_000 + 60_000);
  let r: BatchResult;

  before(async () => {
    // Test equipment only: the memory probe preloaded into the server keeps the rooms referenced.
    r = await run("ci-leak-deliberate", { tables, batches, serverEnv: { MEMORY_PROBE_RETAIN_ROOMS: "1" } });
    report("deliberately leaking server", r);
  });

  it("plays its battles to their end (the rooms are disposed by Colyseus, but still referenced)", () => {
    assert.equal(r.server.crashed, false, `server crashed: ${JSON.stringify(r.server.crash)}`);
    assert.equal(r.battles.ended, tables * batches);
    for (const s of r.samples) assert.equal(s.rooms, 0);
    assert.equal(r.samples.at(-1)!.retained, tables * batches, "the probe kept every room");
  });

  it("reports the leak: the live heap grows past the bound", () => {
    const v = leakVerdict(points(r), LEAK_BOUND);
    process.stderr.write(`      heap growth ${v.heapGrowthMb.toFixed(1)} MB over ${v.battles} battles (${v.heapPerBattleKb.toFixed(0)} KB per battle): ${v.failures.join("; ")}\n`);
    assert.equal(v.ok, false);
    assert.ok(v.heapGrowthMb > LEAK_BOUND.heapMb);
  });
});
