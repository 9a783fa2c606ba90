import assert from "node:assert/strict";
import { fixedDice } from "../../src/rules/dice";
import { initiativeOrder, rollInitiative } from "../../src/rules/initiative";
import { canManoeuvre, effectiveThrust, rollChangeRange, rollEvasive } from "../../src/rules/pilot";
import { reactionsFromInitiative } from "../../src/rules/reactions";
import { repairSteps, rollRepair } from "../../src/rules/repair";
import { rollSensorLock } from "../../src/rules/sensors";

describe("reactions per round", () => {
  const rows: [number, number][] = [[-1, 1], [0, 1], [4, 1], [5, 2], [8, 2], [9, 3], [12, 3], [13, 4], [20, 4]];
  for (const [init, n] of rows) it(`gives initiative ${init} ${n} reaction(s)`, () => assert.equal(reactionsFromInitiative(init), n));
});

describe("initiative", () => {
  it("adds pilot skill, +1 in CE for the faster ship, and the captain's tactics bonus", () => {
    const r = rollInitiative(fixedDice([3, 4]), { ruleset: "ce", pilot: 2, thrust: 4, fastestEnemyThrust: 2, tacticsBonus: 1 });
    assert.equal(r.total, 7 + 2 + 1 + 1);
  });
  it("gives no CE thrust bonus at equal thrust, and adds full thrust in the 2e style", () => {
    assert.equal(rollInitiative(fixedDice([3, 4]), { ruleset: "ce", pilot: 0, thrust: 4, fastestEnemyThrust: 4, tacticsBonus: 0 }).total, 7);
    assert.equal(rollInitiative(fixedDice([3, 4]), { ruleset: "mgt2e", pilot: 0, thrust: 4, fastestEnemyThrust: 9, tacticsBonus: 0 }).total, 11);
  });
  it("orders by total, then higher thrust, then ship id", () => {
    assert.deepEqual(initiativeOrder([
      { id: "p2", initiative: 8, thrust: 1 }, { id: "n1", initiative: 8, thrust: 1 }, { id: "p1", initiative: 8, thrust: 4 }, { id: "n2", initiative: 10, thrust: 0 },
    ]), ["n2", "p1", "n1", "p2"]);
  });
});

describe("repair", () => {
  const rows: [number, number][] = [[-1, 0], [0, 1], [1, 2], [5, 2], [6, 3], [9, 3]];
  for (const [e, s] of rows) it(`repairs ${s} severity step(s) on Effect ${e}`, () => assert.equal(repairSteps(e), s));
  it("takes a disabled system back to intact on Effect 1+", () => {
    const r = rollRepair(fixedDice([4, 4]), 1, 2);
    assert.equal(r.after, 0);
  });
  it("refuses to repair a destroyed system in combat", () => assert.throws(() => rollRepair(fixedDice([6, 6]), 1, 3)));
});

describe("pilot and sensors", () => {
  it("gives evasive -1 on success and -2 on an exceptional success", () => {
    assert.equal(rollEvasive(fixedDice([4, 3]), 1).evasive, 1);
    assert.equal(rollEvasive(fixedDice([6, 6]), 2).evasive, 2);
    assert.equal(rollEvasive(fixedDice([1, 2]), 1).evasive, 0);
  });
  it("adds the thrust difference to a range change", () => {
    const r = rollChangeRange(fixedDice([3, 3]), 1, 4, 2);
    assert.equal(r.total, 9);
  });
  it("loses thrust with M-drive damage and all manoeuvre once disabled", () => {
    assert.equal(effectiveThrust(4, 1), 3);
    assert.equal(effectiveThrust(4, 2), 0);
    assert.equal(canManoeuvre(2), false);
  });
  it("takes -1 on a sensor lock with damaged sensors", () => {
    assert.equal(rollSensorLock(fixedDice([4, 3]), 1, 1).total, 7);
  });
});
