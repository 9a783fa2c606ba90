// The ship's controls: which commands this seat may send now, and why the others are off.
// The server decides; these checks only mirror its rules so the buttons tell the truth.
import { WEAPONS } from "../src/data/weapons";
import type { Ruleset, WeaponKind } from "../src/rules/model";
import { field, h, option } from "./dom";
import { bandLabel, roleLabel, systemLabel, weaponLabel } from "./labels";
import { enemiesOf, hasDetail, list, rangeBetween, ship as getShip, type AnyShip, type AnyState } from "./model";

export interface ActContext {
  state: AnyState;
  shipId: string;
  positions: readonly string[];
  /** The GM acting for an NPC ship (holds every position). */
  gm: boolean;
  /** Sends one ship command: `type` without the `space:` prefix. */
  send: (type: string, fields: Record<string, unknown>) => void;
  /** Re-renders the panel after a choice (target, repair) changed what is allowed. */
  refresh: () => void;
}

/** `undefined` when allowed, otherwise the reason shown next to the disabled control. */
export type Why = string | undefined;

const TARGET_CHOICE = new Map<string, string>();
const REPAIR_CHOICE = new Map<string, string>();

function phaseWhy(state: AnyState): Why {
  if (state.phase === "setup") return "the battle has not started";
  if (state.phase === "ended") return "the battle is over";
  return undefined;
}
function shipWhy(s: AnyShip | undefined): Why {
  if (!s) return "ship not found";
  if (s.destroyed) return "ship destroyed";
  if (s.escaped) return "ship has escaped";
  return undefined;
}
function roleWhy(ctx: ActContext, role: string): Why {
  return ctx.positions.includes(role) ? undefined : `you are not the ${roleLabel(role).toLowerCase()}`;
}
function turnWhy(ctx: ActContext): Why {
  return ctx.state.activeShipId === ctx.shipId ? undefined : "not your turn";
}
function actedWhy(s: AnyShip, role: string): Why {
  return list<string>(s.actedThisTurn).includes(role) ? `the ${roleLabel(role).toLowerCase()} already acted this turn` : undefined;
}
function first(...reasons: Why[]): Why {
  return reasons.find((r) => r !== undefined);
}
function reactionWhy(s: AnyShip): Why {
  return s.reactionsLeft > 0 ? undefined : "no reactions left this round";
}
function turretWhy(state: AnyState, t: any): Why {
  if (t.damage >= 2) return "turret disabled";
  if (t.usedRound === state.round && state.round > 0) return "turret already used this round";
  return undefined;
}

export function whyFire(ctx: ActContext, t: any, targetId: string | undefined): Why {
  const s = getShip(ctx.state, ctx.shipId);
  const common = first(phaseWhy(ctx.state), shipWhy(s), roleWhy(ctx, "gunner"), turnWhy(ctx), turretWhy(ctx.state, t));
  if (common) return common;
  if (t.weapon === "missileRack" || t.weapon === "sandcaster") return `a ${weaponLabel(t.weapon).toLowerCase()} does not fire`;
  if (!targetId) return "choose a target";
  const band = rangeBetween(ctx.state, ctx.shipId, targetId);
  const table = WEAPONS[(ctx.state.ruleset as Ruleset) ?? "ce"]?.[t.weapon as WeaponKind];
  if (band && table && table.rangeDM[band as keyof typeof table.rangeDM] === null) return `out of range at ${bandLabel(band).toLowerCase()}`;
  return undefined;
}

export function whyLaunch(ctx: ActContext, t: any, targetId: string | undefined, kind: "standard" | "smart"): Why {
  const s = getShip(ctx.state, ctx.shipId);
  const common = first(phaseWhy(ctx.state), shipWhy(s), roleWhy(ctx, "gunner"), turnWhy(ctx), turretWhy(ctx.state, t));
  if (common) return common;
  if (t.weapon !== "missileRack") return "not a missile rack";
  if ((kind === "smart" ? t.smartMissiles : t.missiles) <= 0) return kind === "smart" ? "no smart missiles" : "no missiles";
  if (!targetId) return "choose a target";
  const band = rangeBetween(ctx.state, ctx.shipId, targetId);
  if (band === "adjacent" || band === "close") return "too close to launch missiles";
  return undefined;
}

export function whyPointDefense(ctx: ActContext, t: any): Why {
  const s = getShip(ctx.state, ctx.shipId);
  return first(phaseWhy(ctx.state), shipWhy(s), roleWhy(ctx, "gunner"), turretWhy(ctx.state, t),
    t.weapon === "pulseLaser" || t.weapon === "beamLaser" ? undefined : "point defence needs a laser turret",
    t.ready === "pointDefense" ? "point defence already readied" : undefined, s && reactionWhy(s));
}

export function whySandcaster(ctx: ActContext, t: any): Why {
  const s = getShip(ctx.state, ctx.shipId);
  return first(phaseWhy(ctx.state), shipWhy(s), roleWhy(ctx, "gunner"), turretWhy(ctx.state, t),
    t.weapon === "sandcaster" ? undefined : "not a sandcaster", t.sand > 0 ? undefined : "no sand left",
    t.ready === "sandcaster" ? "sandcaster already readied" : undefined, s && reactionWhy(s));
}

export function whyPilot(ctx: ActContext, mode: "evasive" | "dodge" | "range", targetId?: string): Why {
  const s = getShip(ctx.state, ctx.shipId);
  if (mode === "dodge") {
    return first(phaseWhy(ctx.state), shipWhy(s), roleWhy(ctx, "pilot"), s?.dodgeReady ? "dodge already readied" : undefined, s && reactionWhy(s));
  }
  return first(phaseWhy(ctx.state), shipWhy(s), roleWhy(ctx, "pilot"), turnWhy(ctx), s && actedWhy(s, "pilot"),
    mode === "range" && !targetId ? "choose a target" : undefined);
}

function repairChoices(s: AnyShip): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const systems = s.systems;
  if (systems && typeof systems.forEach === "function") {
    systems.forEach((sev: number, name: string) => { if (sev > 0) out.push({ value: `system:${name}`, label: `${systemLabel(name)} (${sev})` }); });
  }
  for (const t of list(s.turrets)) if (t.damage > 0) out.push({ value: `turret:${t.id}`, label: `Turret ${t.id} (${t.damage})` });
  return out;
}

export function whyRepair(ctx: ActContext): Why {
  const s = getShip(ctx.state, ctx.shipId);
  return first(phaseWhy(ctx.state), shipWhy(s), roleWhy(ctx, "engineer"), turnWhy(ctx), s && actedWhy(s, "engineer"),
    s && repairChoices(s).length === 0 ? "nothing to repair" : undefined);
}

export function whyOwnTurn(ctx: ActContext, role: string | undefined, targetId?: string | null): Why {
  const s = getShip(ctx.state, ctx.shipId);
  return first(phaseWhy(ctx.state), shipWhy(s), role ? roleWhy(ctx, role) : undefined, turnWhy(ctx), role && s ? actedWhy(s, role) : undefined,
    targetId === null ? "choose a target" : undefined);
}

let describedCounter = 0;
/** A button that is disabled with its reason shown beside it (and announced with it). */
export function actionButton(label: string, testid: string, why: Why, onClick: () => void): HTMLElement {
  const reasonId = `why-${++describedCounter}`;
  const btn = h("button", {
    type: "button", testid, "data-key": testid, disabled: why !== undefined, "aria-describedby": why ? reasonId : undefined,
    onclick: () => { if (!btn.disabled) onClick(); },
  }, label);
  return h("span", { class: "action" }, btn, why ? h("span", { class: "why", id: reasonId, testid: `${testid}-why` }, why) : null);
}

/** The whole control panel for one ship. */
export function actionPanel(ctx: ActContext): HTMLElement {
  const { state } = ctx;
  const s = getShip(state, ctx.shipId);
  if (!s) return h("p", { class: "muted" }, "No ship.");
  const prefix = ctx.gm ? "gm-" : "";
  const enemies = enemiesOf(state, s);
  let target = TARGET_CHOICE.get(ctx.shipId);
  if (!target || !enemies.some((e) => e.id === target)) target = enemies[0]?.id;
  const targetSel = h("select", { testid: `${prefix}target`, "data-key": `${prefix}target` },
    enemies.map((e) => {
      const band = rangeBetween(state, ctx.shipId, e.id);
      return option(e.id, `${e.name} (${e.id})${band ? ` – ${bandLabel(band)}` : ""}`, e.id === target);
    }));
  targetSel.addEventListener("change", () => { TARGET_CHOICE.set(ctx.shipId, targetSel.value); ctx.refresh(); });
  const tgt = () => targetSel.value || undefined;

  const turretRows = hasDetail(s)
    ? list(s.turrets).map((t) => {
        const controls: HTMLElement[] = [];
        const id = `${prefix}${t.id}`;
        if (t.weapon === "missileRack") {
          controls.push(actionButton("Launch missile", `${id}-launch`, whyLaunch(ctx, t, target, "standard"),
            () => ctx.send("launchMissile", { turretId: t.id, targetId: tgt(), missile: "standard" })));
          controls.push(actionButton("Launch smart missile", `${id}-launch-smart`, whyLaunch(ctx, t, target, "smart"),
            () => ctx.send("launchMissile", { turretId: t.id, targetId: tgt(), missile: "smart" })));
        } else if (t.weapon === "sandcaster") {
          controls.push(actionButton("Ready sandcaster", `${id}-sand`, whySandcaster(ctx, t), () => ctx.send("useSandcaster", { turretId: t.id })));
        } else {
          controls.push(actionButton("Fire", `${id}-fire`, whyFire(ctx, t, target), () => ctx.send("fire", { turretId: t.id, targetId: tgt() })));
          controls.push(actionButton("Point defence", `${id}-pd`, whyPointDefense(ctx, t), () => ctx.send("pointDefense", { turretId: t.id })));
        }
        return h("li", { class: "turret-row" }, h("span", { class: "turret-name" }, `${t.id} · ${weaponLabel(t.weapon)} (${t.mount})`), h("span", { class: "controls" }, controls));
      })
    : [h("li", { class: "muted" }, "Turrets unknown.")];

  const repairs = hasDetail(s) ? repairChoices(s) : [];
  const repairSel = h("select", { testid: `${prefix}repair-choice`, "data-key": `${prefix}repair-choice`, disabled: repairs.length === 0 },
    repairs.length ? repairs.map((r) => option(r.value, r.label, r.value === REPAIR_CHOICE.get(ctx.shipId))) : option("", "nothing damaged"));
  repairSel.addEventListener("change", () => REPAIR_CHOICE.set(ctx.shipId, repairSel.value));
  const doRepair = () => {
    const [kind, name] = repairSel.value.split(":");
    if (kind === "system") ctx.send("repair", { system: name });
    else if (kind === "turret") ctx.send("repair", { turretId: name });
  };

  return h("div", { class: "actions", testid: `${prefix}actions`, "data-ship-id": ctx.shipId },
    h("div", { class: "row wrap" }, field("Target", targetSel, "inline")),
    h("h4", {}, "Gunnery"),
    h("ul", { class: "turrets plain" }, turretRows),
    h("h4", {}, "Helm"),
    h("div", { class: "row wrap" },
      actionButton("Evasive action", `${prefix}evade`, whyPilot(ctx, "evasive"), () => ctx.send("evade", { mode: "evasive" })),
      actionButton("Dodge", `${prefix}dodge`, whyPilot(ctx, "dodge"), () => ctx.send("evade", { mode: "dodge" })),
      actionButton("Close range", `${prefix}closer`, whyPilot(ctx, "range", target), () => ctx.send("changeRange", { targetId: tgt(), direction: "closer" })),
      actionButton("Open range", `${prefix}farther`, whyPilot(ctx, "range", target), () => ctx.send("changeRange", { targetId: tgt(), direction: "farther" }))),
    h("h4", {}, "Engineering, sensors and command"),
    h("div", { class: "row wrap" },
      field("Repair", repairSel, "inline"),
      actionButton("Repair", `${prefix}repair`, whyRepair(ctx), doRepair),
      actionButton("Sensor lock", `${prefix}lock`, whyOwnTurn(ctx, "sensors", target ?? null), () => ctx.send("sensorLock", { targetId: tgt() })),
      actionButton("Coordinate: initiative", `${prefix}coord-init`, whyOwnTurn(ctx, "captain"), () => ctx.send("coordinate", { mode: "initiative" })),
      actionButton("Coordinate: pool", `${prefix}coord-pool`, whyOwnTurn(ctx, "captain"), () => ctx.send("coordinate", { mode: "pool" }))),
    h("div", { class: "row end-turn" },
      actionButton("End turn", `${prefix}end-turn`, whyOwnTurn(ctx, undefined), () => ctx.send("endTurn", {}))));
}
