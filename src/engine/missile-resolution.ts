// End-of-round missile arrivals: point defence, the arrival roll, damage, smart re-attacks.
import { MISSILE_DAMAGE_DICE } from "../data/missiles";
import { resolveDamage } from "../rules/damage";
import type { Dice } from "../rules/dice";
import { rollMissileAttack, rollPointDefense, smartReattack, type PointDefender } from "../rules/missiles";
import type { Battle, LogEntry, MissileInFlight } from "../rules/model";
import { isAlive } from "./battle";
import { emit, rolled } from "./log";
import { spendDodge } from "./reactions";

export function resolveMissiles(battle: Battle, dice: Dice, events: LogEntry[]): void {
  const staying: MissileInFlight[] = [];
  const pdState = new Map<string, Map<string, { rolls: number; stopped: boolean }>>();
  for (const m of battle.missiles) {
    if (m.arriveRound > battle.round) {
      staying.push(m);
      continue;
    }
    const target = battle.ships[m.targetId];
    const label = `${m.kind === "smart" ? "Smart missile" : "Missile"} ${m.id}`;
    if (!target || !isAlive(target)) {
      emit(battle, events, { actor: m.fromShipId, action: "missileLost", target: m.targetId, dice: [], modifiers: [], result: `${label} lost: its target is gone` });
      continue;
    }
    // point defence
    const defenders: PointDefender[] = target.turrets
      .filter((t) => t.ready === "pointDefense" && t.damage < 2)
      .map((t) => ({ turretId: t.id, gunnery: target.skills.gunnery, damaged: t.damage === 1 }));
    if (!pdState.has(target.id)) pdState.set(target.id, new Map());
    const pd = rollPointDefense(dice, defenders, pdState.get(target.id)!);
    let shotDown = false;
    for (const r of pd) {
      emit(battle, events, {
        actor: target.id, action: "pointDefense", target: m.id, ...rolled(r.check),
        result: r.destroyed ? `Turret ${r.turretId} destroys ${label}` : `Turret ${r.turretId} misses ${label}`,
      });
      if (r.destroyed) shotDown = true;
    }
    if (shotDown) continue;
    // arrival roll
    const dodge = spendDodge(battle, dice, events, target, label);
    const att = rollMissileAttack(dice, m, target.evasive, dodge);
    if (!att.success) {
      const again = smartReattack(m, battle.round);
      if (again) staying.push(again);
      emit(battle, events, {
        actor: m.fromShipId, action: "missileArrives", target: target.id, ...rolled(att),
        result: `${label} misses (${att.total} vs ${m.toHit}+)${again ? "; it turns to attack again next round" : ""}`,
      });
      continue;
    }
    const out = resolveDamage(dice, target, {
      ruleset: battle.ruleset, damageDice: MISSILE_DAMAGE_DICE[battle.ruleset][m.kind], effect: att.effect, sand: null,
    });
    battle.ships[target.id] = out.ship;
    emit(battle, events, {
      actor: m.fromShipId, action: "missileArrives", target: target.id, ...rolled(att), damage: out.roll,
      result: `${label} hits (${att.total} vs ${m.toHit}+): ${out.text}`,
      publicResult: `${label} hits (${att.total} vs ${m.toHit}+): ${out.publicText}`,
    });
  }
  battle.missiles = staying;
}
