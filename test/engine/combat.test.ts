import assert from "node:assert/strict";
import { apply, createBattle } from "../../src/engine";
import { fixedDice } from "../../src/rules/dice";
import { act, crew, GM, must } from "./helpers";

describe("combat scenarios", () => {
  it("limits each crew position to one action per turn", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "players", name: "A", className: "scout" }, { side: "npc", name: "B", className: "freeTrader" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 1, 1])));
    b.ships.p1!.systems.fuel = 1;
    b.ships.p1!.systems.hold = 1;
    const twice: [Parameters<typeof act>[1], number[]][] = [
      [{ type: "evade", shipId: "p1", mode: "evasive" }, [4, 4]],
      [{ type: "changeRange", shipId: "p1", targetId: "n1", direction: "closer" }, [4, 4]],
      [{ type: "repair", shipId: "p1" }, [4, 4]],
      [{ type: "sensorLock", shipId: "p1", targetId: "n1" }, [4, 4]],
      [{ type: "coordinate", shipId: "p1", mode: "pool" }, [4, 4]],
    ];
    must(act(b, twice[0]![0], fixedDice(twice[0]![1])));
    const r = act(b, twice[1]![0], fixedDice([]));
    assert.equal(r.ok ? null : r.code, "alreadyActed", "evade and changeRange share the pilot");
    for (const [cmd, dice] of twice.slice(2)) {
      must(act(b, cmd, fixedDice(dice)));
      const again = act(b, cmd, fixedDice([]));
      assert.equal(again.ok ? null : again.code, "alreadyActed", cmd.type);
    }
  });

  it("uses each turret once per round: fire, launch or reaction", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "players", name: "A", className: "freeTrader" }, { side: "npc", name: "B", className: "freeTrader" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 1, 1])));
    must(act(b, { type: "pointDefense", shipId: "p1", turretId: "t1" }, fixedDice([])));
    const r = act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([]));
    assert.equal(r.ok ? null : r.code, "alreadyActed");
    must(act(b, { type: "endTurn", shipId: "p1" }, fixedDice([])));
    must(act(b, { type: "endTurn", shipId: "n1" }, fixedDice([6, 6, 1, 1])));
    must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([1, 1, 1, 1])));
    const again = act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([]));
    assert.equal(again.ok ? null : again.code, "alreadyActed");
  });

  it("lands a missile after its flight rounds and lets point defence destroy missiles (no launches in the arrival round)", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "medium", ships: [{ side: "players", name: "Trader", className: "freeTrader" }, { side: "npc", name: "Corvette", className: "patrolCorvette" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 1, 1]))); // p1 12, n1 2+1 (faster) = 3
    must(act(b, { type: "endTurn", shipId: "p1" }, fixedDice([])));
    // CE smart missiles: no launch roll, 8+ on every attack
    const launch = must(act(b, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, fixedDice([])));
    assert.match(launch.events[0]!.result, /3 smart missiles/);
    assert.equal(b.ships.n1!.turrets[0]!.smartMissiles, 57);
    assert.deepEqual(b.missiles.map((m) => [m.arriveRound, m.toHit]), [[2, 8], [2, 8], [2, 8]]);
    must(act(b, { type: "endTurn", shipId: "n1" }, fixedDice([]))); // end of round 1: nothing arrives, initiative kept
    assert.equal(b.missiles.length, 3);
    assert.equal(b.round, 2);
    must(act(b, { type: "pointDefense", shipId: "p1", turretId: "t1" }, fixedDice([])));
    must(act(b, { type: "endTurn", shipId: "p1" }, fixedDice([])));
    // end of round 2: PD 13 kills m1, 11 kills m2, 0 misses m3; m3 rolls 12 vs 8+: 1D6 6 - 2 armour = 4 -> hull (3+3)
    const end = must(act(b, { type: "endTurn", shipId: "n1" }, fixedDice([6, 6, 6, 5, 1, 1, 6, 6, 6, 3, 3])));
    const actions = end.events.map((e) => e.action);
    assert.deepEqual(actions.slice(1, 6), ["pointDefense", "pointDefense", "pointDefense", "missileArrives", "round"]);
    assert.equal(b.missiles.length, 0);
    assert.equal(b.ships.p1!.hull, 3);
  });

  it("keeps a missile at Very Long in flight for two CE rounds", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "veryLong", ships: [{ side: "players", name: "Trader", className: "freeTrader" }, { side: "npc", name: "Corvette", className: "patrolCorvette" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([1, 1, 6, 6])));
    const r = must(act(b, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, fixedDice([])));
    assert.equal(r.events.length, 1);
    assert.deepEqual(b.missiles.map((m) => m.arriveRound), [3, 3, 3]);
  });

  it("reduces laser damage by the readied sandcaster and spends a canister", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "players", name: "Trader", className: "freeTrader" }, { side: "npc", name: "Wasp", className: "fighter" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([1, 1, 6, 6]))); // p1 2, n1 12+1 (faster) = 13
    assert.deepEqual(b.order, ["n1", "p1"]);
    must(apply(b, crew("p1", ["gunner"]), { type: "useSandcaster", shipId: "p1", turretId: "t2" }, fixedDice([])));
    assert.equal(b.ships.p1!.turrets[1]!.sand, 19);
    // attack 12+1-2 = 11 hit; the sand gunner's Turret Weapons roll 4+4+1 = 9 succeeds: sand 4;
    // 2D6 12 - 4 - 2 armour = 6 -> two single hits to the hull
    const r = must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, fixedDice([6, 6, 4, 4, 4, 6, 6, 3, 3, 4, 4])));
    assert.deepEqual(r.events.map((e) => e.action), ["sandcaster", "fire"], "the sand is the target's own roll, before the hit");
    assert.deepEqual(r.events[0]!.damage, { dice: [4], modifiers: [], total: 4, hits: [] });
    const e = r.events[1]!;
    assert.ok(e.damage!.modifiers.some((m) => m.label === "sand" && m.value === -4));
    assert.ok(!e.modifiers.some((m) => m.label.startsWith("sand")), "sand is no attack DM");
    assert.match(e.result, /12 damage − 4 sand − 2 armour → two single hits: hull −1, hull −1/);
    assert.equal(b.ships.p1!.hull, 2);
    assert.equal(b.ships.p1!.turrets[1]!.ready, "none", "the sand is used up by that attack");
  });

  it("applies a readied dodge to the next attack only, after the pilot's successful Pilot check", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "medium", ships: [{ side: "players", name: "Trader", className: "freeTrader" }, { side: "npc", name: "Corsair", className: "corsair" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([1, 1, 6, 6])));
    must(act(b, { type: "evade", shipId: "p1", mode: "dodge" }, fixedDice([])));
    // Pilot check 4+3+1 = 8: the dodge works on the first beam; the other two get nothing
    const r = must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, fixedDice([4, 3, 1, 1, 1, 1, 1, 1])));
    assert.deepEqual(r.events.map((e) => e.action), ["dodgeCheck", "fire", "fire", "fire"]);
    assert.deepEqual(r.events.map((e) => e.modifiers.some((m) => m.label === "target dodges")), [false, true, false, false]);
    assert.equal(b.ships.p1!.dodgeReady, false);
  });

  it("destroys a ship at structure 0 and ends the battle when its side has none left", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "players", name: "Scout", className: "scout" }, { side: "npc", name: "Wasp", className: "fighter" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 1, 1])));
    // 12+1-2 = 11 hit; 2D6 5 - 0 armour: two single hits; fighter hull 0 -> internal 6: structure -> destroyed
    const r = must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([6, 6, 3, 2, 3, 3])));
    assert.equal(b.ships.n1!.destroyed, true);
    assert.equal(b.ships.n1!.structure, 0);
    assert.equal(b.phase, "ended");
    assert.deepEqual(b.result, { winner: "players", reason: "destroyed" });
    assert.equal(r.events.at(-1)!.action, "battleEnds");
    const after = act(b, { type: "endTurn", shipId: "n1" }, fixedDice([]));
    assert.equal(after.ok ? null : after.code, "wrongPhase");
  });
});
