// The ship's controls: which commands this seat may send now, and why the others are off.
// The server decides; the buttons ask the same precondition module it validates with
// (src/engine/legal.ts), so a button is enabled exactly when the server would accept.
import { legalBattleOf } from "../src/commands";
import { repairChoices, whyNot, type LegalBattle, type LegalShip, type ShipCommand } from "../src/engine/legal";
import { field, h, option } from "./dom";
import { bandLabel, severityLabel, systemLabel, weaponLabel } from "./labels";
import { enemiesOf, hasDetail, list, rangeBetween, ship as getShip, type AnyState } from "./model";

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

/**
 * Why `cmd` would be refused now, in the server's own words (the shared precondition module),
 * or `undefined` when the server would accept it. A command that still needs a target names it.
 */
function why(ctx: ActContext, battle: LegalBattle, cmd: ShipCommand): Why {
  const r = whyNot(battle, cmd, ctx.positions);
  if (r?.code === "unknownShip" && "targetId" in cmd && !cmd.targetId) return "choose a target";
  return r?.message;
}

export function whyFire(ctx: ActContext, battle: LegalBattle, turretId: string, targetId: string | undefined): Why {
  return why(ctx, battle, { type: "fire", shipId: ctx.shipId, turretId, targetId: targetId ?? "" });
}
export function whyLaunch(ctx: ActContext, battle: LegalBattle, turretId: string, targetId: string | undefined, missile: "standard" | "smart"): Why {
  return why(ctx, battle, { type: "launchMissile", shipId: ctx.shipId, turretId, targetId: targetId ?? "", missile });
}
export function whyReaction(ctx: ActContext, battle: LegalBattle, type: "pointDefense" | "useSandcaster", turretId: string): Why {
  return why(ctx, battle, { type, shipId: ctx.shipId, turretId });
}
export function whyPilot(ctx: ActContext, battle: LegalBattle, mode: "evasive" | "dodge"): Why {
  return why(ctx, battle, { type: "evade", shipId: ctx.shipId, mode });
}
export function whyRange(ctx: ActContext, battle: LegalBattle, targetId: string | undefined, direction: "closer" | "farther"): Why {
  return why(ctx, battle, { type: "changeRange", shipId: ctx.shipId, targetId: targetId ?? "", direction });
}

function repairOptions(s: LegalShip): { value: string; label: string }[] {
  return repairChoices(s).map((c) => "system" in c
    ? { value: `system:${c.system}`, label: `${systemLabel(c.system)} (${severityLabel(c.severity)})` }
    : { value: `turret:${c.turretId}`, label: `Turret ${c.turretId} (${severityLabel(c.severity)})` });
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
  const battle = legalBattleOf(state);
  const plain = battle.ships[ctx.shipId]!;
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
          controls.push(actionButton("Launch missile", `${id}-launch`, whyLaunch(ctx, battle, t.id, target, "standard"),
            () => ctx.send("launchMissile", { turretId: t.id, targetId: tgt(), missile: "standard" })));
          controls.push(actionButton("Launch smart missile", `${id}-launch-smart`, whyLaunch(ctx, battle, t.id, target, "smart"),
            () => ctx.send("launchMissile", { turretId: t.id, targetId: tgt(), missile: "smart" })));
        } else if (t.weapon === "sandcaster") {
          controls.push(actionButton("Ready sandcaster", `${id}-sand`, whyReaction(ctx, battle, "useSandcaster", t.id), () => ctx.send("useSandcaster", { turretId: t.id })));
        } else {
          controls.push(actionButton("Fire", `${id}-fire`, whyFire(ctx, battle, t.id, target), () => ctx.send("fire", { turretId: t.id, targetId: tgt() })));
          controls.push(actionButton("Point defence", `${id}-pd`, whyReaction(ctx, battle, "pointDefense", t.id), () => ctx.send("pointDefense", { turretId: t.id })));
        }
        return h("li", { class: "turret-row" }, h("span", { class: "turret-name" }, `${t.id} · ${weaponLabel(t.weapon)} (${t.mount})`), h("span", { class: "controls" }, controls));
      })
    : [h("li", { class: "muted" }, "Turrets unknown.")];

  const repairs = hasDetail(s) ? repairOptions(plain) : [];
  const repairSel = h("select", { testid: `${prefix}repair-choice`, "data-key": `${prefix}repair-choice`, disabled: repairs.length === 0 },
    repairs.length ? repairs.map((r) => option(r.value, r.label, r.value === REPAIR_CHOICE.get(ctx.shipId))) : option("", "nothing damaged"));
  repairSel.addEventListener("change", () => REPAIR_CHOICE.set(ctx.shipId, repairSel.value));
  // The repair the engineer picked (the first listed when none was picked yet).
  const repairCommand = (): ShipCommand => {
    const [kind, name] = (repairSel.value || repairs[0]?.value || "").split(":");
    if (kind === "system") return { type: "repair", shipId: ctx.shipId, system: name as never };
    if (kind === "turret") return { type: "repair", shipId: ctx.shipId, turretId: name! };
    return { type: "repair", shipId: ctx.shipId };
  };
  const doRepair = () => {
    const { type: _type, shipId: _ship, ...fields } = repairCommand() as Extract<ShipCommand, { type: "repair" }>;
    if (fields.system !== undefined || fields.turretId !== undefined) ctx.send("repair", fields);
  };

  return h("div", { class: "actions", testid: `${prefix}actions`, "data-ship-id": ctx.shipId },
    h("div", { class: "row wrap" }, field("Target", targetSel, "inline")),
    h("h4", {}, "Gunnery"),
    h("ul", { class: "turrets plain" }, turretRows),
    h("h4", {}, "Helm"),
    h("div", { class: "row wrap" },
      actionButton("Evasive action", `${prefix}evade`, whyPilot(ctx, battle, "evasive"), () => ctx.send("evade", { mode: "evasive" })),
      actionButton("Dodge", `${prefix}dodge`, whyPilot(ctx, battle, "dodge"), () => ctx.send("evade", { mode: "dodge" })),
      actionButton("Close range", `${prefix}closer`, whyRange(ctx, battle, target, "closer"), () => ctx.send("changeRange", { targetId: tgt(), direction: "closer" })),
      actionButton("Open range", `${prefix}farther`, whyRange(ctx, battle, target, "farther"), () => ctx.send("changeRange", { targetId: tgt(), direction: "farther" }))),
    h("h4", {}, "Engineering, sensors and command"),
    h("div", { class: "row wrap" },
      field("Repair", repairSel, "inline"),
      actionButton("Repair", `${prefix}repair`, why(ctx, battle, repairCommand()), doRepair),
      actionButton("Sensor lock", `${prefix}lock`, why(ctx, battle, { type: "sensorLock", shipId: ctx.shipId, targetId: target ?? "" }), () => ctx.send("sensorLock", { targetId: tgt() })),
      actionButton("Coordinate: initiative", `${prefix}coord-init`, why(ctx, battle, { type: "coordinate", shipId: ctx.shipId, mode: "initiative" }), () => ctx.send("coordinate", { mode: "initiative" })),
      actionButton("Coordinate: pool", `${prefix}coord-pool`, why(ctx, battle, { type: "coordinate", shipId: ctx.shipId, mode: "pool" }), () => ctx.send("coordinate", { mode: "pool" }))),
    h("div", { class: "row end-turn" },
      actionButton("End turn", `${prefix}end-turn`, why(ctx, battle, { type: "endTurn", shipId: ctx.shipId }), () => ctx.send("endTurn", {}))));
}
