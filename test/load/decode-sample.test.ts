// `--decode-sample F`: every client of a fraction F of the battles decodes the state with the SDK;
// in the others only the GM does, and the players keep frame-level bookkeeping, deciding from their
// GM's decoded state. A cheaper load generator must still seat everyone, lose no command and never
// send one the server refuses, and its report must say which clients decoded.
import "../../src/server/polyfills";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { runLoadtest, type RunResult } from "../../loadtest/lib/runner";
import { writeReports } from "../../loadtest/lib/report";
import { decodesEveryClient, decodingTables } from "../../loadtest/lib/decode-sample";

describe("decode sample: which battles decode at every client", () => {
  it("picks ceil(F x N) of the first N tables, table 1 always among them, spread over the run", () => {
    for (const f of [0.01, 0.07, 0.1, 0.25, 0.3, 1 / 3, 0.5, 0.7, 0.9, 1]) {
      for (let n = 1; n <= 120; n++) {
        const picked = Array.from({ length: n }, (_, i) => i + 1).filter((t) => decodesEveryClient(t, f));
        assert.equal(picked.length, decodingTables(n, f), `F ${f}, N ${n}`);
        assert.equal(picked.length, Math.ceil(Math.round(f * n * 1e6) / 1e6), `F ${f}, N ${n}`);
        assert.equal(picked[0], 1);
      }
    }
    const tenth = Array.from({ length: 50 }, (_, i) => i + 1).filter((t) => decodesEveryClient(t, 0.1));
    assert.deepEqual(tenth, [1, 11, 21, 31, 41]);
  });
});

describe("load run with --decode-sample 0.5: 4 battles x (GM + 5 players) x 10 NPC ships for 20 s", function () {
  this.timeout(120_000);
  let r: RunResult;
  let outDir: string;

  before(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "load-decode-sample-"));
    r = await runLoadtest({
      name: "decode-sample", battles: 4, durationSec: 20, graceSec: 5, progress: false, outDir, decodeSample: 0.5,
      plan: { players: 5, npc: 10, thinkMs: 100 },
      failOnLoss: true, failOnJoinFailure: true,
    });
    writeReports(r, outDir);
  });
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it("seats every GM and player, frame-level ones included", () => {
    assert.equal(r.server.crashed, false, JSON.stringify(r.server.crash));
    assert.equal(r.joins.failed, 0, `join failures: ${JSON.stringify(r.joins.failures)}`);
    assert.equal(r.joins.ok, r.joins.attempted);
    assert.ok(r.joins.ok >= 24, `every seat of the 4 battles taken (got ${r.joins.ok})`);
    assert.ok(r.battles.started >= 4, `all 4 battles started (got ${r.battles.started})`);
    assert.deepEqual(r.errors.disconnects, {}, "no unexpected disconnects");
  });

  it("loses no command and sends none the server refuses", () => {
    assert.equal(r.commands.lost, 0, `${r.commands.lost} commands never answered`);
    assert.equal(r.commands.refused, 0, `refused: ${JSON.stringify(r.commands.refusedByCode)}`);
    assert.equal(r.commands.timedOut, 0);
    assert.equal(r.commands.sent, r.commands.acked);
    assert.ok(r.commands.acked > 100, `commands were accepted (got ${r.commands.acked})`);
    assert.deepEqual(r.errors.other, {});
    assert.ok(r.pass, r.failures.join("; "));
  });

  it("counts decoding and frame-level clients: every client of 2 battles and the GMs of the 2 others decoded", () => {
    assert.equal(r.decodingBattles, 2);
    assert.equal(r.config.decodeSample, 0.5);
    // one battle per table unless one ended and the table opened another: whole tables either way
    assert.ok(r.clients.decoding >= 2 * 6 + 2, `decoding ${r.clients.decoding}`);
    assert.ok(r.clients.frameLevel >= 2 * 5, `frame-level ${r.clients.frameLevel}`);
    assert.equal(r.clients.decoding + r.clients.frameLevel, r.joins.ok);
    assert.ok(r.network.bytesIn > 0 && r.network.messagesIn > 0);
  });

  it("takes latency from both kinds of client, and the report says which", () => {
    const { decoded, frameLevel } = r.latencyBy;
    assert.ok(frameLevel.count > 0, "the frame-level players played (their acks are their latency samples)");
    assert.ok(decoded.count > r.commands.acked, "every decoding client of a battle saw the results");
    assert.equal(r.latency.count, decoded.count + frameLevel.count);
    const md = fs.readFileSync(path.join(outDir, "decode-sample.md"), "utf8");
    assert.match(md, new RegExp(`Clients: ${r.clients.decoding} connections decoded the state, ${r.clients.frameLevel} did frame-level bookkeeping`));
    assert.match(md, /--decode-sample 0\.5/);
    assert.match(md, new RegExp(`\\| frame-level clients \\(own ack round trip\\) \\| ${frameLevel.count} \\|`));
    assert.match(md, /load generator \d+ µs/);
    const json = JSON.parse(fs.readFileSync(path.join(outDir, "decode-sample.json"), "utf8")) as RunResult;
    assert.deepEqual(json.clients, r.clients);
    assert.equal(json.latencyBy.frameLevel.count, frameLevel.count);
  });
});
