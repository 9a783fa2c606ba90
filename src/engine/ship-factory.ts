// Builds a Ship from a ShipSpec: a catalogue class or custom stats, per ruleset.
import { CE_TONS_PER_HULL_POINT, DEFAULT_SKILLS, isShipClassKey, MGT2E_HULL_PER_TON, SHIP_CLASSES, type TurretSpec } from "../data/ships";
import { MOUNT_WEAPONS } from "../data/weapons";
import { SYSTEM_NAMES, type Ruleset, type Severity, type Ship, type SystemName, type Turret } from "../rules/model";
import { BattleSetupError } from "./errors";
import type { ShipSpec } from "./types";

/** Default ammunition for custom turrets that give none: per weapon in the mount. */
const DEFAULT_MISSILES_PER_RACK = 12;
const DEFAULT_SAND_PER_CASTER = 20;

function buildTurret(spec: TurretSpec, index: number, custom: boolean): Turret {
  const n = MOUNT_WEAPONS[spec.mount];
  const rack = spec.weapon === "missileRack";
  const caster = spec.weapon === "sandcaster";
  return {
    id: `t${index + 1}`, mount: spec.mount, weapon: spec.weapon, damage: 0,
    missiles: spec.missiles ?? (rack && custom && spec.smartMissiles === undefined ? DEFAULT_MISSILES_PER_RACK * n : 0),
    smartMissiles: spec.smartMissiles ?? 0,
    sand: spec.sand ?? (caster ? DEFAULT_SAND_PER_CASTER * n : 0),
    usedRound: 0, ready: "none",
  };
}

/** Throws BattleSetupError for an unknown class or a custom class without stats. */
export function validateSpec(spec: ShipSpec): void {
  if (spec.side !== "players" && spec.side !== "npc") throw new BattleSetupError("invalidShip", `invalid side for ${spec.name}`);
  if (spec.className === "custom") {
    if (!spec.custom) throw new BattleSetupError("invalidShip", `custom ship ${spec.name} needs stats`);
    return;
  }
  if (!isShipClassKey(spec.className)) throw new BattleSetupError("invalidClass", `unknown ship class: ${spec.className}`);
}

export function buildShip(spec: ShipSpec, id: string, ruleset: Ruleset): Ship {
  validateSpec(spec);
  const systems = Object.fromEntries(SYSTEM_NAMES.map((s) => [s, 0])) as Record<SystemName, Severity>;
  let tons: number, armour: number, thrust: number, hull: number, structure: number;
  let turrets: Turret[];
  let skills = { ...DEFAULT_SKILLS };
  if (spec.className === "custom") {
    const c = spec.custom!;
    tons = c.tons; armour = c.armour; thrust = c.thrust;
    if (ruleset === "ce") {
      hull = c.hull ?? Math.floor(tons / CE_TONS_PER_HULL_POINT);
      structure = c.structure ?? Math.max(1, Math.floor(tons / CE_TONS_PER_HULL_POINT));
    } else {
      hull = c.hull ?? Math.max(1, Math.round(tons * MGT2E_HULL_PER_TON));
      structure = 0;
    }
    turrets = c.turrets.map((t, i) => buildTurret(t, i, true));
  } else {
    const k = SHIP_CLASSES[spec.className as keyof typeof SHIP_CLASSES];
    tons = k.tons; armour = k.armour; thrust = k.thrust;
    hull = ruleset === "ce" ? k.ce.hull : k.mgt2eHull;
    structure = ruleset === "ce" ? k.ce.structure : 0;
    turrets = k.turrets.map((t, i) => buildTurret(t, i, false));
    skills = { ...k.skills };
  }
  return {
    id, name: spec.name, side: spec.side, className: spec.className, tons, armour, thrust,
    hull, maxHull: hull, structure, maxStructure: structure, systems, turrets,
    skills: { ...skills, ...(spec.skills ?? {}) },
    destroyed: false, escaped: false,
    initiative: 0, evasive: 0, dodgeReady: false, reactionsLeft: 0, actedThisTurn: [],
    coordinationPool: 0, lockedOn: [], lockDM: {}, criticals: 0, initiativeBonus: 0,
  };
}
