// Rebuilding a battle from its setup, seed and accepted commands (crash recovery, determinism).
import { createDice, type SeededDice } from "../rules/dice";
import type { Battle } from "../rules/model";
import { createBattle } from "./battle";
import { applyWithHistory, createHistory, type BattleHistory } from "./history";
import { BattleSetupError } from "./errors";
import type { Dice } from "../rules/dice";
import type { Actor, BattleSetup, Command, LogEntry } from "./types";

export interface ReplayStep { actor: Actor; cmd: Command }

/**
 * Applies one accepted command again, as replays do (a whole log here, a stored battle's log in
 * the host's restore), through the battle's history (the caller then appends the step to
 * `history.commands`, as live play does); throws BattleSetupError("replayDiverged") if the rules now refuse it.
 */
export function replayStep(battle: Battle, dice: Dice, step: ReplayStep, index: number, history: BattleHistory): LogEntry[] {
  const r = applyWithHistory(battle, history, step.actor, step.cmd, dice);
  if (!r.ok) throw new BattleSetupError("replayDiverged", `command ${index} (${step.cmd.type}) was rejected on replay: ${r.code}`);
  return r.events;
}

/**
 * Replays accepted commands; throws BattleSetupError("replayDiverged") if one is now rejected.
 * `onEntries` gets each command's log entries as they are made again.
 */
export function replayWithDice(setup: BattleSetup, seed: number | string, log: Iterable<ReplayStep>, onEntries?: (entries: LogEntry[]) => void): { battle: Battle; dice: SeededDice } {
  const battle = createBattle(setup);
  const dice = createDice(seed);
  // Undos in the log take back what they took back live: the history is rebuilt as it goes.
  const commands: ReplayStep[] = [];
  const history = createHistory(setup, seed, commands);
  for (const step of log) {
    const entries = replayStep(battle, dice, step, commands.length, history);
    onEntries?.(entries);
    commands.push(step);
  }
  return { battle, dice };
}

/**
 * Every log entry the commands made, in order: what they made live, since the rules are
 * deterministic (a restore relies on the same). The battle host keeps no copy of its full log; it
 * rebuilds it here when the GM exports it.
 */
export function replayLog(setup: BattleSetup, seed: number | string, log: Iterable<ReplayStep>): LogEntry[] {
  const all: LogEntry[] = [];
  replayWithDice(setup, seed, log, (entries) => { for (const e of entries) all.push(e); });
  return all;
}

export function replay(setup: BattleSetup, seed: number | string, log: Iterable<ReplayStep>): Battle {
  return replayWithDice(setup, seed, log).battle;
}
