// The battle screen shared by players and the GM: ships, ranges, initiative, turn and
// countdown, missiles, the combat log per round, crew and chat. The GM gets the GM panel
// (gm-view.ts) in place of the crew's controls.
import type { ErrorReply, SeatReply } from "../src/commands";
import { actionPanel } from "./actions";
import { newCid, type BattleSession, type ConnectionStatus } from "./connection";
import { h, replaceChildren } from "./dom";
import { gmPanel } from "./gm-view";
import { bandLabel, missileLine, roleLabel, rulesetLabel, severityLabel, systemLabel, weaponLabel } from "./labels";
import type { Catalogue } from "./lobby";
import { enemiesOf, hasDetail, list, rangeBetween, secondsLeft, shipName, ships, type AnyShip, type AnyState } from "./model";

interface Section { el: HTMLElement; sig: string; render: (state: AnyState) => HTMLElement | HTMLElement[]; key: (state: AnyState) => unknown }

const json = (v: any) => (v && typeof v.toJSON === "function" ? v.toJSON() : v);
const MAX_ERRORS = 5;

export function showBattle(root: HTMLElement, session: BattleSession, opts: { catalogue: Catalogue; onExit: (notice?: string) => void }): void {
  let seat: SeatReply | undefined = session.seat;
  let closed = false;
  const errors: ErrorReply[] = [];

  const title = h("h2", { testid: "battle-name" });
  const info = h("p", { class: "battle-info", testid: "battle-info" });
  const turn = h("p", { class: "turn", testid: "turn", "aria-live": "polite" });
  const countdown = h("span", { class: "countdown", testid: "countdown", "aria-label": "seconds left in this turn" });
  const seatEl = h("p", { class: "seat", testid: "my-seat" }, "Taking your seat…");
  const result = h("div", { class: "result", testid: "result", role: "status" });
  const banner = h("div", { class: "banner", testid: "conn-banner", role: "alert" });
  const errorList = h("ul", { class: "errors plain", testid: "errors", "aria-live": "assertive" });
  const leaveBtn = h("button", { type: "button", testid: "leave", onclick: () => void leave() }, "Leave battle");

  const sections: Section[] = [];
  function section(title: string, testid: string, key: Section["key"], render: Section["render"], extraClass = ""): HTMLElement {
    const body = h("div", { class: "section-body" });
    const el = h("section", { class: `panel ${extraClass}`.trim(), testid, "aria-label": title }, h("h3", {}, title), body);
    sections.push({ el: body, sig: "", key, render });
    return el;
  }

  const role = () => seat?.role ?? session.role;
  const myShipId = () => seat?.shipId ?? "";

  const shipsPanel = section("Ships", "ships",
    (s) => [json(s.ships), json(s.ranges), myShipId(), s.activeShipId],
    (s) => shipCards(s, myShipId(), opts.catalogue), "ships-panel");
  const controls = section(session.role === "gm" ? "Game master" : session.role === "spectator" ? "Spectating" : "Your actions", session.role === "gm" ? "gm-panel" : "actions-panel",
    (s) => [json(s.ships), json(s.ranges), s.phase, s.round, s.turnIndex, s.activeShipId, seat?.positions, gmTick, s.paused, role() === "gm" ? json(s.crew) : ""],
    (s) => {
      if (role() === "gm") return gmPanel({ state: s, session, catalogue: opts.catalogue, refresh: () => rerender(true) });
      if (role() === "spectator") return h("p", { class: "muted", testid: "spectator-note" }, "You are watching: spectators see what every table sees and cannot act or chat.");
      if (!seat) return h("p", { class: "muted" }, "Waiting for your seat…");
      return actionPanel({
        state: s, shipId: seat.shipId, positions: seat.positions, gm: false, refresh: () => rerender(true),
        send: (type, fields) => { session.command(`space:${type}`, fields); },
      });
    }, "controls-panel");
  const order = section("Initiative", "initiative",
    (s) => [list(s.order), s.activeShipId, json(s.ships)],
    (s) => h("ol", { class: "order" }, list<string>(s.order).map((id) =>
      h("li", { class: id === s.activeShipId ? "active" : "", "aria-current": id === s.activeShipId ? "true" : undefined, "data-ship-id": id },
        shipName(s, id), " ", h("span", { class: "muted" }, `(${id})`), id === s.activeShipId ? h("strong", {}, " ◀ acting") : null))));
  const missiles = section("Missiles in flight", "missiles",
    (s) => [json(s.missiles), s.round],
    (s) => {
      const ms = list(s.missiles);
      if (!ms.length) return h("p", { class: "muted" }, "None.");
      return h("ul", { class: "plain" }, ms.map((m) => h("li", { testid: "missile" },
        missileLine(m, s.round, shipName(s, m.fromShipId), shipName(s, m.targetId)))));
    });
  const crew = section("Crew", "crew",
    (s) => [json(s.crew)],
    (s) => h("ul", { class: "plain crew" }, list(s.crew).map((c) => h("li", { testid: `crew-${c.id}`, "data-connected": String(c.connected), class: c.connected ? "" : "offline" },
      h("span", { class: `dot ${c.connected ? "on" : "off"}`, "aria-hidden": "true" }),
      h("span", { class: "crew-name", testid: "crew-name" }, c.name), " ",
      h("span", { class: "muted" }, c.role === "gm" ? "GM" : `${shipName(s, c.shipId)} · ${list<string>(c.positions).map(roleLabel).join(", ")}`),
      " ", h("span", { class: "sr-label" }, c.connected ? "connected" : "disconnected")))));
  const logPanel = section("Combat log", "log",
    (s) => [list(s.log).length, list(s.log).at(-1)?.seq],
    (s) => combatLog(s), "log-panel");

  const chatList = h("ol", { class: "chat plain", testid: "chat-lines" });
  const chatInput = h("input", { name: "chat", maxlength: 500, autocomplete: "off", testid: "chat-input", "aria-label": "Chat message" });
  const chatForm = h("form", { class: "row chat-form", testid: "chat-form" }, chatInput, h("button", { type: "submit", testid: "chat-send" }, "Send"));
  // Lines sent and not acknowledged yet, by cid: a refused line goes back into the input (when
  // it is empty) instead of being lost, and lines still unanswered after the battle moved to
  // another server are sent again with their cid (the server shows each line once).
  const chatPending = new Map<string, string>();
  const markChatPending = () => { chatForm.dataset.pending = String(chatPending.size); };
  chatForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = chatInput.value.trim();
    if (!text) return;
    const cid = newCid();
    chatPending.set(cid, text);
    markChatPending();
    chatInput.value = "";
    session.command("chat", { text, cid }, false);
  });
  let chatSig = "";
  // Spectators are read-only: the server refuses their chat, so the form says so up front.
  if (session.role === "spectator") {
    chatInput.disabled = true;
    chatInput.placeholder = "spectators cannot chat";
    chatForm.querySelector("button")!.disabled = true;
  }
  const chatPanel = h("section", { class: "panel chat-panel", testid: "chat", "aria-label": "Chat" }, h("h3", {}, "Chat"), chatList, chatForm);

  const view = h("div", { class: "battle", testid: "battle-view", "data-role": session.role },
    h("div", { class: "panel battle-head" },
      h("div", { class: "head-main" }, title, info, turn),
      h("div", { class: "head-side" }, seatEl, leaveBtn)),
    banner, result, errorList,
    h("div", { class: "battle-grid" },
      h("div", { class: "col col-ships" }, shipsPanel),
      h("div", { class: "col col-main" }, controls, logPanel),
      h("div", { class: "col col-side" }, order, missiles, crew, chatPanel)));
  replaceChildren(root, view);

  let gmTick = 0;
  function rerender(force = false) {
    if (closed) return;
    const s = session.state;
    if (!s) return;
    if (force) gmTick++;
    title.textContent = s.name || "Battle";
    info.textContent = `${rulesetLabel(s.ruleset)} · ${s.phase === "setup" ? "setting up" : s.phase === "combat" ? `round ${s.round}` : "ended"}`;
    view.dataset.phase = s.phase;
    view.dataset.round = String(s.round);
    view.dataset.activeShip = s.activeShipId;
    view.dataset.version = String(s.version);
    view.dataset.roomId = session.room.roomId;
    if (s.phase === "combat" && s.activeShipId) {
      replaceChildren(turn, "Turn: ", h("strong", { testid: "active-ship" }, shipName(s, s.activeShipId)),
        s.activeShipId === myShipId() ? " (your ship)" : "", " · ", countdown);
    } else {
      replaceChildren(turn, s.phase === "setup" ? "Waiting for the GM to start the battle." : "The battle is over.");
    }
    tickCountdown();
    const res = s.result;
    result.textContent = s.phase === "ended" && res?.winner ? `Battle over: ${res.winner === "draw" ? "a draw" : `${res.winner === "players" ? "the players" : "the NPCs"} win`} (${res.reason}).` : "";
    for (const sec of sections) {
      const sig = JSON.stringify(sec.key(s));
      if (sig === sec.sig) continue;
      sec.sig = sig;
      const out = sec.render(s);
      replaceChildren(sec.el, ...(Array.isArray(out) ? out : [out]));
    }
    const cs = JSON.stringify([list(s.chat).length, list(s.chat).at(-1)?.seq]);
    if (cs !== chatSig) {
      chatSig = cs;
      const atBottom = chatList.scrollTop + chatList.clientHeight >= chatList.scrollHeight - 4;
      replaceChildren(chatList, list(s.chat).map((c) => h("li", { testid: "chat-line" },
        h("strong", { class: "chat-from" }, c.fromName), ": ", h("span", { class: "chat-text" }, c.text))));
      if (atBottom) chatList.scrollTop = chatList.scrollHeight;
    }
  }
  function tickCountdown() {
    const left = secondsLeft(session.state);
    countdown.textContent = left === undefined ? "" : `${left} s left`;
    countdown.classList.toggle("urgent", left !== undefined && left <= 5);
  }

  function renderSeat() {
    if (!seat) return;
    seatEl.textContent = seat.role === "gm"
      ? "You are the game master."
      : seat.role === "spectator" ? "You are watching this battle (read-only)."
      : `You crew ${shipName(session.state, seat.shipId)} (${seat.shipId}) as ${seat.positions.map(roleLabel).join(", ")}.`;
    seatEl.dataset.shipId = seat.shipId;
    seatEl.dataset.seatId = seat.seatId;
  }
  function renderErrors() {
    replaceChildren(errorList, errors.map((e) => h("li", { class: "error", testid: "error" },
      h("strong", {}, e.code), `: ${e.message} (${e.type})`,
      h("button", { type: "button", class: "small link", "aria-label": "Dismiss", onclick: () => { errors.splice(errors.indexOf(e), 1); renderErrors(); } }, "×"))));
  }
  function renderStatus(st: ConnectionStatus) {
    if (st.kind === "reconnecting") {
      replaceChildren(banner, `Connection lost, reconnecting (attempt ${st.attempt})…`);
      banner.className = "banner warn";
    } else if (st.kind === "relocating") {
      replaceChildren(banner, `The battle's server went away; rejoining it where it continues (attempt ${st.attempt})…`);
      banner.className = "banner warn";
    } else if (st.kind === "disconnected") {
      replaceChildren(banner, `Disconnected: ${st.reason}. `,
        h("button", { type: "button", testid: "back-to-lobby", onclick: () => exit() }, "Back to lobby"), " ",
        h("button", { type: "button", testid: "reload", onclick: () => location.reload() }, "Try to rejoin"));
      banner.className = "banner bad";
    } else {
      replaceChildren(banner);
      banner.className = "banner";
    }
  }

  session.onSeat((s) => { seat = s; renderSeat(); rerender(true); });
  session.onState(() => { rerender(); renderSeat(); });
  session.onError((e) => {
    const unsent = e.cid !== undefined ? chatPending.get(e.cid) : undefined;
    if (unsent !== undefined) {
      chatPending.delete(e.cid!);
      markChatPending();
      if (!chatInput.value) chatInput.value = unsent;
    }
    errors.unshift(e);
    errors.splice(MAX_ERRORS);
    renderErrors();
  });
  session.onAck((a) => {
    if (chatPending.delete(a.cid)) markChatPending();
    // a newer command went through: older refusals are no longer news
    if (errors.length) { errors.splice(0); renderErrors(); }
  });
  session.onStatus(renderStatus);
  let lastStatus = session.status.kind;
  session.onStatus((st) => {
    // The old connection's queue did not follow the battle to its new server: send those lines again.
    if (st.kind === "connected" && lastStatus === "relocating") for (const [cid, text] of chatPending) session.command("chat", { text, cid }, false);
    lastStatus = st.kind;
  });
  const timer = setInterval(tickCountdown, 250);
  rerender();

  function exit(notice?: string) {
    closed = true;
    clearInterval(timer);
    opts.onExit(notice);
  }
  async function leave() {
    leaveBtn.disabled = true;
    await session.leave();
    exit();
  }
}

function shipCards(s: AnyState, myShipId: string, catalogue: Catalogue): HTMLElement[] {
  const all = ships(s);
  const sides: [string, string][] = [["players", "Players"], ["npc", "NPC"]];
  return sides.map(([side, label]) => h("div", { class: `side side-${side}` },
    h("h4", {}, label),
    all.filter((x) => x.side === side).map((x) => shipCard(s, x, myShipId, catalogue))));
}

function shipCard(s: AnyState, x: AnyShip, myShipId: string, catalogue: Catalogue): HTMLElement {
  const known = hasDetail(x);
  const q = (v: unknown) => (known && v !== undefined ? String(v) : "?");
  const classes = ["ship", `side-${x.side}`, x.id === myShipId ? "mine" : "", x.id === s.activeShipId ? "active" : "", x.destroyed ? "destroyed" : "", x.escaped ? "escaped" : ""];
  const damaged: string[] = [];
  if (known && x.systems && typeof x.systems.forEach === "function") {
    x.systems.forEach((sev: number, name: string) => { if (sev > 0) damaged.push(`${systemLabel(name)} ${severityLabel(sev)}`); });
  }
  const turrets = known ? list(x.turrets) : [];
  const enemies = enemiesOf(s, x);
  return h("article", { class: classes.filter(Boolean).join(" "), testid: `ship-${x.id}`, "data-ship-id": x.id, "aria-label": `${x.name} (${x.id})` },
    h("header", {}, h("h5", {}, x.name, " ", h("span", { class: "muted" }, `(${x.id})`)),
      h("span", { class: `cond cond-${x.condition}`, testid: `condition-${x.id}` }, x.condition)),
    h("p", { class: "muted small" }, `${catalogue[x.className]?.displayName ?? x.className} · ${x.tons} t · thrust ${x.thrust} · initiative ${x.initiative}${x.evasive ? ` · evasive −${x.evasive}` : ""}`),
    h("dl", { class: "stats" },
      h("dt", {}, "Hull"), h("dd", { testid: `hull-${x.id}` }, known ? `${x.hull}/${x.maxHull}` : "?"),
      s.ruleset === "ce" ? [h("dt", {}, "Structure"), h("dd", { testid: `structure-${x.id}` }, known ? `${x.structure}/${x.maxStructure}` : "?")] : null,
      h("dt", {}, "Armour"), h("dd", { testid: `armour-${x.id}` }, q(x.armour)),
      known ? [h("dt", {}, "Reactions"), h("dd", {}, String(x.reactionsLeft ?? "?"))] : null),
    h("p", { class: "small", testid: `systems-${x.id}` }, "Damaged systems: ", known ? (damaged.length ? damaged.join(", ") : "none") : "?"),
    known
      ? h("ul", { class: "plain small turrets-list", testid: `turrets-${x.id}` }, turrets.map((t) => h("li", {},
          `${t.id} ${weaponLabel(t.weapon)} (${t.mount})`,
          t.weapon === "missileRack" ? ` · missiles ${t.missiles}, smart ${t.smartMissiles}` : "",
          t.weapon === "sandcaster" ? ` · sand ${t.sand}` : "",
          t.damage > 0 ? ` · ${severityLabel(t.damage)}` : "",
          t.usedRound === s.round && s.round > 0 ? " · used" : "",
          t.ready && t.ready !== "none" ? ` · ready: ${t.ready}` : "")))
      : h("p", { class: "small muted" }, "Turrets: ?"),
    known && list(x.lockedOn).length ? h("p", { class: "small" }, "Sensor lock on: ", list<string>(x.lockedOn).map((id) => shipName(s, id)).join(", ")) : null,
    enemies.length
      ? h("ul", { class: "plain small ranges", testid: `ranges-${x.id}` }, enemies.map((e) => {
          const band = rangeBetween(s, x.id, e.id);
          return h("li", {}, `↔ ${e.name} (${e.id}): `, h("strong", {}, band ? bandLabel(band) : "?"));
        }))
      : null);
}

function combatLog(s: AnyState): HTMLElement {
  const entries = list(s.log);
  if (!entries.length) return h("p", { class: "muted" }, "Nothing has happened yet.");
  const rounds = new Map<number, any[]>();
  for (const e of entries) {
    const r = rounds.get(e.round) ?? [];
    r.push(e);
    rounds.set(e.round, r);
  }
  const name = (id: string) => (id === "gm" ? "GM" : id === "system" ? "System" : shipName(s, id));
  return h("div", { class: "log" }, [...rounds.entries()].sort((a, b) => b[0] - a[0]).map(([round, es]) =>
    h("section", { class: "log-round", testid: "log-round", "data-round": String(round) },
      h("h4", {}, round === 0 ? "Setup" : `Round ${round}`),
      h("ol", { class: "plain" }, es.map((e) => {
        const dice = list<number>(e.dice);
        const mods = list(e.modifiers);
        const roll = dice.length
          ? ` [${dice.join("+")}${mods.map((m) => ` ${m.value >= 0 ? "+" : "−"}${Math.abs(m.value)} ${m.label}`).join("")} = ${e.total}]`
          : "";
        // The full text with the target's armour reaches only those entitled to it (the GM, the
        // target's own crew, a locking side); it is offered as the entry's tooltip.
        const attrs: Record<string, string> = { testid: "log-entry", "data-seq": String(e.seq) };
        if (e.detail) attrs.title = e.detail;
        return h("li", attrs,
          h("strong", {}, name(e.actor)), ` ${e.action}`, e.target ? ` → ${name(e.target)}` : "", e.result ? `: ${e.result}` : "",
          h("span", { class: "muted" }, roll));
      })))));
}
