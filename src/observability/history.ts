// The dashboard's history: one point per METRICS_SAMPLE_MS, the last 24 hours. In Redis (a sorted
// set per process, scored by time, trimmed to 24 h on every write) when REDIS_URL is set, so the
// history survives restarts; otherwise a bounded in-memory ring buffer.
import Redis from "ioredis";

/** One sample of the process; the dashboard (client/dashboard) reads these fields by name. */
export interface HistoryPoint {
  t: number;
  connections: number;
  battles: number;
  commandsPerSec: number;
  rejectedPerSec: number;
  commandsTotal: number;
  commandP95Ms: number;
  patchP95Ms: number;
  eventLoopLagMs: number;
  heapMB: number;
  rssMB: number;
  stateMaxBytes: number;
  patchesPerSec: number;
  patchBytesPerSec: number;
  errorsPerMin: number;
  redisRttMs: number | null;
  alerts: string[];
}

export const HISTORY_MS = 24 * 60 * 60 * 1000;
/** At most this many points are returned per request: the dashboard needs no more to draw 24 h. */
export const MAX_POINTS_PER_READ = 2000;

export interface HistoryStore {
  readonly kind: "memory" | "redis";
  append(p: HistoryPoint): Promise<void>;
  /** Points with t > since, oldest first, thinned evenly to at most MAX_POINTS_PER_READ. */
  since(since: number): Promise<HistoryPoint[]>;
  close(): Promise<void>;
}

export function thin<T>(points: T[], max = MAX_POINTS_PER_READ): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.floor(i * step)] as T);
  out[out.length - 1] = points[points.length - 1] as T; // always include the newest
  return out;
}

export class MemoryHistory implements HistoryStore {
  readonly kind = "memory";
  private readonly ring: (HistoryPoint | undefined)[];
  private next = 0;

  /** Holds 24 h of points at `sampleMs`, but never more than `maxPoints`. */
  constructor(sampleMs: number, maxPoints = 17_280) {
    this.ring = new Array(Math.max(1, Math.min(maxPoints, Math.ceil(HISTORY_MS / sampleMs))));
  }

  get capacity(): number {
    return this.ring.length;
  }

  async append(p: HistoryPoint): Promise<void> {
    this.ring[this.next] = p;
    this.next = (this.next + 1) % this.ring.length;
  }

  async since(since: number): Promise<HistoryPoint[]> {
    const out: HistoryPoint[] = [];
    const horizon = Math.max(since, Date.now() - HISTORY_MS);
    for (let i = 0; i < this.ring.length; i++) {
      const p = this.ring[(this.next + i) % this.ring.length];
      if (p && p.t > horizon) out.push(p);
    }
    return thin(out);
  }

  async close(): Promise<void> {}
}

export const REDIS_KEY_PREFIX = "traveller:obs:history:";

export class RedisHistory implements HistoryStore {
  readonly kind = "redis";
  readonly key: string;
  private readonly redis: Redis;

  constructor(url: string, processLabel: string) {
    this.key = REDIS_KEY_PREFIX + processLabel;
    // No offline queue: while Redis is away, writes fail at once instead of piling up in memory.
    this.redis = new Redis(url, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: "traveller-obs" });
    this.redis.on("error", () => undefined); // reported by the failed calls; ioredis keeps reconnecting
  }

  /** Waits briefly for the connection (commands are not queued while it is down). */
  private async ready(timeoutMs = 2000): Promise<void> {
    if (this.redis.status === "ready") return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { this.redis.off("ready", onReady); reject(new Error(`redis not ready (${this.redis.status})`)); }, timeoutMs);
      const onReady = () => { clearTimeout(timer); resolve(); };
      this.redis.once("ready", onReady);
    });
  }

  /** PING round trip in seconds. */
  async ping(): Promise<number> {
    await this.ready();
    const started = performance.now();
    await this.redis.ping();
    return (performance.now() - started) / 1000;
  }

  async append(p: HistoryPoint): Promise<void> {
    await this.ready();
    await this.redis.multi()
      .zadd(this.key, p.t, JSON.stringify(p))
      .zremrangebyscore(this.key, "-inf", p.t - HISTORY_MS)
      // A process that stops leaves no key behind for longer than a day.
      .pexpire(this.key, HISTORY_MS + 60 * 60 * 1000)
      .exec();
  }

  async since(since: number): Promise<HistoryPoint[]> {
    const horizon = Math.max(since, Date.now() - HISTORY_MS);
    await this.ready();
    const raw = await this.redis.zrangebyscore(this.key, `(${horizon}`, "+inf");
    return thin(raw).map((s) => JSON.parse(s) as HistoryPoint);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
