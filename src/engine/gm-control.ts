// Executing the GM's control commands (validated by gm-control-validate.ts). The undo lives in
// history.ts: it needs the battle as it was, which apply() alone does not keep.
import type { Dice } from "../rules/dice";
import type { Battle, LogEntry } from "../rules/model";
import { activeShipId } from "./battle";
import { emit } from "./log";
import { advanceTurn } from "./turns";
import type { GmControlCommand } from "./types";

type Ctx = { battle: Battle; dice: Dice; events: LogEntry[] };

export function executeGmControl(ctx: Ctx, cmd: GmControlCommand): void {
  const { battle, events } = ctx;
  switch (cmd.type) {
    case "pause":
      battle.paused = true;
      emit(battle, events, { actor: "gm", action: "pause", dice: [], modifiers: [], result: "The GM pauses the turn clock" });
      return;
    case "resume":
      // Absent, not false: a battle never paused serialises as before.
      delete battle.paused;
      emit(battle, events, { actor: "gm", action: "resume", dice: [], modifiers: [], result: "The GM resumes the turn clock" });
      return;
    case "skipTurn": {
      const id = activeShipId(battle)!;
      emit(battle, events, { actor: "gm", action: "skipTurn", target: id, dice: [], modifiers: [], result: `The GM skips ${battle.ships[id]!.name}'s turn` });
      advanceTurn(battle, ctx.dice, events);
      return;
    }
    case "adjust": {
      const ship = battle.ships[cmd.shipId]!;
      const changes: string[] = [];
      const set = (label: string, from: number, to: number | undefined): number => {
        if (to === undefined || to === from) return from;
        changes.push(`${label} ${from} → ${to}`);
        return to;
      };
      ship.hull = set("hull", ship.hull, cmd.hull);
      ship.structure = set("structure", ship.structure, cmd.structure);
      ship.armour = set("armour", ship.armour, cmd.armour);
      const turret = cmd.turretId === undefined ? undefined : ship.turrets.find((t) => t.id === cmd.turretId)!;
      if (turret) {
        turret.missiles = set(`turret ${turret.id} missiles`, turret.missiles, cmd.missiles);
        turret.smartMissiles = set(`turret ${turret.id} smart missiles`, turret.smartMissiles, cmd.smartMissiles);
        turret.sand = set(`turret ${turret.id} sand`, turret.sand, cmd.sand);
      }
      // The figures and the reason go to the whole table: a correction is never a secret one.
      emit(battle, events, {
        actor: "gm", action: "adjust", target: ship.id, dice: [], modifiers: [],
        result: `GM correction to ${ship.name}: ${changes.length ? changes.join(", ") : "no change"} (reason: ${cmd.reason})`,
      });
      return;
    }
    case "undo":
      throw new Error("undo is applied by the battle's history (engine/history.ts), not by apply()");
  }
}
