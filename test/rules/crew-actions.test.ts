import assert from "node:assert/strict";
import { fixedDice } from "../../src/rules/dice";
import { initiativeOrder, rollIncreaseInitiative, rollInitiative } from "../../src/rules/initiative";
import { canManoeuvre, effectiveThrust, rollChangeRange, rollDodge, rollEvasive } from "../../src/rules/pilot";
import { reactionsFromInitiative } from "../../src/rules/reactions";
import { repairSteps, rollRepair } from "../../src/rules/repair";
import { battleRules, rulesetOptions } from "../../src/rules/ruleset";
import { rollSensorLock } from "../../src/rules/sensors";

const CE = rulesetOptions("ce");
const MGT2E = rulesetOptions("mgt2e");
const CE_REROLL = battleRules("ce", { rerollInitiative: true });
const skills = { pilot: 2, gunnery: 1, engineering: 1, tactics: 3, sensors: 1, leadership: 1 };

describe("reactions per round", () => {
  const rows: [number, number][] = [[-1, 1], [0, 1], [4, 1], [5, 2], [8, 2], [9, 3], [12, 3], [13, 4], [20, 4]];
  for (const [init, n] of rows) it(`gives initiative ${init} ${n} reaction(s)`, () => assert.equal(reactionsFromInitiative(init), n));
});

describe("initiative", () => {
  // SRD Initiative: "Each ship ... rolls 2D6 ... The ship with a greater Thrust score gains a +1 DM".
  const rows: { name: string; rules: typeof CE; thrust: number; fastest: number; bonus: number; total: number; labels: string[] }[] = [
    { name: "CE (SRD): 2D6 and +1 for the faster ship, no Pilot skill", rules: CE, thrust: 4, fastest: 2, bonus: 0, total: 7 + 1, labels: ["faster"] },
    { name: "CE (SRD): no thrust DM at equal thrust", rules: CE, thrust: 4, fastest: 4, bonus: 0, total: 7, labels: [] },
    { name: "CE, house rule rerollInitiative: Pilot added, with the captain's bonus", rules: CE_REROLL, thrust: 4, fastest: 2, bonus: 1, total: 7 + 2 + 1 + 1, labels: ["pilot", "faster", "captain"] },
    { name: "2e style: Pilot and full thrust added", rules: MGT2E, thrust: 4, fastest: 9, bonus: 0, total: 7 + 2 + 4, labels: ["pilot", "thrust"] },
  ];
  for (const row of rows) {
    it(`rolls ${row.name}`, () => {
      const r = rollInitiative(fixedDice([3, 4]), { rules: row.rules, pilot: 2, thrust: row.thrust, fastestEnemyThrust: row.fastest, bonus: row.bonus });
      assert.equal(r.total, row.total);
      assert.deepEqual(r.modifiers.map((m) => m.label), row.labels);
    });
  }
  // SRD Increase Initiative: "a Leadership check and increase the Initiative ... by the Effect".
  const increase: { name: string; rules: typeof CE; dice: [number, number]; success: boolean; bonus: number; skill: string }[] = [
    { name: "CE: Leadership 1, 4+4: Effect +1", rules: CE, dice: [4, 4], success: true, bonus: 1, skill: "leadership" },
    { name: "CE: Leadership 1, 3+4: Effect 0 adds nothing", rules: CE, dice: [3, 4], success: true, bonus: 0, skill: "leadership" },
    { name: "CE: Leadership 1, 6+6: Effect +5", rules: CE, dice: [6, 6], success: true, bonus: 5, skill: "leadership" },
    { name: "CE: Leadership 1, 1+2: a failure adds nothing", rules: CE, dice: [1, 2], success: false, bonus: 0, skill: "leadership" },
    { name: "2e style: Tactics 3, 2+3: Effect 0 still +1", rules: MGT2E, dice: [2, 3], success: true, bonus: 1, skill: "tactics" },
    { name: "2e style: Tactics 3, 6+5: Effect +6", rules: MGT2E, dice: [6, 5], success: true, bonus: 6, skill: "tactics" },
  ];
  for (const row of increase) {
    it(`increases initiative, ${row.name}`, () => {
      const r = rollIncreaseInitiative(fixedDice(row.dice), row.rules, skills);
      assert.deepEqual([r.check.success, r.bonus, r.check.modifiers[0]!.label], [row.success, row.bonus, row.skill]);
    });
  }
  it("orders by total, then higher thrust, then ship id", () => {
    assert.deepEqual(initiativeOrder([
      { id: "p2", initiative: 8, thrust: 1 }, { id: "n1", initiative: 8, thrust: 1 }, { id: "p1", initiative: 8, thrust: 4 }, { id: "n2", initiative: 10, thrust: 0 },
    ]), ["n2", "p1", "n1", "p2"]);
  });
});

describe("house rules over the ce ruleset", () => {
  it("plays the SRD when none is on, and each one changes only its own option", () => {
    assert.deepEqual(battleRules("ce", undefined), CE);
    assert.deepEqual(battleRules("ce", {}), CE);
    assert.deepEqual(battleRules("ce", { rerollInitiative: false, persistentSensorLock: false }), CE);
    assert.deepEqual(battleRules("ce", { rerollInitiative: true }), { ...CE, initiative: "everyRound" });
    assert.deepEqual(battleRules("ce", { persistentSensorLock: true }), { ...CE, sensorLockLasts: "battle" });
    assert.deepEqual(battleRules("mgt2e", { rerollInitiative: true, persistentSensorLock: true }), MGT2E, "the 2e style already plays both ways");
  });
  it("never changes the ruleset's own options object", () => {
    battleRules("ce", { rerollInitiative: true, persistentSensorLock: true });
    assert.equal(rulesetOptions("ce").initiative, "oncePerBattle");
    assert.equal(rulesetOptions("ce").sensorLockLasts, "round");
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
  it("takes -2 on a CE sensor lock with damaged sensors (SRD Sensors, first hit), -1 in the 2e style", () => {
    assert.equal(rollSensorLock(fixedDice([4, 3]), CE, 1, 1).check.total, 6);
    assert.equal(rollSensorLock(fixedDice([4, 3]), MGT2E, 1, 1).check.total, 7);
  });
  // SRD Sensor Targeting: "DM+1 bonus to their attacks this turn, or a DM+2 on an Exceptional Success".
  const locks: { dice: [number, number]; rules: typeof CE; dm: number; what: string }[] = [
    { dice: [3, 3], rules: CE, dm: 0, what: "CE: 7 fails" },
    { dice: [4, 3], rules: CE, dm: 1, what: "CE: 8 (Effect 0) gives +1" },
    { dice: [6, 6], rules: CE, dm: 1, what: "CE: 13 (Effect 5) gives +1, not yet exceptional" },
    { dice: [6, 6], rules: MGT2E, dm: 1, what: "2e style: +1 whatever the Effect" },
  ];
  for (const row of locks) {
    it(`gives a sensor lock DM of ${row.dm}: ${row.what}`, () => {
      assert.equal(rollSensorLock(fixedDice(row.dice), row.rules, 1, 0).dm, row.dm);
    });
  }
  it("gives a CE sensor lock +2 on an exceptional success (Effect +6) and the 2e style +1", () => {
    assert.equal(rollSensorLock(fixedDice([6, 6]), CE, 2, 0).dm, 2);    // 14: Effect 6
    assert.equal(rollSensorLock(fixedDice([6, 6]), MGT2E, 2, 0).dm, 1);
    assert.equal(rollSensorLock(fixedDice([6, 6]), CE, 2, 1).dm, 1, "damaged sensors: 12, Effect 4");
  });
  // SRD Dodge Incoming Fire: "the pilot must make a Piloting check. If successful, the attack suffers a -2 DM."
  const dodges: [number, number, number, boolean][] = [[3, 3, 1, false], [4, 3, 1, true], [1, 1, 6, true], [6, 6, 0, true], [2, 3, 2, false]];
  for (const [a, b, pilot, ok] of dodges) {
    it(`makes the dodge a Pilot check: ${a}+${b} with Pilot ${pilot} ${ok ? "dodges" : "fails"}`, () => {
      const c = rollDodge(fixedDice([a, b]), pilot);
      assert.equal(c.success, ok);
      assert.deepEqual(c.modifiers, [{ label: "pilot", value: pilot }]);
    });
  }
});
