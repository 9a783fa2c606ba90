// Bots that play a battle the way people do: a GM opens it and acts for every NPC ship, each
// player takes one ship with every position and, on that ship's turn, fires every turret at
// the first enemy still fighting and ends the turn, pausing a "think time" before each command.
// When a battle ends the GM opens a new one and the players follow, so load never drains.
//
// One `Group` is one table (GM + players) that plays battle after battle. The GM loop and the
// player loops are independent and meet through the group, so the same code serves the
// headless runner (all loops in one process) and the @colyseus/loadtest scenario (one loop
// per "client" it starts).
import { Client, type Room } from "@colyseus/sdk";
import { legalBattleOf, turnStamp, type AckReply, type ErrorReply, type SeatReply } from "../../src/commands";
import { payloadOf, volley } from "./volley";
import type { Metrics } from "./metrics";

export const ALL_ROLES = ["pilot", "gunner", "engineer", "captain", "sensors"];

export interface BattlePlan {
  /** Seated players per battle (one ship each, every position). */
  players: number;
  /** NPC ships per battle (0 = 1v1 mode, see `shipsFor`). */
  npc: number;
  ruleset: "ce" | "mgt2e";
  playerClasses: string[];
  npcClasses: string[];
  startingRange: string;
  turnTimeoutSec: number;
  /** Mean pause before each command (uniform in [0.5, 1.5] x this). */
  thinkMs: number;
  /** The GM ends a battle still running after this many rounds (as a draw) and opens the next. */
  maxRounds: number;
  /** A command with no reply after this long counts as timed out (it may still be answered later). */
  replyTimeoutMs: number;
}

export const DEFAULT_PLAN: BattlePlan = {
  players: 5, npc: 10, ruleset: "ce",
  playerClasses: ["patrolCorvette"], npcClasses: ["fighter", "fighter", "corsair"],
  startingRange: "short", turnTimeoutSec: 30, thinkMs: 250, maxRounds: 40, replyTimeoutMs: 10_000,
};

/**
 * Ships of one battle and who plays them. Normal mode: `players` player ships (p1..pN), one
 * player each, and `npc` NPC ships acted by the GM. 1v1 mode (`npc` = 0, `players` = 2): the
 * server needs at least one ship per side and only the GM may act for NPC ships, so the battle
 * is one player ship (p1, one player) against one NPC ship of the same class acted by the GM,
 * who is the second player. Two connections, both fire every turn.
 */
export function shipsFor(plan: BattlePlan): { ships: Record<string, unknown>[]; seatedPlayers: number; oneVsOne: boolean } {
  const oneVsOne = plan.npc === 0;
  const playerShips = oneVsOne ? 1 : plan.players;
  const npcShips = oneVsOne ? 1 : plan.npc;
  const ships: Record<string, unknown>[] = [];
  for (let i = 0; i < playerShips; i++) {
    ships.push({ side: "players", name: `Hero ${i + 1}`, className: plan.playerClasses[i % plan.playerClasses.length] });
  }
  for (let i = 0; i < npcShips; i++) {
    const className = oneVsOne ? plan.playerClasses[0] : plan.npcClasses[i % plan.npcClasses.length];
    ships.push({ side: "npc", name: `Raider ${i + 1}`, className });
  }
  return { ships, seatedPlayers: playerShips, oneVsOne };
}

export function validatePlan(plan: BattlePlan): string | undefined {
  if (plan.npc === 0) return plan.players === 2 ? undefined : "--npc 0 is the 1v1 mode and needs --players 2";
  if (plan.players < 1 || plan.players > 5) return "--players must be 1..5 (at most 5 player ships per battle)";
  if (plan.npc < 1 || plan.npc > 10) return "--npc must be 0 (1v1) or 1..10";
  return undefined;
}

let cidCounter = 0;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const think = (ms: number) => sleep(ms <= 0 ? 0 : ms * (0.5 + Math.random()));

export type Reply = { kind: "ack"; ack: AckReply } | { kind: "error"; error: ErrorReply } | { kind: "timeout" };

/** One battle of a group: the clients in it, for fanning out latency measurements. */
export class BattleRun {
  clients = new Set<BotClient>();
  joinsSettled = 0;
  joinsOk = 0;
  private settleWaiters: (() => void)[] = [];
  constructor(readonly gen: number, readonly roomId: string) {}
  settleJoin(ok: boolean) {
    this.joinsSettled++;
    if (ok) this.joinsOk++;
    this.settleWaiters.splice(0).forEach((w) => w());
  }
  async waitJoins(expected: number, timeoutMs: number, stopped: () => boolean) {
    const deadline = Date.now() + timeoutMs;
    while (this.joinsSettled < expected && Date.now() < deadline && !stopped()) {
      await Promise.race([new Promise<void>((r) => this.settleWaiters.push(r)), sleep(250)]);
    }
  }
}

/** One SDK room connection with command bookkeeping, version tracking and byte counting. */
export class BotClient {
  seat?: SeatReply;
  version = 0;
  /** Counts decoded state changes. */
  changes = 0;
  left = false;
  /** We asked to leave: the close that follows is not an error. */
  leaving = false;
  private history: { v: number; t: number }[] = [];
  private pendingVersions: { v: number; sentAt: number }[] = [];
  private waiting = new Map<string, (r: Reply) => void>();
  private seatWaiters: ((s: SeatReply) => void)[] = [];
  private stateWaiters = new Set<() => void>();
  private ownCids = new Set<string>();

  constructor(readonly room: Room<any, any>, readonly label: string, readonly metrics: Metrics, readonly run: BattleRun) {
    metrics.clients++;
    run.clients.add(this);
    room.onMessage("seat", (s: SeatReply) => {
      this.seat = s;
      this.seatWaiters.splice(0).forEach((w) => w(s));
    });
    room.onMessage("ack", (a: AckReply) => this.onReply(a.cid, { kind: "ack", ack: a }));
    room.onMessage("error", (e: ErrorReply) => {
      if (e.cid) this.onReply(e.cid, { kind: "error", error: e });
      else metrics.count(metrics.otherErrors, `error:${e.code}`);
    });
    room.onStateChange((state: any) => {
      const v = state?.version ?? 0;
      this.changes++;
      if (v > this.version) this.onVersion(v);
      this.stateWaiters.forEach((w) => w());
    });
    room.onDrop(() => { metrics.drops++; });
    room.onReconnect?.(() => { metrics.reconnects++; });
    room.onError((code: number) => metrics.count(metrics.otherErrors, `roomError:${code}`));
    room.onLeave((code: number) => {
      this.left = true;
      metrics.clients--;
      run.clients.delete(this);
      this.pendingVersions = [];
      if (!this.leaving) metrics.count(metrics.disconnects, String(code));
      this.stateWaiters.forEach((w) => w());
      for (const [cid, resolve] of this.waiting) { this.waiting.delete(cid); resolve({ kind: "timeout" }); }
    });
    countBytes(room, metrics);
  }

  get state(): any {
    return this.room.state;
  }

  seated(timeoutMs = 10_000): Promise<SeatReply | undefined> {
    if (this.seat) return Promise.resolve(this.seat);
    return Promise.race([new Promise<SeatReply>((r) => this.seatWaiters.push(r)), sleep(timeoutMs).then(() => undefined)]);
  }

  /** Resolves when the predicate holds on the decoded state, the client left, or time is up. */
  async until(pred: (s: any) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.left) {
      if (this.state && pred(this.state)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = () => { this.stateWaiters.delete(done); clearTimeout(timer); resolve(); };
        const timer = setTimeout(done, Math.min(left, 1000));
        this.stateWaiters.add(done);
      });
    }
    return false;
  }

  /** Resolves after the next state change past `seen` (see `changes`), a leave, or the timeout. */
  async nextChange(seen: number, timeoutMs: number): Promise<void> {
    if (this.changes > seen || this.left) return;
    await new Promise<void>((resolve) => {
      const done = () => { this.stateWaiters.delete(done); clearTimeout(timer); resolve(); };
      const timer = setTimeout(done, timeoutMs);
      this.stateWaiters.add(done);
    });
  }

  /** Sends a command with a fresh cid; resolves with its reply, or `timeout`. */
  command(type: string, payload: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    if (this.left) return Promise.resolve({ kind: "timeout" });
    const cid = `${this.label}.${++cidCounter}`;
    const sentAt = performance.now();
    this.metrics.cmds.sent++;
    this.metrics.outstanding.set(cid, { sentAt, type });
    this.ownCids.add(cid);
    const reply = new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiting.delete(cid)) { this.metrics.cmds.timedOut++; resolve({ kind: "timeout" }); }
      }, timeoutMs);
      this.waiting.set(cid, (r) => { clearTimeout(timer); resolve(r); });
    });
    this.room.send(type, { ...payload, cid });
    return reply;
  }

  /** Number of our commands still unanswered. */
  get unanswered(): number {
    return this.ownCids.size;
  }

  async leave(): Promise<void> {
    if (this.left) return;
    this.leaving = true;
    await Promise.race([this.room.leave(true).catch(() => undefined), sleep(5000)]);
  }

  private onReply(cid: string, reply: Reply) {
    const m = this.metrics;
    const out = m.outstanding.get(cid);
    if (!out) { m.count(m.otherErrors, "unmatchedReply"); return; }
    m.outstanding.delete(cid);
    this.ownCids.delete(cid);
    const now = performance.now();
    if (reply.kind === "ack") {
      m.cmds.acked++;
      if (!m.frozen) m.ackRtt.record(now - out.sentAt);
      for (const c of this.run.clients) c.observe(reply.ack.version, out.sentAt);
    } else if (reply.kind === "error") {
      m.cmds.refused++;
      m.count(m.refusedByCode, reply.error.code);
    }
    const w = this.waiting.get(cid);
    if (w) { this.waiting.delete(cid); w(reply); } else m.cmds.lateReplies++;
    this.stateWaiters.forEach((fn) => fn());
  }

  /** Records latency once this client's decoded state reaches version `v`. */
  private observe(v: number, sentAt: number) {
    if (this.version >= v) {
      let t: number | undefined;
      for (const h of this.history) if (h.v >= v) { t = h.t; break; }
      this.metrics.recordLatency(Math.max(0, (t ?? this.history[0]?.t ?? performance.now()) - sentAt));
    } else {
      this.pendingVersions.push({ v, sentAt });
    }
  }

  private onVersion(v: number) {
    const now = performance.now();
    this.version = v;
    this.history.push({ v, t: now });
    if (this.history.length > 256) this.history.splice(0, this.history.length - 256);
    if (this.pendingVersions.length) {
      const keep: { v: number; sentAt: number }[] = [];
      for (const p of this.pendingVersions) {
        if (p.v <= v) this.metrics.recordLatency(now - p.sentAt);
        else keep.push(p);
      }
      this.pendingVersions = keep;
    }
  }
}

/** Counts WebSocket bytes at the SDK connection (survives reconnection: the events object is kept). */
function countBytes(room: Room<any, any>, metrics: Metrics) {
  const conn = (room as any).connection;
  if (!conn) return;
  const events = conn.events;
  const onmessage = events?.onmessage;
  if (events && typeof onmessage === "function") {
    events.onmessage = (ev: { data: ArrayBuffer | Uint8Array | string }) => {
      const d = ev.data as any;
      metrics.bytesIn += typeof d === "string" ? Buffer.byteLength(d) : (d?.byteLength ?? 0);
      metrics.messagesIn++;
      onmessage.call(events, ev);
    };
  }
  const send = conn.send?.bind(conn);
  if (send) {
    conn.send = (data: Uint8Array) => {
      metrics.bytesOut += data?.byteLength ?? 0;
      send(data);
    };
  }
}

/** Limits concurrent joins so a thousand tables ramp up instead of stampeding. */
export class Gate {
  private active = 0;
  private queue: (() => void)[] = [];
  constructor(private limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

export interface GroupContext {
  endpoint: string;
  plan: BattlePlan;
  metrics: Metrics;
  gate: Gate;
  /** True once the run stops issuing commands and opening battles. */
  stopped: () => boolean;
  /** After the stop, loops wait for this before leaving, so the leave storm does not delay the
   *  replies still in flight (which the grace period is measuring). */
  leaveAllowed?: Promise<void>;
  sdk?: () => Client;
  /** The GM opens this many battles and then stops (its players stop with it); unset: until stopped. */
  battlesPerTable?: number;
}

/** One table: a GM and its players playing battle after battle. */
export class Group {
  current?: BattleRun;
  private gen = 0;
  /** Set when the GM opened its last battle (`battlesPerTable`) and left it. */
  private finished = false;
  private waiters: (() => void)[] = [];
  readonly bots = new Set<BotClient>();
  constructor(readonly index: number, readonly ctx: GroupContext) {}

  /** Wakes loops waiting for a battle (used at stop). */
  wake() {
    this.waiters.splice(0).forEach((w) => w());
  }

  async nextBattle(afterGen: number): Promise<BattleRun | undefined> {
    while (!this.ctx.stopped() && !this.finished) {
      if (this.current && this.current.gen > afterGen) return this.current;
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), sleep(1000)]);
    }
    return undefined;
  }

  private sdk(): Client {
    return this.ctx.sdk ? this.ctx.sdk() : new Client(this.ctx.endpoint);
  }

  /** The GM: opens a battle, waits for its players, starts it, acts for NPC ships, repeats. */
  async gmLoop(onFirstJoin?: (ok: boolean) => void): Promise<void> {
    const { plan, metrics, gate } = this.ctx;
    const { ships, seatedPlayers, oneVsOne } = shipsFor(plan);
    let first = true;
    let battleNo = 0;
    const quota = this.ctx.battlesPerTable ?? Infinity;
    while (!this.ctx.stopped() && battleNo < quota) {
      battleNo++;
      metrics.joins.attempted++;
      let room: Room<any, any>;
      try {
        room = await gate.run(() => this.sdk().create("battle", {
          name: `Load ${this.index}.${battleNo}`, ruleset: plan.ruleset, startingRange: plan.startingRange,
          turnTimeoutSec: plan.turnTimeoutSec, ships, gmName: `GM ${this.index}`,
        }));
      } catch (err) {
        metrics.joins.failed++;
        metrics.count(metrics.joinFailures, `create: ${shortError(err)}`);
        if (first) { first = false; onFirstJoin?.(false); }
        await sleep(1000);
        continue;
      }
      metrics.joins.ok++;
      metrics.battles.created++;
      const run = this.publishLater(room.roomId);
      const gm = new BotClient(room, `g${this.index}`, metrics, run);
      this.bots.add(gm);
      const seat = await gm.seated();
      if (first) { first = false; onFirstJoin?.(!!seat); }
      if (!seat) { metrics.count(metrics.otherErrors, "noSeatReply"); await gm.leave(); this.bots.delete(gm); continue; }
      this.publishNow(run);

      await run.waitJoins(seatedPlayers, 30_000, this.ctx.stopped);
      await gm.until((s) => s.crew.size >= 1 + run.joinsOk, 5000);
      if (!this.ctx.stopped()) {
        await think(plan.thinkMs);
        const start = await gm.command("gm:start", {}, plan.replyTimeoutMs);
        if (start.kind === "ack") {
          metrics.battles.started++;
          metrics.battles.active++;
          await playUntilEnd(gm, plan, this.ctx.stopped, { gm: true, oneVsOne });
          metrics.battles.active--;
          if (gm.state?.phase === "ended") metrics.battles.ended++;
        }
      }
      await gm.until(() => gm.unanswered === 0, 5000);
      if (this.ctx.stopped()) await this.ctx.leaveAllowed;
      await gm.leave();
      this.bots.delete(gm);
    }
    this.finished = true;
    this.wake();
  }

  private publishLater(roomId: string): BattleRun {
    return new BattleRun(this.gen + 1, roomId);
  }
  private publishNow(run: BattleRun) {
    this.gen = run.gen;
    this.current = run;
    this.waiters.splice(0).forEach((w) => w());
  }

  /** Player `k` (1-based) takes ship p<k> in each battle of the group. */
  async playerLoop(k: number, onFirstJoin?: (ok: boolean) => void): Promise<void> {
    const { plan, metrics, gate } = this.ctx;
    let lastGen = 0;
    let first = true;
    while (!this.ctx.stopped()) {
      const run = await this.nextBattle(lastGen);
      if (!run) break;
      lastGen = run.gen;
      metrics.joins.attempted++;
      let room: Room<any, any>;
      try {
        room = await gate.run(() => this.sdk().joinById(run.roomId, { name: `Player ${this.index}.${k}`, shipId: `p${k}`, positions: ALL_ROLES }));
      } catch (err) {
        metrics.joins.failed++;
        metrics.count(metrics.joinFailures, `join: ${shortError(err)}`);
        run.settleJoin(false);
        if (first) { first = false; onFirstJoin?.(false); }
        continue;
      }
      metrics.joins.ok++;
      const bot = new BotClient(room, `p${this.index}_${k}`, metrics, run);
      this.bots.add(bot);
      const seat = await bot.seated();
      run.settleJoin(!!seat);
      if (first) { first = false; onFirstJoin?.(!!seat); }
      if (seat) await playUntilEnd(bot, plan, this.ctx.stopped, { gm: false, shipId: seat.shipId });
      await bot.until(() => bot.unanswered === 0, 5000);
      if (this.ctx.stopped()) await this.ctx.leaveAllowed;
      await bot.leave();
      this.bots.delete(bot);
    }
  }

  /** Leaves every room still open (end of run). */
  async leaveAll(): Promise<void> {
    this.wake();
    await Promise.all([...this.bots].map((b) => b.leave()));
  }
}

function shortError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/[0-9a-zA-Z_-]{9,}/g, "…").slice(0, 80) || "unknown";
}

/**
 * Plays this client's ship(s) until the battle ends, the client leaves or the run stops.
 * The GM plays every NPC ship; it also ends a battle that runs past `maxRounds` as a draw.
 */
export async function playUntilEnd(bot: BotClient, plan: BattlePlan, stopped: () => boolean, who: { gm: boolean; shipId?: string; oneVsOne?: boolean }): Promise<void> {
  let lastStamp = -1;
  let endRequested = false;
  while (!bot.left && !stopped()) {
    const seen = bot.changes;
    const s = bot.state;
    if (!s || s.phase === "ended") break;
    if (s.phase === "combat") {
      if (who.gm && !endRequested && s.round > plan.maxRounds) {
        endRequested = true;
        await think(plan.thinkMs);
        const r = await bot.command("gm:end", { winner: "draw", reason: "gm" }, plan.replyTimeoutMs);
        if (r.kind === "ack") bot.metrics.battles.endedByGm++;
        continue;
      }
      const active = s.ships.get(s.activeShipId);
      const stamp = turnStamp(s);
      const mine = active && (who.gm ? active.side === "npc" : active.id === who.shipId);
      if (mine && stamp !== lastStamp) {
        lastStamp = stamp;
        await playTurn(bot, active.id, who.gm, plan, stopped);
        continue;
      }
    }
    // wait for the next state change (or a second, to re-check the stop flag)
    await bot.nextChange(seen, 1000);
  }
}

/** One turn: fire every weapon that may fire at the first enemy it may hit, then end the turn. */
async function playTurn(bot: BotClient, shipId: string, viaGm: boolean, plan: BattlePlan, stopped: () => boolean): Promise<void> {
  const s = bot.state;
  const ship = s.ships.get(shipId);
  if (!ship) return;
  const v = turnStamp(s);
  const send = (type: string, payload: Record<string, unknown>) =>
    viaGm
      ? bot.command("gm:act", { shipId, v, command: { type, ...payload } }, plan.replyTimeoutMs)
      : bot.command(`space:${type}`, { ...payload, v }, plan.replyTimeoutMs);
  const tried = new Set<string>();
  for (;;) {
    if (stopped() || bot.left) return;
    // planned anew after each reply: the state patch arrives before the ack
    const shot = volley(legalBattleOf(bot.state), shipId).find((c) => !tried.has(c.turretId));
    if (!shot) break;
    tried.add(shot.turretId);
    await think(plan.thinkMs);
    if (stopped() || bot.left) return;
    const r = await send(shot.type, payloadOf(shot));
    // the turn moved on (timeout) or the battle ended: stop this turn
    if (r.kind === "error" && ["stale", "notYourTurn", "wrongPhase"].includes(r.error.code)) return;
    if (r.kind === "timeout") return;
  }
  if (stopped() || bot.left) return;
  await think(plan.thinkMs);
  if (stopped() || bot.left) return;
  await send("endTurn", {});
}

