import assert from "node:assert/strict";
import { applyCeHits, cloneShip, applyCeLocationHit, applyMgt2eDamage, ceHits, ceLocation, mgt2eCriticalLocation, resolveDamage, rollSandcaster } from "../../src/rules/damage";
import { fixedDice } from "../../src/rules/dice";
import { testShip } from "./fixtures";

describe("CE damage to hits", () => {
  const rows: [number, number, number, number][] = [
    // points, singles, doubles, triples
    [0, 0, 0, 0], [1, 1, 0, 0], [4, 1, 0, 0], [5, 2, 0, 0], [8, 2, 0, 0], [9, 0, 1, 0], [12, 0, 1, 0],
    [13, 3, 0, 0], [16, 3, 0, 0], [17, 2, 1, 0], [20, 2, 1, 0], [21, 0, 2, 0], [24, 0, 2, 0], [25, 0, 0, 1],
    [28, 0, 0, 1], [29, 1, 0, 1], [32, 1, 0, 1], [33, 0, 1, 1], [36, 0, 1, 1], [37, 1, 1, 1], [40, 1, 1, 1],
    [41, 0, 0, 2], [44, 0, 0, 2], [45, 0, 0, 2], [47, 1, 0, 2], [50, 2, 1, 2], [56, 4, 2, 2],
  ];
  for (const [p, s, d, t] of rows) {
    it(`turns ${p} points of CE damage into ${s} single, ${d} double and ${t} triple hits`, () => {
      assert.deepEqual(ceHits(p), { single: s, double: d, triple: t });
    });
  }
  it("treats negative damage as no hits", () => assert.deepEqual(ceHits(-3), { single: 0, double: 0, triple: 0 }));
});

describe("CE hit locations", () => {
  const external = ["hull", "sensors", "mDrive", "turret", "hull", "armour", "hull", "fuel", "mDrive", "sensors", "hull"];
  const internal = ["structure", "powerPlant", "jDrive", "turret", "structure", "crew", "structure", "hold", "jDrive", "powerPlant", "bridge"];
  for (let roll = 2; roll <= 12; roll++) {
    it(`puts an external hit on ${roll} to ${external[roll - 2]} and an internal one to ${internal[roll - 2]}`, () => {
      assert.equal(ceLocation(roll, false), external[roll - 2]);
      assert.equal(ceLocation(roll, true), internal[roll - 2]);
    });
  }
  it("throws for a roll outside 2-12", () => assert.throws(() => ceLocation(13, false)));
});

describe("CE system severity and hull/structure", () => {
  it("takes a system from damaged to disabled to destroyed, then sends further hits to the hull", () => {
    const s = testShip();
    const lines: string[] = [];
    applyCeLocationHit(s, "sensors", 1, lines);
    assert.equal(s.systems.sensors, 1);
    applyCeLocationHit(s, "sensors", 1, lines);
    assert.equal(s.systems.sensors, 2);
    applyCeLocationHit(s, "sensors", 1, lines);
    assert.equal(s.systems.sensors, 3);
    applyCeLocationHit(s, "sensors", 1, lines);
    assert.equal(s.systems.sensors, 3);
    assert.equal(s.hull, 3);
    assert.deepEqual(lines, ["sensors damaged", "sensors disabled", "sensors destroyed", "hull −1"]);
  });
  it("applies a triple hit as three steps at one location, overflowing into the hull", () => {
    const s = testShip({ systems: { ...testShip().systems, mDrive: 1 } });
    applyCeLocationHit(s, "mDrive", 3, []);
    assert.equal(s.systems.mDrive, 3);
    assert.equal(s.hull, 3);
  });
  it("takes hull first, then structure, and destroys the ship at structure 0", () => {
    const s = testShip({ hull: 1, structure: 2 });
    const lines: string[] = [];
    applyCeLocationHit(s, "hull", 3, lines);
    assert.equal(s.hull, 0);
    assert.equal(s.structure, 0);
    assert.equal(s.destroyed, true);
    assert.deepEqual(lines, ["hull −1", "structure −2", "destroyed"]);
  });
  it("rolls internal locations once the hull is gone", () => {
    const s = testShip({ hull: 0 });
    const r = applyCeHits(fixedDice([1, 2]), s, 3); // one single hit, roll 3 internal: power plant
    assert.equal(r.ship.systems.powerPlant, 1);
    assert.equal(s.systems.powerPlant, 0, "the input ship is not mutated");
  });
  it("reduces armour by one per armour hit", () => {
    const s = testShip({ armour: 2 });
    applyCeLocationHit(s, "armour", 1, []);
    assert.equal(s.armour, 1);
    assert.equal(s.systems.armour, 1);
  });
  it("turns 13 points of CE damage into three single hits at three rolled locations", () => {
    const r = applyCeHits(fixedDice([1, 2, 2, 3, 3, 3]), testShip(), 13); // sensors, turret, hull
    assert.deepEqual(r.hits, { single: 3, double: 0, triple: 0 });
    assert.equal(r.ship.systems.sensors, 1);
    assert.equal(r.ship.turrets[0]!.damage, 1);
    assert.equal(r.ship.hull, 3);
  });
});

describe("resolveDamage (CE)", () => {
  it("subtracts armour and does not add the attack's Effect", () => {
    // 1D6 beam laser: 6 - armour 2 = 4 -> one single hit, location 2+1=3 sensors
    const r = resolveDamage(fixedDice([6, 2, 1]), testShip(), { ruleset: "ce", damageDice: 1, effect: 5, sand: null });
    assert.equal(r.damage, 4);
    assert.equal(r.ship.systems.sensors, 1);
    assert.equal(r.text, "6 damage − 2 armour → one single hit: sensors damaged");
  });
  it("regression: applies the sandcaster reduction to the damage", () => {
    const sand = rollSandcaster(fixedDice([4, 3, 3]), "ce", 1); // Turret Weapons 7+1 = 8: success, 1D6 3
    assert.equal(sand.value, 3);
    const r = resolveDamage(fixedDice([6, 6, 2, 1, 3, 3]), testShip(), { ruleset: "ce", damageDice: 2, effect: 0, sand });
    assert.equal(r.damage, 12 - 3 - 2);
    assert.ok(r.modifiers.some((m) => m.label === "sandcaster" && m.value === -3));
  });
  // SRD Fire Sand: "Each reaction spent on firing sand allows the gunner to make a Turret Weapons
  // roll. If successful the damage of each beam in the incoming attack is reduced by 1D6."
  const sandRows: { dice: number[]; gunnery: number; damaged: boolean; value: number; rolled: number[] }[] = [
    { dice: [4, 3, 5], gunnery: 1, damaged: false, value: 5, rolled: [4, 3, 5] },  // 8: success, -1D6
    { dice: [3, 3], gunnery: 1, damaged: false, value: 0, rolled: [3, 3] },        // 7: the sand misses, no 1D6 rolled
    { dice: [6, 6, 2], gunnery: 0, damaged: false, value: 2, rolled: [6, 6, 2] },  // 12: success
    { dice: [4, 4], gunnery: 1, damaged: true, value: 0, rolled: [4, 4] },         // 9 - 2 damaged turret: miss
    { dice: [5, 4, 1], gunnery: 1, damaged: true, value: 1, rolled: [5, 4, 1] },   // 10 - 2: success
  ];
  for (const row of sandRows) {
    it(`makes the CE sandcaster a Turret Weapons roll first: ${row.dice.slice(0, 2).join("+")} with Gunnery ${row.gunnery}${row.damaged ? " from a damaged turret" : ""} takes ${row.value} off`, () => {
      const dice = fixedDice(row.dice);
      const sand = rollSandcaster(dice, "ce", row.gunnery, row.damaged);
      assert.equal(sand.value, row.value);
      assert.deepEqual(sand.dice, row.rolled);
      assert.equal(dice.remaining(), 0);
    });
  }
  it("shows a missed CE sandcaster roll in the damage line and takes nothing off", () => {
    const sand = rollSandcaster(fixedDice([1, 1]), "ce", 1);
    const r = resolveDamage(fixedDice([6, 6, 2, 1, 3, 3]), testShip(), { ruleset: "ce", damageDice: 2, effect: 0, sand });
    assert.equal(r.damage, 12 - 2);
    assert.match(r.text, /^12 damage \(sand missed\) − 2 armour/);
  });
  it("adds a crew hit for a CE particle beam that gets through", () => {
    const r = resolveDamage(fixedDice([3, 3, 3, 4, 4, 3, 3]), testShip(), { ruleset: "ce", damageDice: 3, effect: 0, sand: null, radiation: true });
    assert.equal(r.ship.systems.crew, 1);
  });
});

describe("2e-style damage", () => {
  it("takes dice + Effect - armour off the hull", () => {
    const r = resolveDamage(fixedDice([4, 3]), testShip({ hull: 80, maxHull: 80, structure: 0 }), { ruleset: "mgt2e", damageDice: 2, effect: 2, sand: null });
    assert.equal(r.damage, 7);
    assert.equal(r.ship.hull, 73);
  });
  it("rolls a critical on Effect 6+ when damage gets through", () => {
    const r = applyMgt2eDamage(fixedDice([1, 1]), testShip({ hull: 80, maxHull: 80 }), 1, 6); // 2: sensors
    assert.equal(r.ship.systems.sensors, 1);
    assert.deepEqual(r.dice, [1, 1]);
  });
  it("rolls one critical for every 10% of hull lost", () => {
    const r = applyMgt2eDamage(fixedDice([1, 1, 4, 4, 5, 5]), testShip({ hull: 100, maxHull: 100 }), 25, 0);
    assert.equal(r.ship.criticals, 2);
    assert.equal(r.ship.systems.sensors, 1); // roll 2
    assert.equal(r.ship.systems.mDrive, 1);  // roll 8
    const again = applyMgt2eDamage(fixedDice([]), r.ship, 1, 0); // 74: still 2 tenths lost
    assert.equal(again.ship.criticals, 2);
  });
  const crit: [number, string][] = [[2, "sensors"], [3, "powerPlant"], [4, "fuel"], [5, "weapon"], [6, "armour"], [7, "hull"], [8, "mDrive"], [9, "hold"], [10, "jDrive"], [11, "crew"], [12, "computer"]];
  for (const [roll, loc] of crit) it(`puts a 2e-style critical on ${roll} to ${loc}`, () => assert.equal(mgt2eCriticalLocation(roll), loc));
  it("destroys the ship at hull 0", () => {
    const r = applyMgt2eDamage(fixedDice([]), testShip({ hull: 5, maxHull: 80 }), 9, 0);
    assert.equal(r.ship.hull, 0);
    assert.equal(r.ship.destroyed, true);
  });
  it("turns a successful 2e-style sandcaster reaction into 1D + Effect armour", () => {
    const sand = rollSandcaster(fixedDice([5, 4, 3]), "mgt2e", 1); // 9+1=10: Effect 2, +3 -> 5
    assert.equal(sand.value, 5);
    assert.equal(rollSandcaster(fixedDice([4, 4]), "mgt2e", 1, true).value, 0, "a damaged turret's -2: 8 + 1 - 2 = 7 misses");
    const r = resolveDamage(fixedDice([6, 6]), testShip({ hull: 80, maxHull: 80 }), { ruleset: "mgt2e", damageDice: 2, effect: 0, sand });
    assert.equal(r.damage, 12 - 2 - 5);
  });
});

describe("copying a ship before damage", () => {
  /** Every object reachable from `v`, with its path. */
  function objects(v: unknown, path = "ship", out = new Map<object, string>()): Map<object, string> {
    if (v && typeof v === "object") {
      out.set(v, path);
      for (const [k, child] of Object.entries(v)) objects(child, `${path}.${k}`, out);
    }
    return out;
  }

  it("shares no object with the original and equals it, whatever the ship holds", () => {
    const ship = testShip({ lockedOn: ["n1"], lockDM: { n1: 1 }, actedThisTurn: ["pilot"], baseInitiative: 7, initiativeBonus: 1 });
    const copy = cloneShip(ship);
    assert.deepEqual(copy, ship);
    const mine = objects(ship);
    for (const [obj, path] of objects(copy)) assert.ok(!mine.has(obj), `${path} is shared with the original`);
  });
});
