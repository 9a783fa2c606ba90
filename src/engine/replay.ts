// Rebuilding a battle from its setup, seed and accepted commands (crash recovery, determinism).
import { createDice, type SeededDice } from "../rules/dice";
import type { Battle } from "../rules/model";
import { createBattle } from "./battle";
import { applyWithHistory, createHistory } from "./history";
import { BattleSetupError } from "./errors";
import type { Actor, BattleSetup, Command } from "./types";

export interface ReplayStep { actor: Actor; cmd: Command }

/** Replays accepted commands; throws BattleSetupError("replayDiverged") if one is now rejected. */
export function replayWithDice(setup: BattleSetup, seed: number | string, log: readonly ReplayStep[]): { battle: Battle; dice: SeededDice } {
  const battle = createBattle(setup);
  const dice = createDice(seed);
  // Undos in the log take back what they took back live: the history is rebuilt as it goes.
  const history = createHistory();
  log.forEach((step, i) => {
    const r = applyWithHistory(battle, history, step.actor, step.cmd, dice);
    if (!r.ok) throw new BattleSetupError("replayDiverged", `command ${i} (${step.cmd.type}) was rejected on replay: ${r.code}`);
  });
  return { battle, dice };
}

export function replay(setup: BattleSetup, seed: number | string, log: readonly ReplayStep[]): Battle {
  return replayWithDice(setup, seed, log).battle;
}
