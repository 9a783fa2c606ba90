// The GM's panel: start and end the battle, the turn clock (pause, resume, skip), the undo of
// the last command, corrections with a reason, add and remove ships, free an absent player's
// seat, who is watching, and act for NPC ships and absent crews' ships with the same controls the
// crews have (sent as gm:act). Destructive actions ask for a second click to confirm.
import { LIMITS } from "../src/commands";
import { actionButton, actionPanel } from "./actions";
import type { BattleSession } from "./connection";
import { confirmAction } from "./confirm";
import { field, h, option } from "./dom";
import type { Catalogue } from "./lobby";
import { isOut, list, ship, ships, type AnyState } from "./model";

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
/** The destructive action waiting for its confirming click (its testid), if any. */
const adjustDraft = { shipId: "", hull: "", structure: "", armour: "", turretId: "", ammo: "missiles", amount: "", reason: "" };

/** A destructive action: the button asks first in the page's confirmation dialog (./confirm.ts). */
function confirmed(label: string, testid: string, why: string | undefined, question: string, onConfirm: () => void, message = "Everyone at the table sees it."): HTMLElement {
  return actionButton(label, testid, why, () => {
    void confirmAction({ title: question, message, confirm: label }).then((yes) => { if (yes) onConfirm(); });
  });
}

/** The spectators list lives outside the re-rendered panel: it changes on its own message. */
let spectatorBox: HTMLElement | undefined;
function spectators(session: BattleSession): HTMLElement {
  if (!spectatorBox) {
    const box = h("ul", { class: "plain", testid: "gm-spectators", "aria-live": "polite" });
    const fill = (list: { id: string; name: string }[]) => {
      box.replaceChildren(...(list.length ? list.map((v) => h("li", { testid: "gm-spectator", "data-id": v.id }, v.name)) : [h("li", { class: "muted" }, "Nobody is watching.")]));
    };
    fill(session.spectators);
    session.onSpectators(fill);
    spectatorBox = box;
  }
  return spectatorBox;
}

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
  const end = confirmed("End battle", "gm-end", state.phase === "ended" ? "the battle is over" : undefined, "End the battle?",
    () => gm("gm:end", { winner: winnerSel.value, reason: reasonSel.value }), "The battle ends for everyone now; it cannot be resumed.");

  // ---- the turn clock, corrections ----
  const combatWhy = state.phase !== "combat" ? (state.phase === "setup" ? "the battle has not started" : "the battle is over") : undefined;
  const pause = state.paused
    ? actionButton("Resume turn clock", "gm-resume", undefined, () => gm("gm:resume"))
    : actionButton("Pause turn clock", "gm-pause", combatWhy, () => gm("gm:pause"));
  const activeName = ship(state, state.activeShipId)?.name;
  const skip = actionButton(activeName ? `Skip ${activeName}'s turn` : "Skip turn", "gm-skip", combatWhy, () => { session.command("gm:skipTurn", {}); });
  const undo = confirmed("Undo last command", "gm-undo", state.result?.reason === "idle" ? "the battle was closed for idleness" : undefined,
    "Undo the last command?", () => gm("gm:undo"), "The last accepted command is taken back for everyone; the log keeps it, marked as a GM correction.");

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
  // The ship is the one chosen when the button is pressed, named in the question.
  const remove = actionButton("Remove ship", "gm-remove", state.phase === "ended" ? "the battle is over" : present.length === 0 ? "no ship to remove" : undefined, () => {
    const id = removeSel.value;
    void confirmAction({ title: "Remove this ship?", message: `${ship(state, id)?.name ?? id} leaves the battle for good.`, confirm: "Remove ship" })
      .then((yes) => { if (yes) gm("gm:removeShip", { shipId: id }); });
  });

  // ---- seats: a player whose page is closed can be replaced ----
  const players = list(state.crew).filter((c: any) => c.role === "player");
  const seatsList = h("ul", { class: "plain", testid: "gm-seats" }, players.length === 0 ? h("li", { class: "muted" }, "No player seated.") : players.map((c: any) =>
    h("li", { testid: `gm-seat-${c.id}`, "data-connected": String(c.connected) },
      `${c.name} – ${ship(state, c.shipId)?.name ?? c.shipId} (${c.connected ? "connected" : "offline"}) `,
      confirmed("Free seat", `gm-release-${c.id}`, c.connected ? "the player is connected" : undefined,
        `Free ${c.name}'s seat?`, () => gm("gm:releaseSeat", { seatId: c.id }), `A new player may take it; ${c.name} can no longer come back to it.`))));

  // ---- a correction, with its reason shown to the table ----
  const adjustShips = ships(state).filter((s) => !isOut(s));
  if (!adjustShips.some((s) => s.id === adjustDraft.shipId)) adjustDraft.shipId = adjustShips[0]?.id ?? "";
  const adjShip = ship(state, adjustDraft.shipId);
  const num = (key: "hull" | "structure" | "armour" | "amount", label: string, max: number) => {
    const el = h("input", { type: "number", min: 0, max, step: 1, testid: `gm-adjust-${key}`, value: adjustDraft[key], placeholder: "unchanged" });
    el.addEventListener("input", () => { adjustDraft[key] = el.value; });
    return field(label, el, "inline");
  };
  const adjSel = h("select", { testid: "gm-adjust-ship" }, adjustShips.map((s) => option(s.id, `${s.name} (${s.id})`, s.id === adjustDraft.shipId)));
  adjSel.addEventListener("change", () => { adjustDraft.shipId = adjSel.value; ctx.refresh(); });
  const ammoTurrets = list(adjShip?.turrets).filter((t: any) => t.weapon === "missileRack" || t.weapon === "sandcaster");
  const turretSel = h("select", { testid: "gm-adjust-turret" }, option("", "no ammunition change"), ammoTurrets.map((t: any) => option(t.id, `${t.id} (${t.weapon === "sandcaster" ? "sand" : "missiles"})`, t.id === adjustDraft.turretId)));
  turretSel.addEventListener("change", () => { adjustDraft.turretId = turretSel.value; });
  const ammoSel = h("select", { testid: "gm-adjust-ammo" }, option("missiles", "Missiles", adjustDraft.ammo === "missiles"), option("smartMissiles", "Smart missiles", adjustDraft.ammo === "smartMissiles"), option("sand", "Sand", adjustDraft.ammo === "sand"));
  ammoSel.addEventListener("change", () => { adjustDraft.ammo = ammoSel.value; });
  const reasonIn = h("input", { testid: "gm-adjust-reason", maxlength: LIMITS.adjustReason, value: adjustDraft.reason, placeholder: "shown to the table" });
  reasonIn.addEventListener("input", () => { adjustDraft.reason = reasonIn.value; });
  const adjust = actionButton("Correct", "gm-adjust", state.phase === "ended" ? "the battle is over" : !adjShip ? "no ship" : undefined, () => {
    const fields: Record<string, unknown> = { shipId: adjustDraft.shipId, reason: adjustDraft.reason.trim() };
    for (const k of ["hull", "structure", "armour"] as const) if (adjustDraft[k] !== "") fields[k] = Number(adjustDraft[k]);
    if (adjustDraft.turretId && adjustDraft.amount !== "") {
      fields.turretId = adjustDraft.turretId;
      fields[adjustDraft.ammo] = Number(adjustDraft.amount);
    }
    gm("gm:adjust", fields);
  });

  // ---- act for an NPC ship, or a player ship whose crew is absent ----
  const crewOnline = new Set(list(state.crew).filter((c: any) => c.role === "player" && c.connected).map((c: any) => c.shipId));
  const npcs = ships(state).filter((s) => !isOut(s) && (s.side === "npc" || !crewOnline.has(s.id)));
  const turnKey = `${state.round}:${state.turnIndex}:${state.activeShipId}`;
  const active = ship(state, state.activeShipId);
  if (turnKey !== lastTurn) {
    lastTurn = turnKey;
    if (active && npcs.includes(active)) actingFor = active.id;
  }
  if (!actingFor || !npcs.some((s) => s.id === actingFor)) actingFor = npcs[0]?.id;
  const actSel = h("select", { testid: "gm-acting", "data-key": "gm-acting" },
    npcs.map((s) => option(s.id, `${s.name} (${s.id})${s.side === "players" ? " – crew absent" : ""}${s.id === state.activeShipId ? " – acting now" : ""}`, s.id === actingFor)));
  actSel.addEventListener("change", () => { actingFor = actSel.value; ctx.refresh(); });
  const shipId = actingFor;

  return h("div", { class: "gm" },
    h("div", { class: "row wrap" }, start, field("Winner", winnerSel, "inline"), field("Reason", reasonSel, "inline"), end),
    h("h4", {}, "Turn clock"),
    h("p", { class: "muted", testid: "gm-clock" }, state.paused ? "Paused: no turn times out until you resume." : state.phase === "combat" ? "Running." : "Not running."),
    h("div", { class: "row wrap" }, pause, skip, undo),
    h("h4", {}, "Correction"),
    h("div", { class: "row wrap" }, field("Ship", adjSel, "inline"),
      num("hull", `Hull${adjShip?.maxHull ? ` (of ${adjShip.maxHull})` : ""}`, adjShip?.maxHull ?? 2000),
      num("structure", `Structure${adjShip?.maxStructure ? ` (of ${adjShip.maxStructure})` : ""}`, adjShip?.maxStructure ?? 2000),
      num("armour", "Armour", 30)),
    h("div", { class: "row wrap" }, field("Turret", turretSel, "inline"), field("Ammunition", ammoSel, "inline"), num("amount", "Amount", 400)),
    h("div", { class: "row wrap" }, field("Reason", reasonIn, "inline"), adjust),
    h("h4", {}, "Fleet"),
    h("div", { class: "row wrap" }, field("Side", sideSel, "inline"), field("Name", nameIn, "inline"), field("Class", classSel, "inline"), add),
    h("div", { class: "row wrap" }, field("Ship", removeSel, "inline"), remove),
    h("h4", {}, "Players"),
    seatsList,
    h("h4", {}, "Spectators"),
    spectators(session),
    h("h4", {}, "Act for a ship"),
    npcs.length && shipId
      ? [h("div", { class: "row wrap" }, field("Ship", actSel, "inline")),
         actionPanel({
           state, shipId, positions: ALL_POSITIONS, gm: true, refresh: ctx.refresh,
           send: (type, fields) => { session.command("gm:act", { shipId, command: { type, ...fields } }); },
         })]
      : h("p", { class: "muted" }, "No NPC ship or absent crew's ship to command."));
}

