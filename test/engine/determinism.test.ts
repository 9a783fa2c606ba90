import assert from "node:assert/strict";
import { activeShipId, apply, createBattle, replay, type ReplayStep } from "../../src/engine";
import type { BattleSetup, Command } from "../../src/engine/types";
import { createDice, fromState } from "../../src/rules/dice";
import type { Battle } from "../../src/rules/model";
import { actorFor, GM } from "./helpers";

const SETUP: BattleSetup = {
  ruleset: "ce", startingRange: "medium",
  ships: [
    { side: "players", name: "Trader", className: "freeTrader" }, { side: "players", name: "Scout", className: "scout" },
    { side: "players", name: "Corvette", className: "patrolCorvette" },
    { side: "npc", name: "Corsair", className: "corsair" }, { side: "npc", name: "Wasp", className: "fighter" },
    { side: "npc", name: "SDB", className: "systemDefenseBoat" },
  ],
};

/** A scripted battle: the script's choices come from their own seeded stream, independent of the battle's dice. */
function play(setup: BattleSetup, seed: number, steps: number): { battle: Battle; log: ReplayStep[] } {
  const battle = createBattle(setup);
  const dice = createDice(seed);
  const pick = createDice(12345);
  const log: ReplayStep[] = [];
  const run = (actor: ReplayStep["actor"], cmd: Command) => {
    if (apply(battle, actor, cmd, dice).ok) log.push({ actor, cmd });
  };
  run(GM, { type: "start" });
  for (let i = 0; i < steps && battle.phase === "combat"; i++) {
    const id = activeShipId(battle)!;
    const ship = battle.ships[id]!;
    const enemies = Object.values(battle.ships).filter((s) => s.side !== ship.side && !s.destroyed && !s.escaped);
    const target = enemies[pick.d6() % enemies.length]!;
    const turret = ship.turrets[pick.d6() % ship.turrets.length]!;
    const options: Command[] = [
      { type: "fire", shipId: id, turretId: turret.id, targetId: target.id },
      { type: "launchMissile", shipId: id, turretId: turret.id, targetId: target.id, missile: "smart" },
      { type: "evade", shipId: id, mode: "evasive" },
      { type: "changeRange", shipId: id, targetId: target.id, direction: pick.d6() > 3 ? "closer" : "farther" },
      { type: "sensorLock", shipId: id, targetId: target.id },
      { type: "coordinate", shipId: id, mode: "pool" },
      { type: "repair", shipId: id },
      { type: "pointDefense", shipId: target.id, turretId: target.turrets[0]!.id },
      { type: "evade", shipId: target.id, mode: "dodge" },
      { type: "endTurn", shipId: id },
      { type: "endTurn", shipId: id },
    ];
    const cmd = options[(pick.d6() + pick.d6()) % options.length]!;
    run(actorFor(battle, (cmd as { shipId: string }).shipId), cmd);
  }
  return { battle, log };
}

describe("determinism", () => {
  it("plays the same long scripted battle twice to a bit-identical state", () => {
    const a = play(SETUP, 2024, 1500);
    const b = play(SETUP, 2024, 1500);
    assert.ok(a.battle.round > 20, `long battle: ${a.battle.round} rounds`);
    assert.ok(a.log.length > 500);
    assert.equal(JSON.stringify(a.battle), JSON.stringify(b.battle));
  });
  it("rebuilds the same battle from setup, seed and command log with replay()", () => {
    const a = play(SETUP, 77, 800);
    assert.equal(JSON.stringify(replay(SETUP, 77, a.log)), JSON.stringify(a.battle));
  });
  it("gives a different battle for a different seed", () => {
    const a = play(SETUP, 1, 400);
    const b = play(SETUP, 2, 400);
    assert.notEqual(JSON.stringify(a.battle), JSON.stringify(b.battle));
  });
  it("resumes from a JSON snapshot of battle and dice state mid-battle identically", () => {
    const { log } = play(SETUP, 5, 600);
    const half = Math.floor(log.length / 2);
    const straight = createBattle(SETUP);
    const d1 = createDice(5);
    for (const s of log) apply(straight, s.actor, s.cmd, d1);
    const first = createBattle(SETUP);
    const d2 = createDice(5);
    for (const s of log.slice(0, half)) apply(first, s.actor, s.cmd, d2);
    const snapshot = JSON.stringify({ battle: first, dice: d2.getState() });
    const restored = JSON.parse(snapshot) as { battle: Battle; dice: number[] };
    const d3 = fromState(restored.dice);
    for (const s of log.slice(half)) assert.ok(apply(restored.battle, s.actor, s.cmd, d3).ok);
    assert.equal(JSON.stringify(restored.battle), JSON.stringify(straight));
  });
  it("plays a 2e-style battle deterministically too", () => {
    const setup = { ...SETUP, ruleset: "mgt2e" as const };
    assert.equal(JSON.stringify(play(setup, 9, 600).battle), JSON.stringify(play(setup, 9, 600).battle));
  });
});
