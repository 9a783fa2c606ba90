// The battle's recent past, for the GM's undo. An undo is itself a logged command: replaying a
// log that holds one rebuilds exactly what the table saw, because the history is rebuilt too.
//
// What an undo restores: the battle as it was before the last undoable command, except for
// - the dice: they are NOT rewound. The next roll is the one that would have followed the undone
//   command, so a command sent again after an undo rolls dice nobody has seen (docs/rules.md);
// - the log sequence, version and id counter, which only move forward (the log is append-only:
//   the undone entries stay in it, and the undo's own entry says which ones it took back);
// - the turn clock's pause, which is not a game command and is not undone.
import type { Dice } from "../rules/dice";
import type { Battle, LogEntry } from "../rules/model";
import { apply } from "./apply";
import { emit } from "./log";
import { validate } from "./validate";
import type { Actor, ApplyResult, Command } from "./types";

/** How many commands in a row an undo can take back: each one kept costs a copy of the battle. */
export const UNDO_DEPTH = 5;

/** Commands an undo never takes back: the clock's pause and resume, the idle end, an undo itself. */
const NOT_UNDOABLE = new Set<string>(["undo", "pause", "resume", "idleEnd"]);

interface Undoable { before: Battle; actor: Actor; cmd: Command; seqs: [number, number] | null }

export interface BattleHistory { undoable: Undoable[] }

export function createHistory(): BattleHistory {
  return { undoable: [] };
}

/** apply(), remembering the battle before each undoable command, and carrying out undos. */
export function applyWithHistory(battle: Battle, history: BattleHistory, actor: Actor, cmd: Command, dice: Dice): ApplyResult {
  if (cmd && typeof cmd === "object" && cmd.type === "undo") return undo(battle, history, actor);
  const keep = Boolean(cmd && typeof cmd === "object" && typeof cmd.type === "string" && !NOT_UNDOABLE.has(cmd.type));
  const before = keep ? structuredClone(battle) : undefined;
  const result = apply(battle, actor, cmd, dice);
  if (result.ok && before) {
    const seqs: Undoable["seqs"] = result.events.length ? [result.events[0]!.seq, result.events.at(-1)!.seq] : null;
    history.undoable.push({ before, actor, cmd, seqs });
    if (history.undoable.length > UNDO_DEPTH) history.undoable.shift();
  }
  return result;
}

function undo(battle: Battle, history: BattleHistory, actor: Actor): ApplyResult {
  const cmd: Command = { type: "undo" };
  const reject = validate(battle, actor, cmd);
  if (reject) return { ok: false, code: reject.code, message: reject.message };
  const last = history.undoable.pop();
  if (!last) return { ok: false, code: "nothingToUndo", message: `nothing left to undo (at most the last ${UNDO_DEPTH} commands)` };
  const { logSeq, version, nextId, paused } = battle;
  const what = describe(battle, last);
  // In place: whoever holds this battle object keeps holding the battle.
  for (const key of Object.keys(battle)) delete (battle as unknown as Record<string, unknown>)[key];
  Object.assign(battle, last.before);
  battle.logSeq = logSeq;
  battle.nextId = Math.max(nextId, battle.nextId);
  if (paused) battle.paused = true;
  else delete battle.paused;
  const events: LogEntry[] = [];
  const entries = last.seqs ? (last.seqs[0] === last.seqs[1] ? ` (log entry ${last.seqs[0]})` : ` (log entries ${last.seqs[0]}–${last.seqs[1]})`) : "";
  emit(battle, events, { actor: "gm", action: "undo", dice: [], modifiers: [], result: `GM correction: ${what} undone${entries}` });
  battle.version = version + 1;
  return { ok: true, events };
}

const LABELS: Record<string, string> = {
  fire: "shot", launchMissile: "missile launch", pointDefense: "point defence", useSandcaster: "sandcaster",
  evade: "evasive action", changeRange: "range change", repair: "repair", sensorLock: "sensor lock",
  coordinate: "coordination", endTurn: "end of turn", start: "start of the battle", end: "end of the battle",
  addShip: "added ship", removeShip: "removed ship", skipTurn: "skipped turn", adjust: "correction", timeout: "turn timeout",
};

/** "Lance's shot at Corsair", "the GM's added ship": the undone command in the table's words. */
function describe(battle: Battle, u: Undoable): string {
  const label = LABELS[u.cmd.type] ?? u.cmd.type;
  const c = u.cmd as { shipId?: string; targetId?: string };
  const by = c.shipId && u.cmd.type !== "adjust" && u.cmd.type !== "removeShip" ? battle.ships[c.shipId]?.name : undefined;
  const at = c.targetId ? battle.ships[c.targetId]?.name : undefined;
  const who = by ? `${by}'s` : u.actor.kind === "system" ? "the" : "the GM's";
  return `${who} ${label}${at ? ` at ${at}` : ""}`;
}
