// Missiles: launch check -> to-hit number on arrival; flight rounds per band; point defence;
// arrival roll; smart missiles (CE: 8+ on every attack) re-attack. Source: CE SRD,
// space-combat.html (Missiles, Smart Missiles, Point Defense).
import { MISSILE_FLIGHT_ROUNDS, MISSILE_TO_HIT, POINT_DEFENSE_STEP_DM, SMART_MAX_REATTACKS, SMART_TO_HIT } from "../data/missiles";
import { DM } from "../data/tables";
import { check, evaluate, type CheckResult, type Modifier } from "./check";
import type { Dice } from "./dice";
import type { MissileInFlight, MissileKind, RangeBand, Ruleset } from "./model";
import type { RulesetOptions } from "./ruleset";

/** Rounds of flight, or null when missiles cannot be launched at this band (Adjacent, Close). */
export function flightRounds(ruleset: Ruleset, band: RangeBand): number | null {
  const v = MISSILE_FLIGHT_ROUNDS[ruleset][band];
  if (v === undefined) throw new Error(`no missile flight time for ${String(band)}`);
  return v;
}

/** The 2D6 number a missile needs on arrival, from its launch Effect. */
export function missileToHit(effect: number): number {
  for (const row of MISSILE_TO_HIT) if (effect >= row.minEffect) return row.toHit;
  return 11;
}

export interface LaunchResult { check: CheckResult; toHit: number }
export function rollLaunch(dice: Dice, gunnery: number, extra: Modifier[] = []): LaunchResult {
  const c = check(dice, [{ label: "gunnery", value: gunnery }, ...extra]);
  return { check: c, toHit: missileToHit(c.effect) };
}

/**
 * Whether a launch of this kind makes a launch roll. SRD: a smart missile's to-hit is "always 8+",
 * so nothing a launch roll (or a sensor lock's DM on it) could change: none is made.
 */
export function launchRolls(rules: RulesetOptions, kind: MissileKind): boolean {
  return kind !== "smart" || rules.smartMissiles === "launchRoll";
}

/** A point-defence turret readied against missiles this round. */
export interface PointDefender { turretId: string; gunnery: number; damaged: boolean }

export interface PointDefenseRoll { turretId: string; check: CheckResult; destroyed: boolean }

/**
 * Point defence against one missile: defenders roll in order; each success destroys the missile.
 * `state` tracks each turret's cumulative DM and whether it has missed (and so stopped) this round.
 */
export function rollPointDefense(
  dice: Dice, defenders: readonly PointDefender[], state: Map<string, { rolls: number; stopped: boolean }>,
): PointDefenseRoll[] {
  const rolls: PointDefenseRoll[] = [];
  for (const d of defenders) {
    const s = state.get(d.turretId) ?? { rolls: 0, stopped: false };
    state.set(d.turretId, s);
    if (s.stopped) continue;
    const modifiers: Modifier[] = [{ label: "gunnery", value: d.gunnery }];
    if (s.rolls > 0) modifiers.push({ label: "point defence repeat", value: POINT_DEFENSE_STEP_DM * s.rolls });
    if (d.damaged) modifiers.push({ label: "damaged turret", value: DM.damagedTurret });
    const c = check(dice, modifiers);
    s.rolls += 1;
    rolls.push({ turretId: d.turretId, check: c, destroyed: c.success });
    if (c.success) return rolls;
    s.stopped = true;
  }
  return rolls;
}

/** The missile's attack on arrival: 2D6 - target's evasive and successful dodge against the missile's to-hit. */
export function rollMissileAttack(dice: Dice, missile: MissileInFlight, evasive: 0 | 1 | 2, dodge: boolean): CheckResult {
  const modifiers: Modifier[] = [];
  if (evasive === 1) modifiers.push({ label: "target evasive", value: DM.evasive });
  if (evasive === 2) modifiers.push({ label: "target evasive", value: DM.evasiveExceptional });
  if (dodge) modifiers.push({ label: "target dodges", value: DM.dodge });
  return evaluate(dice.roll(2), modifiers, missile.toHit);
}

/** A smart missile that missed attacks again next round, at most SMART_MAX_REATTACKS times. */
export function smartReattack(missile: MissileInFlight, round: number): MissileInFlight | null {
  const made = missile.reattacks ?? 0;
  if (missile.kind !== "smart" || made >= SMART_MAX_REATTACKS) return null;
  return { ...missile, arriveRound: round + 1, toHit: SMART_TO_HIT, reattacks: made + 1 };
}
