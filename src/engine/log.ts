// Appending log entries: every event gets the next seq and the current round.
import type { Battle, LogEntry } from "../rules/model";

export type EventDraft = Omit<LogEntry, "seq" | "round">;

export function emit(battle: Battle, events: LogEntry[], draft: EventDraft): LogEntry {
  battle.logSeq += 1;
  const entry: LogEntry = { seq: battle.logSeq, round: battle.round, ...draft };
  events.push(entry);
  return entry;
}
