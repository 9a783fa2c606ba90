// The decoded state as the precondition module's plain data, for bots that plan a shot after
// every reply (./play.ts, playThinkingTurn). `legalBattleOf` (src/commands/decoded-state.ts)
// copies each ship with Schema's generic `toJSON`: every field of every ship, with its maps and
// arrays, once per planned shot; after the state decoding that was the load bots' largest cost
// (docs/performance.md, "Load generator cost"). This copy goes through `legalBattleOf` itself and
// only replaces the per-ship copy with one that reads the fields LegalShip names (the precondition
// module reads no other); test/load/legal-view.test.ts pins that those fields hold legalBattleOf's
// values and that the module answers every command the same on both copies.
import { legalBattleOf, type DecodedBattle } from "../src/commands";
import type { LegalBattle, LegalShip, LegalTurret } from "../src/engine/legal";

/** Every key of T, optional ones too: a field added to LegalShip or LegalTurret must be added here. */
type EveryField<T> = { [K in keyof Required<T>]: T[K] };

/** `legalBattleOf(state)` without the ship fields the precondition module never reads: the same answers, cheaper. */
export function legalViewOf(state: DecodedBattle): LegalBattle {
  return legalBattleOf({
    ruleset: state.ruleset, phase: state.phase, round: state.round, turnIndex: state.turnIndex,
    order: state.order, ranges: state.ranges, missiles: state.missiles,
    ships: new ShipsCopied(state.ships as unknown as DecodedMapOf<DecodedShip>),
  });
}

interface DecodedMapOf<T> { forEach(cb: (value: T, key: string) => void): void; readonly size: number }
interface DecodedList<T> { map<U>(f: (x: T) => U): U[] }
/** A decoded ShipState (schema/BattleState.ts): the detail fields are undefined for a ship this seat may not see. */
interface DecodedShip {
  id: string; name: string; side: string; destroyed: boolean; escaped: boolean;
  systems?: { toJSON(): LegalShip["systems"] }; turrets?: DecodedList<LegalTurret>;
  reactionsLeft?: number; dodgeReady?: boolean; actedThisTurn?: DecodedList<string>;
}

// Classes and module-level functions rather than closures made per ship: a plan is made for every
// command a load run sends, and each closure costs an allocation (and, under tsx, a __name call).

/** The decoded ships, each handed to `legalBattleOf` as a ShipCopied. */
class ShipsCopied {
  constructor(private readonly ships: DecodedMapOf<DecodedShip>) {}
  get size(): number {
    return this.ships.size;
  }
  forEach(cb: (ship: ShipCopied, id: string) => void): void {
    this.ships.forEach((ship, id) => cb(new ShipCopied(ship), id));
  }
}

/** What `legalBattleOf` copies a ship with: its `toJSON`. */
class ShipCopied {
  constructor(private readonly s: DecodedShip) {}
  toJSON(): LegalShip {
    const s = this.s;
    return defined<EveryField<LegalShip>>({
      id: s.id, name: s.name, side: s.side, destroyed: s.destroyed, escaped: s.escaped,
      systems: s.systems?.toJSON(), turrets: s.turrets?.map(turretOf),
      reactionsLeft: s.reactionsLeft, dodgeReady: s.dodgeReady, actedThisTurn: s.actedThisTurn?.map(same),
    });
  }
}

function turretOf(t: LegalTurret): LegalTurret {
  return defined<EveryField<LegalTurret>>({
    id: t.id, mount: t.mount, weapon: t.weapon, damage: t.damage, missiles: t.missiles, smartMissiles: t.smartMissiles, sand: t.sand, usedRound: t.usedRound,
  });
}

const same = <T>(x: T): T => x;

/** Without the undefined and null fields, as Schema's `toJSON` leaves them out (a new object: `delete` is slow). */
function defined<T extends object>(o: T): T {
  const out = {} as T;
  for (const k in o) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}
