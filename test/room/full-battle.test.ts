import assert from "node:assert/strict";
import { SeatClient } from "../../harness/seat-client";
import { autoPlay } from "../../harness/play";
import { replay } from "../../src/engine";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";

const ROLES = ["pilot", "gunner", "engineer", "captain", "sensors"];

describe("a full battle through real SDK clients", function () {
  this.timeout(120_000);
  const server = useServer();

  it("lets a GM, five players and ten NPC ships play to the end, with every client agreeing with the server", async () => {
    const ships = [
      ...["Aurora", "Bellatrix", "Castor", "Deneb", "Electra"].map((name) => ({ side: "players", name, className: "patrolCorvette" })),
      ...Array.from({ length: 10 }, (_, i) => ({ side: "npc", name: `Raider ${i + 1}`, className: "fighter" })),
    ];
    const gmRoom = await server().sdk().create("battle", { name: "Full table", ruleset: "ce", startingRange: "short", ships, turnTimeoutSec: 30 });
    const gm = new SeatClient(gmRoom, "gm");
    const gmSeat = await gm.seated();
    assert.equal(gmSeat.role, "gm");

    const players: SeatClient[] = [];
    for (let i = 0; i < 5; i++) {
      const room = await server().sdk().joinById(gmRoom.roomId, { name: `Player ${i + 1}`, shipId: `p${i + 1}`, positions: ROLES });
      const p = new SeatClient(room, `p${i + 1}`);
      await p.seated();
      players.push(p);
    }
    await gm.until((s) => s.crew.size === 6, 5000, "six crew seats");

    const stops = [autoPlay(gm, { gm: true }), ...players.map((p, i) => autoPlay(p, { gm: false, shipId: `p${i + 1}` }))];
    const start = await gm.command("gm:start");
    assert.equal(start.kind, "ack", JSON.stringify(start));

    await gm.until((s) => s.phase === "ended", 100_000, "the battle to end");
    stops.forEach((stop) => stop());

    const room = server().colyseus.getRoomById(gmRoom.roomId) as unknown as BattleRoom;
    const battle = room.engineState();
    assert.equal(battle.phase, "ended");
    assert.ok(battle.result && battle.result.reason === "destroyed", `ended by destruction: ${JSON.stringify(battle.result)}`);
    assert.ok(battle.round >= 1);

    // Every client converges on the server's public state and on its own ship's hidden state.
    await new Promise((r) => setTimeout(r, 200));
    for (const c of [gm, ...players]) {
      assert.equal(c.state.phase, "ended");
      assert.equal(c.state.result.winner, battle.result!.winner);
      assert.equal(c.state.version, battle.version);
      for (const ship of Object.values(battle.ships)) {
        const seen = c.state.ships.get(ship.id);
        assert.equal(seen.destroyed, ship.destroyed, `${c.label} sees ${ship.id} destroyed=${ship.destroyed}`);
      }
    }
    for (const [i, p] of players.entries()) {
      const own = battle.ships[`p${i + 1}`];
      const seen = p.state.ships.get(own.id);
      assert.equal(seen.hull, own.hull);
      assert.equal(seen.structure, own.structure);
    }
    const gmSeesAll = Object.values(battle.ships).every((s) => gm.state.ships.get(s.id).hull === s.hull);
    assert.ok(gmSeesAll, "the GM sees every ship's hull");

    // The seed and the accepted command log replay the battle bit for bit.
    const record = room.replayRecord();
    assert.equal(JSON.stringify(replay(record.setup, record.seed, record.commands)), JSON.stringify(battle));

    // The combat log a client holds keeps at most the last 10 rounds; the server keeps it all.
    const rounds = new Set<number>(gm.log.map((e) => e.round));
    assert.ok(rounds.size > 0 && rounds.size <= 10);
    assert.ok(room.fullLog.length >= gm.log.length);
    assert.deepEqual(gm.log.map((e) => e.seq), room.fullLog.slice(-gm.log.length).map((e) => e.seq), "the newest entries, in order");

    await Promise.all([gm, ...players].map((c) => c.room.leave()));
  });
});
