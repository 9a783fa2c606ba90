// The engine's contract: who acts, what they ask for, and what comes back.
import type {
  Battle, LogEntry, MissileKind, RangeBand, Role, Ruleset, Side, SystemName, BattleResult,
  CrewSkills, HouseRules, MountKind, WeaponKind,
} from "../rules/model";

/** Who issues a command. The room derives it from the authenticated seat, never from the payload. */
export type Actor =
  | { kind: "gm" }
  | {
    kind: "crew"; shipId: string; roles: Role[];
    /**
     * Somebody else connected holds this ship's captain position: ending the ship's turn is then
     * the captain's call (permissions.ts). Set by the room from its seats, logged with the command.
     */
    captainAboard?: boolean;
  }
  | { kind: "system" };

/** A ship as the GM specifies it: a catalogue class, or custom stats. */
export interface CustomShipStats {
  tons: number; armour: number; thrust: number;
  hull?: number; structure?: number; // default from tonnage and ruleset
  turrets: { mount: MountKind; weapon: WeaponKind; missiles?: number; smartMissiles?: number; sand?: number }[];
}
export interface ShipSpec {
  side: Side;
  name: string;
  className: string;           // a key of the ship catalogue, or "custom"
  custom?: CustomShipStats;    // required when className is "custom"
  skills?: Partial<CrewSkills>;
}

export interface BattleSetup {
  ruleset: Ruleset;
  startingRange: RangeBand;
  ships: ShipSpec[];
  houseRules?: HouseRules;     // absent or all off: the ruleset as written
}

/** Ship-level actions (crew, or the GM acting for an NPC ship). `shipId` is the acting ship. */
export type ShipCommand =
  | { type: "fire"; shipId: string; turretId: string; targetId: string }
  | { type: "launchMissile"; shipId: string; turretId: string; targetId: string; missile: MissileKind }
  | { type: "pointDefense"; shipId: string; turretId: string }
  | { type: "useSandcaster"; shipId: string; turretId: string }
  | { type: "evade"; shipId: string; mode: "evasive" | "dodge" }
  | { type: "changeRange"; shipId: string; targetId: string; direction: "closer" | "farther" }
  | { type: "repair"; shipId: string; system?: SystemName; turretId?: string }
  | { type: "sensorLock"; shipId: string; targetId: string }
  | { type: "coordinate"; shipId: string; mode: "initiative" | "pool" }
  | { type: "endTurn"; shipId: string };

export type GmCommand =
  | { type: "start" }
  | { type: "end"; winner: Side | "draw"; reason: "surrender" | "escape" | "gm" }
  | { type: "addShip"; ship: ShipSpec }
  | { type: "removeShip"; shipId: string }
  | GmControlCommand;

/**
 * The GM in control (docs/rules.md, "The GM in control"): the turn clock, a skipped turn, a
 * correction of a ship's figures, and the undo of the last accepted command.
 */
export type GmControlCommand =
  | { type: "pause" }
  | { type: "resume" }
  | { type: "skipTurn" }
  | { type: "undo" }
  | { type: "adjust"; shipId: string; reason: string } & ShipAdjustment;

/** New absolute values of a ship's figures; each one absent stays as it is. Ammunition needs `turretId`. */
export interface ShipAdjustment {
  hull?: number; structure?: number; armour?: number;
  turretId?: string; missiles?: number; smartMissiles?: number; sand?: number;
}

/** Issued by the server itself: a turn that ran out of time, a battle left idle. */
export type SystemCommand =
  | { type: "timeout"; round: number; turnIndex: number }
  | { type: "idleEnd" };

export type Command = ShipCommand | GmCommand | SystemCommand;

export type RejectCode =
  | "forbidden"        // this actor may never send this command (role, side, ship)
  | "wrongPhase"       // not in this phase (e.g. fire before start, start twice)
  | "notYourTurn"      // it is another ship's turn
  | "alreadyActed"     // this position already acted this turn / this turret this round
  | "unknownShip"
  | "unknownTurret"
  | "invalidTarget"    // own side, destroyed, escaped, or self
  | "wrongWeapon"      // e.g. launchMissile from a laser turret
  | "noAmmo"
  | "outOfRange"       // weapon cannot reach at this range band (or missiles at Adjacent/Close)
  | "systemDisabled"   // the needed system or turret is disabled/destroyed
  | "noReactionsLeft"
  | "nothingToRepair"
  | "tooManyShips"
  | "tooManyMissiles"  // the battle's missiles in flight are at MAX_MISSILES_IN_FLIGHT
  | "stale"            // a system timeout for a turn that has already moved on
  | "nothingToUndo"    // no accepted command left that an undo may take back
  | "badValue";        // a GM adjustment outside what the ship can hold

export type ApplyResult =
  | { ok: true; events: LogEntry[] }
  | { ok: false; code: RejectCode; message: string };

export type { Battle, LogEntry, BattleResult };
