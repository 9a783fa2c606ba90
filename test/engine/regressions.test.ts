// One test per bug of the earlier implementation (reference list).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { apply, createBattle } from "../../src/engine";
import { createDice, fixedDice } from "../../src/rules/dice";
import { act, crew, GM, must } from "./helpers";

function duel(range: "veryLong" | "short" | "medium", gunnery = 1) {
  const b = createBattle({ ruleset: "ce", startingRange: range, ships: [
    { side: "players", name: "Trader", className: "freeTrader", skills: { gunnery } }, { side: "npc", name: "Corvette", className: "patrolCorvette" },
  ] });
  must(apply(b, GM, { type: "start" }, fixedDice([6, 6, 1, 1])));
  return b;
}

describe("regressions of the earlier implementation", () => {
  it("an attack at Very Long has a finite total and can hit (range names match the table keys)", () => {
    const b = duel("veryLong");
    const r = must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([6, 6, 1, 1, 1, 1])));
    const e = r.events[0]!;
    assert.ok(Number.isFinite(e.total));
    assert.equal(e.total, 12 + 1 - 2);
    assert.match(e.result, /hit/);
  });
  it("the gunner's Gunnery skill of the firing ship is in the attack", () => {
    const b = duel("medium", 3);
    const r = must(act(b, { type: "fire", shipId: "p1", turretId: "t1", targetId: "n1" }, fixedDice([1, 1, 1, 1])));
    assert.deepEqual(r.events[0]!.modifiers[0], { label: "gunnery", value: 3 });
    assert.equal(r.events[0]!.total, 2 + 3 + 0);
  });
  it("the sandcaster reduction is applied to the damage taken, not only computed", () => {
    const b = createBattle({ ruleset: "ce", startingRange: "short", ships: [{ side: "players", name: "T", className: "freeTrader" }, { side: "npc", name: "W", className: "fighter" }] });
    must(apply(b, GM, { type: "start" }, fixedDice([1, 1, 6, 6])));
    must(act(b, { type: "useSandcaster", shipId: "p1", turretId: "t2" }, fixedDice([])));
    // attack 12 hits; sand roll 4+4+1 = 9 succeeds; 12 damage - 6 sand - 2 armour = 4: one single
    // hit (hull), instead of 10: one double hit
    must(act(b, { type: "fire", shipId: "n1", turretId: "t1", targetId: "p1" }, fixedDice([6, 6, 4, 4, 6, 6, 6, 3, 3])));
    assert.equal(b.ships.p1!.hull, 3);
  });
  it("missiles in flight advance every round, even when nobody launches", () => {
    const b = createBattle({ ruleset: "mgt2e", startingRange: "veryLong", ships: [{ side: "players", name: "T", className: "freeTrader" }, { side: "npc", name: "C", className: "patrolCorvette" }] });
    const dice = createDice(3);
    must(apply(b, GM, { type: "start" }, dice));
    if (b.order[0] === "p1") must(act(b, { type: "endTurn", shipId: "p1" }, dice));
    must(act(b, { type: "launchMissile", shipId: "n1", turretId: "t1", targetId: "p1", missile: "smart" }, dice));
    assert.deepEqual(b.missiles.map((m) => m.arriveRound), [6, 6, 6], "2e style: five rounds of flight at Very Long");
    const arrivals: number[] = [];
    while (b.round <= 6) {
      const round = b.round;
      const id = b.order[b.turnIndex]!;
      const r = must(act(b, { type: "endTurn", shipId: id }, dice));
      if (r.events.some((e) => e.action === "missileArrives" || e.action === "pointDefense")) arrivals.push(round);
    }
    assert.deepEqual(arrivals, [6]);
    assert.ok(b.missiles.every((m) => m.arriveRound > 6));
  });
  it("no source file of rules, data or engine uses the clock or Math.random", () => {
    const root = path.resolve(__dirname, "../../src");
    for (const dir of ["rules", "data", "engine"]) {
      for (const f of fs.readdirSync(path.join(root, dir))) {
        const src = fs.readFileSync(path.join(root, dir, f), "utf8");
        assert.ok(!/Math\.random|Date\.now|new Date|performance\.now/.test(src), `${dir}/${f}`);
      }
    }
  });
  it("end of turn is checked against the turn order", () => {
    const b = duel("medium");
    const r = apply(b, GM, { type: "endTurn", shipId: "n1" }, fixedDice([]));
    assert.equal(r.ok ? null : r.code, "notYourTurn");
  });
  it("reactions are limited by the ship's reactions left and its turrets, whoever's turn it is", () => {
    const b = duel("medium"); // n1 initiative 3: one reaction
    assert.equal(b.ships.n1!.reactionsLeft, 1);
    must(apply(b, GM, { type: "pointDefense", shipId: "n1", turretId: "t3" }, fixedDice([])));
    const r = apply(b, GM, { type: "evade", shipId: "n1", mode: "dodge" }, fixedDice([]));
    assert.equal(r.ok ? null : r.code, "noReactionsLeft");
    const p = apply(b, crew("p1"), { type: "pointDefense", shipId: "p1", turretId: "t1" }, fixedDice([]));
    assert.ok(p.ok);
    const again = apply(b, crew("p1"), { type: "pointDefense", shipId: "p1", turretId: "t1" }, fixedDice([]));
    assert.equal(again.ok ? null : again.code, "alreadyActed");
  });
});
