// The decoded wire state (what @colyseus/sdk reflects from schema/BattleState.ts) read as the
// plain data the precondition module checks (src/engine/legal.ts). The web client and the bots
// ask "may this seat do that now?" with it, so they agree with the server's validation.
// Structural on purpose: this layer imports no Colyseus package.
import type { LegalBattle, LegalShip } from "../engine/legal";

interface DecodedMap<T> { forEach(cb: (value: T, key: string) => void): void; readonly size: number }
interface DecodedShip { toJSON(): unknown }
export interface DecodedBattle {
  ruleset: string; phase: string; round: number; turnIndex: number;
  order: Iterable<string>;
  ships: DecodedMap<DecodedShip>;
  ranges: DecodedMap<string>;
  missiles: { readonly size: number };
}

/**
 * A plain copy of what the checks read: ships (with the details this seat may see), ranges,
 * turn order and the number of missiles in flight. Log and chat are not copied.
 */
export function legalBattleOf(state: DecodedBattle): LegalBattle {
  const ships: Record<string, LegalShip> = {};
  state.ships.forEach((ship, id) => { ships[id] = ship.toJSON() as LegalShip; });
  const ranges: Record<string, string> = {};
  state.ranges.forEach((band, key) => { ranges[key] = band; });
  return {
    ruleset: state.ruleset, phase: state.phase, round: state.round, turnIndex: state.turnIndex,
    order: [...state.order], ships, ranges,
    // only the count is read (the missile cap)
    missiles: new Array<undefined>(state.missiles.size),
  };
}
