// Pilot actions: evasive action (Pilot check: -1 to attacks on the ship, -2 exceptional), the
// dodge reaction (CE: a Pilot check, -2 to the attack on success) and changing range
// (2D6 + Pilot + own thrust - target thrust >= 8 moves one band).
// Sources: CE SRD, space-combat.html (Evasive Manoeuvres, Dodge Incoming Fire); range change: our simplification.
import { check, type CheckResult } from "./check";
import type { Dice } from "./dice";
import type { Severity } from "./model";

/** Thrust the M-drive delivers: full when intact, -1 damaged, 0 when disabled or destroyed. */
export function effectiveThrust(thrust: number, mDrive: Severity): number {
  if (mDrive >= 2) return 0;
  return Math.max(0, thrust - mDrive);
}

export function canManoeuvre(mDrive: Severity): boolean {
  return mDrive < 2;
}

export interface EvasiveResult { check: CheckResult; evasive: 0 | 1 | 2 }
export function rollEvasive(dice: Dice, pilot: number): EvasiveResult {
  const result = check(dice, [{ label: "pilot", value: pilot }]);
  return { check: result, evasive: !result.success ? 0 : result.exceptional === "success" ? 2 : 1 };
}

/** SRD Dodge Incoming Fire: "the pilot must make a Piloting check. If successful, the attack suffers a -2 DM." */
export function rollDodge(dice: Dice, pilot: number): CheckResult {
  return check(dice, [{ label: "pilot", value: pilot }]);
}

export function rollChangeRange(dice: Dice, pilot: number, ownThrust: number, targetThrust: number): CheckResult {
  return check(dice, [{ label: "pilot", value: pilot }, { label: "thrust difference", value: ownThrust - targetThrust }]);
}
