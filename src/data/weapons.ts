// Weapons per ruleset: damage dice, attack DMs by range band (null: cannot reach), laser or not.
// Sources: CE SRD space-combat.html (Range table) and ship-design-and-construction.html (pulse -2);
// the 2e-style flat DMs and reach are our description (docs/rules.md).
import type { MountKind, RangeBand, Ruleset, WeaponKind } from "../rules/model";

export interface WeaponStats {
  name: string;
  damageDice: number;            // D6 of damage on a hit (missile racks: see data/missiles)
  attackDM: number;              // DM on every attack with this weapon
  laser: boolean;                // sandcasters work against it; it can do point defence
  rangeDM: Readonly<Record<RangeBand, number | null>>;
}

/** Weapons in one turret, by mount. */
export const MOUNT_WEAPONS: Readonly<Record<MountKind, number>> = { single: 1, double: 2, triple: 3 };

/** Missile racks and sandcasters do not fire directly: no band takes a direct attack. */
const NO_DIRECT_FIRE: Readonly<Record<RangeBand, null>> = {
  adjacent: null, close: null, short: null, medium: null, long: null, veryLong: null, distant: null,
};

/** The 2e-style flat DM by band, up to a weapon's maximum band (null beyond it). */
function flatUpTo(max: RangeBand): Record<RangeBand, number | null> {
  const flat: [RangeBand, number][] = [["adjacent", 0], ["close", 0], ["short", 1], ["medium", 0], ["long", -2], ["veryLong", -4], ["distant", -6]];
  const out = {} as Record<RangeBand, number | null>;
  let reached = false;
  for (const [band, dm] of flat) {
    out[band] = reached ? null : dm;
    if (band === max) reached = true;
  }
  return out;
}

export const WEAPONS: Readonly<Record<Ruleset, Readonly<Record<WeaponKind, WeaponStats>>>> = {
  ce: {
    pulseLaser: {
      name: "Pulse laser", damageDice: 2, attackDM: -2, laser: true,
      rangeDM: { adjacent: -2, close: -2, short: 0, medium: -2, long: -2, veryLong: -4, distant: null },
    },
    beamLaser: {
      name: "Beam laser", damageDice: 1, attackDM: 0, laser: true,
      rangeDM: { adjacent: -2, close: -2, short: -2, medium: 0, long: -2, veryLong: -2, distant: -2 },
    },
    particleBeam: {
      name: "Particle beam", damageDice: 3, attackDM: 0, laser: false,
      rangeDM: { adjacent: -4, close: -2, short: -2, medium: -2, long: 0, veryLong: -2, distant: -2 },
    },
    missileRack: { name: "Missile rack", damageDice: 1, attackDM: 0, laser: false, rangeDM: NO_DIRECT_FIRE },
    sandcaster: { name: "Sandcaster", damageDice: 0, attackDM: 0, laser: false, rangeDM: NO_DIRECT_FIRE },
  },
  mgt2e: {
    pulseLaser: { name: "Pulse laser", damageDice: 2, attackDM: 0, laser: true, rangeDM: flatUpTo("long") },
    beamLaser: { name: "Beam laser", damageDice: 1, attackDM: 0, laser: true, rangeDM: flatUpTo("medium") },
    particleBeam: { name: "Particle beam", damageDice: 3, attackDM: 0, laser: false, rangeDM: flatUpTo("veryLong") },
    missileRack: { name: "Missile rack", damageDice: 4, attackDM: 0, laser: false, rangeDM: NO_DIRECT_FIRE },
    sandcaster: { name: "Sandcaster", damageDice: 0, attackDM: 0, laser: false, rangeDM: NO_DIRECT_FIRE },
  },
};
