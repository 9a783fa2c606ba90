// One table of the load run: a GM and its players playing battle after battle. When a battle
// ends the GM opens a new one and the players follow, so load never drains. The GM loop and the
// player loops are independent and meet through the `Group`, so the same code serves the
// headless runner (all loops in one process) and the @colyseus/loadtest scenario (one loop per
// "client" it starts). With `decodeSample` < 1 some tables' players are frame-level bots
// (./decode-sample.ts): they read their GM's decoded state.
import { Client, type Room } from "@colyseus/sdk";
import { ALL_ROLES } from "../../harness/battles";
import { playUntilEnd, think } from "../../harness/play";
import { BattleRun, BotClient } from "./bot-client";
import { decodesEveryClient } from "./decode-sample";
import { FrameLevelClient } from "./frame-level-client";
import type { Gate } from "./gate";
import type { Metrics } from "./metrics";
import { shipsFor, type BattlePlan } from "./plan";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
  /** A client for the next connection (e.g. through the next server process); `frameLevel`: a FrameLevelClient. */
  sdk?: (frameLevel: boolean) => Client;
  /** Fraction of tables whose every client decodes the state (default 1); in the others only the GM does. */
  decodeSample?: number;
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
  /** Every client of this table decodes the state; otherwise only the GM, and the players are frame-level. */
  readonly decodes: boolean;
  constructor(readonly index: number, readonly ctx: GroupContext) {
    this.decodes = decodesEveryClient(index, ctx.decodeSample ?? 1);
  }

  /** Wakes loops waiting for a battle (used at stop). */
  wake() {
    this.waiters.splice(0).forEach((w) => w());
  }

  async nextBattle(afterGen: number): Promise<BattleRun | undefined> {
    while (!this.ctx.stopped() && !this.finished) {
      if (this.current && this.current.gen > afterGen) return this.current;
      // woken by the next battle or the stop; the stop flag is checked once a second too
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 1000);
        function done() { clearTimeout(timer); resolve(); }
        this.waiters.push(done);
      });
    }
    return undefined;
  }

  private sdk(frameLevel = false): Client {
    if (this.ctx.sdk) return this.ctx.sdk(frameLevel);
    return frameLevel ? new FrameLevelClient(this.ctx.endpoint) : new Client(this.ctx.endpoint);
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
      run.reader = gm;
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
          await playUntilEnd(gm, plan, this.ctx.stopped, { gm: true, oneVsOne, onEndedByGm: () => { metrics.battles.endedByGm++; } });
          metrics.battles.active--;
          if (gm.state?.phase === "ended") metrics.battles.ended++;
        }
      }
      await gm.drained(5000);
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
      // (the GM's client is published with the battle: a player never joins before it)
      const reader = this.decodes ? undefined : run.reader;
      metrics.joins.attempted++;
      let room: Room<any, any>;
      try {
        room = await gate.run(() => this.sdk(!!reader).joinById(run.roomId, { name: `Player ${this.index}.${k}`, shipId: `p${k}`, positions: ALL_ROLES }));
      } catch (err) {
        metrics.joins.failed++;
        metrics.count(metrics.joinFailures, `join: ${shortError(err)}`);
        run.settleJoin(false);
        if (first) { first = false; onFirstJoin?.(false); }
        continue;
      }
      metrics.joins.ok++;
      const bot = new BotClient(room, `p${this.index}_${k}`, metrics, run, reader);
      this.bots.add(bot);
      const seat = await bot.seated();
      run.settleJoin(!!seat);
      if (first) { first = false; onFirstJoin?.(!!seat); }
      if (seat) await playUntilEnd(bot, plan, this.ctx.stopped, { gm: false, shipId: seat.shipId });
      await bot.drained(5000);
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
