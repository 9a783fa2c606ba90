// What a load run plays: how many players and NPC ships a battle has, their classes, the pace
// (think time, reply deadline) and when the GM calls a long battle a draw.
export interface BattlePlan {
  /** Seated players per battle (one ship each, every position). */
  players: number;
  /** NPC ships per battle (0 = 1v1 mode, see `shipsFor`). */
  npc: number;
  ruleset: "ce" | "mgt2e";
  playerClasses: string[];
  npcClasses: string[];
  startingRange: string;
  turnTimeoutSec: number;
  /** Mean pause before each command (uniform in [0.5, 1.5] x this). */
  thinkMs: number;
  /** The GM ends a battle still running after this many rounds (as a draw) and opens the next. */
  maxRounds: number;
  /** A command with no reply after this long counts as timed out (it may still be answered later). */
  replyTimeoutMs: number;
}

export const DEFAULT_PLAN: BattlePlan = {
  players: 5, npc: 10, ruleset: "ce",
  playerClasses: ["patrolCorvette"], npcClasses: ["fighter", "fighter", "corsair"],
  startingRange: "short", turnTimeoutSec: 30, thinkMs: 250, maxRounds: 40, replyTimeoutMs: 10_000,
};

/**
 * Ships of one battle and who plays them. Normal mode: `players` player ships (p1..pN), one
 * player each, and `npc` NPC ships acted by the GM. 1v1 mode (`npc` = 0, `players` = 2): the
 * server needs at least one ship per side and only the GM may act for NPC ships, so the battle
 * is one player ship (p1, one player) against one NPC ship of the same class acted by the GM,
 * who is the second player. Two connections, both fire every turn.
 */
export function shipsFor(plan: BattlePlan): { ships: Record<string, unknown>[]; seatedPlayers: number; oneVsOne: boolean } {
  const oneVsOne = plan.npc === 0;
  const playerShips = oneVsOne ? 1 : plan.players;
  const npcShips = oneVsOne ? 1 : plan.npc;
  const ships: Record<string, unknown>[] = [];
  for (let i = 0; i < playerShips; i++) {
    ships.push({ side: "players", name: `Hero ${i + 1}`, className: plan.playerClasses[i % plan.playerClasses.length] });
  }
  for (let i = 0; i < npcShips; i++) {
    const className = oneVsOne ? plan.playerClasses[0] : plan.npcClasses[i % plan.npcClasses.length];
    ships.push({ side: "npc", name: `Raider ${i + 1}`, className });
  }
  return { ships, seatedPlayers: playerShips, oneVsOne };
}

export function validatePlan(plan: BattlePlan): string | undefined {
  if (plan.npc === 0) return plan.players === 2 ? undefined : "--npc 0 is the 1v1 mode and needs --players 2";
  if (plan.players < 1 || plan.players > 5) return "--players must be 1..5 (at most 5 player ships per battle)";
  if (plan.npc < 1 || plan.npc > 10) return "--npc must be 0 (1v1) or 1..10";
  return undefined;
}
