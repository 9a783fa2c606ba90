// apply(): validate fully, then mutate. A rejected command leaves the battle untouched.
import type { Dice } from "../rules/dice";
import type { Battle, LogEntry } from "../rules/model";
import { executeShip } from "./actions";
import { executeGm, executeSystem } from "./gm";
import { isShipCommand, isSystemCommand } from "./permissions";
import { checkEnd } from "./turns";
import type { Actor, ApplyResult, Command, GmCommand } from "./types";
import { validate } from "./validate";

export function apply(battle: Battle, actor: Actor, cmd: Command, dice: Dice): ApplyResult {
  const reject = validate(battle, actor, cmd);
  if (reject) return { ok: false, code: reject.code, message: reject.message };
  // An undo needs the battle as it was before the last command: only the history has it.
  if (cmd.type === "undo") return { ok: false, code: "nothingToUndo", message: "this battle keeps no history to undo from" };
  const events: LogEntry[] = [];
  const ctx = { battle, dice, events };
  if (isShipCommand(cmd)) executeShip(ctx, cmd);
  else if (isSystemCommand(cmd)) executeSystem(ctx, cmd);
  else executeGm(ctx, cmd as GmCommand);
  checkEnd(battle, events);
  battle.version += 1;
  return { ok: true, events };
}
