// Applies the visibility rule (src/engine/visibility.ts) to the clients' StateViews: the ship
// details a client is entitled to, and the hidden details of log entries about those ships.
import type { StateView } from "@colyseus/schema";
import { detailedShips, type Viewer } from "../src/engine";
import type { Battle } from "../src/rules/model";
import { DETAIL, type BattleState, type LogEntryState } from "../schema/BattleState";

export class DetailViews {
  /** Per session, the ships it sees in detail now (sorted ids): a view is re-filtered only when this changes. */
  private seen = new Map<string, string>();

  /**
   * Brings one client's view up to date: every ship and log entry when its entitlement changed
   * (or it is new), else only the new log `entries`.
   */
  refresh(sessionId: string, view: StateView | undefined, viewer: Viewer | undefined, battle: Battle, state: BattleState, entries: LogEntryState[] = []): void {
    if (!view || !viewer) return;
    const ships = detailedShips(battle, viewer);
    const key = [...ships].sort().join(",");
    const changed = this.seen.get(sessionId) !== key;
    this.seen.set(sessionId, key);
    if (changed) {
      for (const ship of state.ships.values()) {
        const has = view.hasTag(ship, DETAIL);
        if (ships.has(ship.id) && !has) view.add(ship, DETAIL);
        else if (!ships.has(ship.id) && has) view.remove(ship, DETAIL);
      }
    }
    for (const entry of changed ? state.log : entries) {
      if (entry.detail && ships.has(entry.target) && !view.hasTag(entry, DETAIL)) view.add(entry, DETAIL);
    }
  }

  /** The session's view is new (a reconnection) or gone. */
  forget(sessionId: string): void {
    this.seen.delete(sessionId);
  }
}
