import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import type { SeatClient } from "../../harness/seat-client";
import { SHIP_MESSAGES, GM_MESSAGES, turnStamp } from "../../src/commands";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";

const GARBAGE: unknown[] = [
  null, 42, "fire!", [], {},
  { cid: "a".repeat(200) },
  { cid: "bad id with spaces" },
  { cid: "ok1", unexpected: true },
  { cid: "ok2", turretId: { $gt: "" }, targetId: "n1" },
  { cid: "ok3", turretId: "t1".repeat(40), targetId: "n1" },
  { cid: "ok4", v: -1 },
  { cid: "ok5", v: "7" },
  JSON.parse('{"cid":"ok6","__proto__":{"polluted":true}}'),
  JSON.parse('{"cid":"ok7","constructor":{"prototype":{"polluted":true}}}'),
];

describe("invalid messages", function () {
  this.timeout(60_000);
  const server = useServer();
  let gm: SeatClient;
  let player: SeatClient;
  let roomId: string;
  before(async () => {
    ({ gm, player, roomId } = await gmAndPlayer(server(), { turnTimeoutSec: 600 }));
    assert.equal((await gm.command("gm:start")).kind, "ack");
  });

  const snapshot = () => JSON.stringify((server().colyseus.getRoomById(roomId) as unknown as BattleRoom).engineState());

  for (const type of [...Object.keys(SHIP_MESSAGES), ...Object.keys(GM_MESSAGES), "chat"]) {
    it(`answers every malformed ${type} with a typed 'invalid' error and changes nothing`, async () => {
      const client = type.startsWith("gm:") ? gm : player;
      const before = snapshot();
      for (const payload of GARBAGE) {
        const errorsBefore = client.errors.length;
        client.room.send(type, payload);
        await client.errorCount(errorsBefore + 1);
        const err = client.errors[errorsBefore];
        assert.ok(err, `${type} ${JSON.stringify(payload)} got an error reply`);
        assert.equal(err.code, "invalid", `${type} ${JSON.stringify(payload)}: ${JSON.stringify(err)}`);
        assert.equal(err.type, type);
      }
      assert.equal(snapshot(), before, "the battle is unchanged");
      assert.equal(({} as Record<string, unknown>).polluted, undefined, "no prototype pollution");
      assert.ok(client.room.connection.isOpen, "the client is not kicked for a malformed message");
    });
  }

  it("refuses gm:* messages from a player with 'forbidden'", async () => {
    for (const [type, payload] of [["gm:start", {}], ["gm:end", { winner: "players", reason: "gm" }], ["gm:removeShip", { shipId: "n1" }], ["gm:act", { shipId: "n1", command: { type: "endTurn" } }]] as const) {
      const reply = await player.command(type, payload);
      assert.equal(reply.kind, "error");
      assert.equal(reply.kind === "error" && reply.error.code, "forbidden", type);
    }
  });

  it("refuses a player's command for another ship or position", async () => {
    const reply = await gm.command("space:fire", { turretId: "t1", targetId: "p1" });
    assert.equal(reply.kind === "error" && reply.error.code, "forbidden");
  });

  it("refuses gm:act for a player ship while its crew is connected", async () => {
    const reply = await gm.command("gm:act", { shipId: "p1", command: { type: "endTurn" } });
    assert.equal(reply.kind === "error" && reply.error.code, "seatInUse");
  });

  it("answers an unknown message type with an error", async () => {
    const n = player.errors.length;
    player.room.send("space:selfDestruct", { cid: "x1" });
    await player.errorCount(n + 1);
    assert.equal(player.errors[n].code, "invalid");
  });

  it("refuses a command made for a turn that has passed as stale", async () => {
    const reply = await player.command("space:endTurn", { v: 0 });
    assert.equal(reply.kind === "error" && reply.error.code, "stale");
  });

  it("answers a re-sent command id with the original reply and applies it once", async () => {
    const s = player.state;
    const v = turnStamp(s);
    const mine = s.activeShipId === "p1";
    const type = mine ? "space:endTurn" : "gm:act";
    const client = mine ? player : gm;
    const payload = mine ? { cid: "once-1", v } : { cid: "once-1", v, shipId: s.activeShipId, command: { type: "endTurn" } };
    const first = await client.command(type, payload);
    assert.equal(first.kind, "ack");
    const versionAfter = snapshot();
    const again = await client.command(type, payload);
    assert.deepEqual(again, first);
    assert.equal(snapshot(), versionAfter);
  });
});
