// Roll cards: one combat-log entry as the table reads it. Who did what to whom; the check's 2D6,
// each DM by name, the total against its target number, success or failure and the Effect; then
// the damage dice, the Effect (2e style), the sand and the target's armour = the damage, and what
// each hit did, by location. Pure functions of a log entry as its `log` message brings it (no DOM): the battle view
// renders them, test/client/roll-card.test.ts checks their sums against the engine's events.
import { unpackDice, unpackLines, unpackModifiers } from "../src/commands/log-fields";
import type { WireLogEntry } from "../src/commands/log-wire";

export type { WireLogEntry };

export interface CardModifier { label: string; value: number }

export interface CheckPart {
  dice: number[];
  modifiers: CardModifier[];
  total: number;
  need?: number;          // the target number (absent: a plain roll such as initiative)
  effect?: number;
  outcome?: string;       // "Hit", "Miss", "Success", "Failure"
}

export interface DamagePart {
  label: string;          // "Damage" or "Sand"
  dice: number[];
  modifiers: CardModifier[];
  /** The damage after armour; undefined when this seat may not see the target's armour. */
  total?: number;
  armourHidden: boolean;
  hits: string[];
}

export interface RollCard {
  seq: number;
  round: number;
  group: number;          // the volley's first seq, or the entry's own seq
  actor: string;          // a name: a ship's, "GM" or "System"
  verb: string;           // human wording of the action
  target?: string;        // a ship's name (or a missile's description)
  check?: CheckPart;
  damage?: DamagePart;
  result: string;
}

const VERBS: Record<string, string> = {
  fire: "fires at", launchMissile: "launches missiles at", missileArrives: "'s missile arrives at", missileLost: "'s missile is lost: no target",
  useSandcaster: "readies a sandcaster", sandcaster: "casts sand against", dodge: "readies a dodge", dodgeCheck: "dodges",
  evade: "takes evasive action", changeRange: "manoeuvres against", repair: "repairs", sensorLock: "locks sensors on",
  coordinate: "coordinates the crew", initiative: "rolls initiative", endTurn: "ends its turn", timeout: "turn timed out",
  round: "new round", order: "initiative order", start: "starts the battle", end: "ends the battle", removeShip: "removes a ship",
  addShip: "adds a ship", idleEnd: "battle left idle",
};

/** The human wording of an action or engine event (never the protocol's identifier). */
export function actionWords(action: string, hasDice: boolean): string {
  // "pointDefense" is both the readying command (no dice) and the end-of-round shot at a missile.
  if (action === "pointDefense") return hasDice ? "fires point defence at" : "readies point defence";
  return VERBS[action] ?? action.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** A DM's name in words: "range very long", never the band's identifier. */
const words = (label: string) => label.replace(/([a-z])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`);
const mods = (v: unknown): CardModifier[] => unpackModifiers(v).map((m) => ({ label: words(m.label), value: m.value }));
const nums = unpackDice;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** True for the actions whose check is an attack: the card says Hit or Miss. */
const ATTACKS = new Set(["fire", "missileArrives", "pointDefense"]);

export function rollCard(e: WireLogEntry, name: (id: string) => string): RollCard {
  const dice = nums(e.dice);
  const modifiers = mods(e.modifiers);
  const hasCheck = dice.length > 0 || modifiers.length > 0;
  const need = e.need ? e.need : undefined;
  const check: CheckPart | undefined = hasCheck
    ? {
        dice, modifiers, total: e.total ?? 0,
        ...(need !== undefined ? {
          need, effect: e.effect ?? 0,
          outcome: (e.effect ?? 0) >= 0 ? (ATTACKS.has(e.action) ? "Hit" : "Success") : (ATTACKS.has(e.action) ? "Miss" : "Failure"),
        } : {}),
      }
    : undefined;
  const damageDice = nums(e.damageDice);
  let damage: DamagePart | undefined;
  if (damageDice.length) {
    // The entitled seats get the modifiers with the target's armour and the damage; others get
    // the public modifiers and no total (it would give the armour away).
    const detailMods = mods(e.detailModifiers);
    const hidden = e.damageTotal === -1;
    const seen = hidden && detailMods.length > 0;
    damage = {
      label: e.action === "sandcaster" ? "Sand" : "Damage",
      dice: damageDice,
      modifiers: seen ? detailMods : mods(e.damageModifiers),
      total: !hidden ? e.damageTotal : seen ? e.detailDamageTotal ?? 0 : undefined,
      armourHidden: hidden && !seen,
      hits: unpackLines(e.hits),
    };
  }
  const target = e.target ? (e.target.startsWith("m") && /^m\d+$/.test(e.target) ? "a missile" : name(e.target)) : undefined;
  return {
    seq: e.seq, round: e.round, group: e.volley || e.seq,
    actor: e.actor === "gm" ? "GM" : e.actor === "system" ? "System" : name(e.actor),
    verb: actionWords(e.action, dice.length > 0),
    ...(target !== undefined ? { target } : {}),
    ...(check ? { check } : {}),
    ...(damage ? { damage } : {}),
    result: e.detail || e.result,
  };
}

/** The sum the check's dice and DMs come to (its total, when the card is right). */
export function checkSum(c: CheckPart): number {
  return sum(c.dice) + sum(c.modifiers.map((m) => m.value));
}

/** The damage the dice and modifiers come to (never below 0), when the card shows a total. */
export function damageSum(d: DamagePart): number {
  return Math.max(0, sum(d.dice) + sum(d.modifiers.map((m) => m.value)));
}

/** Cards grouped by volley (one turret's shots together), in log order. */
export function groupCards(cards: RollCard[]): RollCard[][] {
  const groups: RollCard[][] = [];
  for (const c of cards) {
    const last = groups.at(-1);
    if (last && last[0]!.group === c.group && c.group !== c.seq) last.push(c);
    else groups.push([c]);
  }
  return groups;
}

/** A DM as a card prints it: "+1 gunnery", "−2 range long". */
export function signed(value: number): string {
  return `${value >= 0 ? "+" : "−"}${Math.abs(value)}`;
}

/** "Lance fires at Corsair", "Corsair's missile arrives at Lance". */
export function headline(c: RollCard): string {
  return `${c.actor}${c.verb.startsWith("'") ? "" : " "}${c.verb}${c.target && !c.verb.endsWith(": no target") ? ` ${c.target}` : ""}`;
}

/** One line of text for a card (the screen-reader announcement and the card's plain summary). */
export function cardText(c: RollCard): string {
  const parts = [headline(c)];
  if (c.check) {
    const roll = `${c.check.dice.join("+") || "0"}${c.check.modifiers.map((m) => ` ${signed(m.value)} ${m.label}`).join("")} = ${c.check.total}`;
    parts.push(c.check.need !== undefined ? `${roll} vs ${c.check.need}+: ${c.check.outcome}, Effect ${signed(c.check.effect ?? 0)}` : roll);
  }
  if (c.damage) {
    const d = c.damage;
    const roll = `${d.label} ${d.dice.join("+")}${d.modifiers.map((m) => ` ${signed(m.value)} ${m.label}`).join("")}${d.armourHidden ? " − armour" : ""}`;
    parts.push(d.total !== undefined ? `${roll} = ${d.total}` : roll);
    if (d.hits.length) parts.push(d.hits.join(", "));
  }
  if (!c.check && !c.damage) parts.push(c.result);
  return parts.join(" · ");
}
