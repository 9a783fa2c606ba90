// Keeps this process's battles alive across processes: liveness heartbeats, restoring battles
// whose owner died (or handed them over while draining), and the drain itself.
// With Redis: every HEARTBEAT_MS this process refreshes `tb:hb:<token>` (TTL HEARTBEAT_TTL_MS)
// and scans `tb:owners`; a battle whose owner's heartbeat expired, or that was released (""),
// is claimed with a compare-and-set and recreated here under the SAME room id, its state
// rebuilt from the durable log. Without Redis: at start-up, every battle left in DATA_DIR.
import { randomBytes } from "node:crypto";
import { matchMaker } from "@colyseus/core";
import { logger } from "../logger";
import type { BattleStore, StoredBattle } from "./types";
import { RedisBattleStore } from "./redis-store";
import { DiskBattleStore } from "./disk-store";

/** A battle room hosted by this process, as the keeper sees it. */
export interface HostedBattle {
  readonly roomId: string;
  /** Stop taking commands, make everything durable, move the clients away; resolves once disposed. */
  standDown(reason: "drain" | "lost"): Promise<void>;
}

export interface KeeperSettings { HEARTBEAT_MS: number; HEARTBEAT_TTL_MS: number; DRAIN_TIMEOUT_SEC: number }

const DRAINING = "tb:draining"; // Colyseus processIds that must not receive new battles
/** Liveness key of a process, by its Colyseus processId (which is also the owner id of its battles). */
const hbKey = (pid: string) => `tb:hb:${pid}`;

export class BattleKeeper {
  readonly store: BattleStore;
  readonly hosted = new Map<string, HostedBattle>();
  draining = false;
  /** Restores in flight: a one-time secret the room's onCreate exchanges for the stored battle. */
  private pending = new Map<string, StoredBattle>();
  private restoring = new Set<string>();
  /** Battles this process claimed but could not restore yet, with the attempts made (retried a few times). */
  private failed = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private beatTimer?: NodeJS.Timeout;
  private healthySince = 0;
  private log = logger.child({ part: "keeper" });

  constructor(opts: { redisUrl?: string; dataDir: string }, readonly settings: KeeperSettings) {
    this.store = opts.redisUrl ? new RedisBattleStore(opts.redisUrl, () => this.token) : new DiskBattleStore(opts.dataDir);
    const redis = this.redis?.redis;
    redis?.on("ready", () => { this.healthySince = Date.now(); void this.beat(); });
    if (redis?.status === "ready") this.healthySince = Date.now();
  }

  /** This process in Redis: the Colyseus processId, known once the server listens. */
  get token(): string {
    return matchMaker.processId;
  }

  private get redis(): RedisBattleStore | undefined {
    return this.store instanceof RedisBattleStore ? this.store : undefined;
  }

  /** After the server listens (matchMaker.processId is known). */
  async start(): Promise<void> {
    if (this.redis) {
      await this.beat();
      // The beat has its own timer: a long scan (many battles to restore) must not delay it.
      this.beatTimer = setInterval(() => { void this.beat(); }, this.settings.HEARTBEAT_MS);
      this.beatTimer.unref();
      this.timer = setInterval(() => { void this.tick(); }, this.settings.HEARTBEAT_MS);
      this.timer.unref();
    } else if (this.store instanceof DiskBattleStore) {
      for (const id of await this.store.list()) await this.restore(id);
    }
  }

  /** The room's onCreate exchanges the secret for the battle it must rebuild. */
  takeRestore(secret: unknown): StoredBattle | undefined {
    if (typeof secret !== "string") return undefined;
    const stored = this.pending.get(secret);
    this.pending.delete(secret);
    return stored;
  }

  async restore(id: string): Promise<boolean> {
    if (this.restoring.has(id) || this.hosted.has(id)) return false;
    this.restoring.add(id);
    const started = performance.now();
    try {
      const stored = await this.store.load(id);
      if (!stored) {
        this.log.warn("battle to restore has no data", { battle: id });
        await this.store.remove(id);
        return false;
      }
      const secret = randomBytes(24).toString("base64url");
      this.pending.set(secret, stored);
      try {
        await matchMaker.handleCreateRoom("battle", { __restore: secret });
      } finally {
        this.pending.delete(secret);
      }
      this.log.info("battle restored", { battle: id, records: stored.records.length, ms: Math.round(performance.now() - started) });
      return true;
    } catch (err) {
      this.log.error("battle restore failed", { battle: id, error: (err as Error).message });
      return false;
    } finally {
      this.restoring.delete(id);
    }
  }

  // ---- Redis: heartbeat and takeover ---------------------------------------------------

  private async beat() {
    const r = this.redis?.redis;
    if (!r || r.status !== "ready" || !matchMaker.processId) return;
    await r.set(hbKey(this.token), String(Date.now()), "PX", this.settings.HEARTBEAT_TTL_MS).catch(() => undefined);
  }

  private ticking = false;
  private async tick() {
    if (this.ticking) return;
    this.ticking = true;
    try {
      if (!this.draining) {
        await this.scan();
        await this.relist();
      }
    } catch (err) {
      this.log.warn("keeper scan failed", { error: (err as Error).message });
    } finally {
      this.ticking = false;
    }
  }

  private async scan() {
    const store = this.redis!;
    const r = store.redis;
    if (r.status !== "ready") return;
    // Right after Redis came back every heartbeat may have expired while it was away: give the
    // live processes a full TTL to beat again before presuming anyone dead.
    const settled = Date.now() - this.healthySince > this.settings.HEARTBEAT_TTL_MS + this.settings.HEARTBEAT_MS;
    const owners = await store.owners();
    const others = [...new Set(Object.values(owners))].filter((o) => o && o !== this.token);
    const alive = new Map<string, boolean>();
    if (others.length) {
      const res = await r.multi(others.map((o) => ["exists", hbKey(o)])).exec();
      others.forEach((o, i) => alive.set(o, res?.[i]?.[1] === 1));
    }
    for (const [id, owner] of Object.entries(owners)) {
      if (owner === this.token) {
        const tries = this.failed.get(id);
        if (tries !== undefined && tries < 3 && !this.hosted.has(id)) await this.restoreOwned(id);
        continue;
      }
      const local = this.hosted.get(id);
      if (local) {
        // Someone else owns a battle we still host: our copy is stale, stand it down.
        void local.standDown("lost");
        continue;
      }
      if (owner !== "" && (!settled || alive.get(owner))) continue;
      if (owner !== "") await this.forgetProcess(owner);
      if (await store.claim(id, owner)) {
        this.log.warn(owner ? "taking over a battle whose process died" : "taking over a released battle", { battle: id, from: owner || "(released)" });
        await this.restoreOwned(id);
      }
    }
  }

  /**
   * Our battles' room listings must point here. A stale copy on a process that was presumed dead
   * (and came back) can overwrite or remove the listing before it stands down; this heals it.
   */
  private async relist() {
    const ids = [...this.hosted.keys()];
    if (!ids.length) return;
    const cached = await matchMaker.driver.findByIds(ids);
    for (const id of ids) {
      if (cached.get(id)?.processId === matchMaker.processId) continue;
      // setMetadata() writes the room's whole listing through the driver, once the room is created.
      const room = matchMaker.getLocalRoomById(id);
      if (room) {
        await room.setMetadata(room.metadata);
        this.log.warn("battle listing pointed elsewhere: listed here again", { battle: id });
      }
    }
  }

  /** A failed restore is retried here a few times, not handed on (it would fail everywhere alike). */
  private async restoreOwned(id: string) {
    if (await this.restore(id)) this.failed.delete(id);
    else this.failed.set(id, (this.failed.get(id) ?? 0) + 1);
  }

  /** A dead process's room listings would send clients to it: remove them now. */
  private async forgetProcess(pid: string) {
    await matchMaker.driver.cleanup?.(pid);
    await matchMaker.stats.excludeProcess(pid);
    await this.redis!.redis.srem(DRAINING, pid);
  }

  /** Is that process alive (its heartbeat not expired)? Without Redis there is only this one. */
  async isAlive(pid: string): Promise<boolean> {
    if (pid === matchMaker.processId) return !this.draining;
    const r = this.redis?.redis;
    if (!r) return false;
    if (await r.sismember(DRAINING, pid)) return false;
    return (await r.exists(hbKey(pid))) === 1;
  }

  /** New battles go to the process with fewest rooms that is not draining. */
  async selectProcess(): Promise<string> {
    const all = (await matchMaker.stats.fetchAll()).sort((a, b) => a.roomCount - b.roomCount);
    const r = this.redis?.redis;
    const draining = r && r.status === "ready" ? new Set(await r.smembers(DRAINING)) : new Set<string>();
    return all.find((p) => !draining.has(p.processId))?.processId ?? matchMaker.processId;
  }

  // ---- readiness and drain -------------------------------------------------------------

  async readiness() {
    const redis = this.redis ? await this.redis.ping() : "none" as const;
    const ready = !this.draining && (redis === "none" || redis.ok);
    // Room ids are public (the lobby lists them); knowing where each lives helps operators.
    return { ready, draining: this.draining, redis, persistence: this.store.kind, battles: this.hosted.size, hosted: [...this.hosted.keys()] };
  }

  /** SIGTERM: no new battles here, every battle made durable and handed over, clients sent on. */
  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const r = this.redis?.redis;
    if (r && matchMaker.processId) await r.sadd(DRAINING, matchMaker.processId).catch(() => undefined);
    const battles = [...this.hosted.values()];
    this.log.info("draining", { battles: battles.length });
    const deadline = new Promise<void>((res) => setTimeout(res, this.settings.DRAIN_TIMEOUT_SEC * 1000 * 0.8).unref());
    await Promise.race([Promise.allSettled(battles.map((b) => b.standDown("drain"))), deadline]);
  }

  /** The room is gone from this process; with `handOver`, another process may restore it at once. */
  async left(id: string, how: "ended" | "handOver" | "lost"): Promise<void> {
    this.hosted.delete(id);
    try {
      if (how === "ended") await this.store.remove(id);
      else if (how === "handOver") await this.store.release(id);
    } catch (err) {
      this.log.error("could not update a departed battle", { battle: id, how, error: (err as Error).message });
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.beatTimer);
    const r = this.redis?.redis;
    if (r?.status === "ready") {
      await r.multi().del(hbKey(this.token)).srem(DRAINING, this.token).exec().catch(() => undefined);
    }
    await this.store.close();
  }
}
