import assert from "node:assert/strict";
import Redis from "ioredis";
import { startServer, type TestServer } from "../../harness/server";
import { startRedis, type TestRedis } from "../../harness/redis-server";
import { eventually } from "../support/browser";
import { gmAndPlayer } from "../../harness/battles";
import { MemoryHistory, RedisHistory, HISTORY_MS, MAX_POINTS_PER_READ, REDIS_KEY_PREFIX, type HistoryPoint } from "../../src/observability/history";
import { scrape, value } from "./scrape";

const PASSWORD = "history-password-1234";
const auth = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}` };

function point(t: number, commandsTotal = 0): HistoryPoint {
  return {
    t, connections: 0, battles: 0, commandsPerSec: 0, rejectedPerSec: 0, commandsTotal, commandP95Ms: 0, patchP95Ms: 0, eventLoopLagMs: 0,
    heapMB: 0, rssMB: 0, stateMaxBytes: 0, patchesPerSec: 0, patchBytesPerSec: 0, errorsPerMin: 0, redisRttMs: null, alerts: [],
  };
}

describe("metrics history", function () {
  this.timeout(30_000);

  describe("in memory (no REDIS_URL)", () => {
    it("is a ring buffer bounded to 24 hours of samples, returning the newest", async () => {
      const h = new MemoryHistory(60_000);
      assert.equal(h.capacity, 24 * 60);
      const now = Date.now();
      for (let i = 3000; i > 0; i--) await h.append(point(now - i * 1000, 3000 - i));
      const got = await h.since(0);
      assert.equal(got.length, 24 * 60);
      assert.equal(got[got.length - 1]!.commandsTotal, 2999);
      assert.ok(got.every((p, i) => i === 0 || p.t > got[i - 1]!.t), "oldest first");
    });

    it("never holds more than its cap, and forgets points older than 24 hours", async () => {
      const h = new MemoryHistory(100);
      assert.equal(h.capacity, 17_280);
      await h.append(point(Date.now() - HISTORY_MS - 1000));
      await h.append(point(Date.now()));
      assert.equal((await h.since(0)).length, 1);
    });
  });

  describe("in Redis (REDIS_URL set)", () => {
    let redis: TestRedis;
    let client: Redis;
    before(async () => {
      redis = await startRedis();
      client = new Redis(redis.url);
    });
    after(async () => {
      client?.disconnect();
      await redis?.close();
    });

    it("trims the sorted set to the last 24 hours on every write and thins long reads", async () => {
      const h = new RedisHistory(redis.url, "unit:1");
      try {
        const now = Date.now();
        await h.append(point(now - HISTORY_MS - 60_000));
        await h.append(point(now - 1000, 1));
        assert.equal(await client.zcard(`${REDIS_KEY_PREFIX}unit:1`), 1);
        assert.ok((await client.pttl(`${REDIS_KEY_PREFIX}unit:1`)) > HISTORY_MS);
        const many = client.multi();
        for (let i = 0; i < 2500; i++) many.zadd(`${REDIS_KEY_PREFIX}unit:1`, now - 500_000 + i, JSON.stringify(point(now - 500_000 + i, i)));
        await many.exec();
        const got = await h.since(0);
        assert.equal(got.length, MAX_POINTS_PER_READ);
        assert.equal(got[got.length - 1]!.commandsTotal, 1, "the newest point is always included");
        assert.deepEqual(await h.since(now - 1000), []);
      } finally {
        await h.close();
      }
    });

    it("records the server's samples, with the Redis round trip, and serves them to the dashboard", async () => {
      let server: TestServer | undefined;
      try {
        server = await startServer({ REDIS_URL: redis.url, ADMIN_PASSWORD: PASSWORD, METRICS_SAMPLE_MS: "200" });
        const { gm, player } = await gmAndPlayer(server);
        assert.equal((await gm.command("gm:start")).kind, "ack");
        const base = `http://127.0.0.1:${server.port}`;
        const reply = await eventually(async () => {
          const r = (await (await fetch(`${base}/dev/dashboard/api/history?since=0`, { headers: auth })).json()) as { store: string; process: string; points: HistoryPoint[] };
          return r.points.some((p) => p.commandsTotal >= 1 && p.battles === 1) && r;
        }, "a sample of the battle in the history");
        assert.equal(reply.store, "redis");
        assert.ok(reply.points.every((p) => typeof p.redisRttMs === "number" && p.redisRttMs >= 0));
        assert.ok((await client.zcard(`${REDIS_KEY_PREFIX}${reply.process}`)) >= reply.points.length);
        const text = await scrape(server.port);
        assert.ok(value(text, "traveller_redis_rtt_seconds_count") >= 1);
        await Promise.all([gm.room.leave(), player.room.leave()]);
      } finally {
        await server?.close();
      }
    });
  });
});
