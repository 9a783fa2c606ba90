// Resource caps: battles per creator IP and per process, connections per IP and per process.
// Clients from 127.0.0.1 (the SDK) and from other loopback addresses (raw HTTP and WebSocket).
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startServer, type TestServer } from "../../harness/server";
import { gmAndPlayer, twoShipOptions, refusedJoin } from "../../harness/battles";
import { SeatClient } from "../../harness/seat-client";
import { createBattle, joinById, rawRequest } from "../../harness/raw-http";
import { scrape, value } from "../observability/scrape";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A GM connected to a new battle, created through the SDK (from 127.0.0.1). */
async function openBattle(server: TestServer): Promise<SeatClient> {
  const gm = new SeatClient(await server.sdk().create("battle", twoShipOptions()), "gm");
  await gm.seated();
  return gm;
}

/** A WebSocket upgrade that skips matchmaking: resolves with the HTTP status it was refused with, or 101. */
function upgradeStatus(port: number, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/someprocess/someroom?sessionId=x`, { localAddress: from });
    ws.once("unexpected-response", (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.once("upgrade", () => { resolve(101); ws.terminate(); });
    ws.once("error", (err) => reject(err));
  });
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("caps on battles", function () {
  this.timeout(60_000);

  it("refuses a third battle from one IP with MAX_BATTLES_PER_IP=2 and a clear message, lets other IPs create, and counts a battle no more once it ends", async () => {
    const server = await startServer({ MAX_BATTLES_PER_IP: "2" }, { humanLimits: true });
    try {
      const first = await openBattle(server);
      await openBattle(server);
      assert.match(await refusedJoin(server.sdk().create("battle", twoShipOptions())), /too many battles open from your address \(2\); end one first/);
      const raw = await createBattle(server.port, twoShipOptions());
      assert.equal(raw.status, 429);
      assert.equal(raw.json().code, 429);
      assert.equal((await createBattle(server.port, twoShipOptions(), "127.0.0.2")).status, 200);
      // The GM leaves: the battle is disposed and no longer counts.
      await first.leave();
      await eventually("a battle free for 127.0.0.1", async () => (await createBattle(server.port, twoShipOptions())).status === 200);
    } finally {
      await server.close();
    }
  });

  it("answers 503 with Retry-After at MAX_BATTLES, and /ready and /metrics report the process at capacity", async () => {
    const server = await startServer({ MAX_BATTLES: "2", CAPACITY_RETRY_AFTER_SEC: "30" }, { humanLimits: true });
    try {
      assert.equal((await rawRequest(server.port, "GET", "/ready")).status, 200);
      await openBattle(server);
      assert.equal((await createBattle(server.port, twoShipOptions(), "127.0.0.2")).status, 200);
      const refused = await createBattle(server.port, twoShipOptions(), "127.0.0.3");
      assert.equal(refused.status, 503);
      assert.equal(refused.headers["retry-after"], "30");
      assert.deepEqual(refused.json(), { code: 503, error: "this server is at capacity (2 battles); try again later" });
      const ready = await rawRequest(server.port, "GET", "/ready");
      assert.equal(ready.status, 503);
      assert.equal(ready.headers["retry-after"], "30");
      assert.equal(ready.json().atCapacity, true);
      assert.equal(ready.json().capacity.battles, 2);
      assert.equal(value(await scrape(server.port), "traveller_at_capacity"), 1);
    } finally {
      await server.close();
    }
  });
});

describe("caps on connections", function () {
  this.timeout(60_000);

  it("refuses a fourth connection from one IP with MAX_CONNECTIONS_PER_IP=3, at matchmaking and at the upgrade, and not other IPs", async () => {
    const server = await startServer({ MAX_CONNECTIONS_PER_IP: "3" }, { humanLimits: true });
    try {
      const { roomId } = await gmAndPlayer(server, { allowSpectators: true });
      const watcher = new SeatClient(await server.sdk().joinById(roomId, { spectator: true }), "watcher");
      await watcher.seated();
      assert.match(await refusedJoin(server.sdk().joinById(roomId, { spectator: true })), /too many connections from your address \(3\); close some first/);
      assert.equal(await upgradeStatus(server.port, "127.0.0.1"), 429);
      assert.equal((await joinById(server.port, roomId, { spectator: true }, "127.0.0.2")).status, 200);
      assert.equal(await upgradeStatus(server.port, "127.0.0.2"), 101);
      await watcher.leave();
      await eventually("a connection free for 127.0.0.1", async () => (await joinById(server.port, roomId, { spectator: true })).status === 200);
    } finally {
      await server.close();
    }
  });

  it("answers 503 with Retry-After at MAX_CONNECTIONS, and /ready reports the process at capacity", async () => {
    const server = await startServer({ MAX_CONNECTIONS: "2", CAPACITY_RETRY_AFTER_SEC: "30" }, { humanLimits: true });
    try {
      const { roomId } = await gmAndPlayer(server, { allowSpectators: true });
      const refused = await joinById(server.port, roomId, { spectator: true }, "127.0.0.2");
      assert.equal(refused.status, 503);
      assert.equal(refused.headers["retry-after"], "30");
      assert.match(refused.json().error, /at capacity \(2 connections\)/);
      assert.equal(await upgradeStatus(server.port, "127.0.0.3"), 503);
      const ready = await rawRequest(server.port, "GET", "/ready");
      assert.equal(ready.status, 503);
      assert.equal(ready.json().atCapacity, true);
    } finally {
      await server.close();
    }
  });
});
