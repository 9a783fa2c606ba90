// Durable battles in Redis. Per battle: `tb:b:<id>:meta` (options + seed), `tb:b:<id>:log` (a
// list, one JSON record per accepted change), `tb:b:<id>:snap` (the per-round checkpoint) and
// `tb:b:<id>:snapseq` (the log sequence number that checkpoint was taken at).
// `tb:owners` maps battle id -> owning process ("" once released). Appends and checkpoints are
// fenced: a Lua script writes only while this process still owns the battle, so a copy that was
// taken over (its owner presumed dead) can never write again, and a checkpoint older than the
// stored one is ignored, so the newest always stays. One round trip per append.
import { Redis } from "ioredis";
import type { BattleMeta, BattleSnapshot, BattleStore, LogRecord, StoredBattle } from "./types";
import { OwnershipLost } from "./types";

export const OWNERS = "tb:owners";
const key = (id: string, part: "meta" | "log" | "snap" | "snapseq") => `tb:b:${id}:${part}`;

const APPEND = `if redis.call('hget', KEYS[1], ARGV[1]) ~= ARGV[2] then return -1 end
return redis.call('rpush', KEYS[2], ARGV[3])`;
/** -1: not the owner; 0: a checkpoint as new or newer is stored (kept); 1: written. */
const SNAPSHOT = `if redis.call('hget', KEYS[1], ARGV[1]) ~= ARGV[2] then return -1 end
local stored = tonumber(redis.call('get', KEYS[3]))
if stored and stored >= tonumber(ARGV[3]) then return 0 end
redis.call('set', KEYS[2], ARGV[4])
redis.call('set', KEYS[3], ARGV[3])
return 1`;
/** Compare-and-set of a battle's owner: claim a dead owner's battle, or release one's own. */
const SWAP_OWNER = `if redis.call('hget', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('hset', KEYS[1], ARGV[1], ARGV[3]) return 1`;

type Scripted = Redis & {
  tbAppend(owners: string, log: string, id: string, owner: string, rec: string): Promise<number>;
  tbSnapshot(owners: string, snap: string, snapSeq: string, id: string, owner: string, seq: number, text: string): Promise<number>;
  tbSwapOwner(owners: string, id: string, from: string, to: string): Promise<number>;
};

export class RedisBattleStore implements BattleStore {
  readonly kind = "redis" as const;
  readonly redis: Scripted;

  /** `owner`: this process's id (its Colyseus processId, known once the server listens). */
  constructor(url: string, private readonly owner: () => string) {
    // No retry limit: while Redis is away, appends wait (acks are held back) and go out in order
    // once it is back, instead of failing a battle.
    this.redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false, retryStrategy: (n) => Math.min(50 * n, 500) }) as Scripted;
    this.redis.on("error", () => { /* reconnects by itself; /ready reports the outage */ });
    this.redis.defineCommand("tbAppend", { numberOfKeys: 2, lua: APPEND });
    this.redis.defineCommand("tbSnapshot", { numberOfKeys: 3, lua: SNAPSHOT });
    this.redis.defineCommand("tbSwapOwner", { numberOfKeys: 1, lua: SWAP_OWNER });
  }

  async create(id: string, meta: BattleMeta): Promise<void> {
    await this.redis.multi().set(key(id, "meta"), JSON.stringify(meta)).del(key(id, "log"), key(id, "snap"), key(id, "snapseq")).hset(OWNERS, id, this.owner()).exec();
  }

  async append(id: string, rec: LogRecord): Promise<number> {
    const n = await this.redis.tbAppend(OWNERS, key(id, "log"), id, this.owner(), JSON.stringify(rec));
    if (n < 0) throw new OwnershipLost(id);
    return n;
  }

  /** Stores the checkpoint unless a newer one is there; refused (OwnershipLost) once the battle is another process's. */
  async snapshot(id: string, snap: BattleSnapshot): Promise<void> {
    const n = await this.redis.tbSnapshot(OWNERS, key(id, "snap"), key(id, "snapseq"), id, this.owner(), snap.seq, JSON.stringify(snap));
    if (n < 0) throw new OwnershipLost(id);
  }

  async load(id: string): Promise<StoredBattle | undefined> {
    const [meta, snap, log] = await this.redis.multi().get(key(id, "meta")).get(key(id, "snap")).lrange(key(id, "log"), 0, -1).exec() ?? [];
    const metaText = meta?.[1] as string | null;
    if (!metaText) return undefined;
    const snapText = snap?.[1] as string | null;
    return {
      id, meta: JSON.parse(metaText) as BattleMeta,
      ...(snapText ? { snapshot: JSON.parse(snapText) as BattleSnapshot } : {}),
      records: ((log?.[1] as string[] | null) ?? []).map((r) => JSON.parse(r) as LogRecord),
    };
  }

  async remove(id: string): Promise<void> {
    // Only the owner deletes: a copy that lost its battle must not erase the new owner's data.
    const owner = await this.redis.hget(OWNERS, id);
    if (owner !== this.owner()) return;
    await this.redis.multi().del(key(id, "meta"), key(id, "log"), key(id, "snap"), key(id, "snapseq")).hdel(OWNERS, id).exec();
  }

  async release(id: string): Promise<void> {
    await this.redis.tbSwapOwner(OWNERS, id, this.owner(), "");
  }

  /** Takes a battle over from `from` (a dead process, or "" for a released battle). */
  async claim(id: string, from: string): Promise<boolean> {
    return (await this.redis.tbSwapOwner(OWNERS, id, from, this.owner())) === 1;
  }

  async owners(): Promise<Record<string, string>> {
    return this.redis.hgetall(OWNERS);
  }

  async ping(): Promise<{ ok: boolean; latencyMs?: number; error?: string }> {
    if (this.redis.status !== "ready") return { ok: false, error: `redis ${this.redis.status}` };
    const started = performance.now();
    try {
      await withTimeout(this.redis.ping(), 1000);
      return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p.finally(() => clearTimeout(t)), new Promise<T>((_, rej) => { t = setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms); })]);
}
