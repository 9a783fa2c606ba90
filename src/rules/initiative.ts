// Initiative. CE (SRD space-combat.html, Initiative and The Space Combat Turn): 2D6, +1 for the
// ship with the greater thrust, rolled once for the battle and never re-rolled; the captain's
// Increase Initiative adds a Leadership Effect for the following round only. 2e style (and the
// `rerollInitiative` house rule): re-rolled every round with the Pilot skill added.
import { DM } from "../data/tables";
import { check, type CheckResult, type Modifier } from "./check";
import { sum, type Dice } from "./dice";
import type { CrewSkills } from "./model";
import type { RulesetOptions } from "./ruleset";

export interface InitiativeInput {
  rules: RulesetOptions;
  pilot: number;
  thrust: number;
  /** The highest thrust among the ship's enemies (CE: +1 when strictly faster). */
  fastestEnemyThrust: number;
  /** The captain's bonus for this round (added to the roll when initiative is rolled every round). */
  bonus: number;
}
export interface InitiativeResult { dice: number[]; modifiers: Modifier[]; total: number }

export function rollInitiative(dice: Dice, input: InitiativeInput): InitiativeResult {
  const rolled = dice.roll(2);
  const modifiers: Modifier[] = [];
  if (input.rules.initiative === "everyRound") modifiers.push({ label: "pilot", value: input.pilot });
  if (input.rules.initiativeThrust === "addThrust") {
    modifiers.push({ label: "thrust", value: input.thrust });
  } else if (input.thrust > input.fastestEnemyThrust) {
    modifiers.push({ label: "faster", value: DM.ceFasterInitiative });
  }
  if (input.bonus !== 0) modifiers.push({ label: "captain", value: input.bonus });
  return { dice: rolled, modifiers, total: sum(rolled) + sum(modifiers.map((m) => m.value)) };
}

export interface IncreaseInitiativeResult { check: CheckResult; bonus: number }

/**
 * The captain's `coordinate` initiative: the bonus to next round's initiative. SRD (Increase
 * Initiative): a Leadership check, its Effect (0 on a bare success); 2e style: a Tactics check,
 * at least +1 on a success. Nothing on a failure.
 */
export function rollIncreaseInitiative(dice: Dice, rules: RulesetOptions, skills: CrewSkills): IncreaseInitiativeResult {
  const srd = rules.increaseInitiative === "leadershipEffect";
  const c = check(dice, [srd ? { label: "leadership", value: skills.leadership } : { label: "tactics", value: skills.tactics }]);
  return { check: c, bonus: !c.success ? 0 : srd ? c.effect : Math.max(1, c.effect) };
}

export interface InitiativeEntry { id: string; initiative: number; thrust: number }

/** Initiative order: higher total first; ties: higher thrust, then ship id ascending. */
export function initiativeOrder(entries: readonly InitiativeEntry[]): string[] {
  return [...entries]
    .sort((a, b) => b.initiative - a.initiative || b.thrust - a.thrust || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => e.id);
}
