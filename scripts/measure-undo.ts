// One-off: the cost of an undo on the largest battle after 10 rounds (engine only).
import { activeShipId, applyWithHistory, createBattle, createHistory, type ReplayStep } from "../src/engine";
import type { Actor, BattleSetup, Command } from "../src/engine/types";
import { createDice } from "../src/rules/dice";
import { largestBattleOptions } from "../harness/largest-battle";
const o = largestBattleOptions();
const setup: BattleSetup = { ruleset: "ce", startingRange: "medium", ships: o.ships as BattleSetup["ships"] };
const battle = createBattle(setup); const dice = createDice(7); const log: ReplayStep[] = [];
const history = createHistory(setup, 7, log);
const send = (a: Actor, c: Command) => { const r = applyWithHistory(battle, history, a, c, dice); if (r.ok) log.push({ actor: a, cmd: c }); return r; };
send({ kind: "gm" }, { type: "start" });
const perCmd: number[] = [];
while (battle.round <= 10) {
  const id = activeShipId(battle)!; const ship = battle.ships[id]!;
  const a: Actor = ship.side === "npc" ? { kind: "gm" } : { kind: "crew", shipId: id, roles: ["pilot", "gunner", "engineer", "captain", "sensors"] };
  const en = Object.values(battle.ships).filter((s) => s.side !== ship.side).map((s) => s.id);
  const t = en[(battle.round * 3 + Number(id.slice(1))) % en.length]!; const st = `${battle.round}:${battle.turnIndex}`;
  for (const c of [{ type: "sensorLock", shipId: id, targetId: t }, { type: "fire", shipId: id, turretId: "t1", targetId: t }, { type: "launchMissile", shipId: id, turretId: "t2", targetId: t, missile: "smart" }] as Command[]) {
    const s0 = performance.now(); send(a, c); perCmd.push(performance.now() - s0);
  }
  if (`${battle.round}:${battle.turnIndex}` === st) send(a, { type: "endTurn", shipId: id });
}
const times: number[] = [];
for (let i = 0; i < 5; i++) { const s0 = performance.now(); const r = send({ kind: "gm" }, { type: "undo" }); times.push(performance.now() - s0); if (!r.ok) throw new Error(r.code); }
perCmd.sort((x, y) => x - y);
console.log(JSON.stringify({ commands: log.length, rounds: battle.round, undoMs: times.map((x) => +x.toFixed(1)), medianCommandUs: +(perCmd[perCmd.length >> 1]! * 1000).toFixed(0) }));
