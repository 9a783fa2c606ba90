import assert from "node:assert/strict";
import { SeatClient } from "../../harness/seat-client";
import { gmAndPlayer, twoShipOptions, ALL_ROLES, refusedJoin } from "../../harness/battles";
import { useServer } from "../support/use-server";


describe("seats", function () {
  this.timeout(30_000);
  const server = useServer();

  it("binds the GM seat to the creator and returns a GM key to the creator only", async () => {
    const { gm, player } = await gmAndPlayer(server());
    assert.equal(gm.seat!.role, "gm");
    assert.ok(gm.seat!.key.length >= 24);
    assert.equal(player.seat!.role, "player");
    assert.notEqual(player.seat!.key, gm.seat!.key);
    const reply = await player.command("gm:start");
    assert.equal(reply.kind === "error" && reply.error.code, "forbidden");
  });

  it("refuses battle options that break the rules (11 NPC ships, unknown class, no ship on a side)", async () => {
    const base = twoShipOptions();
    const npc = (i: number) => ({ side: "npc", name: `N${i}`, className: "fighter" });
    const eleven = { ...base, ships: [base.ships[0], ...Array.from({ length: 11 }, (_, i) => npc(i))] };
    assert.match(await refusedJoin(server().sdk().create("battle", eleven)), /NPC/);
    assert.match(await refusedJoin(server().sdk().create("battle", { ...base, ships: [base.ships[0], { side: "npc", name: "X", className: "deathStar" }] })), /deathStar|class/i);
    assert.match(await refusedJoin(server().sdk().create("battle", { ...base, ships: [base.ships[0]] })), /ship/);
    assert.match(await refusedJoin(server().sdk().create("battle", { ...base, turnTimeoutSec: 0 })), /turnTimeoutSec/);
    // Issue 14: a 2-s turn was accepted; the table could not even read its rolls.
    assert.match(await refusedJoin(server().sdk().create("battle", { ...base, turnTimeoutSec: 2 })), /turnTimeoutSec/);
    assert.match(await refusedJoin(server().sdk().create("battle", { ...base, turnTimeoutSec: 9 })), /turnTimeoutSec/);
  });

  it("keeps a password-protected battle closed to a wrong or missing password", async () => {
    const { roomId } = await gmAndPlayer(server(), { password: "hunter2-long" });
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { name: "Eve", shipId: "p1", positions: ["gunner"] })), /password/);
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { name: "Eve", shipId: "p1", positions: ["gunner"], password: "nope" })), /password/);
  });

  it("refuses a second pilot on the same ship but lets gunners share", async () => {
    const { roomId } = await gmAndPlayer(server());
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { name: "Second pilot", shipId: "p1", positions: ["pilot"] })), /taken/);
    const gunner = await server().sdk().joinById(roomId, { name: "Second gunner", shipId: "p1", positions: ["gunner"] });
    await new SeatClient(gunner, "g2").seated();
    await gunner.leave();
  });

  it("refuses a seat on an NPC ship or a ship that does not exist", async () => {
    const { roomId } = await gmAndPlayer(server());
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { name: "Spy", shipId: "n1", positions: ALL_ROLES })), /player ship/);
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { name: "Lost", shipId: "p9", positions: ALL_ROLES })), /player ship/);
  });

  it("lets a player take back their seat with their key from a new connection", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    const key = player.seat!.key;
    await player.room.leave();
    await gm.until((s) => s.crew.get(player.seat!.seatId)?.connected === false, 5000, "the player marked disconnected");
    const back = new SeatClient(await server().sdk().joinById(roomId, { seatKey: key }), "back");
    const seat = await back.seated();
    assert.equal(seat.seatId, player.seat!.seatId);
    assert.equal(seat.shipId, "p1");
    await gm.until((s) => s.crew.get(seat.seatId)?.connected === true, 5000, "the player marked connected");
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { seatKey: "x".repeat(32) })), /seat key/);
  });

  it("lets the GM take back the GM seat with the GM key, and nobody without it", async () => {
    const { gm, roomId } = await gmAndPlayer(server());
    const key = gm.seat!.key;
    await gm.room.leave();
    const back = new SeatClient(await server().sdk().joinById(roomId, { gmKey: key }), "gm2");
    assert.equal((await back.seated()).role, "gm");
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { gmKey: "y".repeat(32) })), /GM key/);
    assert.equal((await back.command("gm:start")).kind, "ack");
  });

  it("lists battles for a lobby with name, ruleset, players and phase", async () => {
    const { roomId } = await gmAndPlayer(server());
    const listing = (await server().colyseus.http.get("/api/battles")).data as any[];
    const entry = listing.find((b) => b.roomId === roomId);
    assert.ok(entry);
    assert.equal(entry.name, "Skirmish");
    assert.equal(entry.ruleset, "ce");
    assert.equal(entry.phase, "setup");
    assert.equal(entry.players, 1);
    assert.equal(entry.hasPassword, false);
    assert.deepEqual(entry.playerShips, [{ id: "p1", name: "Beowulf", className: "freeTrader", taken: ALL_ROLES }]);
  });
});

describe("log export", function () {
  this.timeout(30_000);
  const server = useServer();

  it("gives the GM the full log and replay record, and refuses anyone without the GM key", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    assert.equal((await gm.command("gm:start")).kind, "ack");
    const get = (key?: string) => fetch(`http://127.0.0.1:${server().port}/api/battles/${roomId}/log`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
    assert.equal((await get()).status, 401);
    assert.equal((await get(player.seat!.key)).status, 403);
    const res = await get(gm.seat!.key);
    assert.equal(res.status, 200);
    const body = await res.json() as any;
    assert.ok(body.log.length >= 1, "the start and initiative are logged");
    assert.equal(body.replay.commands[0].cmd.type, "start");
    assert.equal((await fetch(`http://127.0.0.1:${server().port}/api/battles/nosuchroom/log`, { headers: { authorization: "Bearer x" } })).status, 404);
  });
});
