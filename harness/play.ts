// Simple scripted crews for room tests: on their ship's turn they fire every turret at the
// first enemy still fighting, then end the turn. The GM does the same for every NPC ship.
import type { SeatClient } from "./seat-client";
import { turnStamp } from "../src/commands";

export function firstEnemy(state: any, side: string): string | undefined {
  for (const ship of state.ships.values()) if (ship.side !== side && !ship.destroyed && !ship.escaped) return ship.id;
  return undefined;
}

/**
 * Plays one turn for `shipId` (a player's own commands, or gm:act for the GM). `pipelined` sends
 * every command at once and then awaits the replies: one round trip per turn on a slow link.
 */
export async function playTurn(client: SeatClient, shipId: string, viaGm: boolean, pipelined = false): Promise<void> {
  const state = client.state;
  const ship = state.ships.get(shipId);
  const target = firstEnemy(state, ship.side);
  const v = turnStamp(state);
  const send = (type: string, payload: Record<string, unknown>) =>
    viaGm ? client.command("gm:act", { shipId, v, command: { type, ...payload } }) : client.command(`space:${type}`, { ...payload, v });
  const pending: Promise<unknown>[] = [];
  if (target) {
    for (const turret of [...(ship.turrets ?? [])]) {
      if (turret.weapon === "sandcaster") continue;
      const sent = turret.weapon === "missileRack"
        ? send("launchMissile", { turretId: turret.id, targetId: target, missile: turret.smartMissiles > 0 ? "smart" : "standard" })
        : send("fire", { turretId: turret.id, targetId: target });
      if (pipelined) pending.push(sent);
      else await sent;
    }
  }
  pending.push(send("endTurn", {}));
  await Promise.all(pending);
}

/** Keeps a client playing its ship(s) until the battle ends. Returns a stop function. */
export function autoPlay(client: SeatClient, opts: { gm: boolean; shipId?: string; pipelined?: boolean }): () => void {
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    const s = client.state;
    if (!s || s.phase !== "combat") return;
    const active = s.ships.get(s.activeShipId);
    if (!active) return;
    const mine = opts.gm ? active.side === "npc" : active.id === opts.shipId;
    if (!mine) return;
    busy = true;
    try {
      await playTurn(client, active.id, opts.gm, opts.pipelined);
    } catch {
      // a reply lost to a closing room; the next state change retries
    } finally {
      busy = false;
      setImmediate(tick);
    }
  };
  client.room.onStateChange(() => void tick());
  void tick();
  return () => { stopped = true; };
}
