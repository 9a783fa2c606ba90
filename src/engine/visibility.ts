// Which hidden details each seat of a battle may see (like boardgame.io's playerView): a game
// rule, so a pure function of the battle. The room only applies its answer to the StateViews.
import type { Battle } from "../rules/model";

/** Who looks: the GM, a player crewing `shipId`, or a read-only spectator. */
export interface Viewer { role: "gm" | "player" | "spectator"; shipId: string }

/** NPC ships that some living player ship holds a sensor lock on: their details go to every player. */
export function lockedByPlayers(battle: Battle): Set<string> {
  const locked = new Set<string>();
  for (const s of Object.values(battle.ships)) {
    if (s.side === "players" && !s.destroyed) s.lockedOn.forEach((id) => locked.add(id));
  }
  return locked;
}

/**
 * The ships whose details (and whose log entries' details) `viewer` is entitled to: the GM every
 * ship; a player every ship of the players' fleet (allies share their condition over comms, as a
 * table shares its character sheets) and the NPC ships its side has locked on; a spectator none.
 * The NPC side's secrets stay hidden from players until a sensor lock.
 */
export function detailedShips(battle: Battle, viewer: Viewer): Set<string> {
  if (viewer.role === "gm") return new Set(Object.keys(battle.ships));
  if (viewer.role === "spectator") return new Set();
  const ships = lockedByPlayers(battle);
  for (const s of Object.values(battle.ships)) if (s.side === "players") ships.add(s.id);
  ships.add(viewer.shipId);
  return ships;
}
