// Damage. CE: weapon dice - armour -> hits table -> 2D6 hit locations -> system severity, hull then
// structure (structure 0 destroys). 2e style: dice + Effect - armour off hull; criticals.
// Sources: CE SRD, space-combat.html (Damage, Hit location tables); variant: docs/rules.md.
import {
  CE_BEYOND_DOUBLE_PER, CE_BEYOND_MAX, CE_BEYOND_SINGLE_PER, CE_EXTERNAL_LOCATIONS, CE_HITS_TABLE, CE_INTERNAL_LOCATIONS,
  DM, MGT2E_CRITICAL_LOCATIONS, MGT2E_HULL_CRITICAL_DICE, SANDCASTER_DICE, type CeLocation, type Mgt2eLocation,
} from "../data/tables";
import { check, type CheckResult, type Modifier } from "./check";
import { sum, type Dice } from "./dice";
import type { DamageRoll, Ruleset, Severity, Ship, SystemName } from "./model";
import { rulesetOptions } from "./ruleset";

export interface CeHits { single: number; double: number; triple: number }

/** CE damage points (after armour) to hits. */
export function ceHits(points: number): CeHits {
  if (points <= 0) return { single: 0, double: 0, triple: 0 };
  for (const row of CE_HITS_TABLE) {
    if (points <= row.max) return { single: row.single, double: row.double, triple: row.triple };
  }
  const beyond = points - CE_BEYOND_MAX;
  return {
    single: Math.floor(beyond / CE_BEYOND_SINGLE_PER),
    double: Math.floor(beyond / CE_BEYOND_DOUBLE_PER),
    triple: 2,
  };
}

export function ceLocation(roll: number, internal: boolean): CeLocation {
  const loc = (internal ? CE_INTERNAL_LOCATIONS : CE_EXTERNAL_LOCATIONS)[roll];
  if (loc === undefined) throw new Error(`no hit location for a roll of ${roll}`);
  return loc;
}

export function mgt2eCriticalLocation(roll: number): Mgt2eLocation {
  const loc = MGT2E_CRITICAL_LOCATIONS[roll];
  if (loc === undefined) throw new Error(`no critical location for a roll of ${roll}`);
  return loc;
}

const SEVERITY_WORD = ["intact", "damaged", "disabled", "destroyed"] as const;
export const SYSTEM_LABEL: Record<SystemName, string> = {
  sensors: "sensors", mDrive: "M-drive", jDrive: "J-drive", powerPlant: "power plant", fuel: "fuel", bridge: "bridge",
  crew: "crew", hold: "hold", computer: "computer", armour: "armour",
};

/**
 * A copy sharing nothing with `ship`. Its nested parts are one level deep, so spreading them costs
 * about a tenth of a structured clone (two per hit, on every command's path);
 * test/rules/damage.test.ts walks the copy to prove that no object is shared.
 */
export function cloneShip(ship: Ship): Ship {
  return {
    ...ship, systems: { ...ship.systems }, turrets: ship.turrets.map((t) => ({ ...t })), skills: { ...ship.skills },
    actedThisTurn: [...ship.actedThisTurn], lockedOn: [...ship.lockedOn], lockDM: { ...ship.lockDM },
  };
}

/** Raises a severity by `hits` steps (max destroyed); returns the hits left over. */
function raise(current: Severity, hits: number): { after: Severity; overflow: number } {
  const room = 3 - current;
  const used = Math.min(room, hits);
  return { after: (current + used) as Severity, overflow: hits - used };
}

/** CE: hull points, then structure; structure 0 destroys the ship. Mutates `ship` (a clone). */
function ceHullHits(ship: Ship, hits: number, lines: string[]): void {
  if (hits <= 0 || ship.destroyed) return;
  const fromHull = Math.min(ship.hull, hits);
  if (fromHull > 0) {
    ship.hull -= fromHull;
    lines.push(`hull −${fromHull}`);
  }
  const rest = hits - fromHull;
  if (rest > 0) ceStructureHits(ship, rest, lines);
}
function ceStructureHits(ship: Ship, hits: number, lines: string[]): void {
  if (hits <= 0 || ship.destroyed) return;
  const taken = Math.min(ship.structure, hits);
  ship.structure -= taken;
  lines.push(`structure −${taken}`);
  if (ship.structure <= 0) {
    ship.structure = 0;
    ship.destroyed = true;
    lines.push("destroyed");
  }
}

/** Applies one CE hit of `size` (1 single, 2 double, 3 triple) at a location. Mutates `ship`. */
export function applyCeLocationHit(ship: Ship, location: CeLocation, size: number, lines: string[]): void {
  if (ship.destroyed) return;
  if (location === "hull") return ceHullHits(ship, size, lines);
  if (location === "structure") return ceStructureHits(ship, size, lines);
  let overflow = size;
  if (location === "turret") {
    const turret = ship.turrets.find((t) => t.damage < 3);
    if (turret) {
      const r = raise(turret.damage, size);
      turret.damage = r.after;
      overflow = r.overflow;
      lines.push(`turret ${turret.id} ${SEVERITY_WORD[r.after]}`);
    }
  } else if (location === "armour") {
    let left = size;
    while (left > 0 && ship.armour > 0) {
      ship.armour -= 1;
      ship.systems.armour = Math.min(3, ship.systems.armour + 1) as Severity;
      left -= 1;
    }
    if (left < size) lines.push(`armour −${size - left}`);
    overflow = left;
  } else {
    const r = raise(ship.systems[location], size);
    if (r.after !== ship.systems[location]) lines.push(`${SYSTEM_LABEL[location]} ${SEVERITY_WORD[r.after]}`);
    ship.systems[location] = r.after;
    overflow = r.overflow;
  }
  if (overflow > 0) {
    if (ship.hull > 0) ceHullHits(ship, overflow, lines);
    else ceStructureHits(ship, overflow, lines);
  }
}

export interface DamageOutcome {
  ship: Ship;              // a new ship object with the damage applied
  dice: number[];          // every die rolled (damage dice, sand, locations, criticals)
  modifiers: Modifier[];
  damage: number;          // points after armour (and sand)
  text: string;            // e.g. "7 damage − 2 armour → two single hits: sensors damaged, hull −1"
  publicText: string;      // the same without the target's armour: "7 damage → two single hits: …"
  publicModifiers: Modifier[]; // the modifiers without the target's armour
  roll: DamageRoll;        // the damage roll as a roll card shows it: damage dice, Effect, sand, armour = damage
}

export interface SandcasterResult {
  dice: number[];          // every die: the gunner's check, then the sand dice
  value: number;
  modifiers: Modifier[];
  text: string;
  check: CheckResult;      // the sand gunner's Gunnery check
  rolled: number[];        // the sand dice (none when the check failed)
  effectAdded: number;     // 2e style: the check's Effect added to the sand dice (0 in CE)
}

/**
 * The sandcaster reaction against one laser attack. Both rulesets: the caster's gunner makes a
 * Gunnery (SRD: Turret Weapons) check, -2 from a damaged turret; a miss does nothing. On a success,
 * CE (SRD Fire Sand): -1D6 damage; 2e style: 1D + Effect extra armour.
 */
export function rollSandcaster(dice: Dice, ruleset: Ruleset, gunnery: number, turretDamaged = false): SandcasterResult {
  const modifiers: Modifier[] = [{ label: "gunnery", value: gunnery }];
  if (turretDamaged) modifiers.push({ label: "damaged turret", value: DM.damagedTurret });
  const c = check(dice, modifiers);
  if (!c.success) return { dice: c.dice, value: 0, modifiers: [{ label: "sandcaster (failed)", value: 0 }], text: "sand missed", check: c, rolled: [], effectAdded: 0 };
  if (rulesetOptions(ruleset).sandcaster === "checkSubtractsDice") {
    const rolled = dice.roll(SANDCASTER_DICE);
    return { dice: [...c.dice, ...rolled], value: sum(rolled), modifiers: [{ label: "sandcaster", value: -sum(rolled) }], text: `sand −${sum(rolled)}`, check: c, rolled, effectAdded: 0 };
  }
  const rolled = dice.roll(SANDCASTER_DICE);
  const value = Math.max(0, sum(rolled) + c.effect);
  return { dice: [...c.dice, ...rolled], value, modifiers: [{ label: "sandcaster armour", value: -value }], text: `sand +${value} armour`, check: c, rolled, effectAdded: c.effect };
}

export interface DamageInput {
  ruleset: Ruleset;
  damageDice: number;          // number of d6
  effect: number;              // the attack's Effect (added in the 2e style only)
  sand: SandcasterResult | null;
  radiation?: boolean;         // CE particle beam: one extra crew hit when damage gets through
}

const COUNT_WORD = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
function count(n: number, what: string): string {
  return `${COUNT_WORD[n] ?? String(n)} ${what}${n === 1 ? "" : "s"}`;
}

export function describeHits(h: CeHits): string {
  const parts: string[] = [];
  if (h.triple) parts.push(count(h.triple, "triple hit"));
  if (h.double) parts.push(count(h.double, "double hit"));
  if (h.single) parts.push(count(h.single, "single hit"));
  return parts.length ? parts.join(" + ") : "no hits";
}

/** CE: applies `points` (already after armour) as hits, rolling a location per hit. */
export function applyCeHits(dice: Dice, ship: Ship, points: number): { ship: Ship; dice: number[]; hits: CeHits; lines: string[] } {
  const out = cloneShip(ship);
  const hits = ceHits(points);
  const rolled: number[] = [];
  const lines: string[] = [];
  const sizes = [...Array<number>(hits.triple).fill(3), ...Array<number>(hits.double).fill(2), ...Array<number>(hits.single).fill(1)];
  for (const size of sizes) {
    if (out.destroyed) break;
    const loc = dice.roll(2);
    rolled.push(...loc);
    applyCeLocationHit(out, ceLocation(sum(loc), out.hull <= 0), size, lines);
  }
  return { ship: out, dice: rolled, hits, lines };
}

/** 2e style: applies criticals (one per location roll). Mutates `ship`. */
export function applyMgt2eCritical(dice: Dice, ship: Ship, rolled: number[], lines: string[]): void {
  const loc = dice.roll(2);
  rolled.push(...loc);
  const where = mgt2eCriticalLocation(sum(loc));
  if (where === "hull") {
    const extra = dice.roll(MGT2E_HULL_CRITICAL_DICE);
    rolled.push(...extra);
    ship.hull = Math.max(0, ship.hull - sum(extra));
    lines.push(`critical: hull −${sum(extra)}`);
  } else if (where === "weapon") {
    const turret = ship.turrets.find((t) => t.damage < 3);
    if (turret) {
      turret.damage = (turret.damage + 1) as Severity;
      lines.push(`critical: turret ${turret.id} ${SEVERITY_WORD[turret.damage]}`);
    } else lines.push("critical: weapons (none left)");
  } else if (where === "armour") {
    if (ship.armour > 0) ship.armour -= 1;
    ship.systems.armour = Math.min(3, ship.systems.armour + 1) as Severity;
    lines.push(`critical: armour ${SEVERITY_WORD[ship.systems.armour]}`);
  } else {
    ship.systems[where] = Math.min(3, ship.systems[where] + 1) as Severity;
    lines.push(`critical: ${SYSTEM_LABEL[where]} ${SEVERITY_WORD[ship.systems[where]]}`);
  }
}

/** 2e style: hull points lost for `damage`, with criticals; returns a new ship. */
export function applyMgt2eDamage(dice: Dice, ship: Ship, damage: number, effect: number): { ship: Ship; dice: number[]; lines: string[] } {
  const out = cloneShip(ship);
  const rolled: number[] = [];
  const lines: string[] = [];
  if (damage <= 0) return { ship: out, dice: rolled, lines };
  out.hull = Math.max(0, out.hull - damage);
  lines.push(`hull −${damage}`);
  let criticals = effect >= 6 ? 1 : 0;
  const tenths = out.maxHull > 0 ? Math.floor(((out.maxHull - out.hull) * 10) / out.maxHull) : 0;
  if (tenths > out.criticals) {
    criticals += tenths - out.criticals;
    out.criticals = tenths;
  }
  for (let i = 0; i < criticals && out.hull > 0; i++) applyMgt2eCritical(dice, out, rolled, lines);
  if (out.hull <= 0) {
    out.hull = 0;
    out.destroyed = true;
    lines.push("destroyed");
  }
  return { ship: out, dice: rolled, lines };
}

/** Rolls weapon damage and applies it to `ship` by the ruleset's model. */
export function resolveDamage(dice: Dice, ship: Ship, input: DamageInput): DamageOutcome {
  const rolled = dice.roll(input.damageDice);
  const raw = sum(rolled);
  const modifiers: Modifier[] = [];
  const allDice = [...(input.sand?.dice ?? []), ...rolled];
  let damage: number;
  let head: string;
  if (rulesetOptions(input.ruleset).damage === "hits") {
    const sand = input.sand?.value ?? 0;
    if (input.sand) modifiers.push(...input.sand.modifiers);
    modifiers.push({ label: "armour", value: -ship.armour });
    damage = Math.max(0, raw - sand - ship.armour);
    const sandText = input.sand ? (sand ? ` − ${sand} sand` : " (sand missed)") : "";
    head = `${raw} damage${sandText} − ${ship.armour} armour`;
    const applied = applyCeHits(dice, ship, damage);
    allDice.push(...applied.dice);
    const lines = applied.lines;
    if (input.radiation && damage > 0 && !applied.ship.destroyed) {
      applyCeLocationHit(applied.ship, "crew", 1, lines);
    }
    const tail = damage > 0 ? `${describeHits(applied.hits)}: ${lines.join(", ")}` : "no damage";
    const publicHead = `${raw} damage${sandText}`;
    const roll: DamageRoll = {
      dice: rolled, total: damage, hits: damage > 0 ? lines : [],
      modifiers: [...(sand ? [{ label: "sand", value: -sand }] : []), { label: "armour", value: -ship.armour }],
    };
    return { ship: applied.ship, dice: allDice, modifiers, damage, text: `${head} → ${tail}`, publicText: `${publicHead} → ${tail}`, publicModifiers: withoutArmour(modifiers), roll };
  }
  const sandArmour = input.sand?.value ?? 0;
  if (input.effect !== 0) modifiers.push({ label: "effect", value: input.effect });
  if (input.sand) modifiers.push(...input.sand.modifiers);
  modifiers.push({ label: "armour", value: -ship.armour });
  damage = Math.max(0, raw + input.effect - ship.armour - sandArmour);
  head = `${raw}${input.effect ? ` + ${input.effect} effect` : ""} − ${ship.armour + sandArmour} armour`;
  const applied = applyMgt2eDamage(dice, ship, damage, input.effect);
  allDice.push(...applied.dice);
  const tail = damage > 0 ? applied.lines.join(", ") : "no damage";
  const publicHead = `${raw}${input.effect ? ` + ${input.effect} effect` : ""}${sandArmour ? ` vs sand ${sandArmour}` : ""}`;
  const roll: DamageRoll = {
    dice: rolled, total: damage, hits: damage > 0 ? applied.lines : [],
    modifiers: [
      ...(input.effect ? [{ label: "Effect", value: input.effect }] : []),
      ...(sandArmour ? [{ label: "sand", value: -sandArmour }] : []),
      { label: "armour", value: -ship.armour },
    ],
  };
  return { ship: applied.ship, dice: allDice, modifiers, damage, text: `${head} → ${tail}`, publicText: `${publicHead} → ${tail}`, publicModifiers: withoutArmour(modifiers), roll };
}

/** The target's own armour is hidden information; everything else about the roll is not. */
function withoutArmour(modifiers: Modifier[]): Modifier[] {
  return modifiers.filter((m) => m.label !== "armour");
}
