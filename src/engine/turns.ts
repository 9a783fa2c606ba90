// Rounds and turns: initiative at round start, turn advance, end of round, end conditions.
import { rollInitiative, initiativeOrder } from "../rules/initiative";
import { effectiveThrust } from "../rules/pilot";
import { reactionsFromInitiative } from "../rules/reactions";
import type { Dice } from "../rules/dice";
import type { Battle, LogEntry, Side } from "../rules/model";
import { isAlive, otherSide, shipsOf } from "./battle";
import { emit } from "./log";
import { resolveMissiles } from "./missile-resolution";

export function startRound(battle: Battle, dice: Dice, events: LogEntry[]): void {
  battle.round += 1;
  emit(battle, events, { actor: "system", action: "round", dice: [], modifiers: [], result: `Round ${battle.round} begins` });
  const entries: { id: string; initiative: number; thrust: number }[] = [];
  for (const ship of Object.values(battle.ships)) {
    ship.evasive = 0;
    ship.dodgeReady = false;
    ship.actedThisTurn = [];
    ship.reactionsLeft = 0;
    for (const t of ship.turrets) t.ready = "none";
    if (!isAlive(ship)) continue;
    const enemies = shipsOf(battle, otherSide(ship.side)).filter(isAlive);
    const thrust = effectiveThrust(ship.thrust, ship.systems.mDrive);
    const roll = rollInitiative(dice, {
      ruleset: battle.ruleset, pilot: ship.skills.pilot, thrust,
      fastestEnemyThrust: Math.max(0, ...enemies.map((e) => effectiveThrust(e.thrust, e.systems.mDrive))),
      tacticsBonus: ship.tacticsBonus ?? 0,
    });
    ship.tacticsBonus = 0;
    ship.initiative = roll.total;
    ship.reactionsLeft = reactionsFromInitiative(roll.total);
    entries.push({ id: ship.id, initiative: roll.total, thrust });
    emit(battle, events, {
      actor: ship.id, action: "initiative", dice: roll.dice, modifiers: roll.modifiers, total: roll.total,
      result: `Initiative ${roll.total}: ${ship.reactionsLeft} reaction${ship.reactionsLeft === 1 ? "" : "s"}`,
    });
  }
  battle.order = initiativeOrder(entries);
  battle.turnIndex = 0;
  emit(battle, events, { actor: "system", action: "order", dice: [], modifiers: [], result: `Order: ${battle.order.join(", ")}` });
}

/** Ends the battle when a side has no ship left in it. Returns true if it ended. */
export function checkEnd(battle: Battle, events: LogEntry[]): boolean {
  if (battle.phase !== "combat") return battle.phase === "ended";
  const out = (side: Side) => !shipsOf(battle, side).some(isAlive);
  const playersOut = out("players");
  const npcOut = out("npc");
  if (!playersOut && !npcOut) return false;
  const loser: Side | null = playersOut && npcOut ? null : playersOut ? "players" : "npc";
  const lostShips = loser ? shipsOf(battle, loser) : Object.values(battle.ships);
  const reason = lostShips.some((s) => s.destroyed) ? "destroyed" : "escape";
  battle.phase = "ended";
  battle.result = { winner: loser ? otherSide(loser) : "draw", reason };
  emit(battle, events, {
    actor: "system", action: "battleEnds", dice: [], modifiers: [],
    result: loser ? `${otherSide(loser) === "players" ? "Players" : "NPCs"} win: the other side is ${reason === "destroyed" ? "destroyed" : "gone"}` : "Draw: no ship left on either side",
  });
  return true;
}

/** Moves to the next ship still in the battle; after the last one, ends the round. */
export function advanceTurn(battle: Battle, dice: Dice, events: LogEntry[]): void {
  if (battle.phase !== "combat") return;
  let i = battle.turnIndex + 1;
  while (i < battle.order.length && !isAlive(battle.ships[battle.order[i]!]!)) i++;
  if (i < battle.order.length) {
    battle.turnIndex = i;
    return;
  }
  endRound(battle, dice, events);
}

/** End of round: missiles due this round arrive (every round), then end check, then a new round. */
export function endRound(battle: Battle, dice: Dice, events: LogEntry[]): void {
  resolveMissiles(battle, dice, events);
  if (checkEnd(battle, events)) return;
  startRound(battle, dice, events);
  // A round whose every ship left mid-round cannot happen: checkEnd would have ended the battle.
}
