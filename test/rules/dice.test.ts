import assert from "node:assert/strict";
import { createDice, fixedDice, fromState, SeededDice } from "../../src/rules/dice";

describe("dice", () => {
  it("rolls only values from 1 to 6, all of them, roughly uniformly", () => {
    const d = createDice(42);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60000; i++) counts[d.d6() - 1]! += 1;
    for (const c of counts) assert.ok(c > 9500 && c < 10500, `count ${c}`);
  });
  it("gives the same sequence for the same seed and a different one for another seed", () => {
    assert.deepEqual(createDice(7).roll(20), createDice(7).roll(20));
    assert.notDeepEqual(createDice(7).roll(20), createDice(8).roll(20));
    assert.deepEqual(createDice("battle").roll(10), createDice("battle").roll(10));
  });
  it("resumes mid-stream from a saved state", () => {
    const a = createDice(99);
    a.roll(13);
    const state = a.getState();
    const b = fromState(JSON.parse(JSON.stringify(state)) as number[]);
    assert.deepEqual(b.roll(30), a.roll(30));
    assert.deepEqual(SeededDice.fromState(state).roll(5).length, 5);
  });
  it("rejects a malformed state", () => {
    assert.throws(() => fromState([1, 2, 3]));
  });
  it("fixed dice yield their values in order and throw when they run out", () => {
    const d = fixedDice([3, 4, 5]);
    assert.deepEqual(d.roll(2), [3, 4]);
    assert.equal(d.d6(), 5);
    assert.throws(() => d.d6(), /ran out/);
    assert.throws(() => fixedDice([7]));
  });
  it("regression: two dice created in the same millisecond with different seeds differ (no clock seeding)", () => {
    const a = createDice(1), b = createDice(2);
    assert.notDeepEqual(a.roll(10), b.roll(10));
  });
});
