import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { DurableOutbox } from "../../src/server/persistence/outbox";
import { DiskBattleStore } from "../../src/server/persistence/disk-store";
import { RedisBattleStore } from "../../src/server/persistence/redis-store";
import { OwnershipLost, type BattleMeta, type BattleStore, type LogRecord } from "../../src/server/persistence/types";
import { startRedis, type TestRedis } from "../../harness/redis-server";
import { tempDir } from "../../harness/cluster";

const META = { options: { name: "t" }, seed: 1, createdAt: 0 } as unknown as BattleMeta;
const chat = (text: string): LogRecord => ({ k: "chat", from: "g1", fromName: "GM", text, at: 0 });

describe("the durable battle log", function () {
  this.timeout(20_000);

  it("publishes a change only once its record is durable, and replies in their order", async () => {
    const dir = tempDir("tb-outbox-");
    try {
      const disk = new DiskBattleStore(dir);
      await disk.create("b1", META);
      // The real disk store behind a gate that holds appends back until opened.
      let open!: () => void;
      const gate = new Promise<void>((r) => { open = r; });
      const gated: BattleStore = Object.assign(Object.create(disk) as BattleStore, {
        append: async (id: string, rec: LogRecord) => { await gate; return disk.append(id, rec); },
      });
      const out: string[] = [];
      const outbox = new DurableOutbox(gated, () => "b1", (err) => out.push(`failed: ${err.message}`));
      outbox.commit(chat("one"), () => out.push("publish one"));
      outbox.later(() => out.push("reply to a refused command"));
      outbox.commit(chat("two"), () => out.push("publish two"));
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(out.length, 0, "nothing goes out while the records are not durable");
      open();
      await outbox.settled();
      assert.deepEqual(out, ["publish one", "reply to a refused command", "publish two"]);
      const stored = await disk.load("b1");
      assert.deepEqual(stored?.records.map((r) => r.k === "chat" && r.text), ["one", "two"]);
      outbox.later(() => out.push("at once"));
      assert.equal(out.at(-1), "at once", "with nothing in flight a reply goes out at once");
      await disk.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ignores a torn last line left by a crash mid-write (it was never acknowledged)", async () => {
    const dir = tempDir("tb-torn-");
    try {
      const disk = new DiskBattleStore(dir);
      await disk.create("b2", META);
      await disk.append("b2", chat("kept"));
      await disk.close();
      fs.appendFileSync(path.join(dir, "battles", "b2", "log.ndjson"), '{"k":"chat","fr');
      const again = new DiskBattleStore(dir);
      assert.deepEqual((await again.load("b2"))?.records.map((r) => r.k === "chat" && r.text), ["kept"]);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("in Redis", () => {
    let redis: TestRedis;
    before(async () => { redis = await startRedis(); });
    after(async () => { await redis?.close(); });

    it("refuses appends from a process that no longer owns the battle (fencing), and only one claimant wins", async () => {
      const a = new RedisBattleStore(redis.url, () => "proc-a");
      const b = new RedisBattleStore(redis.url, () => "proc-b");
      const c = new RedisBattleStore(redis.url, () => "proc-c");
      try {
        await a.create("b3", META);
        assert.equal(await a.append("b3", chat("by a")), 1);
        const claims = await Promise.all([b.claim("b3", "proc-a"), c.claim("b3", "proc-a")]);
        assert.deepEqual(claims.filter(Boolean).length, 1, "exactly one process takes the battle over");
        const winner = claims[0] ? b : c;
        await assert.rejects(a.append("b3", chat("stale")), OwnershipLost);
        assert.equal(await winner.append("b3", chat("by the new owner")), 2);
        await a.remove("b3");
        const stored = await winner.load("b3");
        assert.deepEqual(stored?.records.map((r) => r.k === "chat" && r.text), ["by a", "by the new owner"], "the old owner could neither write nor erase");
        await winner.release("b3");
        assert.equal((await winner.owners())["b3"], "", "released for any process to restore");
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });
  });
});
