// Checkpoints of one battle written concurrently, as a battle played fast produces them (every
// round or phase change, each written once its log record is durable): none may fail, and the
// newest must be the one stored, on disk and in Redis.
import assert from "node:assert/strict";
import fs from "node:fs";
import { DurableOutbox } from "../../../src/server/persistence/outbox";
import { DiskBattleStore } from "../../../src/server/persistence/disk-store";
import { RedisBattleStore } from "../../../src/server/persistence/redis-store";
import { OwnershipLost, type BattleMeta, type BattleSnapshot, type BattleStore, type LogRecord } from "../../../src/server/persistence/types";
import type { Battle } from "../../../src/rules/model";
import { startRedis, type TestRedis } from "../../../harness/redis-server";
import { tempDir } from "../../../harness/cluster";

const META = { options: { name: "t" }, seed: 1, createdAt: 0 } as unknown as BattleMeta;
const chat = (text: string): LogRecord => ({ k: "chat", from: "g1", fromName: "GM", text, at: 0 });
/** A checkpoint about the size of a mid-battle one (tens of KB), so that writes overlap. */
const snapshotAt = (seq: number): BattleSnapshot => ({
  seq, version: seq, round: seq, at: seq, dice: [seq],
  battle: { ships: {}, notes: "x".repeat(40_000) } as unknown as Battle,
});

/** Commits `n` records in one burst, each with a checkpoint; returns the warnings the room would log. */
async function burst(store: BattleStore, id: string, n: number): Promise<string[]> {
  const warnings: string[] = [];
  const outbox = new DurableOutbox(store, () => id, (err) => warnings.push(`append failed: ${err.message}`),
    (what, err) => warnings.push(`${what}: ${err.message}`));
  for (let i = 1; i <= n; i++) outbox.commit(chat(`line-${i}`), () => undefined, snapshotAt);
  await outbox.settled();
  return warnings;
}

describe("battle checkpoints", function () {
  this.timeout(30_000);

  describe("on disk", () => {
    let dir: string;
    beforeEach(() => { dir = tempDir("tb-checkpoints-"); });
    afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

    it("writes a burst of concurrent checkpoints of one battle without a warning and keeps the newest", async () => {
      const disk = new DiskBattleStore(dir);
      await disk.create("c1", META);
      const warnings = await burst(disk, "c1", 200);
      await disk.release("c1"); // waits for the writes in flight
      assert.deepEqual(warnings, []);
      const stored = await disk.load("c1");
      assert.equal(stored?.records.length, 200);
      assert.equal(stored?.snapshot?.seq, 200, "the newest checkpoint is on disk");
      assert.deepEqual(fs.readdirSync(`${dir}/battles/c1`).sort(), ["log.ndjson", "meta.json", "snap-0.json", "snap-1.json"], "the two slots, nothing else");
      await disk.close();
    });

    it("never writes an older checkpoint over a newer one, whatever order the calls come in", async () => {
      const disk = new DiskBattleStore(dir);
      await disk.create("c2", META);
      await Promise.all([disk.snapshot("c2", snapshotAt(9)), disk.snapshot("c2", snapshotAt(5))]);
      assert.equal((await disk.load("c2"))?.snapshot?.seq, 9);
      await disk.snapshot("c2", snapshotAt(7));
      assert.equal((await disk.load("c2"))?.snapshot?.seq, 9, "a late, older checkpoint is skipped");
      await disk.snapshot("c2", snapshotAt(10));
      assert.equal((await disk.load("c2"))?.snapshot?.seq, 10);
      await disk.close();
    });

    it("keeps the newest whole checkpoint when a crash tore the one being written, and writes the next over the torn one", async () => {
      const disk = new DiskBattleStore(dir);
      await disk.create("c4", META);
      await disk.snapshot("c4", snapshotAt(5)); // slot 0
      await disk.snapshot("c4", snapshotAt(6)); // slot 1
      // A crash while checkpoint 7 was being written over slot 0: its first bytes, then the old
      // rest, which here (the same shape, the same length) still parses as JSON with seq 7.
      const slot0 = `${dir}/battles/c4/snap-0.json`;
      const torn = Buffer.from(JSON.stringify(snapshotAt(7))).subarray(0, 5_000);
      const fd = fs.openSync(slot0, "r+");
      fs.writeSync(fd, torn, 0, torn.length, 0);
      fs.closeSync(fd);
      const restarted = new DiskBattleStore(dir);
      assert.equal((await restarted.load("c4"))?.snapshot?.seq, 6, "the torn slot is skipped, the other one holds the newest");
      await restarted.snapshot("c4", snapshotAt(8));
      assert.match(fs.readFileSync(slot0, "utf8"), /^\{"seq":8,.*\n8$/s, "the next checkpoint went over the torn slot");
      assert.match(fs.readFileSync(`${dir}/battles/c4/snap-1.json`, "utf8"), /^\{"seq":6,.*\n6$/s, "and left the newest whole until then");
      assert.equal((await restarted.load("c4"))?.snapshot?.seq, 8);
      await Promise.all([disk.close(), restarted.close()]);
    });

    it("cuts a slot to a shorter checkpoint written over a longer one", async () => {
      const disk = new DiskBattleStore(dir);
      await disk.create("c5", META);
      await disk.snapshot("c5", snapshotAt(1)); // slot 0, about 40 KB
      await disk.snapshot("c5", snapshotAt(2)); // slot 1
      const short: BattleSnapshot = { ...snapshotAt(3), battle: { ships: {} } as unknown as Battle };
      await disk.snapshot("c5", short); // slot 0 again, rewritten in place
      assert.equal(fs.readFileSync(`${dir}/battles/c5/snap-0.json`, "utf8"), `${JSON.stringify(short)}\n3`, "no bytes of the longer one left after it");
      assert.equal((await disk.load("c5"))?.snapshot?.seq, 3);
      await disk.close();
    });

    it("finishes the checkpoint writes in flight before it removes a battle", async () => {
      const disk = new DiskBattleStore(dir);
      await disk.create("c3", META);
      const writes = [1, 2, 3].map((seq) => disk.snapshot("c3", snapshotAt(seq)));
      await disk.remove("c3");
      await Promise.all(writes); // none failed for want of its directory
      assert.equal(fs.existsSync(`${dir}/battles/c3`), false, "nothing written back after the removal");
      await disk.close();
    });
  });

  describe("in Redis", () => {
    let redis: TestRedis;
    before(async () => { redis = await startRedis(); });
    after(async () => { await redis?.close(); });

    it("writes a burst of concurrent checkpoints of one battle without a warning and keeps the newest", async () => {
      const store = new RedisBattleStore(redis.url, () => "proc-a");
      try {
        await store.create("r1", META);
        const warnings = await burst(store, "r1", 200);
        await store.release("r1"); // after every checkpoint on the same connection
        assert.deepEqual(warnings, []);
        const stored = await store.load("r1");
        assert.equal(stored?.records.length, 200);
        assert.equal(stored?.snapshot?.seq, 200);
      } finally {
        await store.close();
      }
    });

    it("keeps the newer checkpoint against an older one, and refuses checkpoints from a process that lost the battle", async () => {
      const a = new RedisBattleStore(redis.url, () => "proc-a");
      const b = new RedisBattleStore(redis.url, () => "proc-b");
      try {
        await a.create("r2", META);
        await a.snapshot("r2", snapshotAt(4));
        assert.equal(await b.claim("r2", "proc-a"), true, "proc-a presumed dead: proc-b takes the battle over");
        await b.snapshot("r2", snapshotAt(9));
        await assert.rejects(a.snapshot("r2", snapshotAt(12)), OwnershipLost, "the stale copy writes no checkpoint");
        await b.snapshot("r2", snapshotAt(6));
        assert.equal((await b.load("r2"))?.snapshot?.seq, 9, "neither the stale copy nor an older checkpoint replaced the newest");
        await b.remove("r2");
        await assert.rejects(a.snapshot("r2", snapshotAt(20)), OwnershipLost);
        assert.equal(await b.redis.exists("tb:b:r2:snap", "tb:b:r2:snapseq"), 0, "a late checkpoint does not bring a removed battle back");
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});
