import assert from "node:assert/strict";
import { attackModifiers, rollAttack, type AttackInput } from "../../src/rules/attack";
import { fixedDice } from "../../src/rules/dice";

const base: AttackInput = {
  ruleset: "ce", weapon: "beamLaser", band: "medium", gunnery: 2, sensorLockDM: 0, captainPool: false,
  targetEvasive: 0, targetDodge: false, turretDamaged: false,
};

describe("attack roll", () => {
  it("regression: adds the gunner's Gunnery skill", () => {
    const m = attackModifiers({ ...base, gunnery: 3 })!;
    assert.deepEqual(m.find((x) => x.label === "gunnery"), { label: "gunnery", value: 3 });
  });
  it("lists every modifier: lock +1, captain +1, evasive -2, dodge -2, damaged turret -2", () => {
    const m = attackModifiers({ ...base, sensorLockDM: 1, captainPool: true, targetEvasive: 2, targetDodge: true, turretDamaged: true })!;
    assert.deepEqual(m.map((x) => x.value), [2, 0, 1, 1, -2, -2, -2]);
  });
  for (const [lock, listed] of [[0, null], [1, 1], [2, 2]] as const) {
    it(`lists a sensor lock DM of ${lock} as ${listed === null ? "nothing" : `+${listed}`}`, () => {
      const m = attackModifiers({ ...base, sensorLockDM: lock })!;
      assert.equal(m.find((x) => x.label === "sensor lock")?.value ?? null, listed);
    });
  }
  it("gives CE pulse lasers a further -2 on every attack", () => {
    const m = attackModifiers({ ...base, weapon: "pulseLaser", band: "short" })!;
    assert.ok(m.some((x) => x.label === "pulse laser" && x.value === -2));
    assert.ok(!attackModifiers({ ...base, ruleset: "mgt2e", weapon: "pulseLaser", band: "short" })!.some((x) => x.label === "pulse laser"));
  });
  it("hits on 8+ after modifiers and misses below", () => {
    assert.equal(rollAttack(fixedDice([3, 3]), base).hit, true);   // 6 + 2
    assert.equal(rollAttack(fixedDice([3, 2]), base).hit, false);  // 5 + 2
  });
  it("returns null modifiers when the weapon cannot reach the band", () => {
    assert.equal(attackModifiers({ ...base, weapon: "pulseLaser", band: "distant" }), null);
  });
});
