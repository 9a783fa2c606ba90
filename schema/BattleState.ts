// The wire state of a battle room. Fields without @view reach every client; fields tagged
// @view(DETAIL) reach a client only after the room calls view.add(ship, DETAIL) for it
// (own ship, every ship for the GM, NPC ships under a players' sensor lock). The combat log is not
// state: it travels as `log` messages (src/commands/log-wire.ts).
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
  @type([ChatLine]) chat = new ArraySchema<ChatLine>();
  @type(ResultState) result = new ResultState();
}
