// bench/floor.ts, run as the user runs it (a child process: it pins the process it runs in), with
// tiny counts (battles of 3 clients and 4 ships): each floor server starts, its battles play, and
// the JSON holds a figure per layer.
// Asserts what was measured, never how fast.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

describe("the floor benchmark (bench/floor.ts)", function () {
  this.timeout(120_000);

  it("measures each layer's server CPU per command and per silent client, in battles of the size asked, and writes it as JSON", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "floor-")), "floor.json");
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "bench/floor.ts", "--battles", "2", "--clients", "3", "--ships", "4", "--sec", "5", "--warm-sec", "1", "--idle-sec", "1", "--settle-sec", "1", "--out", out],
        { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
      child.once("exit", resolve);
    });
    assert.equal(code, 0);
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
      options: { clients: number; ships: number; pingMs: number; settleSec: number };
      rows: { layer: string; commands: number; serverUsPerCommand: number; serverIdleUsPerSec: number; serverEmptyUsPerSec: number; idleUsPerClientPerSec: number }[];
    };
    assert.deepEqual([report.options.clients, report.options.ships, report.options.pingMs, report.options.settleSec], [3, 4, 5000, 1]);
    assert.deepEqual(report.rows.map((r) => r.layer), ["ws", "colyseus", "colyseus-views"]);
    for (const row of report.rows) {
      // 2 battles, one command per 250 ms ±50 % each, 5 s: about 40 commands
      assert.ok(row.commands >= 10, `${row.layer}: ${row.commands} commands`);
      // CPU comes from /proc in 10-ms ticks: a 1-s idle window may read 0, a window with commands may not
      assert.ok(row.serverUsPerCommand > 0 && row.serverIdleUsPerSec >= 0 && row.serverEmptyUsPerSec >= 0, JSON.stringify(row));
      assert.ok(Number.isFinite(row.idleUsPerClientPerSec), JSON.stringify(row));
    }
  });
});
