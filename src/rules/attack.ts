// Direct-fire attack roll: 2D6 + Gunnery + range DM + other DMs against 8+.
// Source: CE SRD, space-combat.html (Attacks, Range, Evasive action, Dodge); ship design (pulse -2).
import { WEAPONS } from "../data/weapons";
import { DM } from "../data/tables";
import { check, type CheckResult, type Modifier } from "./check";
import type { Dice } from "./dice";
import type { RangeBand, Ruleset, WeaponKind } from "./model";
import { rangeDM } from "./range";

export interface AttackInput {
  ruleset: Ruleset;
  weapon: WeaponKind;
  band: RangeBand;
  gunnery: number;
  sensorLockDM: number;      // the attacker's lock on the target: 0 none, +1, or +2 (exceptional)
  captainPool: boolean;      // spend one point of the captain's pool (+1)
  targetEvasive: 0 | 1 | 2;
  targetDodge: boolean;
  turretDamaged: boolean;
}

/** The log-ready modifiers of an attack, or null when the weapon cannot reach the band. */
export function attackModifiers(input: AttackInput): Modifier[] | null {
  const range = rangeDM(input.ruleset, input.weapon, input.band);
  if (range === null) return null;
  const weapon = WEAPONS[input.ruleset][input.weapon];
  const list: Modifier[] = [{ label: "gunnery", value: input.gunnery }, { label: `range ${input.band}`, value: range }];
  if (weapon.attackDM !== 0) list.push({ label: weapon.name.toLowerCase(), value: weapon.attackDM });
  if (input.sensorLockDM !== 0) list.push({ label: "sensor lock", value: input.sensorLockDM });
  if (input.captainPool) list.push({ label: "captain", value: DM.captainPool });
  if (input.targetEvasive === 1) list.push({ label: "target evasive", value: DM.evasive });
  if (input.targetEvasive === 2) list.push({ label: "target evasive", value: DM.evasiveExceptional });
  if (input.targetDodge) list.push({ label: "target dodges", value: DM.dodge });
  if (input.turretDamaged) list.push({ label: "damaged turret", value: DM.damagedTurret });
  return list;
}

export interface AttackResult { check: CheckResult; hit: boolean }

/** Rolls an attack; throws if the weapon cannot reach (the engine validates that first). */
export function rollAttack(dice: Dice, input: AttackInput): AttackResult {
  const modifiers = attackModifiers(input);
  if (modifiers === null) throw new Error(`${input.weapon} cannot attack at ${input.band}`);
  const result = check(dice, modifiers);
  return { check: result, hit: result.success };
}
