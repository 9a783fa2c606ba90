// The battle model: plain data, serialisable as JSON, shared by rules and engine.
// Nothing here imports engine, rooms, schema or server code.

export type Ruleset = "ce" | "mgt2e";
export const RULESETS: readonly Ruleset[] = ["ce", "mgt2e"];

/**
 * Battle options that replace a rule of the `ce` ruleset (the SRD) with a house rule; all off by
 * default. What each one changes: src/data/rulesets.ts (HOUSE_RULE_OPTIONS) and docs/rules.md.
 */
export type HouseRule = "rerollInitiative" | "persistentSensorLock";
export const HOUSE_RULES: readonly HouseRule[] = ["rerollInitiative", "persistentSensorLock"];
export type HouseRules = Partial<Record<HouseRule, boolean>>;

export type RangeBand = "adjacent" | "close" | "short" | "medium" | "long" | "veryLong" | "distant";
export const RANGE_BANDS: readonly RangeBand[] = ["adjacent", "close", "short", "medium", "long", "veryLong", "distant"];

export type Side = "players" | "npc";
export type Role = "pilot" | "gunner" | "engineer" | "captain" | "sensors";
export const ROLES: readonly Role[] = ["pilot", "gunner", "engineer", "captain", "sensors"];

export type WeaponKind = "pulseLaser" | "beamLaser" | "particleBeam" | "missileRack" | "sandcaster";
export const WEAPON_KINDS: readonly WeaponKind[] = ["pulseLaser", "beamLaser", "particleBeam", "missileRack", "sandcaster"];
export type MountKind = "single" | "double" | "triple";
export type MissileKind = "standard" | "smart";

/** 0 intact, 1 damaged, 2 disabled, 3 destroyed. */
export type Severity = 0 | 1 | 2 | 3;
export type SystemName =
  | "sensors" | "mDrive" | "jDrive" | "powerPlant" | "fuel" | "bridge" | "crew" | "hold" | "computer" | "armour";
export const SYSTEM_NAMES: readonly SystemName[] = ["sensors", "mDrive", "jDrive", "powerPlant", "fuel", "bridge", "crew", "hold", "computer", "armour"];

export interface Turret {
  id: string;              // unique within the ship, e.g. "t1"
  mount: MountKind;
  weapon: WeaponKind;      // every weapon of one turret is the same kind (1, 2 or 3 of them by mount)
  damage: Severity;
  missiles: number;        // standard missiles left (missile racks)
  smartMissiles: number;   // smart missiles left (missile racks)
  sand: number;            // sandcaster canisters left
  usedRound: number;       // the round in which this turret last fired or reacted (0 = never)
  ready: "none" | "pointDefense" | "sandcaster"; // a reaction readied for the current round
}

export interface CrewSkills { pilot: number; gunnery: number; engineering: number; tactics: number; sensors: number; leadership: number }

export interface Ship {
  id: string;              // unique within the battle, e.g. "p1", "n3"
  name: string;
  side: Side;
  className: string;       // catalogue key or "custom"
  tons: number;
  armour: number;
  thrust: number;
  // CE: hull and structure points; mgt2e: hull points in `hull` (structure unused, kept 0)
  hull: number; maxHull: number;
  structure: number; maxStructure: number;
  systems: Record<SystemName, Severity>;
  turrets: Turret[];
  skills: CrewSkills;      // the ship's crew skill levels (players' or NPC)
  destroyed: boolean;
  escaped: boolean;
  // per-round status
  initiative: number;      // this round's initiative (the SRD's dynamic score: base + this round's captain bonus)
  baseInitiative?: number; // once-per-battle initiative: the roll it was given (absent until rolled)
  evasive: 0 | 1 | 2;      // DM penalty to attacks against this ship this round
  dodgeReady: boolean;     // a dodge reaction readied for this round
  reactionsLeft: number;   // reactions this round (CE table from initiative)
  actedThisTurn: Role[];   // positions that already used their action in this ship's current turn
  coordinationPool: number; // captain's pool of +1 DMs
  lockedOn: string[];      // ship ids this ship holds a sensor lock on
  lockDM: Record<string, number>; // the attack DM of each lock in lockedOn (+1, or +2 on an exceptional success)
  criticals: number;       // mgt2e: 10%-of-hull criticals already applied
  initiativeBonus?: number; // the captain's Effect to add to next round's initiative (absent = 0)
}

export interface MissileInFlight {
  id: string;
  kind: MissileKind;
  fromShipId: string;
  targetId: string;
  launchRound: number;
  arriveRound: number;
  toHit: number;           // the target number on arrival
  reattacks?: number;      // smart missiles: re-attacks already made after a miss (absent = 0)
}

/**
 * The second roll of an action, after its check: the damage of a hit (dice, then the Effect in the
 * 2e style, sand and the target's armour; `hits` what each hit or critical did, by location), or the
 * sand a sandcaster's successful roll casts. `total` = sum(dice) + sum(modifiers), at least 0.
 */
export interface DamageRoll {
  dice: number[];
  modifiers: { label: string; value: number }[];
  total: number;
  hits: string[];
}

export interface LogEntry {
  seq: number;             // 1-based, monotonically increasing
  round: number;
  actor: string;           // ship id, or "gm" / "system"
  action: string;          // command type or engine event, e.g. "fire", "missileArrives", "initiative"
  target?: string;
  /** The check's own dice (2D6, or none), and its DMs: total = sum(dice) + sum(modifiers). */
  dice: number[];
  modifiers: { label: string; value: number }[];
  total?: number;
  need?: number;           // the check's target number (absent when the roll is not a check, e.g. initiative)
  effect?: number;         // total − need, when there is a target number
  /** The damage of a hit (or the sand cast); its armour and total are the target's hidden details. */
  damage?: DamageRoll;
  volley?: number;         // the seq of the first entry of one turret's volley, on every entry of it
  result: string;          // short human text
  /**
   * What observers not entitled to the target's details see instead (no armour figure), when it
   * differs: as at the table, the attacker rolls the damage and the referee applies armour.
   */
  publicResult?: string;
}

export type BattlePhase = "setup" | "combat" | "ended";
export interface BattleResult { winner: Side | "draw" | "none"; reason: "destroyed" | "surrender" | "escape" | "gm" | "idle" }

export interface Battle {
  ruleset: Ruleset;
  phase: BattlePhase;
  round: number;           // 0 before start
  turnIndex: number;       // index into `order` of the ship whose turn it is
  order: string[];         // ship ids in initiative order for the current round
  version: number;         // +1 for every accepted command (optimistic concurrency)
  ships: Record<string, Ship>;
  ranges: Record<string, RangeBand>; // key: pairKey(a, b) for ships of opposite sides
  missiles: MissileInFlight[];
  nextId: number;          // counter for ids the engine creates (missiles, ships)
  logSeq: number;
  result: BattleResult | null;
  startingRange?: RangeBand; // range at which ships added during the battle join (absent = "medium")
  houseRules?: HouseRules;   // house rules in play (absent = none: the ruleset as written)
  paused?: boolean;          // the GM paused the turn clock: no timeout is accepted (absent = running)
}

/** The key of the range between two ships, independent of argument order. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
