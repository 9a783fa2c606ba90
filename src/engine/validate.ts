// Full validation of a command against the battle, before anything is mutated.
import { MOUNT_WEAPONS, WEAPONS } from "../data/weapons";
import { MAX_MISSILES_IN_FLIGHT } from "../data/missiles";
import { canManoeuvre } from "../rules/pilot";
import { flightRounds } from "../rules/missiles";
import { rangeDM, shiftBand } from "../rules/range";
import { isRepairable } from "../rules/repair";
import { isShipClassKey } from "../data/ships";
import { pairKey, SYSTEM_NAMES, type Battle, type Ship, type Turret } from "../rules/model";
import { freeShipId, isAlive, otherSide, shipsOf } from "./battle";
import { isShipCommand, neededRole, permission } from "./permissions";
import { isGmControlCommand, validateGmControl } from "./gm-control-validate";
import type { Actor, Command, GmCommand, GmControlCommand, RejectCode, ShipCommand, SystemCommand } from "./types";

export interface Reject { code: RejectCode; message: string }
const no = (code: RejectCode, message: string): Reject => ({ code, message });

/** Commands that only the active ship may use. */
const TURN_ACTIONS = new Set<ShipCommand["type"]>(["fire", "launchMissile", "changeRange", "repair", "sensorLock", "coordinate", "endTurn"]);

export function isTurnAction(cmd: ShipCommand): boolean {
  return TURN_ACTIONS.has(cmd.type) || (cmd.type === "evade" && cmd.mode === "evasive");
}

export function validate(battle: Battle, actor: Actor, cmd: Command): Reject | null {
  if (!cmd || typeof cmd !== "object" || typeof (cmd as { type?: unknown }).type !== "string") return no("forbidden", "not a command");
  const denied = permission(battle, actor, cmd);
  if (denied) return denied;
  if (isShipCommand(cmd)) return validateShip(battle, cmd);
  if (cmd.type === "timeout" || cmd.type === "idleEnd") return validateSystem(battle, cmd);
  if (isGmControlCommand(cmd)) return validateGmControl(battle, cmd);
  return validateGm(battle, cmd as Exclude<GmCommand, GmControlCommand>);
}

function validateSystem(battle: Battle, cmd: SystemCommand): Reject | null {
  if (cmd.type === "idleEnd") return battle.phase === "ended" ? no("wrongPhase", "the battle has ended") : null;
  if (battle.phase !== "combat") return no("wrongPhase", "no turn is running");
  if (cmd.round !== battle.round || cmd.turnIndex !== battle.turnIndex) return no("stale", "that turn has already ended");
  if (battle.paused) return no("wrongPhase", "the GM has paused the turn clock");
  return null;
}

function validateGm(battle: Battle, cmd: Exclude<GmCommand, GmControlCommand>): Reject | null {
  switch (cmd.type) {
    case "start": {
      if (battle.phase !== "setup") return no("wrongPhase", "the battle has already started");
      const ok = (["players", "npc"] as const).every((side) => shipsOf(battle, side).some(isAlive));
      return ok ? null : no("wrongPhase", "starting needs at least one ship per side");
    }
    case "end":
      return battle.phase === "ended" ? no("wrongPhase", "the battle has already ended") : null;
    case "addShip": {
      if (battle.phase === "ended") return no("wrongPhase", "the battle has ended");
      const spec = cmd.ship;
      if (!spec || (spec.side !== "players" && spec.side !== "npc")) return no("forbidden", "a ship needs a side");
      if (spec.className === "custom" ? !spec.custom : !isShipClassKey(spec.className)) return no("unknownShip", `unknown ship class: ${spec.className}`);
      return freeShipId(battle, spec.side) ? null : no("tooManyShips", `no room for another ${spec.side} ship`);
    }
    case "removeShip": {
      if (battle.phase === "ended") return no("wrongPhase", "the battle has ended");
      const ship = battle.ships[cmd.shipId];
      if (!ship) return no("unknownShip", `no ship ${cmd.shipId}`);
      return isAlive(ship) ? null : no("invalidTarget", `${ship.name} has already left the battle`);
    }
  }
}

function turret(ship: Ship, id: string): Turret | undefined {
  return ship.turrets.find((t) => t.id === id);
}

function target(battle: Battle, ship: Ship, targetId: string): Reject | Ship {
  const t = battle.ships[targetId];
  if (!t) return no("unknownShip", `no ship ${targetId}`);
  if (t.id === ship.id || t.side === ship.side || !isAlive(t)) return no("invalidTarget", `${t.name} is not a valid target`);
  return t;
}
const isReject = (x: Reject | Ship): x is Reject => "code" in x;

function validateShip(battle: Battle, cmd: ShipCommand): Reject | null {
  if (battle.phase !== "combat") return no("wrongPhase", battle.phase === "setup" ? "the battle has not started" : "the battle has ended");
  const ship = battle.ships[cmd.shipId]!; // permission() checked it exists
  if (!isAlive(ship)) return no("forbidden", `${ship.name} is out of the battle`);
  if (isTurnAction(cmd) && battle.order[battle.turnIndex] !== ship.id) return no("notYourTurn", `it is not ${ship.name}'s turn`);
  const role = neededRole(cmd);
  if (isTurnAction(cmd) && role && role !== "gunner" && ship.actedThisTurn.includes(role)) {
    return no("alreadyActed", `the ${role} has already acted this turn`);
  }
  switch (cmd.type) {
    case "endTurn": return null;
    case "fire": case "launchMissile": case "pointDefense": case "useSandcaster": return validateTurret(battle, ship, cmd);
    case "evade":
      if (!canManoeuvre(ship.systems.mDrive)) return no("systemDisabled", "the M-drive is disabled");
      if (cmd.mode === "dodge") {
        if (ship.dodgeReady) return no("alreadyActed", "a dodge is already readied");
        if (ship.reactionsLeft <= 0) return no("noReactionsLeft", "no reactions left this round");
      }
      return null;
    case "changeRange": {
      if (!canManoeuvre(ship.systems.mDrive)) return no("systemDisabled", "the M-drive is disabled");
      const t = target(battle, ship, cmd.targetId);
      if (isReject(t)) return t;
      const band = battle.ranges[pairKey(ship.id, t.id)]!;
      if (shiftBand(band, cmd.direction) !== null) return null;
      if (cmd.direction === "farther" && canEscape(battle, ship)) return null;
      return no("outOfRange", `already at ${band}`);
    }
    case "repair": {
      if (cmd.turretId !== undefined) {
        const tu = turret(ship, cmd.turretId);
        if (!tu) return no("unknownTurret", `no turret ${cmd.turretId}`);
        return isRepairable(tu.damage) ? null : no("nothingToRepair", tu.damage === 0 ? "the turret is intact" : "destroyed turrets cannot be repaired in combat");
      }
      if (cmd.system !== undefined) {
        if (!SYSTEM_NAMES.includes(cmd.system)) return no("nothingToRepair", `no system ${String(cmd.system)}`);
        const sev = ship.systems[cmd.system];
        return isRepairable(sev) ? null : no("nothingToRepair", sev === 0 ? "the system is intact" : "destroyed systems cannot be repaired in combat");
      }
      return repairTarget(ship) ? null : no("nothingToRepair", "nothing is damaged or disabled");
    }
    case "sensorLock": {
      if (ship.systems.sensors >= 2) return no("systemDisabled", "the sensors are disabled");
      const t = target(battle, ship, cmd.targetId);
      return isReject(t) ? t : null;
    }
    case "coordinate":
      return ship.systems.bridge >= 2 ? no("systemDisabled", "the bridge is disabled") : null;
  }
}

/** A ship at Distant range from every enemy still in the battle may try to leave it. */
export function canEscape(battle: Battle, ship: Ship): boolean {
  return shipsOf(battle, otherSide(ship.side)).filter(isAlive).every((e) => battle.ranges[pairKey(ship.id, e.id)] === "distant");
}

/** The system or turret a repair with no explicit choice works on. */
export function repairTarget(ship: Ship): { system: (typeof SYSTEM_NAMES)[number] } | { turretId: string } | null {
  for (const s of SYSTEM_NAMES) if (isRepairable(ship.systems[s])) return { system: s };
  for (const t of ship.turrets) if (isRepairable(t.damage)) return { turretId: t.id };
  return null;
}

function validateTurret(battle: Battle, ship: Ship, cmd: Extract<ShipCommand, { turretId: string }>): Reject | null {
  const tu = turret(ship, cmd.turretId);
  if (!tu) return no("unknownTurret", `no turret ${cmd.turretId}`);
  const w = WEAPONS[battle.ruleset][tu.weapon];
  switch (cmd.type) {
    case "fire": if (tu.weapon === "missileRack" || tu.weapon === "sandcaster") return no("wrongWeapon", `${w.name} turrets cannot fire directly`); break;
    case "launchMissile": if (tu.weapon !== "missileRack") return no("wrongWeapon", "only missile racks launch missiles"); break;
    case "pointDefense": if (!w.laser) return no("wrongWeapon", "point defence needs a laser turret"); break;
    case "useSandcaster": if (tu.weapon !== "sandcaster") return no("wrongWeapon", "not a sandcaster"); break;
  }
  if (tu.usedRound === battle.round) return no("alreadyActed", `turret ${tu.id} has already been used this round`);
  if (tu.damage >= 2) return no("systemDisabled", `turret ${tu.id} is ${tu.damage === 2 ? "disabled" : "destroyed"}`);
  if ((cmd.type === "fire" || cmd.type === "pointDefense") && ship.systems.powerPlant >= 2) return no("systemDisabled", "the power plant is disabled");
  if (cmd.type === "pointDefense" || cmd.type === "useSandcaster") {
    if (cmd.type === "useSandcaster" && tu.sand <= 0) return no("noAmmo", "no sand left");
    if (ship.reactionsLeft <= 0) return no("noReactionsLeft", "no reactions left this round");
    return null;
  }
  const t = target(battle, ship, cmd.targetId);
  if (isReject(t)) return t;
  const band = battle.ranges[pairKey(ship.id, t.id)]!;
  if (cmd.type === "fire") {
    return rangeDM(battle.ruleset, tu.weapon, band) === null ? no("outOfRange", `${w.name} cannot reach ${band}`) : null;
  }
  const stock = cmd.missile === "smart" ? tu.smartMissiles : tu.missiles;
  if (stock <= 0) return no("noAmmo", `no ${cmd.missile} missiles left`);
  if (battle.missiles.length + Math.min(stock, MOUNT_WEAPONS[tu.mount]) > MAX_MISSILES_IN_FLIGHT) {
    return no("tooManyMissiles", `${battle.missiles.length} missiles are in flight; a battle holds at most ${MAX_MISSILES_IN_FLIGHT}`);
  }
  return flightRounds(battle.ruleset, band) === null ? no("outOfRange", `no missile launch at ${band}`) : null;
}
