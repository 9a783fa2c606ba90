// Rules tables of the Cepheus Engine SRD (space-combat.html, introduction.html) and the 2e-style
// variant described in docs/rules.md. Numbers only: the functions that read them are in src/rules.
import type { SystemName } from "../rules/model";

/** The task check succeeds on 2D6 + DMs of 8 or more; Effect = total - 8. */
export const TASK_TARGET = 8;
/** Effect of +6 or more is an exceptional success, -6 or less an exceptional failure. */
export const EXCEPTIONAL_EFFECT = 6;

/** Situational DMs of attacks, launches and initiative. */
export const DM = {
  sensorLock: 1,
  sensorLockExceptional: 2,
  captainPool: 1,
  evasive: -1,
  evasiveExceptional: -2,
  dodge: -2,
  damagedTurret: -2,
  ceFasterInitiative: 1,
} as const;

/** Reactions a ship has each round, by initiative total (highest row first; below 0 still 1). */
export const REACTIONS_BY_INITIATIVE: readonly { min: number; reactions: number }[] = [
  { min: 13, reactions: 4 },
  { min: 9, reactions: 3 },
  { min: 5, reactions: 2 },
  { min: 0, reactions: 1 },
];

/** Severity steps a repair removes, by the Mechanics check's Effect (failure repairs nothing). */
export const REPAIR_STEPS: readonly { minEffect: number; steps: number }[] = [
  { minEffect: 6, steps: 3 },
  { minEffect: 1, steps: 2 },
  { minEffect: 0, steps: 1 },
];

/** CE damage points after armour to hits; the SRD's overlapping band edges resolved as twodsix does. */
export const CE_HITS_TABLE: readonly { max: number; single: number; double: number; triple: number }[] = [
  { max: 4, single: 1, double: 0, triple: 0 },
  { max: 8, single: 2, double: 0, triple: 0 },
  { max: 12, single: 0, double: 1, triple: 0 },
  { max: 16, single: 3, double: 0, triple: 0 },
  { max: 20, single: 2, double: 1, triple: 0 },
  { max: 24, single: 0, double: 2, triple: 0 },
  { max: 28, single: 0, double: 0, triple: 1 },
  { max: 32, single: 1, double: 0, triple: 1 },
  { max: 36, single: 0, double: 1, triple: 1 },
  { max: 40, single: 1, double: 1, triple: 1 },
  { max: 44, single: 0, double: 0, triple: 2 },
];
/** Beyond the table: two triples, one single per full 3 points and one double per full 6 points past 44. */
export const CE_BEYOND_MAX = 44;
export const CE_BEYOND_SINGLE_PER = 3;
export const CE_BEYOND_DOUBLE_PER = 6;

/** Where a CE hit lands. "turret" stands for the SRD's turret and (internal) bay. */
export type CeLocation = "hull" | "structure" | "turret" | "armour" | Exclude<SystemName, "armour" | "computer">;

/** CE external hit location by 2D6 (the ship still has hull). */
export const CE_EXTERNAL_LOCATIONS: Readonly<Record<number, CeLocation>> = {
  2: "hull", 3: "sensors", 4: "mDrive", 5: "turret", 6: "hull", 7: "armour",
  8: "hull", 9: "fuel", 10: "mDrive", 11: "sensors", 12: "hull",
};
/** CE internal hit location by 2D6 (hull is gone). */
export const CE_INTERNAL_LOCATIONS: Readonly<Record<number, CeLocation>> = {
  2: "structure", 3: "powerPlant", 4: "jDrive", 5: "turret", 6: "structure", 7: "crew",
  8: "structure", 9: "hold", 10: "jDrive", 11: "powerPlant", 12: "bridge",
};

/** Where a 2e-style critical hit lands. "weapon" is a turret, "hold" the cargo. */
export type Mgt2eLocation = "hull" | "weapon" | "armour" | Exclude<SystemName, "armour" | "bridge">;

/** 2e-style critical hit location by 2D6. */
export const MGT2E_CRITICAL_LOCATIONS: Readonly<Record<number, Mgt2eLocation>> = {
  2: "sensors", 3: "powerPlant", 4: "fuel", 5: "weapon", 6: "armour", 7: "hull",
  8: "mDrive", 9: "hold", 10: "jDrive", 11: "crew", 12: "computer",
};
/** A 2e-style hull critical does this many D6 of extra hull damage. */
export const MGT2E_HULL_CRITICAL_DICE = 1;

/** Sandcaster reaction: D6 rolled (CE: off the damage; 2e style: extra armour plus Effect). */
export const SANDCASTER_DICE = 1;
/** Canisters one sandcaster reaction spends. */
export const SANDCASTER_CANISTERS = 1;
