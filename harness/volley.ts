// The scripted gunner shared by the load bots and the room tests: every turret that may fire
// (or launch) now, each at the first enemy it may legally hit. Legality comes from the same
// precondition module the server validates with, so a scripted crew never sends a command the
// server must refuse (a disabled turret, a dead power plant, a target out of reach).
import { ROLES } from "../src/rules/model";
import { whyNot, type LegalBattle, type ShipCommand } from "../src/engine/legal";

/** Bots and test crews hold every position of their ship; the GM does for NPC ships. */
export const ALL_POSITIONS: readonly string[] = ROLES;

/** A shot of one turret: fire, or a missile launch. */
export type Shot = Extract<ShipCommand, { type: "fire" | "launchMissile" }>;

export function volley(battle: LegalBattle, shipId: string, positions: readonly string[] = ALL_POSITIONS): Shot[] {
  const ship = battle.ships[shipId];
  if (!ship) return [];
  const enemies = Object.values(battle.ships).filter((s) => s.side !== ship.side && !s.destroyed && !s.escaped);
  const shots: Shot[] = [];
  for (const t of ship.turrets ?? []) {
    if (t.weapon === "sandcaster") continue;
    for (const enemy of enemies) {
      const cmd: Shot = t.weapon === "missileRack"
        ? { type: "launchMissile", shipId, turretId: t.id, targetId: enemy.id, missile: t.smartMissiles > 0 ? "smart" : "standard" }
        : { type: "fire", shipId, turretId: t.id, targetId: enemy.id };
      if (!whyNot(battle, cmd, positions)) { shots.push(cmd); break; }
    }
  }
  return shots;
}

/** The command's fields as a client sends them: without its type and ship (the message names both). */
export function payloadOf(cmd: ShipCommand): Record<string, unknown> {
  const { type: _type, shipId: _shipId, ...fields } = cmd;
  return fields;
}
