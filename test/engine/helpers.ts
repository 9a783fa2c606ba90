// Shared fixtures for engine tests.
import { apply, applyWithHistory, createBattle, createHistory, type ReplayStep, type StepList } from "../../src/engine";
import type { Actor, ApplyResult, BattleSetup, Command } from "../../src/engine/types";
import { createDice, type Dice } from "../../src/rules/dice";
import type { Battle, Role } from "../../src/rules/model";

export const GM: Actor = { kind: "gm" };
export const SYSTEM: Actor = { kind: "system" };
export const ALL_ROLES: Role[] = ["pilot", "gunner", "engineer", "captain", "sensors"];
export const crew = (shipId: string, roles: Role[] = ALL_ROLES): Actor => ({ kind: "crew", shipId, roles });

export function setup2v2(ruleset: "ce" | "mgt2e" = "ce", startingRange: BattleSetup["startingRange"] = "short"): BattleSetup {
  return {
    ruleset, startingRange,
    ships: [
      { side: "players", name: "Beowulf", className: "freeTrader" },
      { side: "players", name: "Kestrel", className: "scout" },
      { side: "npc", name: "Raider", className: "corsair" },
      { side: "npc", name: "Wasp", className: "fighter" },
    ],
  };
}

/** The actor allowed to command ship `id` with every position. */
export const actorFor = (battle: Battle, id: string): Actor => (battle.ships[id]!.side === "npc" ? GM : crew(id));

export function must(r: ApplyResult): Extract<ApplyResult, { ok: true }> {
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.message}`);
  return r;
}

export function started(setup: BattleSetup, dice: Dice): Battle {
  const b = createBattle(setup);
  must(apply(b, GM, { type: "start" }, dice));
  return b;
}

export function act(b: Battle, cmd: Command & { shipId: string }, dice: Dice): ApplyResult {
  return apply(b, actorFor(b, cmd.shipId), cmd, dice);
}

export const clone = <T>(x: T): T => structuredClone(x);

/** Where a live table keeps its accepted commands: an array, or the host's packed tape (src/battle/command-tape.ts). */
export type CommandLog = StepList & { push(step: ReplayStep): void };

/** A live battle as a room holds it: battle, dice, history and the log of accepted commands that the history reads (its undo replays it). */
export function liveTable<L extends CommandLog = ReplayStep[]>(setup: BattleSetup, seed: number, log: L = [] as unknown as L) {
  const battle = createBattle(setup);
  const dice = createDice(seed);
  const history = createHistory(setup, seed, log);
  const send = (actor: Actor, cmd: Command): ApplyResult => {
    const r = applyWithHistory(battle, history, actor, cmd, dice);
    if (r.ok) log.push({ actor, cmd });
    return r;
  };
  return { battle, dice, history, log, send };
}
