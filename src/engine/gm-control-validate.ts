// Validation of the GM's control commands (pause, resume, skipTurn, undo, adjust): kept apart
// from validate.ts, which calls it with one case. Permission (GM only) is checked before this.
import { WEAPONS } from "../data/weapons";
import type { Battle } from "../rules/model";
import { isAlive } from "./battle";
import type { Command, GmControlCommand, RejectCode } from "./types";

interface Reject { code: RejectCode; message: string }
const no = (code: RejectCode, message: string): Reject => ({ code, message });

const CONTROL_TYPES = new Set<string>(["pause", "resume", "skipTurn", "undo", "adjust"]);
/** The longest reason a GM adjustment may carry (the protocol cleans and bounds it too). */
export const ADJUST_REASON_MAX = 120;
/** The most missiles, smart missiles or sand canisters a turret may be given (as in a custom ship). */
export const AMMO_MAX = 400;
/** The highest armour an adjustment may set. */
export const ARMOUR_MAX = 30;

export function isGmControlCommand(cmd: Command): cmd is GmControlCommand {
  return CONTROL_TYPES.has(cmd.type);
}

const isCount = (v: unknown, max: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;

export function validateGmControl(battle: Battle, cmd: GmControlCommand): Reject | null {
  switch (cmd.type) {
    case "pause":
      if (battle.phase !== "combat") return no("wrongPhase", "no turn clock is running");
      return battle.paused ? no("wrongPhase", "the turn clock is already paused") : null;
    case "resume":
      return battle.paused ? null : no("wrongPhase", "the turn clock is not paused");
    case "skipTurn":
      return battle.phase === "combat" ? null : no("wrongPhase", "no turn is running");
    case "undo":
      // Whether there is a command to take back is the history's question (history.ts). A battle
      // ended by a shot or by the GM can be taken back; one closed for idleness cannot.
      return battle.result?.reason === "idle" ? no("wrongPhase", "the battle was closed for idleness") : null;
    case "adjust":
      return validateAdjust(battle, cmd);
  }
}

function validateAdjust(battle: Battle, cmd: Extract<GmControlCommand, { type: "adjust" }>): Reject | null {
  if (battle.phase === "ended") return no("wrongPhase", "the battle has ended");
  const ship = battle.ships[cmd.shipId];
  if (!ship) return no("unknownShip", `no ship ${cmd.shipId}`);
  if (!isAlive(ship)) return no("invalidTarget", `${ship.name} is out of the battle`);
  if (typeof cmd.reason !== "string" || cmd.reason.trim().length === 0 || cmd.reason.length > ADJUST_REASON_MAX) {
    return no("badValue", `a correction needs a reason of 1 to ${ADJUST_REASON_MAX} characters`);
  }
  const changes = ["hull", "structure", "armour", "missiles", "smartMissiles", "sand"] as const;
  if (!changes.some((k) => cmd[k] !== undefined)) return no("badValue", "nothing to correct");
  if (cmd.hull !== undefined && !isCount(cmd.hull, ship.maxHull)) return no("badValue", `hull must be 0 to ${ship.maxHull}`);
  if (cmd.structure !== undefined && !isCount(cmd.structure, ship.maxStructure)) return no("badValue", `structure must be 0 to ${ship.maxStructure}`);
  if (cmd.armour !== undefined && !isCount(cmd.armour, ARMOUR_MAX)) return no("badValue", `armour must be 0 to ${ARMOUR_MAX}`);
  // An adjustment corrects a figure; it never destroys a ship (that is removeShip, or the dice).
  if (battle.ruleset === "ce" && ship.maxStructure > 0 && (cmd.structure ?? ship.structure) === 0) return no("badValue", "structure 0 would destroy the ship");
  if (battle.ruleset === "mgt2e" && (cmd.hull ?? ship.hull) === 0) return no("badValue", "hull 0 would destroy the ship");
  const ammo = cmd.missiles !== undefined || cmd.smartMissiles !== undefined || cmd.sand !== undefined;
  if (!ammo) return cmd.turretId === undefined ? null : no("badValue", "a turret is named but no ammunition given");
  if (cmd.turretId === undefined) return no("badValue", "ammunition needs a turret");
  const turret = ship.turrets.find((t) => t.id === cmd.turretId);
  if (!turret) return no("unknownTurret", `no turret ${cmd.turretId}`);
  const weapon = WEAPONS[battle.ruleset][turret.weapon].name;
  if ((cmd.missiles !== undefined || cmd.smartMissiles !== undefined) && turret.weapon !== "missileRack") return no("wrongWeapon", `a ${weapon} turret holds no missiles`);
  if (cmd.sand !== undefined && turret.weapon !== "sandcaster") return no("wrongWeapon", `a ${weapon} turret holds no sand`);
  for (const k of ["missiles", "smartMissiles", "sand"] as const) {
    if (cmd[k] !== undefined && !isCount(cmd[k], AMMO_MAX)) return no("badValue", `${k} must be 0 to ${AMMO_MAX}`);
  }
  return null;
}
