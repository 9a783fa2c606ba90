// Full validation of a command against the battle, before anything is mutated. Who may send it
// is permission(); what a ship command needs is the shared precondition module (./legal).
import { isShipClassKey } from "../data/ships";
import type { Battle } from "../rules/model";
import { freeShipId, isAlive, shipsOf } from "./battle";
import { isGmControlCommand, validateGmControl } from "./gm-control-validate";
import { shipCommandDenial, type Reject } from "./legal";
import { isShipCommand, permission } from "./permissions";
import type { Actor, Command, GmCommand, GmControlCommand, RejectCode, SystemCommand } from "./types";

export type { Reject } from "./legal";
const no = (code: RejectCode, message: string): Reject => ({ code, message });

export function validate(battle: Battle, actor: Actor, cmd: Command): Reject | null {
  if (!cmd || typeof cmd !== "object" || typeof (cmd as { type?: unknown }).type !== "string") return no("forbidden", "not a command");
  const denied = permission(battle, actor, cmd);
  if (denied) return denied;
  if (isShipCommand(cmd)) return shipCommandDenial(battle, cmd);
  if (cmd.type === "timeout" || cmd.type === "idleEnd") return validateSystem(battle, cmd);
  if (isGmControlCommand(cmd)) return validateGmControl(battle, cmd);
  return validateGm(battle, cmd as Exclude<GmCommand, GmControlCommand>);
}

function validateSystem(battle: Battle, cmd: SystemCommand): Reject | null {
  if (cmd.type === "idleEnd") return battle.phase === "ended" ? no("wrongPhase", "the battle has ended") : null;
  if (battle.phase !== "combat") return no("wrongPhase", "no turn is running");
  if (cmd.round !== battle.round || cmd.turnIndex !== battle.turnIndex) return no("stale", "that turn has already ended");
  if (battle.paused) return no("wrongPhase", "the GM has paused the turn clock");
  return null;
}

function validateGm(battle: Battle, cmd: Exclude<GmCommand, GmControlCommand>): Reject | null {
  switch (cmd.type) {
    case "start": {
      if (battle.phase !== "setup") return no("wrongPhase", "the battle has already started");
      const ok = (["players", "npc"] as const).every((side) => shipsOf(battle, side).some(isAlive));
      return ok ? null : no("wrongPhase", "starting needs at least one ship per side");
    }
    case "end":
      return battle.phase === "ended" ? no("wrongPhase", "the battle has already ended") : null;
    case "addShip": {
      if (battle.phase === "ended") return no("wrongPhase", "the battle has ended");
      const spec = cmd.ship;
      if (!spec || (spec.side !== "players" && spec.side !== "npc")) return no("forbidden", "a ship needs a side");
      if (spec.className === "custom" ? !spec.custom : !isShipClassKey(spec.className)) return no("unknownShip", `unknown ship class: ${spec.className}`);
      return freeShipId(battle, spec.side) ? null : no("tooManyShips", `no room for another ${spec.side} ship`);
    }
    case "removeShip": {
      if (battle.phase === "ended") return no("wrongPhase", "the battle has ended");
      const ship = battle.ships[cmd.shipId];
      if (!ship) return no("unknownShip", `no ship ${cmd.shipId}`);
      return isAlive(ship) ? null : no("invalidTarget", `${ship.name} has already left the battle`);
    }
  }
}
