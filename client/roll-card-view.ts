// The DOM of roll cards: the latest-cards strip at the top of the battle and the full combat log.
// The cards' content comes from roll-card.ts; this file only lays it out.
import { h } from "./dom";
import { shipName, type AnyState } from "./model";
import { actionWords, cardText, groupCards, headline, rollCard, signed, type RollCard, type WireLogEntry } from "./roll-card";

/** The combat log as the session holds it (not state: `log` messages), oldest first. */
export type Log = readonly WireLogEntry[];

/** How many cards the latest strip shows (a phone shows the newest one only: styles.css). */
export const LATEST_CARDS = 3;

export function cardsOf(s: AnyState, log: Log): RollCard[] {
  return log.map((e) => rollCard(e, (id) => shipName(s, id)));
}

function dm(label: string, value: number): HTMLElement {
  return h("span", { class: "dm" }, `${signed(value)} ${label}`);
}

function cardEl(c: RollCard, testid: string): HTMLElement {
  const attrs: Record<string, string> = { class: "card", testid, "data-seq": String(c.seq) };
  // The card's numbers as data, for tests and tools reading the page (what the text shows, no more).
  if (c.check) Object.assign(attrs, { "data-dice": c.check.dice.join(","), "data-dms": c.check.modifiers.map((m) => m.value).join(","), "data-total": String(c.check.total) });
  if (c.check?.need !== undefined) attrs["data-need"] = String(c.check.need);
  if (c.damage) Object.assign(attrs, { "data-damage-dice": c.damage.dice.join(","), "data-damage-dms": c.damage.modifiers.map((m) => m.value).join(",") });
  if (c.damage?.total !== undefined) attrs["data-damage-total"] = String(c.damage.total);
  const parts: (HTMLElement | string | null)[] = [h("div", { class: "card-head" }, headline(c))];
  if (c.check) {
    const k = c.check;
    parts.push(h("div", { class: "card-roll", testid: "card-check" },
      h("span", { class: "dice", testid: "card-dice" }, k.dice.length ? `2D6 ${k.dice.join("+")}` : ""),
      ...k.modifiers.map((m) => dm(m.label, m.value)),
      h("strong", { testid: "card-total" }, ` = ${k.total}`),
      k.need !== undefined ? h("span", { class: "need" }, ` vs ${k.need}+`) : null,
      k.outcome ? h("span", { class: `outcome ${(k.effect ?? 0) >= 0 ? "good" : "bad"}`, testid: "card-outcome" }, ` ${k.outcome}, Effect ${signed(k.effect ?? 0)}`) : null));
  }
  if (c.damage) {
    const d = c.damage;
    parts.push(h("div", { class: "card-roll card-damage", testid: "card-damage" },
      h("span", { class: "dice" }, `${d.label} ${d.dice.join("+")}`),
      ...d.modifiers.map((m) => dm(m.label, m.value)),
      d.armourHidden ? h("span", { class: "dm muted" }, "− armour") : null,
      d.total !== undefined ? h("strong", { testid: "card-damage-total" }, ` = ${d.total}`) : null));
    if (d.hits.length) parts.push(h("ul", { class: "plain card-hits", testid: "card-hits" }, d.hits.map((x) => h("li", {}, x))));
  }
  parts.push(h("div", { class: "card-result small muted" }, c.result));
  return h("li", attrs, ...parts);
}

function groupEl(g: RollCard[], testid: string): HTMLElement {
  if (g.length === 1) return cardEl(g[0]!, testid);
  // A volley may open with the target's dodge check or carry its sand: the head names the shots.
  const shots = g.filter((c) => c.verb === actionWords("fire", true));
  const lead = shots[0] ?? g[0]!;
  return h("li", { class: "volley", testid: "volley", "data-seq": String(g[0]!.seq) },
    h("div", { class: "card-head" }, `${headline(lead)}: a volley of ${shots.length || g.length}`),
    h("ol", { class: "plain" }, g.map((c) => cardEl(c, testid))));
}

/** The newest cards, newest first: in the sticky head, so always in view whatever the page's scroll. */
export function latestCards(s: AnyState, log: Log): HTMLElement {
  const cards = cardsOf(s, log).filter((c) => c.check || c.damage).slice(-LATEST_CARDS).reverse();
  if (!cards.length) return h("p", { class: "muted small" }, "The newest rolls show here.");
  return h("ol", { class: "plain latest-cards" }, cards.map((c) => cardEl(c, "latest-card")));
}

/** What the screen reader announces for the newest entries (after `sinceSeq`). */
export function announcement(s: AnyState, log: Log, sinceSeq: number): string {
  return cardsOf(s, log).filter((c) => c.seq > sinceSeq && (c.check || c.damage)).map(cardText).join(". ");
}

/** The whole log, oldest first, by round; the newest card is the last one. */
export function combatLog(s: AnyState, log: Log): HTMLElement {
  const cards = cardsOf(s, log);
  if (!cards.length) return h("p", { class: "muted" }, "Nothing has happened yet.");
  const rounds = new Map<number, RollCard[]>();
  for (const c of cards) rounds.set(c.round, [...(rounds.get(c.round) ?? []), c]);
  return h("div", { class: "log-rounds" }, [...rounds.entries()].map(([round, cs]) =>
    h("section", { class: "log-round", testid: "log-round", "data-round": String(round) },
      h("h4", {}, round === 0 ? "Setup" : `Round ${round}`),
      h("ol", { class: "plain" }, groupCards(cs).map((g) => groupEl(g, "log-entry"))))));
}
