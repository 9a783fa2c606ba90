// What the lobby lists of a battle (room metadata): nothing secret, no key, no password.
import type { CreateOptions } from "../commands";
import type { Battle } from "../rules/model";
import type { Seats } from "./seats";

/** Metadata listed for a lobby: nothing secret. */
export interface BattleMetadata {
  name: string; ruleset: string; phase: string; players: number; maxPlayers: number; hasPassword: boolean; round: number;
  /** Read-only spectators may join (they still need the password when there is one). */
  allowSpectators: boolean;
  /** The player ships a newcomer may choose, with the crew positions already held. */
  playerShips: { id: string; name: string; className: string; taken: string[] }[];
}

export function lobbyListing(battle: Battle, options: CreateOptions, seats: Seats): BattleMetadata {
  const playerShips = Object.values(battle.ships)
    .filter((s) => s.side === "players" && !s.destroyed && !s.escaped)
    .map((s) => ({ id: s.id, name: s.name, className: s.className, taken: seats.players.filter((p) => p.shipId === s.id).flatMap((p) => p.positions) }));
  return {
    name: options.name, ruleset: options.ruleset, phase: battle.phase, round: battle.round,
    players: seats.players.length, maxPlayers: options.maxPlayers, hasPassword: options.password !== undefined, playerShips,
    allowSpectators: options.allowSpectators,
  };
}

/**
 * What the listing is made of, as one cheap string: the listing is rebuilt (and compared) only
 * when this changes, not on every command.
 */
export function listingKey(battle: Battle, seats: Seats): string {
  let key = `${battle.phase}:${battle.round}:`;
  for (const p of seats.players) key += `${p.seatId}/${p.shipId}/${p.positions.join("+")};`;
  for (const id in battle.ships) {
    const s = battle.ships[id]!;
    if (s.side === "players") key += `${id}/${s.destroyed}/${s.escaped}/${s.className}/${s.name};`;
  }
  return key;
}
