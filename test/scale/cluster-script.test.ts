import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { ColyseusSDK } from "@colyseus/sdk";
import { startRedis, type TestRedis } from "../../harness/redis-server";
import { SeatClient } from "../../harness/seat-client";
import { ALL_ROLES, twoShipOptions } from "../../harness/battles";
import { waitFor } from "../../harness/cluster";

const ROOT = path.resolve(__dirname, "..", "..");

/** A base port with the next one free too. */
async function twoFreePorts(): Promise<number> {
  const listen = (port: number) => new Promise<net.Server | undefined>((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(undefined));
    s.listen(port, "127.0.0.1", () => resolve(s));
  });
  for (let i = 0; i < 20; i++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const [a, b] = [await listen(base), await listen(base + 1)];
    a?.close();
    b?.close();
    if (a && b) return base;
  }
  throw new Error("no two consecutive free ports");
}

describe("npm run cluster", function () {
  this.timeout(60_000);
  let redis: TestRedis;
  before(async () => { redis = await startRedis(); });
  after(async () => { await redis?.close(); });

  it("runs N processes on consecutive ports with their own public addresses on one Redis, and drains them on SIGTERM", async () => {
    const base = await twoFreePorts();
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/cluster.ts", "--processes", "2", "--base-port", String(base), "--redis", redis.url], {
      cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn", SERVE_CLIENT: "false", HEARTBEAT_MS: "200", HEARTBEAT_TTL_MS: "1000" }, stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (b: Buffer) => { out += b.toString(); });
    child.stderr!.on("data", (b: Buffer) => { out += b.toString(); });
    try {
      for (const port of [base, base + 1]) {
        await waitFor(`process on ${port} ready`, async () => {
          try { return (await fetch(`http://127.0.0.1:${port}/ready`)).ok; } catch { return false; }
        }, 30_000);
      }
      // A battle created through the first process, joined through the second.
      const gm = new SeatClient(await new ColyseusSDK(`ws://127.0.0.1:${base}`).create("battle", twoShipOptions()), "gm");
      await gm.seated();
      const p = new SeatClient(await new ColyseusSDK(`ws://127.0.0.1:${base + 1}`).joinById(gm.room.roomId, { name: "P", shipId: "p1", positions: ALL_ROLES }), "p");
      await p.seated();
      assert.equal((await gm.command("gm:start")).kind, "ack");
      await p.until((s) => s.phase === "combat", 5000, "the player sees the start");
      const hosts = await Promise.all([base, base + 1].map(async (port) => (await (await fetch(`http://127.0.0.1:${port}/ready`)).json()).hosted as string[]));
      assert.equal(hosts.flat().filter((id) => id === gm.room.roomId).length, 1, "exactly one process hosts the battle");
      await Promise.all([gm.leave(), p.leave()]);
    } finally {
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      child.kill("SIGTERM");
      assert.equal(await exited, 0, out.slice(-2000));
    }
  });
});
