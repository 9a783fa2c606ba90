// The task check: 2D6 + DMs against 8+. Effect = total - 8. Source: CE SRD, introduction.html.
import { EXCEPTIONAL_EFFECT, TASK_TARGET } from "../data/tables";
import { sum, type Dice } from "./dice";

export interface Modifier { label: string; value: number }

export interface CheckResult {
  dice: number[];
  modifiers: Modifier[];
  total: number;
  target: number;
  effect: number;
  success: boolean;
  exceptional: "success" | "failure" | null;
}

export function evaluate(dice: number[], modifiers: Modifier[], target = TASK_TARGET): CheckResult {
  const total = sum(dice) + sum(modifiers.map((m) => m.value));
  const effect = total - target;
  return {
    dice, modifiers, total, target, effect, success: effect >= 0,
    exceptional: effect >= EXCEPTIONAL_EFFECT ? "success" : effect <= -EXCEPTIONAL_EFFECT ? "failure" : null,
  };
}

/** Rolls 2D6 + the modifiers against `target` (8 unless given). */
export function check(dice: Dice, modifiers: Modifier[], target = TASK_TARGET): CheckResult {
  return evaluate(dice.roll(2), modifiers, target);
}

/** Drops zero-valued modifiers except the ones labelled as skills, for tidy logs. */
export function mods(...list: (Modifier | null | undefined | false)[]): Modifier[] {
  return list.filter((m): m is Modifier => !!m);
}
