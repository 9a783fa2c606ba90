import assert from "node:assert/strict";
import { WEAPONS } from "../../src/data/weapons";
import { RANGE_BANDS, RULESETS, WEAPON_KINDS, type RangeBand, type WeaponKind } from "../../src/rules/model";
import { closer, farther, rangeDM } from "../../src/rules/range";

describe("range bands", () => {
  it("moves one band closer or farther and stops at the ends", () => {
    assert.equal(closer("medium"), "short");
    assert.equal(farther("long"), "veryLong");
    assert.equal(closer("adjacent"), null);
    assert.equal(farther("distant"), null);
  });

  const CE: Record<"pulseLaser" | "beamLaser" | "particleBeam", (number | null)[]> = {
    pulseLaser: [-2, -2, 0, -2, -2, -4, null],
    beamLaser: [-2, -2, -2, 0, -2, -2, -2],
    particleBeam: [-4, -2, -2, -2, 0, -2, -2],
  };
  for (const [weapon, row] of Object.entries(CE)) {
    RANGE_BANDS.forEach((band, i) => {
      it(`gives CE ${weapon} at ${band} a DM of ${row[i]}`, () => assert.equal(rangeDM("ce", weapon as WeaponKind, band), row[i]));
    });
  }
  const flat: Record<RangeBand, number> = { adjacent: 0, close: 0, short: 1, medium: 0, long: -2, veryLong: -4, distant: -6 };
  for (const band of RANGE_BANDS) {
    it(`gives the 2e-style beam laser at ${band} the flat DM or none beyond Medium`, () => {
      const expected = ["long", "veryLong", "distant"].includes(band) ? null : flat[band];
      assert.equal(rangeDM("mgt2e", "beamLaser", band), expected);
    });
  }
  it("regression: every weapon of every ruleset has a number or null for every band, never NaN or undefined", () => {
    for (const rs of RULESETS) for (const w of WEAPON_KINDS) for (const band of RANGE_BANDS) {
      const v = rangeDM(rs, w, band);
      assert.ok(v === null || Number.isFinite(v), `${rs} ${w} ${band}: ${v}`);
      assert.deepEqual(Object.keys(WEAPONS[rs][w].rangeDM).sort(), [...RANGE_BANDS].sort());
    }
  });
  it("regression: an attack at Very Long resolves with a finite DM (CE beam laser -2)", () => {
    assert.equal(rangeDM("ce", "beamLaser", "veryLong"), -2);
  });
  it("throws, never returns NaN, for a band name that does not exist", () => {
    // @ts-expect-error "very_long" is not a RangeBand: a compile error, and a throw at run time
    assert.throws(() => rangeDM("ce", "beamLaser", "very_long"));
  });
});
