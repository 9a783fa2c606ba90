// Executing validated ship commands. Every function here runs only after validate() accepted.
import { MOUNT_WEAPONS, WEAPONS } from "../data/weapons";
import { DM, SANDCASTER_CANISTERS } from "../data/tables";
import { rollAttack } from "../rules/attack";
import { check, type Modifier } from "../rules/check";
import { resolveDamage, rollSandcaster } from "../rules/damage";
import type { Dice } from "../rules/dice";
import { flightRounds, rollLaunch } from "../rules/missiles";
import { pairKey, type Battle, type LogEntry, type Severity, type Ship } from "../rules/model";
import { effectiveThrust, rollChangeRange, rollEvasive } from "../rules/pilot";
import { shiftBand } from "../rules/range";
import { rollRepair } from "../rules/repair";
import { rollSensorLock } from "../rules/sensors";
import { emit } from "./log";
import { advanceTurn } from "./turns";
import type { ShipCommand } from "./types";
import { repairTarget } from "./validate";

type Ctx = { battle: Battle; dice: Dice; events: LogEntry[] };

function ship(ctx: Ctx, id: string): Ship {
  return ctx.battle.ships[id]!;
}
const hasLock = (s: Ship, targetId: string) => s.lockedOn.includes(targetId) && s.systems.sensors < 2;

export function executeShip(ctx: Ctx, cmd: ShipCommand): void {
  switch (cmd.type) {
    case "fire": return fire(ctx, cmd);
    case "launchMissile": return launch(ctx, cmd);
    case "pointDefense": case "useSandcaster": return ready(ctx, cmd);
    case "evade": return evade(ctx, cmd);
    case "changeRange": return changeRange(ctx, cmd);
    case "repair": return repair(ctx, cmd);
    case "sensorLock": return sensorLock(ctx, cmd);
    case "coordinate": return coordinate(ctx, cmd);
    case "endTurn": {
      emit(ctx.battle, ctx.events, { actor: cmd.shipId, action: "endTurn", dice: [], modifiers: [], result: `${ship(ctx, cmd.shipId).name} ends its turn` });
      return advanceTurn(ctx.battle, ctx.dice, ctx.events);
    }
  }
}

function fire(ctx: Ctx, cmd: Extract<ShipCommand, { type: "fire" }>): void {
  const { battle, dice } = ctx;
  const attacker = ship(ctx, cmd.shipId);
  const turret = attacker.turrets.find((t) => t.id === cmd.turretId)!;
  turret.usedRound = battle.round;
  const weapon = WEAPONS[battle.ruleset][turret.weapon];
  const band = battle.ranges[pairKey(attacker.id, cmd.targetId)]!;
  for (let i = 0; i < MOUNT_WEAPONS[turret.mount]; i++) {
    const target = ship(ctx, cmd.targetId);
    if (target.destroyed) break;
    const pool = attacker.coordinationPool > 0;
    if (pool) attacker.coordinationPool -= 1;
    const dodge = target.dodgeReady;
    target.dodgeReady = false;
    const attack = rollAttack(dice, {
      ruleset: battle.ruleset, weapon: turret.weapon, band, gunnery: attacker.skills.gunnery,
      sensorLock: hasLock(attacker, target.id), captainPool: pool, targetEvasive: target.evasive, targetDodge: dodge,
      turretDamaged: turret.damage === 1,
    });
    const c = attack.check;
    const head = `${weapon.name} ${turret.id}${MOUNT_WEAPONS[turret.mount] > 1 ? ` #${i + 1}` : ""}`;
    if (!attack.hit) {
      emit(battle, ctx.events, { actor: attacker.id, action: "fire", target: target.id, dice: c.dice, modifiers: c.modifiers, total: c.total, result: `${head}: miss (${c.total} vs 8+)` });
      continue;
    }
    let sand = null;
    const caster = weapon.laser ? target.turrets.find((t) => t.ready === "sandcaster") : undefined;
    if (caster) {
      caster.ready = "none";
      sand = rollSandcaster(dice, battle.ruleset, target.skills.gunnery);
    }
    const out = resolveDamage(dice, target, {
      ruleset: battle.ruleset, damageDice: weapon.damageDice, effect: c.effect, sand,
      radiation: battle.ruleset === "ce" && turret.weapon === "particleBeam",
    });
    battle.ships[target.id] = out.ship;
    emit(battle, ctx.events, {
      actor: attacker.id, action: "fire", target: target.id, dice: [...c.dice, ...out.dice], modifiers: [...c.modifiers, ...out.modifiers],
      total: c.total, result: `${head}: hit (${c.total} vs 8+): ${out.text}`,
      publicResult: `${head}: hit (${c.total} vs 8+): ${out.publicText}`, publicModifiers: [...c.modifiers, ...out.publicModifiers],
    });
  }
}

function launch(ctx: Ctx, cmd: Extract<ShipCommand, { type: "launchMissile" }>): void {
  const { battle, dice } = ctx;
  const attacker = ship(ctx, cmd.shipId);
  const turret = attacker.turrets.find((t) => t.id === cmd.turretId)!;
  turret.usedRound = battle.round;
  const band = battle.ranges[pairKey(attacker.id, cmd.targetId)]!;
  const flight = flightRounds(battle.ruleset, band)!;
  const stock = cmd.missile === "smart" ? turret.smartMissiles : turret.missiles;
  const count = Math.min(stock, MOUNT_WEAPONS[turret.mount]);
  if (cmd.missile === "smart") turret.smartMissiles -= count;
  else turret.missiles -= count;
  const pool = attacker.coordinationPool > 0;
  if (pool) attacker.coordinationPool -= 1;
  const extra: Modifier[] = [];
  if (hasLock(attacker, cmd.targetId)) extra.push({ label: "sensor lock", value: DM.sensorLock });
  if (pool) extra.push({ label: "captain", value: DM.captainPool });
  if (turret.damage === 1) extra.push({ label: "damaged turret", value: DM.damagedTurret });
  const roll = rollLaunch(dice, attacker.skills.gunnery, extra);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `m${battle.nextId++}`;
    ids.push(id);
    battle.missiles.push({
      id, kind: cmd.missile, fromShipId: attacker.id, targetId: cmd.targetId,
      launchRound: battle.round, arriveRound: battle.round + flight, toHit: roll.toHit,
    });
  }
  emit(battle, ctx.events, {
    actor: attacker.id, action: "launchMissile", target: cmd.targetId, dice: roll.check.dice, modifiers: roll.check.modifiers, total: roll.check.total,
    result: `${count} ${cmd.missile} missile${count === 1 ? "" : "s"} (${ids.join(", ")}) launched: arrive end of round ${battle.round + flight}, need ${roll.toHit}+`,
  });
}

function ready(ctx: Ctx, cmd: Extract<ShipCommand, { type: "pointDefense" | "useSandcaster" }>): void {
  const s = ship(ctx, cmd.shipId);
  const turret = s.turrets.find((t) => t.id === cmd.turretId)!;
  turret.usedRound = ctx.battle.round;
  s.reactionsLeft -= 1;
  if (cmd.type === "useSandcaster") {
    turret.ready = "sandcaster";
    turret.sand -= SANDCASTER_CANISTERS;
  } else turret.ready = "pointDefense";
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: cmd.type, dice: [], modifiers: [],
    result: cmd.type === "useSandcaster" ? `Sandcaster ${turret.id} readied against the next laser hit` : `Turret ${turret.id} readied for point defence`,
  });
}

function evade(ctx: Ctx, cmd: Extract<ShipCommand, { type: "evade" }>): void {
  const s = ship(ctx, cmd.shipId);
  if (cmd.mode === "dodge") {
    s.dodgeReady = true;
    s.reactionsLeft -= 1;
    emit(ctx.battle, ctx.events, { actor: s.id, action: "dodge", dice: [], modifiers: [], result: "Dodge readied: −2 to the next attack on this ship" });
    return;
  }
  s.actedThisTurn.push("pilot");
  const r = rollEvasive(ctx.dice, s.skills.pilot);
  s.evasive = Math.max(s.evasive, r.evasive) as 0 | 1 | 2;
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "evade", dice: r.check.dice, modifiers: r.check.modifiers, total: r.check.total,
    result: r.evasive ? `Evasive action: −${r.evasive} to attacks on this ship this round` : "Evasive action fails",
  });
}

function changeRange(ctx: Ctx, cmd: Extract<ShipCommand, { type: "changeRange" }>): void {
  const { battle } = ctx;
  const s = ship(ctx, cmd.shipId);
  const t = ship(ctx, cmd.targetId);
  s.actedThisTurn.push("pilot");
  const key = pairKey(s.id, t.id);
  const band = battle.ranges[key]!;
  const next = shiftBand(band, cmd.direction);
  const c = rollChangeRange(ctx.dice, s.skills.pilot, effectiveThrust(s.thrust, s.systems.mDrive), effectiveThrust(t.thrust, t.systems.mDrive));
  let result: string;
  if (!c.success) result = `Fails to change range (stays ${band})`;
  else if (next) {
    battle.ranges[key] = next;
    result = `Range to ${t.name}: ${band} → ${next}`;
  } else {
    s.escaped = true;
    result = `${s.name} escapes the battle`;
  }
  emit(battle, ctx.events, { actor: s.id, action: "changeRange", target: t.id, dice: c.dice, modifiers: c.modifiers, total: c.total, result });
  if (s.escaped) advanceTurn(battle, ctx.dice, ctx.events);
}

function repair(ctx: Ctx, cmd: Extract<ShipCommand, { type: "repair" }>): void {
  const s = ship(ctx, cmd.shipId);
  s.actedThisTurn.push("engineer");
  const choice = cmd.turretId !== undefined ? { turretId: cmd.turretId } : cmd.system !== undefined ? { system: cmd.system } : repairTarget(s)!;
  const turret = "turretId" in choice ? s.turrets.find((t) => t.id === choice.turretId)! : null;
  const before: Severity = turret ? turret.damage : s.systems[(choice as { system: keyof Ship["systems"] }).system];
  const r = rollRepair(ctx.dice, s.skills.engineering, before);
  const label = turret ? `turret ${turret.id}` : (choice as { system: string }).system;
  if (r.check.success) {
    if (turret) turret.damage = r.after;
    else s.systems[(choice as { system: keyof Ship["systems"] }).system] = r.after;
  }
  const words = ["intact", "damaged", "disabled", "destroyed"];
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "repair", dice: r.check.dice, modifiers: r.check.modifiers, total: r.check.total,
    result: r.check.success ? `Repairs ${label}: ${words[before]} → ${words[r.after]}` : `Repair of ${label} fails`,
  });
}

function sensorLock(ctx: Ctx, cmd: Extract<ShipCommand, { type: "sensorLock" }>): void {
  const s = ship(ctx, cmd.shipId);
  s.actedThisTurn.push("sensors");
  const c = rollSensorLock(ctx.dice, s.skills.sensors, s.systems.sensors);
  if (c.success && !s.lockedOn.includes(cmd.targetId)) s.lockedOn.push(cmd.targetId);
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "sensorLock", target: cmd.targetId, dice: c.dice, modifiers: c.modifiers, total: c.total,
    result: c.success ? `Sensor lock on ${ship(ctx, cmd.targetId).name}: +1 to attacks` : "Sensor lock fails",
  });
}

function coordinate(ctx: Ctx, cmd: Extract<ShipCommand, { type: "coordinate" }>): void {
  const s = ship(ctx, cmd.shipId);
  s.actedThisTurn.push("captain");
  const skill = cmd.mode === "pool" ? s.skills.leadership : s.skills.tactics;
  const c = check(ctx.dice, [{ label: cmd.mode === "pool" ? "leadership" : "tactics", value: skill }]);
  const gain = c.success ? Math.max(1, c.effect) : 0;
  if (cmd.mode === "pool") s.coordinationPool = Math.max(s.coordinationPool, gain);
  else s.tacticsBonus = gain;
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "coordinate", dice: c.dice, modifiers: c.modifiers, total: c.total,
    result: !c.success ? "Coordination fails" : cmd.mode === "pool" ? `Captain's pool: ${s.coordinationPool} × +1` : `+${gain} to next round's initiative`,
  });
}
