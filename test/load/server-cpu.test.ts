// `npm run bench`'s server-CPU figures and the load runner's --server-cpu, run as the user runs
// them (child processes: both pin the process they run in). Tiny counts; asserts what the JSON
// holds and how a bad core list is refused, never how fast anything is.
import "../../src/server/polyfills";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { onlineCores, parseCoreList, planPinning, PinningError } from "../../harness/cpu-pinning";

const ROOT = path.resolve(__dirname, "../..");

/** Runs `node --import tsx <script> args` from the repository root; resolves with its exit code and output. */
function runScript(script: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => { out += b.toString(); });
    child.stderr.on("data", (b: Buffer) => { err += b.toString(); });
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`${script} still running after ${opts.timeoutMs} ms:\n${out}\n${err}`)); }, opts.timeoutMs);
    child.once("exit", (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

function canPin(): boolean {
  try { return onlineCores().length >= 2; } catch { return false; }
}

describe("core lists for --server-cpu", () => {
  it("reads the taskset list format and refuses anything else", () => {
    assert.deepEqual(parseCoreList("0"), [0]);
    assert.deepEqual(parseCoreList("3,0-1"), [0, 1, 3]);
    assert.throws(() => parseCoreList("x"), PinningError);
    assert.throws(() => parseCoreList("2-1"), PinningError);
    assert.throws(() => parseCoreList("0,,1"), PinningError);
  });

  it("gives the bots every core the server does not take, and refuses a core that does not exist or one that leaves the bots none", () => {
    assert.deepEqual(planPinning([0], [0, 1, 2]), { server: [0], bots: [1, 2] });
    assert.throws(() => planPinning([2], [0, 1]), /core 2 does not exist/);
    assert.throws(() => planPinning([0, 1], [0, 1]), /leaves no core for the load generator/);
  });
});

describe("the load runner's --server-cpu", function () {
  this.timeout(120_000);

  it("refuses a core that does not exist with a clear message and exit code 2, before starting anything", async () => {
    const r = await runScript("loadtest/run.ts", ["--server-cpu", "4095", "--battles", "1", "--duration", "5", "--quiet"], { timeoutMs: 60_000 });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--server-cpu: core 4095 does not exist or is not available to this process \(available: [0-9,-]+\)/);
    assert.doesNotMatch(r.err + r.out, /starting server/);
  });

  it("refuses clearly where taskset is not installed", async () => {
    const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), "no-taskset-"));
    try {
      const r = await runScript("loadtest/run.ts", ["--server-cpu", "0", "--battles", "1", "--duration", "5", "--quiet"], { env: { ...process.env, PATH: emptyPath }, timeoutMs: 60_000 });
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /--server-cpu needs taskset \(util-linux\), which is not installed here/);
    } finally {
      fs.rmSync(emptyPath, { recursive: true, force: true });
    }
  });

  it("pins the server to the given core and the bots to the other, and reports server CPU per acked command beside the bots'", async function () {
    if (!canPin()) this.skip();
    const name = `ci-server-cpu-${process.pid}`;
    const files = ["json", "md", "svg", "server.log"].map((ext) => path.join(ROOT, "loadtest", "results", `${name}.${ext}`));
    try {
      const r = await runScript("loadtest/run.ts", ["--server-cpu", "0", "--battles", "2", "--duration", "8", "--think-ms", "100", "--name", name, "--quiet", "--fail-on-loss"], { timeoutMs: 100_000 });
      assert.equal(r.code, 0, `${r.out}\n${r.err}`);
      assert.match(r.out, /CPU per acked command .*server on core 0, load generator on [0-9,]+\): server \d+ µs/);
      const json = JSON.parse(fs.readFileSync(files[0]!, "utf8"));
      const c = json.cpuPerCommand;
      assert.deepEqual(c.pinning.server, [0]);
      assert.ok(c.pinning.bots.length >= 1 && !c.pinning.bots.includes(0), JSON.stringify(c.pinning));
      assert.ok(c.acked > 0, `commands acked in the window (got ${c.acked})`);
      assert.ok(c.serverUsPerAcked > 0 && c.botsUsPerAcked > 0, JSON.stringify(c));
      assert.deepEqual(json.config.serverCpus, [0]);
    } finally {
      for (const f of files) fs.rmSync(f, { force: true });
    }
  });
});

describe("npm run bench's server CPU figures (tiny counts: 100 commands over 2 full battles, 12 idle clients for 2 s, 1 s after the joins)", function () {
  this.timeout(180_000);
  let json: any;
  let out: string;

  before(async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-cpu-")), "results.json");
    const r = await runScript("bench/run.ts", ["--cpu-only", "--commands", "100", "--battles", "2", "--think-ms", "50", "--max-sec", "90", "--idle-clients", "12", "--idle-sec", "2", "--idle-settle-sec", "1", "--server-env", "PING_INTERVAL_MS=4000", "--out", file], { timeoutMs: 170_000 });
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    out = r.out;
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  });

  it("measures server CPU per accepted command over at least the commands asked, with the bots' CPU beside it", () => {
    const p = json.serverCpu.perCommand;
    assert.equal(p.complete, true);
    assert.ok(p.acked >= 100, `acked ${p.acked}`);
    assert.equal(p.clientsPerBattle, 6);
    assert.equal(p.shipsPerBattle, 15);
    assert.equal(p.durableLog, "disk");
    assert.equal(p.lost, 0);
    assert.ok(p.serverUsPerCommand > 0 && p.serverCpuPct > 0, JSON.stringify(p));
    assert.ok(p.botsUsPerCommand > 0 && p.botsCpuPct > 0, JSON.stringify(p));
    assert.match(out, /CPU per accepted command: \d+ commands/);
  });

  it("measures the idle cost of a connected client against the server's baseline with none", () => {
    const i = json.serverCpu.idleClient;
    assert.equal(i.clients, 12);
    assert.equal(i.battles, 2);
    assert.equal(i.settleSec, 1);
    assert.deepEqual(json.serverCpu.serverEnv, { PING_INTERVAL_MS: "4000" });
    assert.match(out, /server settings PING_INTERVAL_MS=4000/);
    assert.ok(i.baselineServerUsPerSec > 0 && i.withClientsServerUsPerSec > 0, JSON.stringify(i));
    // the difference of two measured rates: its sign is noise at 12 clients, its presence is not
    assert.ok(Number.isFinite(i.serverUsPerClientPerSec), JSON.stringify(i));
    assert.match(out, /µs per client per s/);
  });

  it("states which cores the server and the bots ran on, and the load average", function () {
    const c = json.serverCpu;
    assert.equal(c.loadAverage.length, 3);
    if (!canPin()) { assert.match(c.pinningNote, /not pinned/); return; }
    assert.equal(c.pinning.server.length, 1);
    assert.ok(c.pinning.bots.length >= 1 && !c.pinning.bots.includes(c.pinning.server[0]), JSON.stringify(c.pinning));
  });
});
