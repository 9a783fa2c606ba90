// What distinguishes the two rulesets, as data: the rules functions branch on these options.
import type { Ruleset } from "../rules/model";

export interface RulesetOptions {
  /** "hits": CE dice - armour to single/double/triple hits; "hullPoints": 2e style, off hull points. */
  damage: "hits" | "hullPoints";
  /** "fasterBonus": CE +1 to the faster ship; "addThrust": 2e style, thrust added to initiative. */
  initiativeThrust: "fasterBonus" | "addThrust";
  /** "subtractDice": CE -1D6 damage; "armourCheck": 2e style, a Gunnery check for 1D + Effect armour. */
  sandcaster: "subtractDice" | "armourCheck";
}

export const RULESET_OPTIONS: Readonly<Record<Ruleset, RulesetOptions>> = {
  ce: { damage: "hits", initiativeThrust: "fasterBonus", sandcaster: "subtractDice" },
  mgt2e: { damage: "hullPoints", initiativeThrust: "addThrust", sandcaster: "armourCheck" },
};
