// Copies what the battle host publishes into the wire state (schema/): the room's half of
// HostOutput.publish, and the crew list's entries for seats.
import { activeShipId } from "../src/engine";
import type { Change } from "../src/battle/host";
import type { Seat } from "../src/battle/seats";
import { CrewMember, type BattleState } from "../schema/BattleState";
import { appendChat, syncBattle } from "../schema/sync";

/** Applies an accepted change (its combat-log entries are not state: src/battle/log-feed.ts). */
export function showChange(state: BattleState, change: Change): void {
  syncBattle(state, change.battle, activeShipId(change.battle) ?? "");
  state.turnEndsAt = change.turnEndsAt;
  for (const line of change.chat) appendChat(state, line);
  for (const seatId of change.unseated) state.crew.delete(seatId);
}

/** The seat's crew entry, created the first time (a join, or a seat of a restored battle). */
export function crewOf(state: BattleState, seat: Seat): CrewMember {
  let member = state.crew.get(seat.seatId);
  if (!member) {
    member = new CrewMember().assign({ id: seat.seatId, name: seat.name, role: seat.role, shipId: seat.shipId, connected: false });
    member.positions.push(...seat.positions);
    state.crew.set(seat.seatId, member);
  }
  return member;
}
