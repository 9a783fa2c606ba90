import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { ColyseusSDK } from "@colyseus/sdk";
import { freePort } from "../support/server";
import { SeatClient } from "../support/seat-client";
import { twoShipOptions, ALL_ROLES } from "../support/battles";
import { buildClient } from "../../scripts/build-client";

const ROOT = path.resolve(__dirname, "..", "..");

/** Starts the real entry point (what `npm start` runs after building the client). */
function startEntryPoint(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: ROOT, env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"],
  });
}

async function waitHealthy(port: number, child: ChildProcess, ms = 20_000) {
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

describe("the entry point (npm start)", function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;
  afterEach(() => { child?.kill("SIGKILL"); child = undefined; });

  it("serves the web client and plays a battle on embedded defaults, with working reconnection", async () => {
    await buildClient();
    const port = await freePort();
    // Embedded defaults, except that its battles are kept in a temporary directory, not ./data.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tb-start-"));
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    child = startEntryPoint({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir });
    await waitHealthy(port, child);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script[^>]+src="\/?app\.js"/);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);

    const sdk = new ColyseusSDK(`ws://127.0.0.1:${port}`);
    const gm = new SeatClient(await sdk.create("battle", twoShipOptions()), "gm");
    await gm.seated();
    const player = new SeatClient(await sdk.joinById(gm.room.roomId, { name: "P", shipId: "p1", positions: ALL_ROLES }), "p");
    await player.seated();
    player.room.reconnection.minUptime = 0;
    assert.equal((await gm.command("gm:start")).kind, "ack");
    // Reconnection through the real entry point: without its WebSocket polyfill this fails (4003).
    (player.room.connection as any).transport.ws._socket.destroy();
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === false, 8000, "the drop noticed");
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === true, 10_000, "the player reconnected");
    await Promise.all([gm.room.leave(), player.room.leave()]);
  });

  it("refuses to start on an invalid configuration, naming the variable", async () => {
    child = startEntryPoint({ PORT: "not-a-port" });
    let stderr = "";
    child.stderr!.on("data", (d) => { stderr += String(d); });
    const code = await new Promise<number | null>((resolve) => child!.on("exit", resolve));
    assert.equal(code, 2);
    assert.match(stderr, /PORT/);
  });
});
