// Ready-made battles for room tests.
import assert from "node:assert/strict";
import type { TestServer } from "./server";
import { SeatClient } from "./seat-client";

export const ALL_ROLES = ["pilot", "gunner", "engineer", "captain", "sensors"];

export function twoShipOptions(extra: Record<string, unknown> = {}) {
  return {
    name: "Skirmish", ruleset: "ce", startingRange: "short", turnTimeoutSec: 30,
    ships: [
      { side: "players", name: "Beowulf", className: "freeTrader" },
      { side: "npc", name: "Corsair One", className: "corsair" },
    ],
    ...extra,
  };
}

/** A GM's battle with one seated player on p1 holding every position. */
export async function gmAndPlayer(server: TestServer, extra: Record<string, unknown> = {}) {
  const gmRoom = await server.sdk().create("battle", twoShipOptions(extra));
  const gm = new SeatClient(gmRoom, "gm");
  await gm.seated();
  const join: Record<string, unknown> = { name: "Player", shipId: "p1", positions: ALL_ROLES };
  if (typeof extra.password === "string") join.password = extra.password;
  const playerRoom = await server.sdk().joinById(gmRoom.roomId, join);
  const player = new SeatClient(playerRoom, "player");
  await player.seated();
  await gm.until((s) => s.crew.size === 2, 5000, "two seats");
  return { gm, player, roomId: gmRoom.roomId };
}

/** Resolves to the error message of a join (or create) that must be refused; fails if it was accepted. */
export async function refusedJoin(p: Promise<unknown>): Promise<string> {
  try {
    const room = await p as { leave?: () => Promise<unknown> };
    await room.leave?.();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail("the join was accepted");
}
