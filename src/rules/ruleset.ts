// Ruleset options: which damage, initiative, reaction, sensor and missile model a battle uses,
// after its house rules (docs/rules.md) replace some of the ruleset's own options.
import { HOUSE_RULE_OPTIONS, RULESET_OPTIONS, type RulesetOptions } from "../data/rulesets";
import { HOUSE_RULES, type HouseRules, type Ruleset } from "./model";

export type { RulesetOptions };

/** The options of a ruleset as written (no house rules). */
export function rulesetOptions(ruleset: Ruleset): RulesetOptions {
  return RULESET_OPTIONS[ruleset];
}

/** The options a battle plays by: its ruleset's, with each house rule that is on applied over them. */
export function battleRules(ruleset: Ruleset, house: HouseRules | undefined): RulesetOptions {
  const base = RULESET_OPTIONS[ruleset];
  if (!house) return base;
  const on = HOUSE_RULES.filter((r) => house[r] === true);
  return on.length === 0 ? base : Object.assign({}, base, ...on.map((r) => HOUSE_RULE_OPTIONS[r]));
}
