import assert from "node:assert/strict";
import { check, evaluate } from "../../src/rules/check";
import { fixedDice } from "../../src/rules/dice";

describe("task check", () => {
  const rows: [number[], number, number, boolean, "success" | "failure" | null][] = [
    [[4, 4], 0, 0, true, null],
    [[3, 4], 0, -1, false, null],
    [[1, 1], -4, -10, false, "failure"],
    [[1, 1], 0, -6, false, "failure"],
    [[6, 6], 2, 6, true, "success"],
    [[6, 5], 2, 5, true, null],
  ];
  for (const [dice, dm, effect, success, exc] of rows) {
    it(`turns ${dice.join("+")} with DM ${dm} into Effect ${effect}`, () => {
      const r = evaluate(dice, [{ label: "dm", value: dm }]);
      assert.equal(r.effect, effect);
      assert.equal(r.success, success);
      assert.equal(r.exceptional, exc);
    });
  }
  it("rolls two dice and reports them with the modifiers and total", () => {
    const r = check(fixedDice([2, 5]), [{ label: "gunnery", value: 2 }]);
    assert.deepEqual(r.dice, [2, 5]);
    assert.equal(r.total, 9);
    assert.deepEqual(r.modifiers, [{ label: "gunnery", value: 2 }]);
  });
});
