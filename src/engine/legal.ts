// What a ship's crew may do now, and why not: the one precondition module. The engine's
// validation refuses with it (src/engine/validate.ts), the web client enables and explains its
// buttons with it (client/actions.ts) and the bots choose their moves with it, so the three
// cannot drift apart.
//
// It reads the battle through `LegalBattle`, the shape shared by the engine's Battle and the
// client's decoded state turned into plain data (`state.toJSON()`): only public fields plus the
// acting ship's own details, which every seat entitled to act on that ship can see.
// Pure and browser-safe: it imports only rules, data and engine types.
import { MOUNT_WEAPONS, WEAPONS } from "../data/weapons";
import { MAX_MISSILES_IN_FLIGHT } from "../data/missiles";
import { flightRounds } from "../rules/missiles";
import { canManoeuvre } from "../rules/pilot";
import { rangeDM, shiftBand } from "../rules/range";
import { isRepairable } from "../rules/repair";
import {
  pairKey, SYSTEM_NAMES, type MountKind, type RangeBand, type Role, type Ruleset, type Severity, type SystemName, type WeaponKind,
} from "../rules/model";
import type { RejectCode, ShipCommand } from "./types";

export type { ShipCommand } from "./types";

export interface Reject { code: RejectCode; message: string }
const no = (code: RejectCode, message: string): Reject => ({ code, message });

export interface LegalTurret {
  id: string; mount: MountKind | string; weapon: WeaponKind | string;
  damage: number; missiles: number; smartMissiles: number; sand: number; usedRound: number;
}
export interface LegalShip {
  id: string; name: string; side: string; destroyed: boolean; escaped: boolean;
  /** Absent for a ship whose details this reader may not see. */
  systems?: Partial<Record<SystemName, number>>;
  turrets?: readonly LegalTurret[];
  reactionsLeft?: number; dodgeReady?: boolean; actedThisTurn?: readonly string[];
}
export interface LegalBattle {
  ruleset: Ruleset | string; phase: string; round: number; turnIndex: number;
  order: readonly string[];
  ships: Readonly<Record<string, LegalShip>>;
  ranges: Readonly<Record<string, RangeBand | string>>;
  /** Missiles in flight: the engine keeps a list, the decoded state a map. */
  missiles: readonly unknown[] | Readonly<Record<string, unknown>>;
}

/** How a refusal names a crew position ("you are not the sensor operator"). */
export const ROLE_TITLES: Readonly<Record<Role, string>> = {
  pilot: "pilot", gunner: "gunner", engineer: "engineer", captain: "captain", sensors: "sensor operator",
};

/** Commands that only the active ship may use. */
const TURN_ACTIONS = new Set<ShipCommand["type"]>(["fire", "launchMissile", "changeRange", "repair", "sensorLock", "coordinate", "endTurn"]);

export function isTurnAction(cmd: ShipCommand): boolean {
  return TURN_ACTIONS.has(cmd.type) || (cmd.type === "evade" && cmd.mode === "evasive");
}

/** The crew position a ship command needs; null: any position of the ship (endTurn). */
export function neededRole(cmd: ShipCommand): Role | null {
  switch (cmd.type) {
    case "fire": case "launchMissile": case "pointDefense": case "useSandcaster": return "gunner";
    case "evade": case "changeRange": return "pilot";
    case "repair": return "engineer";
    case "sensorLock": return "sensors";
    case "coordinate": return "captain";
    case "endTurn": return null;
  }
}

/** Whether the positions `roles` let their holder send `cmd` (the GM holds every position). */
export function roleDenial(cmd: ShipCommand, roles: readonly string[]): Reject | null {
  const role = neededRole(cmd);
  if (role === null) return roles.length > 0 ? null : no("forbidden", "you hold no position on this ship");
  return roles.includes(role) ? null : no("forbidden", `you are not the ${ROLE_TITLES[role]}`);
}

/**
 * Everything a crew seat may ask the engine to check before it acts: role, then phase, ship,
 * turn and the command's own preconditions. `roles` are the positions of the one asking.
 */
export function whyNot(battle: LegalBattle, cmd: ShipCommand, roles: readonly string[]): Reject | null {
  return roleDenial(cmd, roles) ?? shipCommandDenial(battle, cmd);
}

export const isAlive = (ship: LegalShip): boolean => !ship.destroyed && !ship.escaped;
const shipOnTurn = (battle: LegalBattle): string | undefined => battle.order[battle.turnIndex];
const severity = (ship: LegalShip, system: SystemName): Severity => (ship.systems?.[system] ?? 0) as Severity;
const missileCount = (battle: LegalBattle): number =>
  Array.isArray(battle.missiles) ? battle.missiles.length : Object.keys(battle.missiles).length;

/** The preconditions of a ship command other than who sends it (see `permission`). */
export function shipCommandDenial(battle: LegalBattle, cmd: ShipCommand): Reject | null {
  if (battle.phase !== "combat") return no("wrongPhase", battle.phase === "setup" ? "the battle has not started" : "the battle is over");
  const ship = battle.ships[cmd.shipId];
  if (!ship) return no("unknownShip", `no ship ${cmd.shipId}`);
  if (ship.destroyed) return no("forbidden", `${ship.name} is destroyed`);
  if (ship.escaped) return no("forbidden", `${ship.name} has left the battle`);
  if (isTurnAction(cmd) && shipOnTurn(battle) !== ship.id) return no("notYourTurn", `it is not ${ship.name}'s turn`);
  const role = neededRole(cmd);
  if (isTurnAction(cmd) && role && role !== "gunner" && (ship.actedThisTurn ?? []).includes(role)) {
    return no("alreadyActed", `the ${ROLE_TITLES[role]} has already acted this turn`);
  }
  switch (cmd.type) {
    case "endTurn": return null;
    case "fire": case "launchMissile": case "pointDefense": case "useSandcaster": return turretDenial(battle, ship, cmd);
    case "evade":
      if (!canManoeuvre(severity(ship, "mDrive"))) return no("systemDisabled", "the M-drive is disabled");
      if (cmd.mode === "dodge") {
        if (ship.dodgeReady) return no("alreadyActed", "a dodge is already readied");
        if ((ship.reactionsLeft ?? 0) <= 0) return no("noReactionsLeft", "no reactions left this round");
      }
      return null;
    case "changeRange": {
      if (!canManoeuvre(severity(ship, "mDrive"))) return no("systemDisabled", "the M-drive is disabled");
      const t = targetOf(battle, ship, cmd.targetId);
      if (isReject(t)) return t;
      const band = battle.ranges[pairKey(ship.id, t.id)] as RangeBand;
      if (shiftBand(band, cmd.direction) !== null) return null;
      if (cmd.direction === "farther" && canEscape(battle, ship)) return null;
      return no("outOfRange", `already at ${bandName(band)} range`);
    }
    case "repair": return repairDenial(ship, cmd);
    case "sensorLock": {
      if (severity(ship, "sensors") >= 2) return no("systemDisabled", "the sensors are disabled");
      const t = targetOf(battle, ship, cmd.targetId);
      return isReject(t) ? t : null;
    }
    case "coordinate":
      return severity(ship, "bridge") >= 2 ? no("systemDisabled", "the bridge is disabled") : null;
  }
}

/** A ship at Distant range from every enemy still in the battle may try to leave it. */
export function canEscape(battle: LegalBattle, ship: LegalShip): boolean {
  return Object.values(battle.ships)
    .filter((e) => e.side !== ship.side && isAlive(e))
    .every((e) => battle.ranges[pairKey(ship.id, e.id)] === "distant");
}

/** The system or turret a repair with no explicit choice works on. */
export function repairTarget(ship: LegalShip): { system: SystemName } | { turretId: string } | null {
  for (const s of SYSTEM_NAMES) if (isRepairable(severity(ship, s))) return { system: s };
  for (const t of ship.turrets ?? []) if (isRepairable(t.damage as Severity)) return { turretId: t.id };
  return null;
}

/** Everything the engineer could repair now (systems first, then turrets), for a choice list. */
export function repairChoices(ship: LegalShip): ({ system: SystemName; severity: Severity } | { turretId: string; severity: Severity })[] {
  const out: ({ system: SystemName; severity: Severity } | { turretId: string; severity: Severity })[] = [];
  for (const s of SYSTEM_NAMES) if (isRepairable(severity(ship, s))) out.push({ system: s, severity: severity(ship, s) });
  for (const t of ship.turrets ?? []) if (isRepairable(t.damage as Severity)) out.push({ turretId: t.id, severity: t.damage as Severity });
  return out;
}

function repairDenial(ship: LegalShip, cmd: Extract<ShipCommand, { type: "repair" }>): Reject | null {
  if (cmd.turretId !== undefined) {
    const tu = ship.turrets?.find((t) => t.id === cmd.turretId);
    if (!tu) return no("unknownTurret", `no turret ${cmd.turretId}`);
    if (isRepairable(tu.damage as Severity)) return null;
    return no("nothingToRepair", tu.damage === 0 ? `turret ${tu.id} is intact` : "destroyed turrets cannot be repaired in combat");
  }
  if (cmd.system !== undefined) {
    if (!SYSTEM_NAMES.includes(cmd.system)) return no("nothingToRepair", `no system ${String(cmd.system)}`);
    const sev = severity(ship, cmd.system);
    return isRepairable(sev) ? null : no("nothingToRepair", sev === 0 ? "the system is intact" : "destroyed systems cannot be repaired in combat");
  }
  return repairTarget(ship) ? null : no("nothingToRepair", "nothing is damaged or disabled");
}

function targetOf(battle: LegalBattle, ship: LegalShip, targetId: string): Reject | LegalShip {
  const t = battle.ships[targetId];
  if (!t) return no("unknownShip", `no ship ${targetId}`);
  if (t.id === ship.id || t.side === ship.side || !isAlive(t)) return no("invalidTarget", `${t.name} is not a valid target`);
  return t;
}
const isReject = (x: Reject | LegalShip): x is Reject => "code" in x;

function turretDenial(battle: LegalBattle, ship: LegalShip, cmd: Extract<ShipCommand, { turretId: string }>): Reject | null {
  const tu = ship.turrets?.find((t) => t.id === cmd.turretId);
  if (!tu) return no("unknownTurret", `no turret ${cmd.turretId}`);
  const ruleset = battle.ruleset as Ruleset;
  const weapon = tu.weapon as WeaponKind;
  const w = WEAPONS[ruleset][weapon];
  switch (cmd.type) {
    case "fire": if (weapon === "missileRack" || weapon === "sandcaster") return no("wrongWeapon", `a ${w.name.toLowerCase()} does not fire directly`); break;
    case "launchMissile": if (weapon !== "missileRack") return no("wrongWeapon", "only missile racks launch missiles"); break;
    case "pointDefense": if (!w.laser) return no("wrongWeapon", "point defence needs a laser turret"); break;
    case "useSandcaster": if (weapon !== "sandcaster") return no("wrongWeapon", "not a sandcaster"); break;
  }
  if (tu.usedRound === battle.round) return no("alreadyActed", `turret ${tu.id} has already been used this round`);
  if (tu.damage >= 2) return no("systemDisabled", `turret ${tu.id} is ${tu.damage === 2 ? "disabled" : "destroyed"}`);
  if ((cmd.type === "fire" || cmd.type === "pointDefense") && severity(ship, "powerPlant") >= 2) return no("systemDisabled", "the power plant is disabled");
  if (cmd.type === "pointDefense" || cmd.type === "useSandcaster") {
    if (cmd.type === "useSandcaster" && tu.sand <= 0) return no("noAmmo", "no sand left");
    if ((ship.reactionsLeft ?? 0) <= 0) return no("noReactionsLeft", "no reactions left this round");
    return null;
  }
  const t = targetOf(battle, ship, cmd.targetId);
  if (isReject(t)) return t;
  const band = battle.ranges[pairKey(ship.id, t.id)] as RangeBand;
  if (cmd.type === "fire") {
    return rangeDM(ruleset, weapon, band) === null ? no("outOfRange", `a ${w.name.toLowerCase()} cannot reach ${bandName(band)} range`) : null;
  }
  const stock = cmd.missile === "smart" ? tu.smartMissiles : tu.missiles;
  if (stock <= 0) return no("noAmmo", `no ${cmd.missile} missiles left`);
  const inFlight = missileCount(battle);
  if (inFlight + Math.min(stock, MOUNT_WEAPONS[tu.mount as MountKind]) > MAX_MISSILES_IN_FLIGHT) {
    return no("tooManyMissiles", `${inFlight} missiles are in flight; a battle holds at most ${MAX_MISSILES_IN_FLIGHT}`);
  }
  return flightRounds(ruleset, band) === null ? no("outOfRange", `no missile launch at ${bandName(band)} range`) : null;
}

const BAND_NAMES: Readonly<Record<RangeBand, string>> = {
  adjacent: "adjacent", close: "close", short: "short", medium: "medium", long: "long", veryLong: "very long", distant: "distant",
};
const bandName = (band: RangeBand): string => BAND_NAMES[band] ?? band;
