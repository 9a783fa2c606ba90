// Appending log entries: every event gets the next seq and the current round.
import type { CheckResult } from "../rules/check";
import type { Battle, LogEntry } from "../rules/model";

export type EventDraft = Omit<LogEntry, "seq" | "round">;

export function emit(battle: Battle, events: LogEntry[], draft: EventDraft): LogEntry {
  battle.logSeq += 1;
  const entry: LogEntry = { seq: battle.logSeq, round: battle.round, ...draft };
  events.push(entry);
  return entry;
}

/** A check's parts as a log entry carries them: its 2D6, its DMs, total, target number and Effect. */
export function rolled(c: CheckResult): Pick<LogEntry, "dice" | "modifiers" | "total" | "need" | "effect"> {
  return { dice: c.dice, modifiers: c.modifiers, total: c.total, need: c.target, effect: c.effect };
}
