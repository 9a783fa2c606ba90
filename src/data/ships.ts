// The ship catalogue. Source: CE SRD common-vessels.html (tonnage, hull/structure, armour, thrust);
// weapon fits where the SRD leaves hardpoints open are our choice (docs/rules.md, Ships).
import type { CrewSkills, MountKind, Side, WeaponKind } from "../rules/model";

/** Player ships and NPC ships a battle may hold (ids p1..p5, n1..n10). */
export const MAX_SHIPS: Readonly<Record<Side, number>> = { players: 5, npc: 10 };

/** CE: one hull point and one structure point per 50 tons (custom ships). */
export const CE_TONS_PER_HULL_POINT = 50;
/** 2e style: hull points per ton. */
export const MGT2E_HULL_PER_TON = 0.4;

/** Crew skills when neither the catalogue nor the GM says otherwise. */
export const DEFAULT_SKILLS: Readonly<CrewSkills> = { pilot: 1, gunnery: 1, engineering: 1, tactics: 1, sensors: 1, leadership: 1 };

export interface TurretSpec {
  mount: MountKind;
  weapon: WeaponKind;
  missiles?: number;       // standard missiles in the rack
  smartMissiles?: number;  // smart missiles in the rack
  sand?: number;           // sandcaster canisters
}

export interface ShipClass {
  key: string;
  displayName: string;
  tons: number;
  armour: number;
  thrust: number;
  jump: number;
  ce: { hull: number; structure: number };
  mgt2eHull: number;       // 0.4 x tons
  turrets: readonly TurretSpec[];
  skills: CrewSkills;
}

const crew = (over: Partial<CrewSkills> = {}): CrewSkills => ({ ...DEFAULT_SKILLS, ...over });

export const SHIP_CLASSES = {
  scout: {
    key: "scout", displayName: "Scout/Courier", tons: 100, armour: 2, thrust: 4, jump: 2,
    ce: { hull: 2, structure: 2 }, mgt2eHull: 40,
    turrets: [{ mount: "double", weapon: "pulseLaser" }],
    skills: crew(),
  },
  freeTrader: {
    key: "freeTrader", displayName: "Free Trader", tons: 200, armour: 2, thrust: 1, jump: 1,
    ce: { hull: 4, structure: 4 }, mgt2eHull: 80,
    turrets: [{ mount: "double", weapon: "beamLaser" }, { mount: "double", weapon: "sandcaster", sand: 20 }],
    skills: crew(),
  },
  farTrader: {
    key: "farTrader", displayName: "Far Trader", tons: 300, armour: 2, thrust: 2, jump: 1,
    ce: { hull: 6, structure: 6 }, mgt2eHull: 120,
    turrets: [
      { mount: "triple", weapon: "pulseLaser" }, { mount: "triple", weapon: "pulseLaser" },
      { mount: "triple", weapon: "sandcaster", sand: 100 },
    ],
    skills: crew(),
  },
  patrolCorvette: {
    key: "patrolCorvette", displayName: "Patrol Corvette", tons: 300, armour: 8, thrust: 4, jump: 2,
    ce: { hull: 6, structure: 6 }, mgt2eHull: 120,
    turrets: [
      { mount: "triple", weapon: "missileRack", smartMissiles: 60 }, { mount: "triple", weapon: "missileRack", smartMissiles: 60 },
      { mount: "triple", weapon: "beamLaser" },
    ],
    skills: crew(),
  },
  corsair: {
    key: "corsair", displayName: "Corsair", tons: 600, armour: 8, thrust: 4, jump: 1,
    ce: { hull: 12, structure: 12 }, mgt2eHull: 240,
    turrets: [{ mount: "triple", weapon: "beamLaser" }, { mount: "triple", weapon: "beamLaser" }, { mount: "triple", weapon: "beamLaser" }],
    skills: crew(),
  },
  fighter: {
    key: "fighter", displayName: "Fighter", tons: 10, armour: 0, thrust: 6, jump: 0,
    ce: { hull: 0, structure: 1 }, mgt2eHull: 4,
    turrets: [{ mount: "single", weapon: "pulseLaser" }],
    skills: crew({ pilot: 2 }),
  },
  systemDefenseBoat: {
    key: "systemDefenseBoat", displayName: "System Defense Boat", tons: 400, armour: 8, thrust: 6, jump: 0,
    ce: { hull: 8, structure: 8 }, mgt2eHull: 160,
    turrets: [
      { mount: "triple", weapon: "missileRack", smartMissiles: 180 }, { mount: "triple", weapon: "missileRack", smartMissiles: 180 },
      { mount: "triple", weapon: "beamLaser" }, { mount: "triple", weapon: "beamLaser" },
    ],
    skills: crew(),
  },
} as const satisfies Record<string, ShipClass>;

export type ShipClassKey = keyof typeof SHIP_CLASSES;
export const shipClassKeys = Object.keys(SHIP_CLASSES) as ShipClassKey[];

/** Own keys only: "constructor" or "__proto__" from the network is never a class. */
export function isShipClassKey(key: string): key is ShipClassKey {
  return Object.prototype.hasOwnProperty.call(SHIP_CLASSES, key);
}
