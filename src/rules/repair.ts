// Repair: Mechanics (engineering) check; Effect 0 -> 1 severity step, 1-5 -> 2, 6+ -> 3.
// Destroyed systems cannot be repaired in combat. Source: CE SRD, space-combat.html (Repairs).
import { REPAIR_STEPS } from "../data/tables";
import { check, type CheckResult } from "./check";
import type { Dice } from "./dice";
import type { Severity } from "./model";

export function repairSteps(effect: number): number {
  for (const row of REPAIR_STEPS) if (effect >= row.minEffect) return row.steps;
  return 0;
}

export function isRepairable(severity: Severity): boolean {
  return severity === 1 || severity === 2;
}

export interface RepairResult { check: CheckResult; before: Severity; after: Severity; steps: number }

export function rollRepair(dice: Dice, engineering: number, severity: Severity): RepairResult {
  if (!isRepairable(severity)) throw new Error(`severity ${severity} cannot be repaired in combat`);
  const result = check(dice, [{ label: "engineering", value: engineering }]);
  const steps = repairSteps(result.effect);
  const after = Math.max(0, severity - steps) as Severity;
  return { check: result, before: severity, after, steps };
}
