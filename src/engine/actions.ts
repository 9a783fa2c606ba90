// Executing validated ship commands. Every function here runs only after validate() accepted.
import { SMART_TO_HIT } from "../data/missiles";
import { MOUNT_WEAPONS, WEAPONS } from "../data/weapons";
import { DM, SANDCASTER_CANISTERS } from "../data/tables";
import { rollAttack } from "../rules/attack";
import { check, type Modifier } from "../rules/check";
import { SYSTEM_LABEL, resolveDamage, rollSandcaster } from "../rules/damage";
import type { Dice } from "../rules/dice";
import { rollIncreaseInitiative } from "../rules/initiative";
import { flightRounds, launchRolls, rollLaunch } from "../rules/missiles";
import { pairKey, type Battle, type LogEntry, type RangeBand, type Severity, type Ship } from "../rules/model";
import { effectiveThrust, rollChangeRange, rollEvasive } from "../rules/pilot";
import { shiftBand } from "../rules/range";
import { rollRepair } from "../rules/repair";
import { battleRules } from "../rules/ruleset";
import { rollSensorLock } from "../rules/sensors";
import { emit, rolled } from "./log";
import { spendDodge } from "./reactions";
import { advanceTurn } from "./turns";
import type { ShipCommand } from "./types";
import { repairTarget } from "./legal";

type Ctx = { battle: Battle; dice: Dice; events: LogEntry[] };

function ship(ctx: Ctx, id: string): Ship {
  return ctx.battle.ships[id]!;
}
/** The DM this ship's sensor lock gives its attacks on the target: 0 without one or with disabled sensors. */
function lockDM(s: Ship, targetId: string): number {
  if (s.systems.sensors >= 2 || !s.lockedOn.includes(targetId)) return 0;
  return s.lockDM[targetId] ?? DM.sensorLock;
}

/** A range band as the log says it ("very long", not the identifier). */
function bandWords(band: RangeBand): string {
  return band === "veryLong" ? "very long" : band;
}

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
  // Every shot of one turret's volley carries the seq of the volley's first entry, so a roll card groups them.
  const volley = battle.logSeq + 1;
  for (let i = 0; i < MOUNT_WEAPONS[turret.mount]; i++) {
    const target = ship(ctx, cmd.targetId);
    if (target.destroyed) break;
    const pool = attacker.coordinationPool > 0;
    if (pool) attacker.coordinationPool -= 1;
    const head = `${weapon.name} ${turret.id}${MOUNT_WEAPONS[turret.mount] > 1 ? ` #${i + 1}` : ""}`;
    const dodge = spendDodge(battle, dice, ctx.events, target, `${attacker.name}'s ${head}`);
    const attack = rollAttack(dice, {
      ruleset: battle.ruleset, weapon: turret.weapon, band, gunnery: attacker.skills.gunnery,
      sensorLockDM: lockDM(attacker, target.id), captainPool: pool, targetEvasive: target.evasive, targetDodge: dodge,
      turretDamaged: turret.damage === 1,
    });
    const c = attack.check;
    if (!attack.hit) {
      emit(battle, ctx.events, { actor: attacker.id, action: "fire", target: target.id, ...rolled(c), volley, result: `${head}: miss (${c.total} vs ${c.target}+)` });
      continue;
    }
    let sand = null;
    const caster = weapon.laser ? target.turrets.find((t) => t.ready === "sandcaster") : undefined;
    if (caster) {
      caster.ready = "none";
      sand = rollSandcaster(dice, battle.ruleset, target.skills.gunnery, caster.damage === 1);
      // The sand is the target's own roll: a card of its own, before the hit it softens.
      emit(battle, ctx.events, {
        actor: target.id, action: "sandcaster", target: attacker.id, ...rolled(sand.check), volley,
        ...(sand.check.success ? { damage: { dice: sand.rolled, modifiers: sand.effectAdded ? [{ label: "Effect", value: sand.effectAdded }] : [], total: sand.value, hits: [] } } : {}),
        result: sand.check.success
          ? `Sandcaster ${caster.id} casts sand against ${attacker.name}'s ${head}: ${battle.ruleset === "ce" ? `−${sand.value} damage` : `+${sand.value} armour`}`
          : `Sandcaster ${caster.id} misses ${attacker.name}'s ${head}`,
      });
    }
    const out = resolveDamage(dice, target, {
      ruleset: battle.ruleset, damageDice: weapon.damageDice, effect: c.effect, sand,
      radiation: battle.ruleset === "ce" && turret.weapon === "particleBeam",
    });
    battle.ships[target.id] = out.ship;
    emit(battle, ctx.events, {
      actor: attacker.id, action: "fire", target: target.id, ...rolled(c), damage: out.roll, volley,
      result: `${head}: hit (${c.total} vs ${c.target}+): ${out.text}`,
      publicResult: `${head}: hit (${c.total} vs ${c.target}+): ${out.publicText}`,
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
  // SRD: a smart missile needs 8+ on every attack, so its launch makes no roll (and takes no
  // sensor lock or captain's DM); a standard missile's launch roll sets its to-hit.
  let roll: ReturnType<typeof rollLaunch> | null = null;
  if (launchRolls(battleRules(battle.ruleset, battle.houseRules), cmd.missile)) {
    const pool = attacker.coordinationPool > 0;
    if (pool) attacker.coordinationPool -= 1;
    const extra: Modifier[] = [];
    const lock = lockDM(attacker, cmd.targetId);
    if (lock !== 0) extra.push({ label: "sensor lock", value: lock });
    if (pool) extra.push({ label: "captain", value: DM.captainPool });
    if (turret.damage === 1) extra.push({ label: "damaged turret", value: DM.damagedTurret });
    roll = rollLaunch(dice, attacker.skills.gunnery, extra);
  }
  const toHit = roll?.toHit ?? SMART_TO_HIT;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `m${battle.nextId++}`;
    ids.push(id);
    battle.missiles.push({
      id, kind: cmd.missile, fromShipId: attacker.id, targetId: cmd.targetId,
      launchRound: battle.round, arriveRound: battle.round + flight, toHit,
    });
  }
  emit(battle, ctx.events, {
    actor: attacker.id, action: "launchMissile", target: cmd.targetId,
    ...(roll ? rolled(roll.check) : { dice: [], modifiers: [] }),
    result: `${count} ${cmd.missile} missile${count === 1 ? "" : "s"} (${ids.join(", ")}) launched: arrive end of round ${battle.round + flight}, need ${toHit}+${roll ? "" : " on every attack"}`,
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
    const check = battleRules(ctx.battle.ruleset, ctx.battle.houseRules).dodge === "pilotCheck";
    emit(ctx.battle, ctx.events, {
      actor: s.id, action: "dodge", dice: [], modifiers: [],
      result: check ? "Dodge readied: a Pilot check against the next attack on this ship, −2 to it on success" : "Dodge readied: −2 to the next attack on this ship",
    });
    return;
  }
  s.actedThisTurn.push("pilot");
  const r = rollEvasive(ctx.dice, s.skills.pilot);
  s.evasive = Math.max(s.evasive, r.evasive) as 0 | 1 | 2;
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "evade", ...rolled(r.check),
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
  if (!c.success) result = `Fails to change range (stays ${bandWords(band)})`;
  else if (next) {
    battle.ranges[key] = next;
    result = `Range to ${t.name}: ${bandWords(band)} → ${bandWords(next)}`;
  } else {
    s.escaped = true;
    result = `${s.name} escapes the battle`;
  }
  emit(battle, ctx.events, { actor: s.id, action: "changeRange", target: t.id, ...rolled(c), result });
  if (s.escaped) advanceTurn(battle, ctx.dice, ctx.events);
}

function repair(ctx: Ctx, cmd: Extract<ShipCommand, { type: "repair" }>): void {
  const s = ship(ctx, cmd.shipId);
  s.actedThisTurn.push("engineer");
  const choice = cmd.turretId !== undefined ? { turretId: cmd.turretId } : cmd.system !== undefined ? { system: cmd.system } : repairTarget(s)!;
  const turret = "turretId" in choice ? s.turrets.find((t) => t.id === choice.turretId)! : null;
  const before: Severity = turret ? turret.damage : s.systems[(choice as { system: keyof Ship["systems"] }).system];
  const r = rollRepair(ctx.dice, s.skills.engineering, before);
  const label = turret ? `turret ${turret.id}` : SYSTEM_LABEL[(choice as { system: keyof Ship["systems"] }).system];
  if (r.check.success) {
    if (turret) turret.damage = r.after;
    else s.systems[(choice as { system: keyof Ship["systems"] }).system] = r.after;
  }
  const words = ["intact", "damaged", "disabled", "destroyed"];
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "repair", ...rolled(r.check),
    result: r.check.success ? `Repairs ${label}: ${words[before]} → ${words[r.after]}` : `Repair of ${label} fails`,
  });
}

function sensorLock(ctx: Ctx, cmd: Extract<ShipCommand, { type: "sensorLock" }>): void {
  const s = ship(ctx, cmd.shipId);
  s.actedThisTurn.push("sensors");
  const rules = battleRules(ctx.battle.ruleset, ctx.battle.houseRules);
  const { check: c, dm } = rollSensorLock(ctx.dice, rules, s.skills.sensors, s.systems.sensors);
  if (dm > 0) {
    if (!s.lockedOn.includes(cmd.targetId)) s.lockedOn.push(cmd.targetId);
    // A second lock on the same target keeps the better DM.
    s.lockDM[cmd.targetId] = Math.max(dm, s.lockDM[cmd.targetId] ?? 0);
  }
  const until = rules.sensorLockLasts === "round" ? " this round" : "";
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "sensorLock", target: cmd.targetId, ...rolled(c),
    result: dm > 0 ? `Sensor lock on ${ship(ctx, cmd.targetId).name}: +${s.lockDM[cmd.targetId]} to attacks${until}` : "Sensor lock fails",
  });
}

function coordinate(ctx: Ctx, cmd: Extract<ShipCommand, { type: "coordinate" }>): void {
  const s = ship(ctx, cmd.shipId);
  s.actedThisTurn.push("captain");
  if (cmd.mode === "initiative") {
    const r = rollIncreaseInitiative(ctx.dice, battleRules(ctx.battle.ruleset, ctx.battle.houseRules), s.skills);
    if (r.check.success) s.initiativeBonus = r.bonus;
    emit(ctx.battle, ctx.events, {
      actor: s.id, action: "coordinate", ...rolled(r.check),
      result: r.check.success ? `+${r.bonus} to next round's initiative` : "Coordination fails",
    });
    return;
  }
  // SRD Coordinate Crew: a Leadership check; a pool of max(1, Effect) +1 DMs.
  const c = check(ctx.dice, [{ label: "leadership", value: s.skills.leadership }]);
  const gain = c.success ? Math.max(1, c.effect) : 0;
  s.coordinationPool = Math.max(s.coordinationPool, gain);
  emit(ctx.battle, ctx.events, {
    actor: s.id, action: "coordinate", ...rolled(c),
    result: c.success ? `Captain's pool: ${s.coordinationPool} × +1` : "Coordination fails",
  });
}
