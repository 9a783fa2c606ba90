// Missile numbers: flight time per range band, the launch Effect -> arrival target table,
// damage dice, point defence and smart missiles. Sources: CE SRD space-combat.html (Missiles);
// the 2e-style flight times and damage as described in docs/rules.md.
import type { MissileKind, RangeBand, Ruleset } from "../rules/model";

/** Rounds a missile flies, by band; null: no launch at that band. */
export const MISSILE_FLIGHT_ROUNDS: Readonly<Record<Ruleset, Readonly<Record<RangeBand, number | null>>>> = {
  ce: { adjacent: null, close: null, short: 1, medium: 1, long: 1, veryLong: 2, distant: 2 },
  mgt2e: { adjacent: null, close: null, short: 1, medium: 1, long: 2, veryLong: 5, distant: 10 },
};

/** The 2D6 target on arrival by launch Effect (first row whose minEffect is met; else 11+). */
export const MISSILE_TO_HIT: readonly { minEffect: number; toHit: number }[] = [
  { minEffect: 6, toHit: 6 },
  { minEffect: 1, toHit: 7 },
  { minEffect: 0, toHit: 8 },
  { minEffect: -5, toHit: 10 },
];

/** D6 of damage a missile does on a hit. */
export const MISSILE_DAMAGE_DICE: Readonly<Record<Ruleset, Readonly<Record<MissileKind, number>>>> = {
  ce: { standard: 1, smart: 1 },
  mgt2e: { standard: 4, smart: 4 },
};

/** Each earlier point-defence roll of a turret in the round gives its next roll this DM. */
export const POINT_DEFENSE_STEP_DM = -1;
/**
 * A smart missile's to-hit number on every attack (SRD: "always 8+"; the 2e style uses it for
 * re-attacks only). One that missed attacks again next round, at most SMART_MAX_REATTACKS times
 * (our reading of the SRD's "until they ... run out of fuel", which gives no figure).
 */
export const SMART_TO_HIT = 8;
export const SMART_MAX_REATTACKS = 2;

/**
 * Missiles a battle may have in flight at once. Not an SRD rule but a server limit, like the ship
 * counts: every missile in flight is on the wire, and the full state a joining client downloads must
 * stay within its budget for any battle the limits allow (docs/performance.md, "State-size budget").
 * 150 is five full triple-rack volleys from every player ship and every NPC ship at once.
 */
export const MAX_MISSILES_IN_FLIGHT = 150;
