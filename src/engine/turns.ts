// Rounds and turns: initiative at round start, turn advance, end of round, end conditions.
import { rollInitiative, initiativeOrder, type InitiativeResult } from "../rules/initiative";
import { effectiveThrust } from "../rules/pilot";
import { reactionsFromInitiative } from "../rules/reactions";
import { battleRules, type RulesetOptions } from "../rules/ruleset";
import type { Dice } from "../rules/dice";
import type { Battle, LogEntry, Ship, Side } from "../rules/model";
import { isAlive, otherSide, shipsOf } from "./battle";
import { emit } from "./log";
import { resolveMissiles } from "./missile-resolution";

export function startRound(battle: Battle, dice: Dice, events: LogEntry[]): void {
  battle.round += 1;
  emit(battle, events, { actor: "system", action: "round", dice: [], modifiers: [], result: `Round ${battle.round} begins` });
  const rules = battleRules(battle.ruleset, battle.houseRules);
  const entries: { id: string; initiative: number; thrust: number }[] = [];
  for (const ship of Object.values(battle.ships)) {
    ship.evasive = 0;
    ship.dodgeReady = false;
    ship.actedThisTurn = [];
    ship.reactionsLeft = 0;
    for (const t of ship.turrets) t.ready = "none";
    // SRD Sensor Targeting: the DM is for "this turn" only.
    if (rules.sensorLockLasts === "round") {
      ship.lockedOn = [];
      ship.lockDM = {};
    }
    if (!isAlive(ship)) continue;
    const thrust = effectiveThrust(ship.thrust, ship.systems.mDrive);
    roundInitiative(battle, dice, events, rules, ship, thrust);
    entries.push({ id: ship.id, initiative: ship.initiative, thrust });
  }
  battle.order = initiativeOrder(entries);
  battle.turnIndex = 0;
  emit(battle, events, { actor: "system", action: "order", dice: [], modifiers: [], result: `Order: ${battle.order.join(", ")}` });
}

/**
 * Sets a ship's initiative and reactions for the round starting now. Every round (2e style, house
 * rule `rerollInitiative`): a new roll with the captain's bonus in it. Once per battle (SRD): rolled
 * the first round the ship fights, then kept; the captain's bonus counts for this round only.
 * Logged when rolled and whenever the score differs from last round's.
 */
function roundInitiative(battle: Battle, dice: Dice, events: LogEntry[], rules: RulesetOptions, ship: Ship, thrust: number): void {
  const before = ship.initiative;
  const bonus = ship.initiativeBonus ?? 0;
  ship.initiativeBonus = 0;
  const roll = (withBonus: number): InitiativeResult => rollInitiative(dice, {
    rules, pilot: ship.skills.pilot, thrust, bonus: withBonus,
    fastestEnemyThrust: Math.max(0, ...shipsOf(battle, otherSide(ship.side)).filter(isAlive).map((e) => effectiveThrust(e.thrust, e.systems.mDrive))),
  });
  let rolled: InitiativeResult | null = null;
  if (rules.initiative === "everyRound") {
    rolled = roll(bonus);
    ship.initiative = rolled.total;
  } else {
    if (ship.baseInitiative === undefined) {
      rolled = roll(0);
      ship.baseInitiative = rolled.total;
    }
    ship.initiative = ship.baseInitiative + bonus;
  }
  ship.reactionsLeft = reactionsFromInitiative(ship.initiative);
  if (!rolled && ship.initiative === before) return;
  const reactions = `${ship.reactionsLeft} reaction${ship.reactionsLeft === 1 ? "" : "s"}`;
  const captain = rules.initiative === "oncePerBattle" && bonus !== 0 ? [{ label: "captain", value: bonus }] : [];
  // Not rolled this round: the battle's initiative is the base the captain's bonus adds to.
  const base = rolled ? [] : [{ label: "initiative for the battle", value: ship.baseInitiative ?? before }];
  const modifiers = [...base, ...(rolled?.modifiers ?? []), ...captain];
  const what = rolled
    ? rules.initiative === "oncePerBattle" ? `Initiative ${ship.initiative} for the battle` : `Initiative ${ship.initiative}`
    : bonus !== 0 ? `Initiative ${ship.initiative} this round (captain ${bonus > 0 ? "+" : ""}${bonus})` : `Initiative back to ${ship.initiative}`;
  emit(battle, events, { actor: ship.id, action: "initiative", dice: rolled?.dice ?? [], modifiers, total: ship.initiative, result: `${what}: ${reactions}` });
}

/** Whether a side still has a ship in the battle. Runs after every command: a loop, nothing allocated. */
function sideFighting(battle: Battle, side: Side): boolean {
  for (const id in battle.ships) {
    const ship = battle.ships[id]!;
    if (ship.side === side && isAlive(ship)) return true;
  }
  return false;
}

/** Ends the battle when a side has no ship left in it. Returns true if it ended. */
export function checkEnd(battle: Battle, events: LogEntry[]): boolean {
  if (battle.phase !== "combat") return battle.phase === "ended";
  const playersOut = !sideFighting(battle, "players");
  const npcOut = !sideFighting(battle, "npc");
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
