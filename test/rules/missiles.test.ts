import assert from "node:assert/strict";
import { fixedDice } from "../../src/rules/dice";
import { flightRounds, launchRolls, missileToHit, rollLaunch, rollMissileAttack, rollPointDefense, smartReattack } from "../../src/rules/missiles";
import type { MissileInFlight } from "../../src/rules/model";
import { battleRules, rulesetOptions } from "../../src/rules/ruleset";

const missile: MissileInFlight = { id: "m1", kind: "standard", fromShipId: "p1", targetId: "n1", launchRound: 1, arriveRound: 2, toHit: 8 };

describe("missiles", () => {
  const table: [number, number][] = [[-9, 11], [-6, 11], [-5, 10], [-1, 10], [0, 8], [1, 7], [5, 7], [6, 6], [9, 6]];
  for (const [effect, toHit] of table) it(`sets the arrival target to ${toHit}+ for a launch Effect of ${effect}`, () => assert.equal(missileToHit(effect), toHit));

  it("flies 1,1,1,2,2 rounds in CE and 1,1,2,5,10 in the 2e style from Short to Distant, no launch at Adjacent/Close", () => {
    const bands = ["short", "medium", "long", "veryLong", "distant"] as const;
    assert.deepEqual(bands.map((b) => flightRounds("ce", b)), [1, 1, 1, 2, 2]);
    assert.deepEqual(bands.map((b) => flightRounds("mgt2e", b)), [1, 1, 2, 5, 10]);
    assert.equal(flightRounds("ce", "adjacent"), null);
    assert.equal(flightRounds("mgt2e", "close"), null);
  });
  it("derives the to-hit from the launch check with the gunner's skill", () => {
    assert.equal(rollLaunch(fixedDice([6, 6]), 2).toHit, 6);  // Effect 6
    assert.equal(rollLaunch(fixedDice([2, 3]), 1).toHit, 10); // Effect -2
  });
  it("lets point defence roll until a turret misses, with a cumulative -1 per roll", () => {
    const state = new Map();
    const defs = [{ turretId: "t1", gunnery: 1, damaged: false }, { turretId: "t2", gunnery: 1, damaged: false }];
    const first = rollPointDefense(fixedDice([4, 3]), defs, state); // 8: destroyed
    assert.deepEqual(first.map((r) => r.destroyed), [true]);
    const second = rollPointDefense(fixedDice([4, 3, 1, 1]), defs, state); // t1: 7+1-1=7 miss; t2: 2+1 miss
    assert.deepEqual(second.map((r) => [r.turretId, r.check.total, r.destroyed]), [["t1", 7, false], ["t2", 3, false]]);
    assert.deepEqual(rollPointDefense(fixedDice([]), defs, state), [], "both turrets stopped after missing");
  });
  it("applies evasive and dodge to the missile's arrival roll", () => {
    const r = rollMissileAttack(fixedDice([5, 5]), missile, 1, true);
    assert.equal(r.total, 7);
    assert.equal(r.success, false);
  });
  // SRD Smart Missiles: "The missile to-hit roll for smart missiles is always 8+".
  const launches: [string, ReturnType<typeof rulesetOptions>, "standard" | "smart", boolean][] = [
    ["CE standard", rulesetOptions("ce"), "standard", true],
    ["CE smart", rulesetOptions("ce"), "smart", false],
    ["CE smart with every house rule", battleRules("ce", { rerollInitiative: true, persistentSensorLock: true }), "smart", false],
    ["2e-style standard", rulesetOptions("mgt2e"), "standard", true],
    ["2e-style smart", rulesetOptions("mgt2e"), "smart", true],
  ];
  for (const [name, rules, kind, rolls] of launches) {
    it(`${rolls ? "makes" : "makes no"} launch roll for a ${name} missile`, () => assert.equal(launchRolls(rules, kind), rolls));
  }
  it("lets a smart missile that missed attack again next round at 8+, at most twice", () => {
    const smart = { ...missile, kind: "smart" as const, toHit: 10 };
    const a = smartReattack(smart, 2)!;
    assert.deepEqual([a.arriveRound, a.toHit, a.reattacks], [3, 8, 1]);
    const b = smartReattack(a, 3)!;
    assert.equal(smartReattack(b, 4), null);
    assert.equal(smartReattack(missile, 2), null, "standard missiles do not re-attack");
  });
});
