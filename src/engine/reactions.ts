// Reactions that trigger inside another ship's action: the target's readied dodge.
import { rollDodge } from "../rules/pilot";
import type { Dice } from "../rules/dice";
import type { Battle, LogEntry, Ship } from "../rules/model";
import { battleRules } from "../rules/ruleset";
import { emit, rolled } from "./log";

/**
 * Spends the target's readied dodge (if any) on the attack about to be rolled and says whether
 * the attack takes the dodge's -2. CE (SRD Dodge Incoming Fire): the pilot makes a Pilot check
 * first, logged before the attack; 2e style: the dodge always works.
 */
export function spendDodge(battle: Battle, dice: Dice, events: LogEntry[], target: Ship, against: string): boolean {
  if (!target.dodgeReady) return false;
  target.dodgeReady = false;
  if (battleRules(battle.ruleset, battle.houseRules).dodge === "automatic") return true;
  const c = rollDodge(dice, target.skills.pilot);
  emit(battle, events, {
    actor: target.id, action: "dodgeCheck", ...rolled(c),
    result: c.success ? `Dodges ${against}: −2 to the attack` : `Fails to dodge ${against}`,
  });
  return c.success;
}
