// The lobby: the live list of open battles, the GM's "create a battle" form and the
// player's "join" form.
import { createOptionsSchema, LIMITS, type CreateOptions } from "../src/commands";
import { RANGE_BANDS, ROLES, RULESETS } from "../src/rules/model";
import type { ShipClass } from "../src/data/ships";
import { BattleSession, errorText, fetchJson } from "./connection";
import { field, h, option, replaceChildren } from "./dom";
import { bandLabel, roleLabel, rulesetLabel } from "./labels";

export interface BattleListing {
  roomId: string; clients: number; name: string; ruleset: string; phase: string;
  players: number; maxPlayers: number; hasPassword: boolean; round: number; allowSpectators?: boolean;
  playerShips?: { id: string; name: string; className: string; taken: string[] }[];
}
export type Catalogue = Record<string, ShipClass>;

const POLL_MS = 2000;

/** Renders the lobby into `root`; returns a function that stops its polling. */
export function showLobby(root: HTMLElement, opts: { onSession: (s: BattleSession) => void; notice?: string }): () => void {
  let stopped = false;
  let catalogue: Catalogue = {};
  const listBody = h("tbody", { testid: "battle-rows" });
  const listStatus = h("p", { class: "muted", testid: "battle-list-status" }, "Loading battles…");
  const joinSlot = h("div", { class: "join-slot" });
  const shipRows = h("div", { class: "ship-rows", testid: "ship-rows" });
  const createError = h("p", { class: "error", role: "alert", testid: "create-error" });

  const list = h("section", { class: "panel lobby-list", "aria-labelledby": "battles-h", testid: "battle-list" },
    h("h2", { id: "battles-h" }, "Open battles"),
    h("div", { class: "table-wrap" },
      h("table", {},
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Ruleset"), h("th", { scope: "col" }, "Players"),
          h("th", { scope: "col" }, "Phase"), h("th", { scope: "col" }, "Password"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Join")))),
        listBody)),
    listStatus,
    joinSlot);

  // ---- create form ----
  const nameInput = h("input", { name: "name", required: true, maxlength: LIMITS.battleName, value: "Skirmish at Regina", testid: "create-name" });
  const gmNameInput = h("input", { name: "gmName", maxlength: LIMITS.name, value: "GM", testid: "create-gm-name" });
  const rulesetSelect = h("select", { name: "ruleset", testid: "create-ruleset" }, RULESETS.map((r) => option(r, rulesetLabel(r))));
  const rangeSelect = h("select", { name: "startingRange", testid: "create-range" }, RANGE_BANDS.map((b) => option(b, bandLabel(b), b === "medium")));
  const timeoutInput = h("input", { name: "turnTimeoutSec", type: "number", min: LIMITS.turnTimeoutSec.min, max: LIMITS.turnTimeoutSec.max, value: LIMITS.turnTimeoutSec.default, testid: "create-timeout" });
  const maxPlayersInput = h("input", { name: "maxPlayers", type: "number", min: 1, max: LIMITS.maxPlayers, value: LIMITS.maxPlayers, testid: "create-max-players" });
  const passwordInput = h("input", { name: "password", type: "password", maxlength: LIMITS.password, autocomplete: "new-password", testid: "create-password" });
  const spectatorsInput = h("input", { name: "allowSpectators", type: "checkbox", testid: "create-spectators" });
  const addPlayerBtn = h("button", { type: "button", testid: "add-player-ship", onclick: () => addShipRow("players") }, "Add player ship");
  const addNpcBtn = h("button", { type: "button", testid: "add-npc-ship", onclick: () => addShipRow("npc") }, "Add NPC ship");

  function countRows(side: string) {
    return shipRows.querySelectorAll(`[data-side="${side}"]`).length;
  }
  function refreshShipButtons() {
    addPlayerBtn.disabled = countRows("players") >= LIMITS.maxPlayerShips;
    addNpcBtn.disabled = countRows("npc") >= LIMITS.maxNpcShips;
    for (const side of ["players", "npc"]) {
      shipRows.querySelectorAll<HTMLElement>(`[data-side="${side}"]`).forEach((row, i) => {
        const n = i + 1;
        const label = side === "players" ? `Player ship ${n}` : `NPC ship ${n}`;
        row.querySelector(".ship-row-title")!.textContent = `${label} (${side === "players" ? "p" : "n"}${n})`;
        row.querySelector("input")!.setAttribute("aria-label", `${label} name`);
        row.querySelector("select")!.setAttribute("aria-label", `${label} class`);
        row.querySelector("button")!.setAttribute("aria-label", `Remove ${label}`);
      });
    }
  }
  function addShipRow(side: "players" | "npc", name?: string, className?: string) {
    const limit = side === "players" ? LIMITS.maxPlayerShips : LIMITS.maxNpcShips;
    if (countRows(side) >= limit) return;
    const n = countRows(side) + 1;
    const classSelect = h("select", { class: "ship-class", testid: "ship-class" },
      Object.values(catalogue).map((c) => option(c.key, `${c.displayName} (${c.tons} t)`, c.key === className)));
    const row = h("div", { class: `ship-row side-${side}`, "data-side": side, testid: `ship-row-${side}` },
      h("span", { class: "ship-row-title" }),
      h("input", { class: "ship-name", required: true, maxlength: LIMITS.name, value: name ?? (side === "players" ? `Player ship ${n}` : `Raider ${n}`), testid: "ship-name" }),
      classSelect,
      h("button", { type: "button", class: "small", onclick: () => { row.remove(); refreshShipButtons(); } }, "Remove"));
    shipRows.append(row);
    refreshShipButtons();
  }

  function readOptions(): unknown {
    const ships = Array.from(shipRows.querySelectorAll<HTMLElement>(".ship-row")).map((row) => ({
      side: row.dataset.side,
      name: row.querySelector<HTMLInputElement>(".ship-name")!.value,
      className: row.querySelector<HTMLSelectElement>(".ship-class")!.value,
    }));
    const out: Record<string, unknown> = {
      name: nameInput.value, gmName: gmNameInput.value || "GM", ruleset: rulesetSelect.value, startingRange: rangeSelect.value,
      turnTimeoutSec: Number(timeoutInput.value), maxPlayers: Number(maxPlayersInput.value), ships,
    };
    if (passwordInput.value) out.password = passwordInput.value;
    if (spectatorsInput.checked) out.allowSpectators = true;
    return out;
  }

  const createBtn = h("button", { type: "submit", class: "primary", testid: "create-submit" }, "Create battle");
  const createForm = h("form", { class: "panel create-form", "aria-labelledby": "create-h", testid: "create-form" },
    h("h2", { id: "create-h" }, "Create a battle (GM)"),
    h("div", { class: "form-grid" },
      field("Battle name", nameInput), field("Your name (GM)", gmNameInput), field("Ruleset", rulesetSelect),
      field("Starting range", rangeSelect), field("Turn timeout (s)", timeoutInput), field("Max players", maxPlayersInput),
      field("Password (optional)", passwordInput),
      h("label", { class: "check" }, spectatorsInput, "Allow spectators (read-only)")),
    h("fieldset", { class: "ships" }, h("legend", {}, "Ships"), shipRows, h("div", { class: "row" }, addPlayerBtn, addNpcBtn)),
    createError,
    h("div", { class: "row" }, createBtn));
  createForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    createError.textContent = "";
    const parsed = createOptionsSchema.safeParse(readOptions());
    if (!parsed.success) {
      createError.textContent = parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; ");
      return;
    }
    createBtn.disabled = true;
    createBtn.textContent = "Creating…";
    BattleSession.create(parsed.data as CreateOptions)
      .then((s) => { stop(); opts.onSession(s); })
      .catch((err) => { createError.textContent = `Could not create the battle: ${errorText(err)}`; })
      .finally(() => { createBtn.disabled = false; createBtn.textContent = "Create battle"; });
  });

  // ---- join form ----
  function showJoin(b: BattleListing) {
    const nameIn = h("input", { name: "playerName", required: true, maxlength: LIMITS.name, autocomplete: "nickname", testid: "join-name" });
    const pwIn = h("input", { name: "password", type: "password", maxlength: LIMITS.password, autocomplete: "current-password", testid: "join-password" });
    // The listing names the battle's player ships and the positions already held on each.
    const ships = b.playerShips ?? Array.from({ length: LIMITS.maxPlayerShips }, (_, i) => ({ id: `p${i + 1}`, name: `Player ship ${i + 1}`, className: "", taken: [] as string[] }));
    const shipSel = h("select", { name: "shipId", testid: "join-ship" },
      ships.map((s) => option(s.id, `${s.name} (${s.id})${s.taken.length ? ` — taken: ${s.taken.map(roleLabel).join(", ")}` : ""}`)));
    const boxes = ROLES.map((r) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "positions", value: r, testid: `join-pos-${r}` }), roleLabel(r)));
    const err = h("p", { class: "error", role: "alert", testid: "join-error" });
    const submit = h("button", { type: "submit", class: "primary", testid: "join-submit" }, "Join");
    const form = h("form", { class: "join-form", "aria-labelledby": "join-h", testid: "join-form", "data-room-id": b.roomId },
      h("h3", { id: "join-h" }, "Join “", b.name, "” as a player"),
      h("div", { class: "form-grid" },
        field("Your name", nameIn), field("Ship", shipSel), b.hasPassword ? field("Password", pwIn) : null),
      h("fieldset", { class: "positions" }, h("legend", {}, "Crew positions"), h("div", { class: "row wrap" }, boxes)),
      err,
      h("div", { class: "row" }, submit,
        h("button", { type: "button", onclick: () => replaceChildren(joinSlot) }, "Cancel")));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      err.textContent = "";
      const positions = boxes.map((l) => l.querySelector("input")!).filter((i) => i.checked).map((i) => i.value);
      if (!nameIn.value.trim()) { err.textContent = "Enter your name."; nameIn.focus(); return; }
      if (positions.length === 0) { err.textContent = "Choose at least one crew position."; return; }
      submit.disabled = true;
      const joinOpts: { name: string; shipId: string; positions: string[]; password?: string } = { name: nameIn.value, shipId: shipSel.value, positions };
      if (b.hasPassword) joinOpts.password = pwIn.value;
      BattleSession.join(b.roomId, joinOpts)
        .then((s) => { stop(); opts.onSession(s); })
        .catch((e) => { err.textContent = `Could not join: ${errorText(e)}`; })
        .finally(() => { submit.disabled = false; });
    });
    replaceChildren(joinSlot, form);
    nameIn.focus();
  }

  // ---- watch form (spectators) ----
  function showWatch(b: BattleListing) {
    const nameIn = h("input", { name: "spectatorName", required: true, maxlength: LIMITS.name, autocomplete: "nickname", testid: "watch-name" });
    const pwIn = h("input", { name: "password", type: "password", maxlength: LIMITS.password, autocomplete: "current-password", testid: "watch-password" });
    const err = h("p", { class: "error", role: "alert", testid: "watch-error" });
    const submit = h("button", { type: "submit", class: "primary", testid: "watch-submit" }, "Watch");
    const form = h("form", { class: "join-form", "aria-labelledby": "watch-h", testid: "watch-form", "data-room-id": b.roomId },
      h("h3", { id: "watch-h" }, "Watch “", b.name, "” as a spectator"),
      h("div", { class: "form-grid" }, field("Your name", nameIn), b.hasPassword ? field("Password", pwIn) : null),
      err,
      h("div", { class: "row" }, submit, h("button", { type: "button", onclick: () => replaceChildren(joinSlot) }, "Cancel")));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      err.textContent = "";
      if (!nameIn.value.trim()) { err.textContent = "Enter your name."; nameIn.focus(); return; }
      submit.disabled = true;
      BattleSession.spectate(b.roomId, { name: nameIn.value, ...(b.hasPassword ? { password: pwIn.value } : {}) })
        .then((s) => { stop(); opts.onSession(s); })
        .catch((e) => { err.textContent = `Could not watch: ${errorText(e)}`; })
        .finally(() => { submit.disabled = false; });
    });
    replaceChildren(joinSlot, form);
    nameIn.focus();
  }

  function renderList(battles: BattleListing[]) {
    replaceChildren(listBody, battles.map((b) => h("tr", { testid: "battle-row", "data-room-id": b.roomId },
      h("td", { class: "name" }, b.name),
      h("td", {}, rulesetLabel(b.ruleset)),
      h("td", {}, `${b.players}/${b.maxPlayers}`),
      h("td", {}, b.phase === "combat" ? `combat, round ${b.round}` : b.phase),
      h("td", {}, b.hasPassword ? "yes" : "no"),
      h("td", {}, h("button", {
        type: "button", testid: "join-battle", "data-key": `join-${b.roomId}`, "aria-label": `Join ${b.name}`,
        disabled: b.phase === "ended" || b.players >= b.maxPlayers, onclick: () => showJoin(b),
      }, "Join…"),
      b.allowSpectators ? h("button", {
        type: "button", testid: "watch-battle", "aria-label": `Watch ${b.name}`, disabled: b.phase === "ended", onclick: () => showWatch(b),
      }, "Watch…") : null))));
    listStatus.textContent = battles.length ? `${battles.length} open battle${battles.length === 1 ? "" : "s"}` : "No open battles yet: create one.";
  }

  // An invite link (#join=<battle id>, copied by the GM) opens the join form for that battle once.
  let invited = inviteFromHash(location.hash);
  async function poll() {
    if (stopped) return;
    try {
      const battles = await fetchJson<BattleListing[]>("/api/battles");
      renderList(battles);
      if (invited) {
        const b = battles.find((x) => x.roomId === invited);
        invited = undefined;
        if (b && b.phase !== "ended" && b.players < b.maxPlayers) showJoin(b);
        else listStatus.textContent = "The battle you were invited to is not open to join now (full, ended or gone).";
      }
    } catch (e) {
      listStatus.textContent = `Could not load the battle list: ${errorText(e)}`;
    }
  }
  const timer = setInterval(() => void poll(), POLL_MS);
  function stop() {
    stopped = true;
    clearInterval(timer);
  }

  replaceChildren(root,
    opts.notice ? h("p", { class: "notice", role: "alert", testid: "lobby-notice" }, opts.notice) : null,
    h("div", { class: "lobby", testid: "lobby" }, list, createForm));
  void poll();
  fetchJson<Catalogue>("/api/catalogue")
    .then((c) => {
      catalogue = c;
      addShipRow("players", "Beowulf", "freeTrader");
      addShipRow("npc", "Corsair One", "corsair");
    })
    .catch((e) => { createError.textContent = `Could not load the ship catalogue: ${errorText(e)}`; });
  return stop;
}

/** The battle id of an invite link's hash (#join=<id>), if any. */
export function inviteFromHash(hash: string): string | undefined {
  const m = /^#join=([A-Za-z0-9_-]{1,64})$/.exec(hash);
  return m?.[1];
}

/** The link that opens this page's join form for a battle. */
export function inviteLink(roomId: string, origin = location.origin): string {
  return `${origin}/#join=${encodeURIComponent(roomId)}`;
}
