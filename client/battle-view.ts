// The battle screen shared by players and the GM: ships, ranges, initiative, turn and
// countdown, missiles, the combat log per round, crew and chat. The GM gets the GM panel
// (gm-view.ts) in place of the crew's controls.
import type { ErrorReply, SeatReply } from "../src/commands";
import { actionPanel } from "./actions";
import { newCid, type BattleSession, type ConnectionStatus } from "./connection";
import { confirmAction } from "./confirm";
import { h, replaceChildren } from "./dom";
import { gmPanel } from "./gm-view";
import { bandLabel, missileLine, roleLabel, rulesetLabel, severityLabel, systemLabel, weaponLabel } from "./labels";
import { inviteLink, type Catalogue } from "./lobby";
import { enemiesOf, hasDetail, list, rangeBetween, secondsLeft, shipName, ships, type AnyShip, type AnyState } from "./model";
import { rangeLadders } from "./range-view";
import { announcement, combatLog, latestCards } from "./roll-card-view";

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
  // The GM invites players with a link to the join form (the password, if any, is still asked).
  const inviteNote = h("span", { class: "small muted", testid: "invite-note", role: "status" });
  const inviteBtn = session.role === "gm" ? h("button", {
    type: "button", testid: "invite", "data-link": inviteLink(session.room.roomId),
    onclick: () => {
      const link = inviteLink(session.room.roomId);
      const shown = () => replaceChildren(inviteNote, "Copy this link: ", h("input", { readonly: true, value: link, testid: "invite-link", "aria-label": "Invite link" }));
      if (navigator.clipboard?.writeText) navigator.clipboard.writeText(link).then(() => { inviteNote.textContent = "Invite link copied."; }, shown);
      else shown();
    },
  }, "Copy invite link") : null;

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
    (s) => [json(s.ships), json(s.ranges), myShipId(), s.activeShipId, json(s.crew)],
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
  const ranges = section("Ranges", "ranges",
    (s) => [json(s.ranges), json(s.missiles), list(s.ships).map((x: AnyShip) => [x.id, x.name, x.destroyed, x.escaped])],
    (s) => rangeLadders(s), "ranges-panel");
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
    (s) => [session.logRevision, json(s.ships)],
    (s) => combatLog(s, session.log), "log-panel");
  // The newest cards, always in view: the strip under the turn line, sticky with it.
  const latest = h("section", { class: "panel latest", testid: "latest", "aria-label": "Latest rolls" });
  // Screen readers hear each new card once (the strip itself is re-rendered and not live).
  const announcer = h("p", { class: "sr-only", testid: "announcer", "aria-live": "polite", "aria-atomic": "true" });
  let latestSig = "";
  let announcedSeq = -1;

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
    h("div", { class: "sticky-head" },
      h("div", { class: "panel battle-head" },
        h("div", { class: "head-main" }, title, info, turn),
        h("div", { class: "head-side" }, seatEl, inviteBtn, " ", leaveBtn, inviteNote)),
      banner, latest),
    announcer, result, errorList,
    h("div", { class: "battle-grid" },
      h("div", { class: "col col-ships" }, shipsPanel),
      h("div", { class: "col col-main" }, controls, logPanel),
      h("div", { class: "col col-side" }, ranges, order, missiles, crew, chatPanel)));
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
      const absent = absentCrew(s, s.activeShipId);
      replaceChildren(turn, "Turn: ", h("strong", { testid: "active-ship" }, shipName(s, s.activeShipId)),
        s.activeShipId === myShipId() ? " (your ship)" : "",
        absent.length ? h("span", { class: "warn-text", testid: "turn-absent" }, ` · disconnected: ${absent.join(", ")}`) : "",
        " · ", countdown);
    } else {
      replaceChildren(turn, s.phase === "setup" ? "Waiting for the GM to start the battle." : "The battle is over.");
    }
    tickCountdown();
    const res = s.result;
    result.textContent = s.phase === "ended" && res?.winner ? `Battle over: ${res.winner === "draw" ? "a draw" : `${res.winner === "players" ? "the players" : "the NPCs"} win`} (${res.reason}).` : "";
    const logBox = logPanel.querySelector<HTMLElement>(".section-body")!;
    // Follow the newest card unless the reader scrolled back to read older ones.
    const following = logBox.scrollTop + logBox.clientHeight >= logBox.scrollHeight - 8;
    for (const sec of sections) {
      const sig = JSON.stringify(sec.key(s));
      if (sig === sec.sig) continue;
      sec.sig = sig;
      const out = sec.render(s);
      replaceChildren(sec.el, ...(Array.isArray(out) ? out : [out]));
    }
    if (following) logBox.scrollTop = logBox.scrollHeight;
    const log = session.log;
    const lastSeq = log.at(-1)?.seq ?? 0;
    const ls = JSON.stringify([session.logRevision, json(s.ships)]);
    if (ls !== latestSig) {
      latestSig = ls;
      replaceChildren(latest, h("h3", { class: "sr-only" }, "Latest rolls"), latestCards(s, log));
      // The first render (a join or a reload) announces nothing: only what happens from now on.
      if (announcedSeq >= 0 && lastSeq > announcedSeq) announcer.textContent = announcement(s, log, announcedSeq);
      announcedSeq = lastSeq;
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
    // The banner's "next try in N s" counts down between attempts.
    const st = session.status;
    if (st.kind === "relocating") banner.textContent = relocatingText(st);
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
      replaceChildren(banner, st.offline ? "You are offline: your device has no network. Reconnecting when it is back…" : "Connection lost, reconnecting…");
      banner.className = "banner warn";
    } else if (st.kind === "relocating") {
      replaceChildren(banner, relocatingText(st));
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
  // The combat log comes in its own messages (after the patch of the same change).
  session.onLog(() => rerender());
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
    // The GM's leaving leaves the table without its referee: asked first (issue 14).
    if (role() === "gm" && !(await confirmAction({
      title: "Leave the battle?",
      message: "You are its game master: nobody can run the NPC ships or end the battle while you are away.",
      confirm: "Leave battle",
    }))) return;
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
    h("p", { class: "muted small" }, `${catalogue[x.className]?.displayName ?? x.className} · ${x.tons} t · thrust ${x.thrust} · initiative ${x.initiative}${x.evasive ? ` · evasive −${x.evasive}` : ""}${known && x.dodgeReady ? " · dodge ready" : ""}`),
    known ? h("div", { class: "bars" },
      bar("Hull", x.hull, x.maxHull, `hull-bar-${x.id}`),
      s.ruleset === "ce" ? bar("Structure", x.structure, x.maxStructure, `structure-bar-${x.id}`) : null) : null,
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
          t.ready === "pointDefense" ? " · point defence ready" : t.ready === "sandcaster" ? " · sand ready" : "")))
      : h("p", { class: "small muted" }, "Turrets: ?"),
    known && list(x.lockedOn).length ? h("p", { class: "small" }, "Sensor lock on: ", list<string>(x.lockedOn).map((id) => shipName(s, id)).join(", ")) : null,
    crewLine(s, x.id),
    enemies.length
      ? h("ul", { class: "plain small ranges", testid: `ranges-${x.id}` }, enemies.map((e) => {
          const band = rangeBetween(s, x.id, e.id);
          return h("li", {}, `↔ ${e.name} (${e.id}): `, h("strong", {}, band ? bandLabel(band) : "?"));
        }))
      : null);
}

/** The ship's crew, a disconnected member marked as such (the table sees who it is waiting for). */
function crewLine(s: AnyState, shipId: string): HTMLElement | null {
  const members = list(s.crew).filter((c) => c.role !== "gm" && c.shipId === shipId);
  if (!members.length) return null;
  return h("p", { class: "small crew-line", testid: `ship-crew-${shipId}` }, "Crew: ", members.map((c, i) => h("span", {
    class: c.connected ? "" : "offline", "data-connected": String(c.connected),
  }, i ? ", " : "", c.name, c.connected ? "" : " (disconnected)")));
}

/** The names of the active ship's crew members who are disconnected, for the turn line. */
export function absentCrew(s: AnyState, shipId: string): string[] {
  return list(s.crew).filter((c) => c.role !== "gm" && c.shipId === shipId && !c.connected).map((c) => c.name);
}

/** The banner while the battle is looked for again: whose fault it is, and when the next try comes. */
export function relocatingText(st: { attempt: number; retryAt: number; offline: boolean }, now = Date.now()): string {
  const left = Math.max(0, Math.ceil((st.retryAt - now) / 1000));
  const when = left > 0 ? `next try in ${left} s` : "trying now";
  return st.offline
    ? `You are offline: your device has no network. The battle goes on; ${when} (attempt ${st.attempt})…`
    : `The battle's server is restarting or moving; your seat is kept. Rejoining: ${when} (attempt ${st.attempt})…`;
}

/** A hull or structure bar: a <meter> (read out with its value by screen readers), red when low. */
function bar(label: string, value: number, max: number, testid: string): HTMLElement {
  return h("label", { class: "bar" }, h("span", { class: "bar-label small muted" }, label),
    h("meter", { min: 0, max: Math.max(1, max), low: Math.max(1, max) * 0.34, high: Math.max(1, max) * 0.67, optimum: Math.max(1, max), value, testid }));
}
