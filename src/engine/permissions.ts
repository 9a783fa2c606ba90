// Who may issue which command. The room derives the Actor from the seat; this checks the rest
// (the positions a ship command needs: ./legal, shared with the web client).
import type { Battle } from "../rules/model";
import { roleDenial } from "./legal";
import type { Actor, Command, GmCommand, ShipCommand, SystemCommand } from "./types";

const SHIP_TYPES = new Set(["fire", "launchMissile", "pointDefense", "useSandcaster", "evade", "changeRange", "repair", "sensorLock", "coordinate", "endTurn"]);
const GM_TYPES = new Set(["start", "end", "addShip", "removeShip", "pause", "resume", "skipTurn", "undo", "adjust"]);
const SYSTEM_TYPES = new Set(["timeout", "idleEnd"]);

export function isShipCommand(cmd: Command): cmd is ShipCommand {
  return SHIP_TYPES.has(cmd.type);
}
export function isGmCommand(cmd: Command): cmd is GmCommand {
  return GM_TYPES.has(cmd.type);
}
export function isSystemCommand(cmd: Command): cmd is SystemCommand {
  return SYSTEM_TYPES.has(cmd.type);
}

export interface Denial { code: "forbidden" | "unknownShip"; message: string }

/** Whether `actor` may issue `cmd` at all (independent of phase and turn). */
export function permission(battle: Battle, actor: Actor, cmd: Command): Denial | null {
  if (actor.kind === "system") return isSystemCommand(cmd) ? null : { code: "forbidden", message: "the system issues only timeouts and idle ends" };
  if (actor.kind === "gm") {
    if (isGmCommand(cmd)) return null;
    if (!isShipCommand(cmd)) return { code: "forbidden", message: "the GM cannot issue system commands" };
    // The GM commands NPC ships, and acts for a player ship whose crew is absent (docs/rules.md).
    return battle.ships[cmd.shipId] ? null : { code: "unknownShip", message: `no ship ${cmd.shipId}` };
  }
  if (!isShipCommand(cmd)) return { code: "forbidden", message: "crew may issue ship commands only" };
  if (cmd.shipId !== actor.shipId) return { code: "forbidden", message: "crew may command their own ship only" };
  if (!battle.ships[cmd.shipId]) return { code: "unknownShip", message: `no ship ${cmd.shipId}` };
  const denied = roleDenial(cmd, actor.roles) as Denial | null;
  if (denied) return denied;
  // Ending the turn is the captain's call; with no captain at the table, any crew member's.
  if (cmd.type === "endTurn" && actor.captainAboard && !actor.roles.includes("captain")) return { code: "forbidden", message: "the captain ends the ship's turn" };
  return null;
}
