// Applies the visibility rule (src/engine/visibility.ts) to the clients' StateViews: the ship
// details a client is entitled to. (The combat log is not in the state: src/battle/log-feed.ts.)
//
// The rule depends on the seat's role only (a player's own ship is always of the players' fleet,
// which every player sees), so the clients of one role share one StateView. Colyseus encodes each
// distinct view once per patch and sends the same bytes to every client holding it: a full battle
// costs three view encodings per patch (GM, players, spectators), not one per client.
import type { StateView as ViewType } from "@colyseus/schema";
import { StateView } from "@colyseus/schema";
import { detailedShips } from "../src/engine";
import type { Battle } from "../src/rules/model";
import type { SeatReply } from "../src/commands";
import { DETAIL, type BattleState } from "../schema/BattleState";

/** The roles a seat can hold (the `seat` reply's): clients of one role share one view. */
export type ViewRole = SeatReply["role"];

interface SharedView {
  view: ViewType;
  /** The ships it shows in detail (sorted ids): the view is re-filtered only when this changes. */
  key: string;
}

export class DetailViews {
  private readonly shared = new Map<ViewRole, SharedView>();

  /** The view every client of this role holds, brought up to date with the battle. */
  viewFor(role: ViewRole, battle: Battle, state: BattleState): ViewType {
    let s = this.shared.get(role);
    if (!s) {
      s = { view: new StateView(), key: "" };
      this.shared.set(role, s);
    }
    this.refreshOne(s, role, battle, state);
    return s.view;
  }

  /** After a change: each role's view gets the ships it is entitled to now. */
  refresh(battle: Battle, state: BattleState): void {
    for (const [role, s] of this.shared) this.refreshOne(s, role, battle, state);
  }

  private refreshOne(s: SharedView, role: ViewRole, battle: Battle, state: BattleState): void {
    const ships = detailedShips(battle, { role, shipId: "" });
    const key = [...ships].sort().join(",");
    if (s.key === key) return;
    s.key = key;
    for (const ship of state.ships.values()) {
      const has = s.view.hasTag(ship, DETAIL);
      if (ships.has(ship.id) && !has) s.view.add(ship, DETAIL);
      else if (!ships.has(ship.id) && has) s.view.remove(ship, DETAIL);
    }
  }
}
