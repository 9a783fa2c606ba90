import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { turnStamp, unpackModifiers, type WireLogEntry } from "../../src/commands";
import { useServer } from "../support/use-server";

describe("hidden information", function () {
  this.timeout(90_000);
  const server = useServer();

  it("sends a player its own ship in full, an NPC ship's public data only, and the NPC's details while a sensor lock holds", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    const npcTrue = room.engineState().ships.n1;

    const own = player.state.ships.get("p1");
    assert.equal(own.hull, room.engineState().ships.p1.hull);
    assert.ok(own.turrets.length > 0, "own turrets are visible");

    const npc = player.state.ships.get("n1");
    assert.equal(npc.name, "Corsair One", "public data is visible");
    assert.equal(npc.className, "corsair");
    for (const field of ["hull", "armour", "structure", "maxHull"]) assert.ok(!npc[field], `NPC ${field} is not received (got ${npc[field]})`);
    assert.equal(npc.turrets?.length ?? 0, 0, "NPC weapons are not received");

    // The GM sees everything.
    assert.equal(gm.state.ships.get("n1").hull, npcTrue.hull);
    assert.equal(gm.state.ships.get("n1").armour, npcTrue.armour);

    // Play turns until the player's sensor lock succeeds; then the details arrive. (CE: a lock
    // lasts until the end of the round, so the check comes before the player's turn ends.)
    assert.equal((await gm.command("gm:start")).kind, "ack");
    for (let attempt = 0; attempt < 30; attempt++) {
      const s = player.state;
      const v = turnStamp(s);
      if (s.activeShipId === "p1") {
        await player.command("space:sensorLock", { targetId: "n1", v });
        if (room.engineState().ships.p1.lockedOn.includes("n1")) break;
        await player.command("space:endTurn", { v });
      } else {
        await gm.command("gm:act", { shipId: s.activeShipId, v, command: { type: "endTurn" } });
      }
    }
    assert.ok(room.engineState().ships.p1.lockedOn.includes("n1"), "a sensor lock succeeded within 30 turns");
    await player.until((s) => s.ships.get("n1").armour === npcTrue.armour, 3000, "NPC armour after the lock");
    assert.equal(player.state.ships.get("n1").hull, room.engineState().ships.n1.hull);
    assert.ok(player.state.ships.get("n1").turrets.length > 0);

    // CE (SRD): the lock is for this round only; when the round ends, so does the reveal.
    const round = room.engineState().round;
    for (let turn = 0; turn < 4 && room.engineState().round === round; turn++) {
      const s = room.engineState();
      const v = turnStamp(s);
      const id = s.order[s.turnIndex];
      const reply = id === "p1" ? await player.command("space:endTurn", { v }) : await gm.command("gm:act", { shipId: id, v, command: { type: "endTurn" } });
      assert.equal(reply.kind, "ack", JSON.stringify(reply));
    }
    assert.deepEqual(room.engineState().ships.p1.lockedOn, []);
    await player.until((s) => s.ships.get("n1").armour === undefined, 3000, "the NPC's details withdrawn");
    for (const field of ["hull", "armour", "structure", "maxHull"]) assert.ok(!player.state.ships.get("n1")[field], `NPC ${field} withdrawn`);
    assert.equal(player.state.ships.get("n1").turrets?.length ?? 0, 0, "NPC weapons withdrawn");
  });

  it("keeps an unlocked NPC's armour out of the combat log a player receives, while the GM reads it", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server(), { turnTimeoutSec: 600 });
    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    const armour = room.engineState().ships.n1.armour;
    assert.equal((await gm.command("gm:start")).kind, "ack");
    const hitOnNpc = (log: readonly WireLogEntry[]) => log.find((e) => e.target === "n1" && e.action === "fire" && / hit /.test(e.result));
    for (let turn = 0; turn < 40 && !hitOnNpc(gm.log); turn++) {
      const s = gm.state;
      const v = turnStamp(s);
      if (s.activeShipId === "p1") {
        await player.until((ps) => ps.version >= s.version, 3000);
        await player.command("space:fire", { turretId: "t1", targetId: "n1", v });
        await player.command("space:endTurn", { v });
      } else {
        await gm.command("gm:act", { shipId: s.activeShipId, v, command: { type: "endTurn" } });
      }
    }
    const gmEntry = hitOnNpc(gm.log)!;
    assert.ok(gmEntry, "a hit on the NPC within 40 turns");
    assert.match(gmEntry.detail ?? "", new RegExp(`− ${armour} armour`), "the GM reads the armour");
    assert.ok(unpackModifiers(gmEntry.detailModifiers).some((m) => m.label === "armour"));
    await player.until(() => player.log.some((e) => e.seq === gmEntry.seq), 3000, "the player's log");
    const seen = player.log.find((e) => e.seq === gmEntry.seq)!;
    assert.ok(seen, "the player sees the hit");
    assert.doesNotMatch(seen.result, /armour/, "the public text names no armour");
    assert.ok(!seen.detail, "the detail text is not sent to the player");
    assert.ok(!unpackModifiers(seen.modifiers).some((m) => m.label === "armour"), "no armour modifier is sent to the player");
    assert.ok(!unpackModifiers(seen.damageModifiers).some((m) => m.label === "armour"), "no armour damage modifier is sent to the player");
    assert.ok(!seen.detailModifiers, "the detailed damage modifiers are not sent to the player");
  });

  it("never sends seat keys or the join password in state or room metadata", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server(), { password: "s3cret-pass" });
    const json = JSON.stringify(player.state.toJSON());
    assert.ok(!json.includes(gm.seat!.key), "the GM key is not in state");
    assert.ok(!json.includes(player.seat!.key));
    assert.ok(!json.includes("s3cret-pass"));
    const listing = await server().colyseus.http.get("/api/battles");
    const text = JSON.stringify(listing.data);
    assert.ok(text.includes(roomId));
    assert.ok(!text.includes("s3cret-pass") && !text.includes(gm.seat!.key));
  });
});
