// The range display: for each players' ship, a ladder of the seven bands with every enemy ship on
// its rung, and the missiles in flight between them with the round they arrive. Updated with the
// state like every panel.
import { RANGE_BANDS } from "../src/rules/model";
import { h } from "./dom";
import { bandLabel } from "./labels";
import { isOut, list, rangeBetween, ships, type AnyState } from "./model";

function missilesBetween(s: AnyState, a: string, b: string): any[] {
  return list(s.missiles).filter((m) => (m.fromShipId === a && m.targetId === b) || (m.fromShipId === b && m.targetId === a));
}

export function rangeLadders(s: AnyState): HTMLElement {
  const all = ships(s).filter((x) => !isOut(x));
  const own = all.filter((x) => x.side === "players");
  const enemies = all.filter((x) => x.side === "npc");
  if (!own.length || !enemies.length) return h("p", { class: "muted" }, "No ranges: a side has no ship in the fight.");
  return h("div", { class: "ladders" }, own.map((p) => h("div", { class: "ladder", testid: `ladder-${p.id}` },
    h("h5", {}, p.name),
    h("ol", { class: "plain bands" }, RANGE_BANDS.map((band) => {
      const here = enemies.filter((n) => rangeBetween(s, p.id, n.id) === band);
      return h("li", { class: `band${here.length ? " occupied" : ""}`, "data-band": band },
        h("span", { class: "band-name" }, bandLabel(band)),
        here.map((n) => {
          const ms = missilesBetween(s, p.id, n.id);
          const next = ms.length ? Math.min(...ms.map((m) => m.arriveRound)) : 0;
          return h("span", { class: "ladder-ship side-npc", testid: `ladder-${p.id}-${n.id}`, "data-band": band },
            n.name, ms.length ? h("span", { class: "small muted" }, ` · ${ms.length} missile${ms.length === 1 ? "" : "s"} in flight, next round ${next}`) : null);
        }));
    })))));
}
