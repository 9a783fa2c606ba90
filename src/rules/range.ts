// Range bands: order helpers and the attack DM per weapon and ruleset.
import { WEAPONS } from "../data/weapons";
import { RANGE_BANDS, type RangeBand, type Ruleset, type WeaponKind } from "./model";

export function bandIndex(band: RangeBand): number {
  const i = RANGE_BANDS.indexOf(band);
  if (i < 0) throw new Error(`unknown range band: ${String(band)}`);
  return i;
}
export function closer(band: RangeBand): RangeBand | null {
  const i = bandIndex(band);
  return i > 0 ? RANGE_BANDS[i - 1]! : null;
}
export function farther(band: RangeBand): RangeBand | null {
  const i = bandIndex(band);
  return i < RANGE_BANDS.length - 1 ? RANGE_BANDS[i + 1]! : null;
}
export function shiftBand(band: RangeBand, direction: "closer" | "farther"): RangeBand | null {
  return direction === "closer" ? closer(band) : farther(band);
}

/** The attack DM for a weapon at a band, or null when it cannot attack there. Never NaN. */
export function rangeDM(ruleset: Ruleset, weapon: WeaponKind, band: RangeBand): number | null {
  const value = WEAPONS[ruleset][weapon].rangeDM[band];
  if (value === undefined) throw new Error(`no range DM for ${weapon} at ${String(band)}`);
  return value;
}
