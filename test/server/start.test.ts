import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { ColyseusSDK } from "@colyseus/sdk";
import { freePort } from "../../harness/ports";
import { SeatClient } from "../../harness/seat-client";
import { NetSim } from "../../harness/netsim";
import { twoShipOptions, ALL_ROLES } from "../../harness/battles";

const ROOT = path.resolve(__dirname, "..", "..");
const ADMIN_PASSWORD = "built-entry-test-password";

/** The production image's command (deploy/Dockerfile CMD), as an argv. */
function dockerfileCmd(): string[] {
  const dockerfile = fs.readFileSync(path.join(ROOT, "deploy", "Dockerfile"), "utf8");
  const m = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile);
  assert.ok(m, "deploy/Dockerfile has an exec-form CMD");
  return JSON.parse(m[1]!) as string[];
}

/** Runs a command to its end, bounded; resolves with its exit code and output. */
function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => { output += String(d); });
  child.stderr!.on("data", (d) => { output += String(d); });
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) => child.once("exit", (code) => { clearTimeout(killer); resolve({ code, output }); }));
}

/**
 * Starts the built server the way the production image does (its CMD, `node` being this Node),
 * from the given working directory, on embedded defaults: only what a
 * test must set (port, loopback, a temporary DATA_DIR) and the mocha run's NODE_ENV/LOG_LEVEL
 * taken away.
 */
function startBuilt(env: Record<string, string>, cwd: string): ChildProcess {
  const [node, ...args] = dockerfileCmd();
  assert.equal(node, "node");
  const entry = args.findIndex((a) => a.endsWith(".js"));
  args[entry] = path.join(ROOT, args[entry]!); // the image's WORKDIR is the project root
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.NODE_ENV;
  delete base.LOG_LEVEL;
  return spawn(process.execPath, args, { cwd, env: { ...base, LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

async function waitHealthy(port: number, child: ChildProcess, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not become healthy");
}

describe("the built entry point (npm run build, then npm start or the production image's command)", function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  const dirs: string[] = [];
  const tempDir = (prefix: string) => { const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); dirs.push(d); return d; };

  before(async function () {
    this.timeout(180_000);
    const built = await run("npm", ["run", "build"], 150_000);
    assert.equal(built.code, 0, built.output);
  });
  afterEach(() => { child?.kill("SIGKILL"); child = undefined; });
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it("answers /health and serves the web client and the dashboard from dist/, started from another directory", async () => {
    assert.ok(fs.existsSync(path.join(ROOT, "dist", "server", "index.js")));
    const port = await freePort();
    child = startBuilt({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: tempDir("tb-data-"), ADMIN_PASSWORD }, tempDir("tb-cwd-"));
    await waitHealthy(port, child);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script[^>]+src="\/?app\.js"/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/app.js`)).status, 200);
    const auth = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}` };
    const dashboard = await fetch(`http://127.0.0.1:${port}/dev/dashboard/`, { headers: auth });
    assert.equal(dashboard.status, 200);
    assert.match(await dashboard.text(), /dashboard\.js/);
    // SIGTERM (the image's stop signal) drains and exits by itself.
    const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
  });

  it("serves the web client and plays a battle on embedded defaults, with working reconnection", async () => {
    const port = await freePort();
    // Embedded defaults, except that its battles are kept in a temporary directory, not ./data.
    child = startBuilt({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: tempDir("tb-start-") }, tempDir("tb-cwd-"));
    await waitHealthy(port, child);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script[^>]+src="\/?app\.js"/);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);

    // The player connects through a TCP proxy, so that its socket can be cut whatever WebSocket
    // the SDK uses (Node 22's own, or the `ws` package under the polyfill).
    const proxy = await NetSim.start({ targetPort: port });
    try {
      const gm = new SeatClient(await new ColyseusSDK(`ws://127.0.0.1:${port}`).create("battle", twoShipOptions()), "gm");
      await gm.seated();
      const player = new SeatClient(await new ColyseusSDK(`ws://127.0.0.1:${proxy.port}`).joinById(gm.room.roomId, { name: "P", shipId: "p1", positions: ALL_ROLES }), "p");
      await player.seated();
      player.room.reconnection.minUptime = 0;
      assert.equal((await gm.command("gm:start")).kind, "ack");
      // Reconnection through the real entry point: without a global WebSocket this fails (4003).
      // The GM may see the seat connected before the player's SDK has its new socket open: wait for both.
      const back = new Promise<void>((r) => player.room.onReconnect(() => r()));
      assert.ok(proxy.cutAll() >= 1);
      await gm.until((s) => s.crew.get(player.seat!.seatId).connected === false, 8000, "the drop noticed");
      await gm.until((s) => s.crew.get(player.seat!.seatId).connected === true, 10_000, "the player reconnected");
      await back;
      await Promise.all([gm.room.leave(), player.room.leave()]);
    } finally {
      await proxy.close();
    }
  });

  it("refuses to start on an invalid configuration, naming the variable", async () => {
    child = startBuilt({ PORT: "not-a-port" }, tempDir("tb-cwd-"));
    let stderr = "";
    child.stderr!.on("data", (d) => { stderr += String(d); });
    const code = await new Promise<number | null>((resolve) => child!.on("exit", resolve));
    assert.equal(code, 2);
    assert.match(stderr, /PORT/);
  });
});
