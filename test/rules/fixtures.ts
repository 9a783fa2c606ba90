import type { Ship } from "../../src/rules/model";

export function testShip(over: Partial<Ship> = {}): Ship {
  return {
    id: "n1", name: "Target", side: "npc", className: "custom", tons: 200, armour: 2, thrust: 2,
    hull: 4, maxHull: 4, structure: 4, maxStructure: 4,
    systems: { sensors: 0, mDrive: 0, jDrive: 0, powerPlant: 0, fuel: 0, bridge: 0, crew: 0, hold: 0, computer: 0, armour: 0 },
    turrets: [{ id: "t1", mount: "double", weapon: "beamLaser", damage: 0, missiles: 0, smartMissiles: 0, sand: 0, usedRound: 0, ready: "none" }],
    skills: { pilot: 1, gunnery: 1, engineering: 1, tactics: 1, sensors: 1, leadership: 1 },
    destroyed: false, escaped: false, initiative: 0, evasive: 0, dodgeReady: false, reactionsLeft: 0, actedThisTurn: [],
    coordinationPool: 0, lockedOn: [], lockDM: {}, criticals: 0,
    ...over,
  };
}
