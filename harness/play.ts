// Scripted play, for tests, benchmarks and load bots: on its ship's turn a crew fires every
// turret that may fire at the first enemy it may hit (./volley.ts), then ends the turn; the GM does the same for every NPC
// ship. Tests play at machine speed (`playTurn`, `autoPlay`); load bots play like people, with a
// think time before each command (`playUntilEnd`, `playThinkingTurn`).
import type { SeatClient } from "./seat-client";
import { legalBattleOf, turnStamp, type Reply } from "../src/commands";
import { payloadOf, volley } from "./volley";
import { legalViewOf } from "./legal-view";

/** What a bot that plays at a person's pace needs of its connection (loadtest/lib/bot-client.ts). */
export interface PacedPlayer {
  readonly state: any;
  readonly left: boolean;
  /** Decoded state changes seen so far. */
  readonly changes: number;
  command(type: string, payload: Record<string, unknown>, timeoutMs: number): Promise<Reply>;
  nextChange(seen: number, timeoutMs: number): Promise<void>;
}

/** The pace of play: think time, reply deadline, and the round after which the GM calls a draw. */
export interface Pace {
  /** Mean pause before each command (uniform in [0.5, 1.5] x this). */
  thinkMs: number;
  maxRounds: number;
  replyTimeoutMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const think = (ms: number) => sleep(ms <= 0 ? 0 : ms * (0.5 + Math.random()));

export function firstEnemy(state: any, side: string): string | undefined {
  for (const ship of state.ships.values()) if (ship.side !== side && !ship.destroyed && !ship.escaped) return ship.id;
  return undefined;
}

/**
 * Plays one turn for `shipId` (a player's own commands, or gm:act for the GM). `pipelined` sends
 * every command at once and then awaits the replies: one round trip per turn on a slow link.
 */
export async function playTurn(client: SeatClient, shipId: string, viaGm: boolean, pipelined = false): Promise<void> {
  const v = turnStamp(client.state);
  const send = (type: string, payload: Record<string, unknown>) =>
    viaGm ? client.command("gm:act", { shipId, v, command: { type, ...payload } }) : client.command(`space:${type}`, { ...payload, v });
  const pending: Promise<unknown>[] = [];
  if (pipelined) {
    for (const shot of volley(legalBattleOf(client.state), shipId)) pending.push(send(shot.type, payloadOf(shot)));
  } else {
    // planned anew after each reply: the state patch arrives before the ack
    const tried = new Set<string>();
    for (;;) {
      const shot = volley(legalBattleOf(client.state), shipId).find((c) => !tried.has(c.turretId));
      if (!shot) break;
      tried.add(shot.turretId);
      await send(shot.type, payloadOf(shot));
    }
  }
  pending.push(send("endTurn", {}));
  await Promise.all(pending);
}

/** Keeps a client playing its ship(s) until the battle ends. Returns a stop function. */
export function autoPlay(client: SeatClient, opts: { gm: boolean; shipId?: string; pipelined?: boolean }): () => void {
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    const s = client.state;
    if (!s || s.phase !== "combat") return;
    const active = s.ships.get(s.activeShipId);
    if (!active) return;
    const mine = opts.gm ? active.side === "npc" : active.id === opts.shipId;
    if (!mine) return;
    busy = true;
    try {
      await playTurn(client, active.id, opts.gm, opts.pipelined);
    } catch {
      // a reply lost to a closing room; the next state change retries
    } finally {
      busy = false;
      setImmediate(tick);
    }
  };
  client.room.onStateChange(() => void tick());
  void tick();
  return () => { stopped = true; };
}

/**
 * Plays this client's ship(s) until the battle ends, the client leaves or the run stops.
 * The GM plays every NPC ship; it also ends a battle that runs past `maxRounds` as a draw.
 */
export async function playUntilEnd(bot: PacedPlayer, plan: Pace, stopped: () => boolean, who: { gm: boolean; shipId?: string; oneVsOne?: boolean; onEndedByGm?: () => void }): Promise<void> {
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
        if (r.kind === "ack") who.onEndedByGm?.();
        continue;
      }
      const active = s.ships.get(s.activeShipId);
      const stamp = turnStamp(s);
      const mine = active && (who.gm ? active.side === "npc" : active.id === who.shipId);
      if (mine && stamp !== lastStamp) {
        lastStamp = stamp;
        await playThinkingTurn(bot, active.id, who.gm, plan, stopped);
        continue;
      }
    }
    // wait for the next state change (or a second, to re-check the stop flag)
    await bot.nextChange(seen, 1000);
  }
}

/**
 * One turn as a person plays it: a think time before each command; every weapon that may fire at
 * the first enemy it may hit (./volley.ts), then end the turn; stops as soon as the turn moved on.
 */
export async function playThinkingTurn(bot: PacedPlayer, shipId: string, viaGm: boolean, plan: Pace, stopped: () => boolean): Promise<void> {
  const s = bot.state;
  if (!s.ships.get(shipId)) return;
  const v = turnStamp(s);
  const send = (type: string, payload: Record<string, unknown>) =>
    viaGm
      ? bot.command("gm:act", { shipId, v, command: { type, ...payload } }, plan.replyTimeoutMs)
      : bot.command(`space:${type}`, { ...payload, v }, plan.replyTimeoutMs);
  const tried = new Set<string>();
  for (;;) {
    if (stopped() || bot.left) return;
    // planned anew after each reply: the state patch arrives before the ack (legalViewOf: the same
    // data as legalBattleOf, cheaper, since a load run plans a shot for every command it sends)
    const shot = volley(legalViewOf(bot.state), shipId).find((c) => !tried.has(c.turretId));
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
