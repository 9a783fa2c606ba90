// Compares what a client decoded with the server's battle, field by field, for what it may see.
import assert from "node:assert/strict";
import type { Battle } from "../../src/rules/model";
import type { SeatClient } from "../../harness/seat-client";

const PUBLIC = ["name", "side", "className", "tons", "thrust", "destroyed", "escaped", "initiative", "evasive"] as const;
const DETAIL = ["armour", "hull", "maxHull", "structure", "maxStructure", "reactionsLeft", "dodgeReady", "coordinationPool"] as const;

export function assertClientMatchesServer(client: SeatClient, battle: Battle): void {
  const s = client.state;
  const who = client.label;
  assert.equal(s.version, battle.version, `${who}: version`);
  assert.equal(s.phase, battle.phase, `${who}: phase`);
  assert.equal(s.round, battle.round, `${who}: round`);
  assert.equal(s.turnIndex, battle.turnIndex, `${who}: turnIndex`);
  assert.deepEqual([...s.order], battle.order, `${who}: initiative order`);
  if (battle.result) assert.equal(s.result.winner, battle.result.winner, `${who}: winner`);
  const lockedByPlayers = new Set(Object.values(battle.ships).filter((x) => x.side === "players" && !x.destroyed).flatMap((x) => x.lockedOn));
  for (const ship of Object.values(battle.ships)) {
    const seen = s.ships.get(ship.id);
    assert.ok(seen, `${who}: sees ${ship.id}`);
    for (const f of PUBLIC) assert.equal(seen[f], ship[f], `${who}: ${ship.id}.${f}`);
    const entitled = client.seat?.role === "gm" || client.seat?.shipId === ship.id || lockedByPlayers.has(ship.id);
    if (!entitled) continue;
    for (const f of DETAIL) assert.equal(seen[f], ship[f], `${who}: ${ship.id}.${f}`);
    assert.deepEqual([...seen.turrets].map((t: any) => [t.id, t.damage, t.missiles, t.smartMissiles, t.sand]),
      ship.turrets.map((t) => [t.id, t.damage, t.missiles, t.smartMissiles, t.sand]), `${who}: ${ship.id} turrets`);
  }
  assert.deepEqual([...s.missiles.keys()].sort(), battle.missiles.map((m) => m.id).sort(), `${who}: missiles in flight`);
}
