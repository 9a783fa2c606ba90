import assert from "node:assert/strict";
import { activeShipId, apply, createBattle } from "../../src/engine";
import { fixedDice } from "../../src/rules/dice";
import { pairKey } from "../../src/rules/model";
import { act, crew, GM, must, setup2v2, SYSTEM } from "./helpers";

const INIT = [6, 6, 5, 5, 3, 3, 1, 1]; // order p1, p2, n1, n2

function fresh() {
  const b = createBattle(setup2v2("ce", "short"));
  must(apply(b, GM, { type: "start" }, fixedDice(INIT)));
  return b;
}

describe("a round of a 2v2 battle", () => {
  it("runs every ship's turn in initiative order, then starts round 2 in the same order (CE: initiative is never re-rolled)", () => {
    const b = fresh();
    must(act(b, { type: "evade", shipId: "p1", mode: "evasive" }, fixedDice([4, 4])));
    assert.equal(b.ships.p1!.evasive, 1);
    must(act(b, { type: "endTurn", shipId: "p1" }, fixedDice([])));
    assert.equal(activeShipId(b), "p2");
    // scout fires its double pulse laser at the fighter: both miss (2+1-2 = 1)
    const fire = must(act(b, { type: "fire", shipId: "p2", turretId: "t1", targetId: "n2" }, fixedDice([1, 1, 1, 1])));
    assert.equal(fire.events.length, 2);
    must(act(b, { type: "endTurn", shipId: "p2" }, fixedDice([])));
    // corsair triple beam laser at the free trader (evasive -1): 3 misses
    must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, fixedDice([1, 2, 1, 2, 1, 2])));
    must(act(b, { type: "endTurn", shipId: "n1" }, fixedDice([])));
    // last ship ends its turn: round 2 rolls no dice and keeps the order
    const next = must(act(b, { type: "endTurn", shipId: "n2" }, fixedDice([])));
    assert.equal(b.round, 2);
    assert.deepEqual(b.order, ["p1", "p2", "n1", "n2"]);
    assert.deepEqual(["p1", "p2", "n1", "n2"].map((id) => b.ships[id]!.initiative), [12, 10, 6, 3]);
    assert.ok(!next.events.some((e) => e.action === "initiative"), "nothing to log: no ship's initiative changed");
    assert.equal(b.ships.p1!.evasive, 0, "evasive lasts one round");
    assert.equal(b.turnIndex, 0);
    assert.equal(b.version, 8);
  });
  it("skips destroyed and escaped ships when advancing the turn", () => {
    const b = fresh();
    b.ships.p2!.destroyed = true;
    must(act(b, { type: "endTurn", shipId: "p1" }, fixedDice([])));
    assert.equal(activeShipId(b), "n1");
  });
  it("lets the GM add a ship during combat; it joins at the next round's initiative", () => {
    const b = fresh();
    must(apply(b, GM, { type: "addShip", ship: { side: "npc", name: "Late", className: "fighter" } }, fixedDice([])));
    assert.equal(b.ships.n3!.name, "Late");
    assert.equal(b.ranges[pairKey("p1", "n3")], "short");
    assert.ok(!b.order.includes("n3"));
    // the newcomer rolls its once-per-battle initiative when it joins; nobody else rolls again
    for (const id of ["p1", "p2", "n1", "n2"]) must(act(b, { type: "endTurn", shipId: id }, fixedDice(id === "n2" ? [2, 2] : [])));
    assert.ok(b.order.includes("n3"));
    assert.deepEqual([b.ships.n3!.initiative, b.ships.n3!.baseInitiative], [4 + 1, 4 + 1], "2D6 4, +1: the fighter is faster than every player ship");
  });
  it("removes a ship in setup entirely, and marks it escaped in combat", () => {
    const b = createBattle(setup2v2());
    must(apply(b, GM, { type: "removeShip", shipId: "n2" }, fixedDice([])));
    assert.equal(b.ships.n2, undefined);
    assert.ok(!Object.keys(b.ranges).some((k) => k.includes("n2")));
    must(apply(b, GM, { type: "addShip", ship: { side: "npc", name: "Again", className: "scout" } }, fixedDice([])));
    assert.equal((b.ships as Record<string, { name: string } | undefined>).n2?.name, "Again", "the freed id is reused in setup");
    const c = fresh();
    must(apply(c, GM, { type: "removeShip", shipId: "p1" }, fixedDice([])));
    assert.equal(c.ships.p1!.escaped, true);
    assert.equal(activeShipId(c), "p2", "removing the active ship passes the turn");
  });
  it("applies a timeout as the active ship's end of turn, and rejects a stale one", () => {
    const b = fresh();
    must(apply(b, SYSTEM, { type: "timeout", round: 1, turnIndex: 0 }, fixedDice([])));
    assert.equal(activeShipId(b), "p2");
    const r = apply(b, SYSTEM, { type: "timeout", round: 1, turnIndex: 0 }, fixedDice([]));
    assert.equal(r.ok ? null : r.code, "stale");
  });
  it("ends on GM end or system idleEnd, after which every ship command is wrongPhase", () => {
    const b = fresh();
    must(apply(b, GM, { type: "end", winner: "players", reason: "surrender" }, fixedDice([])));
    assert.deepEqual(b.result, { winner: "players", reason: "surrender" });
    const r = apply(b, crew("p1"), { type: "endTurn", shipId: "p1" }, fixedDice([]));
    assert.equal(r.ok ? null : r.code, "wrongPhase");
    const c = fresh();
    must(apply(c, SYSTEM, { type: "idleEnd" }, fixedDice([])));
    assert.deepEqual(c.result, { winner: "none", reason: "idle" });
    assert.equal(c.phase, "ended");
  });
  it("moves one range band on a successful range change and lets a ship escape from Distant", () => {
    const b = fresh();
    must(act(b, { type: "changeRange", shipId: "p1", targetId: "n1", direction: "farther" }, fixedDice([6, 5])));
    assert.equal(b.ranges[pairKey("p1", "n1")], "medium");
    assert.equal(b.ranges[pairKey("p1", "n2")], "short");
    const c = createBattle({ ruleset: "ce", startingRange: "distant", ships: [
      { side: "players", name: "Runner", className: "scout" }, { side: "players", name: "Stay", className: "scout" }, { side: "npc", name: "Chaser", className: "freeTrader" },
    ] });
    must(apply(c, GM, { type: "start" }, fixedDice([6, 6, 5, 5, 1, 1])));
    must(act(c, { type: "changeRange", shipId: "p1", targetId: "n1", direction: "farther" }, fixedDice([4, 4])));
    assert.equal(c.ships.p1!.escaped, true);
    assert.equal(activeShipId(c), "p2");
  });
  it("ends the battle when a side has only escaped ships left, with reason escape", () => {
    const c = createBattle({ ruleset: "ce", startingRange: "distant", ships: [
      { side: "players", name: "Runner", className: "scout" }, { side: "npc", name: "Chaser", className: "freeTrader" },
    ] });
    must(apply(c, GM, { type: "start" }, fixedDice([6, 6, 1, 1])));
    must(act(c, { type: "changeRange", shipId: "p1", targetId: "n1", direction: "farther" }, fixedDice([4, 4])));
    assert.deepEqual(c.result, { winner: "npc", reason: "escape" });
  });
  it("repairs a damaged system, uses the captain's pool on the next attack, and holds a sensor lock", () => {
    const b = fresh();
    b.ships.p1!.systems.sensors = 2;
    b.ships.p1!.systems.mDrive = 1;
    must(act(b, { type: "repair", shipId: "p1", system: "sensors" }, fixedDice([4, 4]))); // Effect 1: 2 steps
    assert.equal(b.ships.p1!.systems.sensors, 0);
    must(act(b, { type: "sensorLock", shipId: "p1", targetId: "n1" }, fixedDice([4, 4])));
    assert.deepEqual(b.ships.p1!.lockedOn, ["n1"]);
    must(act(b, { type: "coordinate", shipId: "p1", mode: "pool" }, fixedDice([5, 5]))); // 10+1: Effect 3
    assert.equal(b.ships.p1!.coordinationPool, 3);
    const r = must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([1, 1, 1, 1])));
    const labels = r.events[0]!.modifiers.map((m) => m.label);
    assert.ok(labels.includes("sensor lock") && labels.includes("captain"));
    assert.equal(b.ships.p1!.coordinationPool, 1);
  });
  it("adds the captain's Leadership Effect to the next round's initiative only (SRD Increase Initiative)", () => {
    const b = fresh();
    const endRound = () => { for (const id of [...b.order]) must(act(b, { type: "endTurn", shipId: id }, fixedDice([]))); };
    must(act(b, { type: "endTurn", shipId: "p1" }, fixedDice([])));
    const c = must(act(b, { type: "coordinate", shipId: "p2", mode: "initiative" }, fixedDice([6, 5]))); // 11+1 Leadership: Effect 4
    assert.deepEqual(c.events[0]!.modifiers, [{ label: "leadership", value: 1 }]);
    for (const id of ["p2", "n1", "n2"]) must(act(b, { type: "endTurn", shipId: id }, fixedDice([])));
    assert.equal(b.round, 2);
    assert.equal(b.ships.p2!.initiative, 10 + 4);
    assert.deepEqual(b.order, ["p2", "p1", "n1", "n2"], "p2 acts first this round");
    assert.equal(b.ships.p2!.reactionsLeft, 4);
    endRound();
    assert.equal(b.ships.p2!.initiative, 10, "the increase applies for the following round only");
    assert.deepEqual(b.order, ["p1", "p2", "n1", "n2"]);
  });
  it("works in the 2e-style ruleset with thrust added to initiative and hull-point damage", () => {
    const b = createBattle(setup2v2("mgt2e", "short"));
    must(apply(b, GM, { type: "start" }, fixedDice([1, 1, 1, 1, 1, 1, 6, 6])));
    assert.equal(b.ships.n2!.initiative, 12 + 2 + 6);
    assert.equal(b.order[0], "n2");
    // fighter's pulse laser at the free trader: 6+6+1+1(short)=14, Effect 6: 2D 3+3 + 6 - 2 = 10 hull, critical
    const r = must(act(b, { type: "fire", shipId: "n2", turretId: "t1", targetId: "p1" }, fixedDice([6, 6, 3, 3, 1, 1, 1, 1])));
    assert.equal(b.ships.p1!.hull, 70);
    assert.equal(b.ships.p1!.systems.sensors, 2, "Effect 6 critical + 10% hull critical, both on sensors");
    assert.match(r.events[0]!.result, /hull −10/);

  });
});
