import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import Redis from "ioredis";
import { startServer, type TestServer } from "../../harness/server";
import { freePort } from "../../harness/ports";
import { gmAndPlayer } from "../../harness/battles";

async function eventually<T>(fn: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Plays one accepted command, one refused command and one chat line. */
async function playSome(server: TestServer) {
  const { gm, player, roomId } = await gmAndPlayer(server);
  assert.equal((await gm.command("gm:start", { cid: "audit-start" })).kind, "ack");
  assert.equal((await player.command("gm:end", { cid: "audit-forbidden", winner: "players", reason: "gm" })).kind, "error");
  player.room.send("chat", { cid: "audit-chat", text: "hello" });
  return { gm, player, roomId };
}

describe("audit trail", function () {
  this.timeout(30_000);

  it("writes a JSON line for every accepted and refused command to AUDIT_LOG_FILE: time, battle, seat, role, command, result, reason", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "audit-")), "nested", "audit.log");
    const server = await startServer({ AUDIT_LOG_FILE: file });
    try {
      const { roomId, player } = await playSome(server);
      const records = await eventually(() => {
        if (!fs.existsSync(file)) return undefined;
        const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
        return lines.some((r) => r.cid === "audit-chat") && lines.some((r) => r.cid === "audit-forbidden") ? lines : undefined;
      }, "the audit records");
      const start = records.find((r) => r.cid === "audit-start");
      assert.deepEqual({ ...start, time: undefined, ip: undefined, level: undefined, message: undefined },
        { time: undefined, ip: undefined, level: undefined, message: undefined, battle: roomId, seat: "g1", role: "gm", command: "gm:start", cid: "audit-start", result: "accepted" });
      assert.ok(!Number.isNaN(Date.parse(start.time)));
      const refused = records.find((r) => r.cid === "audit-forbidden");
      assert.equal(refused.result, "rejected");
      assert.equal(refused.seat, player.seat!.seatId);
      assert.equal(refused.role, "player");
      assert.match(refused.reason, /^forbidden: /);
      assert.equal(records.find((r) => r.cid === "audit-chat").result, "accepted");
      assert.ok(!JSON.stringify(records).includes(player.seat!.key), "no seat key in the audit trail");
    } finally {
      await server.close();
    }
  });

  describe("with Redis", () => {
    let redis: ChildProcess;
    let port: number;
    before(async function () {
      port = await freePort();
      redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
      probe.on("error", () => undefined); // refused until redis-server listens
      await eventually(async () => (await probe.ping().catch(() => undefined)) === "PONG" ? true : undefined, "redis-server to start");
      probe.disconnect();
    });
    after(() => { redis.kill("SIGKILL"); });

    it("appends the same records to a capped Redis stream (XADD MAXLEN) when REDIS_URL is set", async () => {
      const server = await startServer({ REDIS_URL: `redis://127.0.0.1:${port}`, AUDIT_REDIS_STREAM: "test:audit", AUDIT_STREAM_MAXLEN: "1000" });
      const client = new Redis(port, "127.0.0.1");
      try {
        const { roomId } = await playSome(server);
        const entries = await eventually(async () => {
          const all = await client.xrange("test:audit", "-", "+");
          const recs = all.map(([, fields]) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]])));
          return recs.some((r) => r.cid === "audit-chat") && recs.some((r) => r.cid === "audit-forbidden") ? recs : undefined;
        }, "the stream entries");
        assert.ok(entries.some((r) => r.cid === "audit-start" && r.result === "accepted" && r.battle === roomId && r.role === "gm"));
        assert.ok(entries.some((r) => r.cid === "audit-forbidden" && r.result === "rejected" && /^forbidden/.test(r.reason!)));
      } finally {
        client.disconnect();
        await server.close();
      }
    });
  });
});
