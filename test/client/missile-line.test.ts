import assert from "node:assert/strict";
import { missileLine } from "../../client/labels";

describe("the missiles panel's line for a missile in flight", () => {
  const rows: { m: { kind: string; arriveRound: number; reattacks?: number }; round: number; says: string }[] = [
    { m: { kind: "standard", arriveRound: 3 }, round: 1, says: "Missile from Lance → Corsair, arrives round 3 (in 2)" },
    { m: { kind: "smart", arriveRound: 2, reattacks: 0 }, round: 2, says: "Smart missile from Lance → Corsair, arrives round 2 (this round)" },
    // issue 11: a smart missile attacking again in rounds 3-6 said "arrives round 2 (this round)"
    { m: { kind: "smart", arriveRound: 3, reattacks: 1 }, round: 3, says: "Smart missile from Lance → Corsair, attacks again round 3 (this round)" },
    { m: { kind: "smart", arriveRound: 5, reattacks: 2 }, round: 5, says: "Smart missile from Lance → Corsair, attacks again round 5 (this round)" },
    { m: { kind: "smart", arriveRound: 2 }, round: 3, says: "Smart missile from Lance → Corsair, arrives round 2" },
  ];
  for (const { m, round, says } of rows) {
    it(`says "${says}" in round ${round}`, () => assert.equal(missileLine(m, round, "Lance", "Corsair"), says));
  }
});
