// The GM's panel: start and end the battle, add and remove ships, and act for NPC ships
// with the same controls the crews have (sent as gm:act).
import { LIMITS } from "../src/commands";
import { actionButton, actionPanel } from "./actions";
import type { BattleSession } from "./connection";
import { confirmAction } from "./confirm";
import { field, h, option } from "./dom";
import type { Catalogue } from "./lobby";
import { isOut, ship, ships, type AnyState } from "./model";

const ALL_POSITIONS = ["pilot", "gunner", "engineer", "captain", "sensors"] as const;

let actingFor: string | undefined;
/** The GM's half-filled choices survive the panel's re-renders. */
const draft = { winner: "players", reason: "gm", side: "npc", name: "Reinforcement", className: "", removeId: "" };
function keep<T extends HTMLInputElement | HTMLSelectElement>(el: T, key: keyof typeof draft): T {
  if (draft[key]) el.value = draft[key];
  el.addEventListener(el instanceof HTMLInputElement ? "input" : "change", () => { draft[key] = el.value; });
  el.dataset.key = `gm-draft-${key}`;
  return el;
}
let lastTurn = "";

export function gmPanel(ctx: { state: AnyState; session: BattleSession; catalogue: Catalogue; refresh: () => void }): HTMLElement {
  const { state, session } = ctx;
  const gm = (type: string, fields: Record<string, unknown> = {}) => { session.command(type, fields, false); };

  // ---- battle ----
  const sides = new Set(ships(state).filter((s) => !isOut(s)).map((s) => s.side));
  const start = actionButton("Start battle", "gm-start",
    state.phase !== "setup" ? "the battle has already started" : sides.size < 2 ? "needs a ship on each side" : undefined,
    () => gm("gm:start"));
  const winnerSel = keep(h("select", { testid: "gm-winner" },
    option("players", "Players win"), option("npc", "NPCs win"), option("draw", "Draw")), "winner");
  const reasonSel = keep(h("select", { testid: "gm-reason" },
    option("gm", "GM decision"), option("surrender", "Surrender"), option("escape", "Escape")), "reason");
  const end = actionButton("End battle", "gm-end", state.phase === "ended" ? "the battle is over" : undefined,
    () => {
      const fields = { winner: winnerSel.value, reason: reasonSel.value };
      void confirmAction({ title: "End the battle?", message: "The battle ends for everyone now; it cannot be resumed.", confirm: "End battle" })
        .then((yes) => { if (yes) gm("gm:end", fields); });
    });

  // ---- fleet ----
  const sideSel = keep(h("select", { testid: "gm-add-side" }, option("npc", "NPC"), option("players", "Players")), "side");
  const nameIn = keep(h("input", { testid: "gm-add-name", maxlength: LIMITS.name }), "name");
  const classSel = keep(h("select", { testid: "gm-add-class" }, Object.values(ctx.catalogue).map((c) => option(c.key, c.displayName))), "className");
  const add = actionButton("Add ship", "gm-add", state.phase === "ended" ? "the battle is over" : undefined,
    () => gm("gm:addShip", { ship: { side: sideSel.value, name: nameIn.value.trim() || "Reinforcement", className: classSel.value } }));
  // A ship removed in combat stays in the state, marked escaped: only ships still in the fight can be removed.
  const present = ships(state).filter((s) => !isOut(s));
  const removeSel = h("select", { testid: "gm-remove-ship", "data-key": "gm-remove-ship" }, present.map((s) => option(s.id, `${s.name} (${s.id})`, s.id === draft.removeId)));
  removeSel.addEventListener("change", () => { draft.removeId = removeSel.value; });
  const remove = actionButton("Remove ship", "gm-remove",
    state.phase === "ended" ? "the battle is over" : present.length === 0 ? "no ship to remove" : undefined,
    () => {
      const id = removeSel.value;
      void confirmAction({ title: "Remove this ship?", message: `${ship(state, id)?.name ?? id} leaves the battle for good.`, confirm: "Remove ship" })
        .then((yes) => { if (yes) gm("gm:removeShip", { shipId: id }); });
    });

  // ---- act for an NPC ship ----
  const npcs = ships(state).filter((s) => s.side === "npc" && !isOut(s));
  const turnKey = `${state.round}:${state.turnIndex}:${state.activeShipId}`;
  const active = ship(state, state.activeShipId);
  if (turnKey !== lastTurn) {
    lastTurn = turnKey;
    if (active && active.side === "npc") actingFor = active.id;
  }
  if (!actingFor || !npcs.some((s) => s.id === actingFor)) actingFor = npcs[0]?.id;
  const actSel = h("select", { testid: "gm-acting", "data-key": "gm-acting" },
    npcs.map((s) => option(s.id, `${s.name} (${s.id})${s.id === state.activeShipId ? " – acting now" : ""}`, s.id === actingFor)));
  actSel.addEventListener("change", () => { actingFor = actSel.value; ctx.refresh(); });
  const shipId = actingFor;

  return h("div", { class: "gm" },
    h("div", { class: "row wrap" }, start, field("Winner", winnerSel, "inline"), field("Reason", reasonSel, "inline"), end),
    h("h4", {}, "Fleet"),
    h("div", { class: "row wrap" }, field("Side", sideSel, "inline"), field("Name", nameIn, "inline"), field("Class", classSel, "inline"), add),
    h("div", { class: "row wrap" }, field("Ship", removeSel, "inline"), remove),
    h("h4", {}, "Act for an NPC ship"),
    npcs.length && shipId
      ? [h("div", { class: "row wrap" }, field("NPC ship", actSel, "inline")),
         actionPanel({
           state, shipId, positions: ALL_POSITIONS, gm: true, refresh: ctx.refresh,
           send: (type, fields) => { session.command("gm:act", { shipId, command: { type, ...fields } }); },
         })]
      : h("p", { class: "muted" }, "No NPC ship left to command."));
}

