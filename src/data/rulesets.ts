// What distinguishes the two rulesets, as data: the rules functions branch on these options.
// `ce` follows the Cepheus Engine SRD (space-combat.html); a battle's house rules (docs/rules.md,
// "House rules") replace some of its options, see HOUSE_RULE_OPTIONS.
import type { HouseRule, Ruleset } from "../rules/model";

export interface RulesetOptions {
  /** "hits": CE dice - armour to single/double/triple hits; "hullPoints": 2e style, off hull points. */
  damage: "hits" | "hullPoints";
  /** "fasterBonus": CE +1 to the faster ship; "addThrust": 2e style, thrust added to initiative. */
  initiativeThrust: "fasterBonus" | "addThrust";
  /**
   * "oncePerBattle": SRD, 2D6 (+1 faster) rolled once, never re-rolled, no Pilot skill;
   * "everyRound": re-rolled at each round start with the Pilot skill added.
   */
  initiative: "oncePerBattle" | "everyRound";
  /**
   * The captain's `coordinate` initiative. "leadershipEffect": SRD Increase Initiative, a Leadership
   * check whose Effect is added for the following round only; "tacticsAtLeastOne": 2e style, a
   * Tactics check adding max(1, Effect) to the next roll.
   */
  increaseInitiative: "leadershipEffect" | "tacticsAtLeastOne";
  /**
   * "checkSubtractsDice": SRD Fire Sand, a Turret Weapons (Gunnery) check, success -1D6 damage;
   * "armourCheck": 2e style, a Gunnery check for 1D + Effect armour.
   */
  sandcaster: "checkSubtractsDice" | "armourCheck";
  /** "pilotCheck": SRD, the dodge is a Pilot check, -2 to the attack on success; "automatic": always -2. */
  dodge: "pilotCheck" | "automatic";
  /** How long a sensor lock lasts: "round" (SRD: "this turn") or "battle" (while the sensors work). */
  sensorLockLasts: "round" | "battle";
  /** SRD: a sensor lock with an exceptional success gives DM.sensorLockExceptional instead of DM.sensorLock. */
  sensorLockExceptional: boolean;
  /** The DM on sensor lock checks with damaged sensors (SRD Sensors, first hit: -2 to Comms checks to use sensors). */
  damagedSensorsDM: number;
  /**
   * "alwaysEightPlus": SRD, a smart missile needs 8+ on every attack whatever the launch (no launch
   * roll, so no sensor-lock or captain's DM); "launchRoll": the launch roll's Effect sets the first attack.
   */
  smartMissiles: "alwaysEightPlus" | "launchRoll";
}

export const RULESET_OPTIONS: Readonly<Record<Ruleset, RulesetOptions>> = {
  ce: {
    damage: "hits", initiativeThrust: "fasterBonus", initiative: "oncePerBattle", increaseInitiative: "leadershipEffect",
    sandcaster: "checkSubtractsDice", dodge: "pilotCheck", sensorLockLasts: "round", sensorLockExceptional: true,
    damagedSensorsDM: -2, smartMissiles: "alwaysEightPlus",
  },
  mgt2e: {
    damage: "hullPoints", initiativeThrust: "addThrust", initiative: "everyRound", increaseInitiative: "tacticsAtLeastOne",
    sandcaster: "armourCheck", dodge: "automatic", sensorLockLasts: "battle", sensorLockExceptional: false,
    damagedSensorsDM: -1, smartMissiles: "launchRoll",
  },
};

/** What each house rule, when switched on, sets in place of the ruleset's option. */
export const HOUSE_RULE_OPTIONS: Readonly<Record<HouseRule, Partial<RulesetOptions>>> = {
  rerollInitiative: { initiative: "everyRound" },
  persistentSensorLock: { sensorLockLasts: "battle" },
};
