// The battle's recent past, for the GM's undo. An undo is itself a logged command: replaying a
// log that holds one rebuilds exactly what the table saw, because the history is rebuilt too.
//
// Nothing is copied per command: the history keeps, for each accepted undoable command, only its
// index in the command list. An undo rebuilds the battle as the replay of the commands before the
// undone one, from the setup and the seed (the engine is deterministic), so the cost is paid at
// undo time only (docs/performance.md). The history is plain data the host passes in: no I/O.
//
// What an undo restores: the battle as it was before the last undoable command, except for
// - the dice: they are NOT rewound. The next roll is the one that would have followed the undone
//   command, so a command sent again after an undo rolls dice nobody has seen (docs/rules.md);
//   the rebuild rolls its own dice from the seed and leaves the live ones alone;
// - the log sequence, version and id counter, which only move forward (the log is append-only:
//   the undone entries stay in it, and the undo's own entry says which ones it took back);
// - the turn clock's pause, which is not a game command and is not undone.
import { createDice, type Dice } from "../rules/dice";
import type { Battle, LogEntry } from "../rules/model";
import { apply } from "./apply";
import { createBattle } from "./battle";
import { emit } from "./log";
import { validate } from "./validate";
import type { Actor, ApplyResult, BattleSetup, Command } from "./types";

/** How many commands in a row an undo can take back (the table's corrections, not a memory bound). */
export const UNDO_DEPTH = 5;

/** Commands an undo never takes back: the clock's pause and resume, the idle end, an undo itself. */
const NOT_UNDOABLE = new Set<string>(["undo", "pause", "resume", "idleEnd"]);

export interface HistoryStep { actor: Actor; cmd: Command }

/**
 * The accepted commands, in order, read one at a time: an array, or the host's packed command
 * tape (src/battle/command-tape.ts), which keeps them out of the garbage-collected heap.
 */
export interface StepList {
  readonly length: number;
  at(index: number): HistoryStep | undefined;
}

export interface BattleHistory {
  readonly setup: BattleSetup;
  readonly seed: number | string;
  /**
   * Every accepted command so far, in order (the host's command log: the caller appends each
   * accepted command after applyWithHistory, undos included).
   */
  readonly commands: StepList;
  /** Indices in `commands` of the undoable commands an undo may still take back, oldest first. */
  undoable: number[];
}

export function createHistory(setup: BattleSetup, seed: number | string, commands: StepList = []): BattleHistory {
  return { setup, seed, commands, undoable: [] };
}

/** apply(), noting the index of each undoable command, and carrying out undos. */
export function applyWithHistory(battle: Battle, history: BattleHistory, actor: Actor, cmd: Command, dice: Dice): ApplyResult {
  if (cmd && typeof cmd === "object" && cmd.type === "undo") return undo(battle, history, actor);
  const result = apply(battle, actor, cmd, dice);
  if (result.ok && !NOT_UNDOABLE.has(cmd.type)) {
    history.undoable.push(history.commands.length);
    if (history.undoable.length > UNDO_DEPTH) history.undoable.shift();
  }
  return result;
}

/** For each undo among commands [0, upto): the index of the command it took back (bookkeeping only). */
function undoTargets(commands: StepList, upto: number): Map<number, number> {
  const stack: number[] = [];
  const targets = new Map<number, number>();
  for (let i = 0; i < upto; i++) {
    const type = commands.at(i)!.cmd.type;
    if (type === "undo") targets.set(i, stack.pop()!);
    else if (!NOT_UNDOABLE.has(type)) {
      stack.push(i);
      if (stack.length > UNDO_DEPTH) stack.shift();
    }
  }
  return targets;
}

interface Kept { before: Battle; seqs: [number, number] | null }

/**
 * Replays commands [0, upto) from the setup and the seed, on dice of its own, in one pass: the
 * battle is copied only before the commands some undo takes back (those among them, and `also`),
 * so undos in the log cost a copy each, not a replay each. Returns the copies kept.
 */
function rebuild(history: BattleHistory, upto: number, also?: number): { battle: Battle; kept: Map<number, Kept> } {
  const targets = undoTargets(history.commands, upto);
  const wanted = new Set(targets.values());
  if (also !== undefined) wanted.add(also);
  const battle = createBattle(history.setup);
  const dice = createDice(history.seed);
  const kept = new Map<number, Kept>();
  for (let i = 0; i < upto; i++) {
    const step = history.commands.at(i)!;
    if (step.cmd.type === "undo") {
      // Validated when it was accepted; the same undo again, from the copy kept.
      const target = targets.get(i)!;
      putBack(battle, kept.get(target)!, history.commands.at(target)!);
      continue;
    }
    const before = wanted.has(i) ? structuredClone(battle) : undefined;
    const r = apply(battle, step.actor, step.cmd, dice);
    if (!r.ok) throw new Error(`undo: command ${i} (${step.cmd.type}) was rejected on rebuild: ${r.code}`);
    if (before) kept.set(i, { before, seqs: r.events.length ? [r.events[0]!.seq, r.events.at(-1)!.seq] : null });
  }
  return { battle, kept };
}

function undo(battle: Battle, history: BattleHistory, actor: Actor): ApplyResult {
  const cmd: Command = { type: "undo" };
  const reject = validate(battle, actor, cmd);
  if (reject) return { ok: false, code: reject.code, message: reject.message };
  const k = history.undoable.at(-1);
  if (k === undefined) return { ok: false, code: "nothingToUndo", message: `nothing left to undo (at most the last ${UNDO_DEPTH} commands)` };
  // Replayed through command k itself, to know the log entries it made; the copy before it is the result.
  const { kept } = rebuild(history, k + 1, k);
  history.undoable.pop();
  return { ok: true, events: putBack(battle, kept.get(k)!, history.commands.at(k)!) };
}

/** The battle as it was before the undone command, in place, but for what only moves forward; the undo's log entry. */
function putBack(battle: Battle, kept: Kept, undone: HistoryStep): LogEntry[] {
  const { logSeq, version, nextId, paused } = battle;
  const what = describe(battle, undone);
  // In place: whoever holds this battle object keeps holding the battle.
  for (const key of Object.keys(battle)) delete (battle as unknown as Record<string, unknown>)[key];
  Object.assign(battle, structuredClone(kept.before));
  battle.logSeq = logSeq;
  battle.nextId = Math.max(nextId, battle.nextId);
  if (paused) battle.paused = true;
  else delete battle.paused;
  const events: LogEntry[] = [];
  const { seqs } = kept;
  const entries = seqs ? (seqs[0] === seqs[1] ? ` (log entry ${seqs[0]})` : ` (log entries ${seqs[0]}–${seqs[1]})`) : "";
  emit(battle, events, { actor: "gm", action: "undo", dice: [], modifiers: [], result: `GM correction: ${what} undone${entries}` });
  battle.version = version + 1;
  return events;
}

const LABELS: Record<string, string> = {
  fire: "shot", launchMissile: "missile launch", pointDefense: "point defence", useSandcaster: "sandcaster",
  evade: "evasive action", changeRange: "range change", repair: "repair", sensorLock: "sensor lock",
  coordinate: "coordination", endTurn: "end of turn", start: "start of the battle", end: "end of the battle",
  addShip: "added ship", removeShip: "removed ship", skipTurn: "skipped turn", adjust: "correction", timeout: "turn timeout",
};

/** "Lance's shot at Corsair", "the GM's added ship": the undone command in the table's words. */
function describe(battle: Battle, u: HistoryStep): string {
  const label = LABELS[u.cmd.type] ?? u.cmd.type;
  const c = u.cmd as { shipId?: string; targetId?: string };
  const by = c.shipId && u.cmd.type !== "adjust" && u.cmd.type !== "removeShip" ? battle.ships[c.shipId]?.name : undefined;
  const at = c.targetId ? battle.ships[c.targetId]?.name : undefined;
  const who = by ? `${by}'s` : u.actor.kind === "system" ? "the" : "the GM's";
  return `${who} ${label}${at ? ` at ${at}` : ""}`;
}
