// Initiative: 2D6 + Pilot + thrust bonus + captain's Tactics Effect (when coordinated).
// Source: CE SRD, space-combat.html (Initiative); thrust as a DM: 2e-style variant.
import { DM } from "../data/tables";
import type { Modifier } from "./check";
import { sum, type Dice } from "./dice";
import type { Ruleset } from "./model";
import { rulesetOptions } from "./ruleset";

export interface InitiativeInput {
  ruleset: Ruleset;
  pilot: number;
  thrust: number;
  /** The highest thrust among the ship's enemies (CE: +1 when strictly faster). */
  fastestEnemyThrust: number;
  tacticsBonus: number;
}
export interface InitiativeResult { dice: number[]; modifiers: Modifier[]; total: number }

export function rollInitiative(dice: Dice, input: InitiativeInput): InitiativeResult {
  const rolled = dice.roll(2);
  const modifiers: Modifier[] = [{ label: "pilot", value: input.pilot }];
  if (rulesetOptions(input.ruleset).initiativeThrust === "addThrust") {
    modifiers.push({ label: "thrust", value: input.thrust });
  } else if (input.thrust > input.fastestEnemyThrust) {
    modifiers.push({ label: "faster", value: DM.ceFasterInitiative });
  }
  if (input.tacticsBonus !== 0) modifiers.push({ label: "captain tactics", value: input.tacticsBonus });
  return { dice: rolled, modifiers, total: sum(rolled) + sum(modifiers.map((m) => m.value)) };
}

export interface InitiativeEntry { id: string; initiative: number; thrust: number }

/** Initiative order: higher total first; ties: higher thrust, then ship id ascending. */
export function initiativeOrder(entries: readonly InitiativeEntry[]): string[] {
  return [...entries]
    .sort((a, b) => b.initiative - a.initiative || b.thrust - a.thrust || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => e.id);
}
