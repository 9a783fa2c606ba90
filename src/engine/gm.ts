// Executing validated GM and system commands.
import type { Dice } from "../rules/dice";
import type { Battle, LogEntry } from "../rules/model";
import { activeShipId, addShipTo, freeShipId } from "./battle";
import { emit } from "./log";
import { advanceTurn, checkEnd, startRound } from "./turns";
import { executeGmControl } from "./gm-control";
import type { GmCommand, SystemCommand } from "./types";

type Ctx = { battle: Battle; dice: Dice; events: LogEntry[] };

export function executeGm(ctx: Ctx, cmd: GmCommand): void {
  const { battle, events } = ctx;
  switch (cmd.type) {
    case "start":
      battle.phase = "combat";
      // Everyone at the table learns which house rules replace the ruleset's (docs/rules.md).
      emit(battle, events, {
        actor: "gm", action: "start", dice: [], modifiers: [],
        result: battle.houseRules ? `Battle starts (house rules: ${Object.keys(battle.houseRules).join(", ")})` : "Battle starts",
      });
      return startRound(battle, ctx.dice, events);
    case "end":
      battle.phase = "ended";
      battle.result = { winner: cmd.winner, reason: cmd.reason };
      emit(battle, events, { actor: "gm", action: "end", dice: [], modifiers: [], result: `The GM ends the battle: ${cmd.winner === "draw" ? "draw" : `${cmd.winner} win`} (${cmd.reason})` });
      return;
    case "addShip": {
      const id = freeShipId(battle, cmd.ship.side)!;
      const ship = addShipTo(battle, cmd.ship, id);
      emit(battle, events, {
        actor: "gm", action: "addShip", target: id, dice: [], modifiers: [],
        result: `${ship.name} (${id}) joins${battle.phase === "combat" ? " from next round" : ""}`,
      });
      return;
    }
    case "removeShip": {
      const ship = battle.ships[cmd.shipId]!;
      if (battle.phase === "setup") {
        delete battle.ships[cmd.shipId];
        for (const key of Object.keys(battle.ranges)) if (key.split("|").includes(cmd.shipId)) delete battle.ranges[key];
        emit(battle, events, { actor: "gm", action: "removeShip", target: cmd.shipId, dice: [], modifiers: [], result: `${ship.name} removed` });
        return;
      }
      const wasActive = activeShipId(battle) === ship.id;
      ship.escaped = true;
      emit(battle, events, { actor: "gm", action: "removeShip", target: ship.id, dice: [], modifiers: [], result: `${ship.name} leaves the battle` });
      if (checkEnd(battle, events)) return;
      if (wasActive) advanceTurn(battle, ctx.dice, events);
      return;
    }
    default:
      return executeGmControl(ctx, cmd);
  }
}

export function executeSystem(ctx: Ctx, cmd: SystemCommand): void {
  const { battle, events } = ctx;
  if (cmd.type === "idleEnd") {
    battle.phase = "ended";
    battle.result = { winner: "none", reason: "idle" };
    emit(battle, events, { actor: "system", action: "idleEnd", dice: [], modifiers: [], result: "The battle ends: left idle" });
    return;
  }
  const id = activeShipId(battle)!;
  emit(battle, events, { actor: "system", action: "timeout", target: id, dice: [], modifiers: [], result: `${battle.ships[id]!.name}'s turn timed out` });
  advanceTurn(battle, ctx.dice, events);
}

