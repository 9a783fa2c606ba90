// The wire state of a battle room. Fields without @view reach every client; fields tagged
// @view(DETAIL) reach a client only after the room calls view.add(ship, DETAIL) for it
// (own ship, every ship for the GM, NPC ships under a players' sensor lock).
import { Schema, type, view, MapSchema, ArraySchema } from "@colyseus/schema";

/** StateView tag for a ship's exact hull, armour, weapons and systems. */
export const DETAIL = 1;

export class TurretState extends Schema {
  @type("string") id = "";
  @type("string") mount = "";
  @type("string") weapon = "";
  @type("uint8") damage = 0;
  @type("uint16") missiles = 0;
  @type("uint16") smartMissiles = 0;
  @type("uint16") sand = 0;
  @type("uint16") usedRound = 0;
  @type("string") ready = "none";
}

export class ShipState extends Schema {
  // public: what any observer can see or infer
  @type("string") id = "";
  @type("string") name = "";
  @type("string") side = "";
  @type("string") className = "";
  @type("uint16") tons = 0;
  @type("uint8") thrust = 0;
  @type("string") condition = "intact"; // intact | damaged | crippled | destroyed | escaped
  @type("boolean") destroyed = false;
  @type("boolean") escaped = false;
  @type("int8") initiative = 0;
  @type("uint8") evasive = 0;
  // detail: hidden from players until their side holds a sensor lock (or it is their own ship)
  @view(DETAIL) @type("uint8") armour = 0;
  @view(DETAIL) @type("uint16") hull = 0;
  @view(DETAIL) @type("uint16") maxHull = 0;
  @view(DETAIL) @type("uint16") structure = 0;
  @view(DETAIL) @type("uint16") maxStructure = 0;
  @view(DETAIL) @type({ map: "uint8" }) systems = new MapSchema<number>();
  @view(DETAIL) @type([TurretState]) turrets = new ArraySchema<TurretState>();
  @view(DETAIL) @type("uint8") reactionsLeft = 0;
  @view(DETAIL) @type("boolean") dodgeReady = false;
  @view(DETAIL) @type("uint8") coordinationPool = 0;
  @view(DETAIL) @type(["string"]) lockedOn = new ArraySchema<string>();
  @view(DETAIL) @type(["string"]) actedThisTurn = new ArraySchema<string>();
}

export class CrewMember extends Schema {
  @type("string") id = "";        // seat id (stable across reconnections), not the secret key
  @type("string") name = "";
  @type("string") role = "player"; // gm | player
  @type("string") shipId = "";
  @type(["string"]) positions = new ArraySchema<string>();
  @type("boolean") connected = true;
}

export class MissileState extends Schema {
  @type("string") id = "";
  @type("string") kind = "";
  @type("string") fromShipId = "";
  @type("string") targetId = "";
  @type("uint16") launchRound = 0;
  @type("uint16") arriveRound = 0;       // the round at whose end it attacks next
  @type("uint8") reattacks = 0;          // smart missiles: attacks already made again after a miss
}

export class LogEntryState extends Schema {
  @type("uint32") seq = 0;
  @type("uint16") round = 0;
  @type("string") actor = "";
  @type("string") action = "";
  @type("string") target = "";
  // Lists travel packed, one string each (src/commands/log-fields.ts): flat entries are far
  // cheaper to create, attach, trim and encode than nested arrays of schemas.
  // The check: its 2D6 and DMs add up to total; need is its target number (0: not a check), effect = total − need.
  @type("string") dice = "";          // "3,4"
  @type("string") modifiers = "";     // JSON [[label, value], …]
  @type("int16") total = 0;
  @type("uint8") need = 0;
  @type("int8") effect = 0;
  @type("uint32") volley = 0;         // the seq of the first entry of one turret's volley (0: none)
  // The damage of a hit (or the sand cast): its dice, the DMs anyone may see (no armour), what each hit did.
  @type("string") damageDice = "";
  @type("string") damageModifiers = "";
  @type("int16") damageTotal = 0;     // −1 when it would reveal the target's armour (then only in detailDamageTotal)
  @type("string") hits = "";          // JSON [line, …]
  @type("string") result = "";        // what everybody may read
  // For those who may see the target's details: the full text, the damage DMs with the target's armour, the damage.
  @view(DETAIL) @type("string") detail = "";
  @view(DETAIL) @type("string") detailModifiers = "";
  @view(DETAIL) @type("int16") detailDamageTotal = 0;
}

export class ChatLine extends Schema {
  @type("uint32") seq = 0;
  @type("string") from = "";
  @type("string") fromName = "";
  @type("string") text = "";
  @type("float64") at = 0;
}

export class ResultState extends Schema {
  @type("string") winner = "";
  @type("string") reason = "";
}

export class BattleState extends Schema {
  @type("string") name = "";
  @type("string") ruleset = "ce";
  @type("string") phase = "setup";
  @type("uint16") round = 0;
  @type("uint8") turnIndex = 0;
  @type("string") activeShipId = "";
  @type("float64") turnEndsAt = 0;     // epoch ms when the active turn times out
  @type("uint16") turnTimeoutSec = 30;
  @type("boolean") paused = false;     // the GM paused the turn clock (turnEndsAt is 0 meanwhile)
  @type("uint32") version = 0;
  @type(["string"]) order = new ArraySchema<string>();
  @type({ map: ShipState }) ships = new MapSchema<ShipState>();
  @type({ map: "string" }) ranges = new MapSchema<string>();
  @type({ map: MissileState }) missiles = new MapSchema<MissileState>();
  @type({ map: CrewMember }) crew = new MapSchema<CrewMember>();
  @type([LogEntryState]) log = new ArraySchema<LogEntryState>();
  @type([ChatLine]) chat = new ArraySchema<ChatLine>();
  @type(ResultState) result = new ResultState();
}
