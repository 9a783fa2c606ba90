import assert from "node:assert/strict";
import { pairKey } from "../../src/rules/model";
describe("pairKey", () => {
  it("is the same whichever ship comes first", () => assert.equal(pairKey("n1", "p1"), pairKey("p1", "n1")));
});
