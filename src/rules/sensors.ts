// Sensor lock (SRD space-combat.html, Sensor Targeting): a Sensors (the SRD's Comms) check, -2 with
// damaged sensors (CE); success gives this ship's gunners +1 to attacks on the target, +2 on an
// exceptional success (CE).
import { DM } from "../data/tables";
import { check, type CheckResult } from "./check";
import type { Dice } from "./dice";
import type { Severity } from "./model";
import type { RulesetOptions } from "./ruleset";

export interface SensorLockResult { check: CheckResult; dm: number }

/** The attack DM a lock check gives: 0 on failure, +1 on success, +2 on an exceptional one where the ruleset says so. */
export function sensorLockDM(rules: RulesetOptions, result: CheckResult): number {
  if (!result.success) return 0;
  return rules.sensorLockExceptional && result.exceptional === "success" ? DM.sensorLockExceptional : DM.sensorLock;
}

export function rollSensorLock(dice: Dice, rules: RulesetOptions, sensorsSkill: number, sensorsSeverity: Severity): SensorLockResult {
  const modifiers = [{ label: "sensors", value: sensorsSkill }];
  if (sensorsSeverity === 1) modifiers.push({ label: "damaged sensors", value: rules.damagedSensorsDM });
  const result = check(dice, modifiers);
  return { check: result, dm: sensorLockDM(rules, result) };
}
