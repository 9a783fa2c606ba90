// Creating a battle and reading its state.
import { MAX_SHIPS } from "../data/ships";
import { HOUSE_RULES, pairKey, type Battle, type Ship, type Side } from "../rules/model";
import { BattleSetupError } from "./errors";
import { buildShip, validateSpec } from "./ship-factory";
import type { BattleSetup, ShipSpec } from "./types";

export { isAlive } from "./legal";

export function otherSide(side: Side): Side {
  return side === "players" ? "npc" : "players";
}

export function shipsOf(battle: Battle, side: Side): Ship[] {
  return Object.values(battle.ships).filter((s) => s.side === side);
}

/** The id of the ship whose turn it is, or null outside combat. */
export function activeShipId(battle: Battle): string | null {
  if (battle.phase !== "combat") return null;
  return battle.order[battle.turnIndex] ?? null;
}

/** The smallest free id number for a side ("p1".."p5", "n1".."n10"), or null when full. */
export function freeShipId(battle: Battle, side: Side): string | null {
  const prefix = side === "players" ? "p" : "n";
  for (let i = 1; i <= MAX_SHIPS[side]; i++) if (!battle.ships[`${prefix}${i}`]) return `${prefix}${i}`;
  return null;
}

/** Adds a ship and its ranges to every ship of the other side. */
export function addShipTo(battle: Battle, spec: ShipSpec, id: string): Ship {
  const ship = buildShip(spec, id, battle.ruleset);
  battle.ships[id] = ship;
  for (const other of shipsOf(battle, otherSide(spec.side))) {
    battle.ranges[pairKey(id, other.id)] = battle.startingRange ?? "medium";
  }
  return ship;
}

export function createBattle(setup: BattleSetup): Battle {
  for (const side of ["players", "npc"] as const) {
    const n = setup.ships.filter((s) => s.side === side).length;
    if (n > MAX_SHIPS[side]) throw new BattleSetupError("tooManyShips", `at most ${MAX_SHIPS[side]} ${side} ships (got ${n})`);
  }
  for (const spec of setup.ships) validateSpec(spec);
  const battle: Battle = {
    ruleset: setup.ruleset, phase: "setup", round: 0, turnIndex: 0, order: [], version: 0,
    ships: {}, ranges: {}, missiles: [], nextId: 1, logSeq: 0, result: null, startingRange: setup.startingRange,
  };
  // Only the house rules that are on are kept, so a battle without any serialises as before.
  const house = HOUSE_RULES.filter((r) => setup.houseRules?.[r] === true);
  if (house.length > 0) battle.houseRules = Object.fromEntries(house.map((r) => [r, true]));
  const counters = { players: 0, npc: 0 };
  for (const spec of setup.ships) {
    counters[spec.side] += 1;
    addShipTo(battle, spec, `${spec.side === "players" ? "p" : "n"}${counters[spec.side]}`);
  }
  return battle;
}
