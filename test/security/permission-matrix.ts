// The permission matrix (docs/security.md): for every client message and every kind of sender,
// whether the room lets it through to the rules ("allow") or refuses it, and with which code.
// "allow" means the permission layer passed it: the reply is an ack or a game-rule refusal
// (wrongPhase, notYourTurn, noAmmo...), never forbidden/readOnly/notSeated/invalid.

export type Column = "gm" | "crew" | "crewLacking" | "crewNamingOtherShip" | "spectator" | "unseated";
export type Cell = "allow" | "forbidden" | "readOnly" | "notSeated" | "invalid" | null;

export const COLUMNS: Record<Column, string> = {
  gm: "GM",
  crew: "player, own ship, holding the position",
  crewLacking: "player, own ship, without the position",
  crewNamingOtherShip: "player naming another ship (extra shipId)",
  spectator: "spectator",
  unseated: "connection without a seat",
};

/** The crew position each ship message needs (null: any position of the ship). */
export const NEEDS: Record<string, string | null> = {
  "space:fire": "gunner", "space:launchMissile": "gunner", "space:pointDefense": "gunner", "space:useSandcaster": "gunner",
  "space:evade": "pilot", "space:changeRange": "pilot", "space:repair": "engineer", "space:sensorLock": "sensors",
  "space:coordinate": "captain", "space:endTurn": null,
};

/** A valid payload for each message (so that only the sender decides the outcome). */
export const PAYLOADS: Record<string, Record<string, unknown>> = {
  "space:fire": { turretId: "t1", targetId: "n1" },
  "space:launchMissile": { turretId: "t1", targetId: "n1", missile: "standard" },
  "space:pointDefense": { turretId: "t1" },
  "space:useSandcaster": { turretId: "t1" },
  "space:evade": { mode: "dodge" },
  "space:changeRange": { targetId: "n1", direction: "closer" },
  "space:repair": { system: "mDrive" },
  "space:sensorLock": { targetId: "n1" },
  "space:coordinate": { mode: "pool" },
  "space:endTurn": {},
  chat: { text: "hello" },
  "gm:act": { shipId: "n1", command: { type: "endTurn" } },
  "gm:releaseSeat": { seatId: "s99" },
  "gm:addShip": { ship: { side: "npc", name: "Extra", className: "corsair" } },
  "gm:removeShip": { shipId: "n2" },
  "gm:pause": {},
  "gm:resume": {},
  "gm:skipTurn": {},
  "gm:undo": {},
  "gm:adjust": { shipId: "n1", armour: 2, reason: "a correction" },
  "gm:start": {},
  "gm:end": { winner: "draw", reason: "gm" },
};

/** Rows in the order the test plays them: the GM's state-changing messages come last. */
export const MATRIX: Record<string, Record<Column, Cell>> = {};
for (const type of Object.keys(NEEDS)) {
  MATRIX[type] = {
    gm: "forbidden", crew: "allow", crewLacking: NEEDS[type] === null ? null : "forbidden",
    crewNamingOtherShip: "invalid", spectator: "readOnly", unseated: "notSeated",
  };
}
MATRIX.chat = { gm: "allow", crew: "allow", crewLacking: null, crewNamingOtherShip: null, spectator: "readOnly", unseated: "notSeated" };
for (const type of ["gm:act", "gm:releaseSeat", "gm:pause", "gm:resume", "gm:skipTurn", "gm:undo", "gm:adjust", "gm:addShip", "gm:removeShip", "gm:start", "gm:end"]) {
  MATRIX[type] = { gm: "allow", crew: "forbidden", crewLacking: null, crewNamingOtherShip: null, spectator: "readOnly", unseated: "notSeated" };
}
