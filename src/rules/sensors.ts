// Sensor lock: a Sensors check; success gives +1 to this ship's attacks against the target.
// Source: CE SRD, space-combat.html (Sensor actions: targeting).
import { check, type CheckResult } from "./check";
import type { Dice } from "./dice";
import type { Severity } from "./model";

export function rollSensorLock(dice: Dice, sensorsSkill: number, sensorsSeverity: Severity): CheckResult {
  const modifiers = [{ label: "sensors", value: sensorsSkill }];
  if (sensorsSeverity === 1) modifiers.push({ label: "damaged sensors", value: -1 });
  return check(dice, modifiers);
}
