// Ruleset options: which damage, initiative and sandcaster model a battle uses.
import { RULESET_OPTIONS, type RulesetOptions } from "../data/rulesets";
import type { Ruleset } from "./model";

export type { RulesetOptions };
export function rulesetOptions(ruleset: Ruleset): RulesetOptions {
  return RULESET_OPTIONS[ruleset];
}
