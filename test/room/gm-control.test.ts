// The GM in control over the wire: the paused clock, a skipped turn, the undo seen by every
// client, corrections, acting for and freeing an absent player's seat, and the spectator list.
import assert from "node:assert/strict";
import { ColyseusSDK } from "@colyseus/sdk";
import { startServer, type TestServer } from "../../harness/server";
import { NetSim } from "../../harness/netsim";
import { SeatClient } from "../../harness/seat-client";
import { ALL_ROLES, gmAndPlayer, twoShipOptions } from "../../harness/battles";
import { LIMITS, turnStamp } from "../../src/commands";
import type { BattleRoom } from "../../rooms/BattleRoom";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (r: Awaited<ReturnType<SeatClient["command"]>>) => (r.kind === "ack" ? "ack" : r.error.code);

describe("the GM in control (room)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let proxy: NetSim;
  before(async () => {
    server = await startServer({ RECONNECT_GRACE_SEC: "30", SEAT_RELEASE_SEC: "1" });
    proxy = await NetSim.start({ targetPort: server.port });
  });
  after(async () => {
    await proxy.close().catch(() => undefined);
    await server.close().catch(() => undefined);
  });
  const room = (id: string) => server.colyseus.getRoomById(id) as unknown as BattleRoom;

  it("stops the turn clock while paused (no timeout, turnEndsAt 0) and runs it again on resume", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server, { turnTimeoutSec: LIMITS.turnTimeoutSec.min });
    assert.equal(code(await gm.command("gm:start")), "ack");
    assert.equal(code(await gm.command("gm:pause")), "ack");
    await player.until((s) => s.paused === true && s.turnEndsAt === 0, 5000, "the pause on the wire");
    const stamp = turnStamp(room(roomId).engineState());
    await sleep(LIMITS.turnTimeoutSec.min * 1000 + 1500); // longer than the turn timeout
    assert.equal(turnStamp(room(roomId).engineState()), stamp, "no turn timed out while paused");
    assert.equal(code(await gm.command("gm:resume")), "ack");
    await player.until((s) => s.paused === false && s.turnEndsAt > 0, 5000, "the clock running again");
    assert.equal(code(await player.command("gm:pause")), "forbidden");
    await gm.leave(); await player.leave();
  });

  it("skips a turn, undoes it for every client, and refuses an undo with nothing left", async () => {
    const { gm, player } = await gmAndPlayer(server, { turnTimeoutSec: 600 });
    assert.equal(code(await gm.command("gm:undo")), "nothingToUndo");
    assert.equal(code(await gm.command("gm:start")), "ack");
    const before = { round: gm.state.round, turnIndex: gm.state.turnIndex };
    assert.equal(code(await gm.command("gm:skipTurn", { v: turnStamp(before) })), "ack");
    await player.until((s) => s.turnIndex !== before.turnIndex || s.round !== before.round, 5000, "the skip");
    assert.equal(code(await gm.command("gm:skipTurn", { v: turnStamp(before) })), "stale", "a second click on the same turn");
    assert.equal(code(await gm.command("gm:undo")), "ack");
    await player.until((s) => s.turnIndex === before.turnIndex && s.round === before.round, 5000, "the undo");
    await player.until(() => player.log.some((e) => e.action === "undo"), 5000, "the undo in the player's log");
    const log = player.log;
    assert.ok(log.some((e) => e.action === "undo" && /^GM correction: the GM's skipped turn undone/.test(e.result)), JSON.stringify(log.map((e) => e.result)));
    assert.equal(code(await player.command("gm:undo")), "forbidden");
    await gm.leave(); await player.leave();
  });

  it("corrects a ship's hull with the reason shown to the players, and refuses bad corrections", async () => {
    const { gm, player } = await gmAndPlayer(server, { turnTimeoutSec: 600 });
    const maxHull = gm.state.ships.get("p1").maxHull as number;
    assert.equal(code(await gm.command("gm:adjust", { shipId: "p1", hull: maxHull - 2, reason: "hit taken before the battle" })), "ack");
    await player.until((s) => s.ships.get("p1").hull === maxHull - 2, 5000, "the new hull");
    await player.until(() => player.log.some((e) => /reason: hit taken before the battle/.test(e.result)), 5000, "the correction in the player's log");
    assert.equal(code(await gm.command("gm:adjust", { shipId: "p1", hull: maxHull + 1, reason: "x" })), "badValue");
    assert.equal(code(await gm.command("gm:adjust", { shipId: "p1", hull: 3 })), "invalid", "no reason");
    assert.equal(code(await gm.command("gm:adjust", { shipId: "p1", missiles: 3, reason: "x" })), "invalid", "ammunition without a turret");
    assert.equal(code(await player.command("gm:adjust", { shipId: "p1", hull: 1, reason: "x" })), "forbidden");
    await gm.leave(); await player.leave();
  });

  it("lets the GM act for the ship of a player whose connection dropped and free the seat within the grace, for a new player to take", async () => {
    const gm = new SeatClient(await server.sdk().create("battle", twoShipOptions({ turnTimeoutSec: 600 })), "gm");
    await gm.seated();
    // Through a TCP proxy whose cut is an abrupt network loss; no reconnection: the player is gone.
    const join = () => new ColyseusSDK(`ws://127.0.0.1:${proxy.port}`).joinById(gm.room.roomId, { name: "Gone", shipId: "p1", positions: ALL_ROLES });
    const gone = new SeatClient(await join(), "gone");
    await gone.seated();
    gone.room.reconnection.enabled = false;
    const seatId = gone.seat!.seatId;
    assert.equal(code(await gm.command("gm:act", { shipId: "p1", command: { type: "evade", mode: "dodge" } })), "seatInUse", "the crew is there");
    assert.equal(code(await gm.command("gm:releaseSeat", { seatId })), "seatInUse");
    proxy.cutAll();
    await gm.until((s) => s.crew.get(seatId)?.connected === false, 5000, "the player marked disconnected");
    assert.equal(code(await gm.command("gm:start")), "ack");
    assert.equal(code(await gm.command("gm:pause")), "ack");
    // Within the 30-s grace: the GM may act for the absent crew's ship and free its seat.
    if (gm.state.activeShipId !== "p1") assert.equal(code(await gm.command("gm:skipTurn")), "ack");
    await gm.until((s) => s.activeShipId === "p1", 5000, "p1's turn");
    assert.equal(code(await gm.command("gm:act", { shipId: "p1", command: { type: "evade", mode: "evasive" } })), "ack");
    assert.equal(code(await gm.command("gm:releaseSeat", { seatId })), "ack");
    await gm.until((s) => !s.crew.has(seatId), 5000, "the seat gone from the crew");
    // A new player takes the ship.
    const next = new SeatClient(await join(), "next");
    await next.seated();
    await gm.until((s) => s.crew.has(next.seat!.seatId), 5000, "the newcomer in the crew");
    await next.leave(); await gm.leave();
  });

  it("lets only the captain end the ship's turn while a connected captain is aboard", async () => {
    const gm = new SeatClient(await server.sdk().create("battle", twoShipOptions({ turnTimeoutSec: 600 })), "gm");
    await gm.seated();
    const gunner = new SeatClient(await server.sdk().joinById(gm.room.roomId, { name: "Gunner", shipId: "p1", positions: ["gunner"] }), "gunner");
    await gunner.seated();
    const captain = new SeatClient(await server.sdk().joinById(gm.room.roomId, { name: "Captain", shipId: "p1", positions: ["captain", "pilot"] }), "captain");
    await captain.seated();
    assert.equal(code(await gm.command("gm:start")), "ack");
    if (gm.state.activeShipId !== "p1") assert.equal(code(await gm.command("gm:act", { shipId: "n1", command: { type: "endTurn" } })), "ack");
    await gunner.until((s) => s.activeShipId === "p1", 5000, "p1's turn");
    assert.equal(code(await gunner.command("space:endTurn", { v: turnStamp(gunner.state) })), "forbidden");
    await captain.leave();
    await gm.until((s) => ![...s.crew.values()].some((c: { name: string; connected: boolean }) => c.name === "Captain" && c.connected), 5000, "the captain gone");
    assert.equal(code(await gunner.command("space:endTurn", { v: turnStamp(gunner.state) })), "ack", "no captain at the table: any crew member");
    await gunner.leave(); await gm.leave();
  });

  it("tells the GM who is watching", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server, { allowSpectators: true });
    const watcher = new SeatClient(await server.sdk().joinById(roomId, { name: "Onlooker", spectator: true }), "watcher");
    await watcher.seated();
    for (let i = 0; i < 50 && !gm.spectators?.length; i++) await sleep(100);
    assert.deepEqual(gm.spectators?.map((v) => v.name), ["Onlooker"]);
    assert.equal(player.spectators, undefined, "players are not told");
    await watcher.leave();
    for (let i = 0; i < 50 && gm.spectators?.length; i++) await sleep(100);
    assert.deepEqual(gm.spectators, []);
    await gm.leave(); await player.leave();
  });

  it("frees by itself the seat of a player gone past the reconnection grace, for a new player to take", async () => {
    // One server at a time: Colyseus' matchmaker is one per process.
    await proxy.close();
    await server.close();
    const quick = await startServer({ RECONNECT_GRACE_SEC: "1", SEAT_RELEASE_SEC: "1" });
    const quickProxy = await NetSim.start({ targetPort: quick.port });
    try {
      const gm = new SeatClient(await quick.sdk().create("battle", twoShipOptions()), "gm");
      await gm.seated();
      const p = new SeatClient(await new ColyseusSDK(`ws://127.0.0.1:${quickProxy.port}`).joinById(gm.room.roomId, { name: "P", shipId: "p1", positions: ALL_ROLES }), "p");
      await p.seated();
      p.room.reconnection.enabled = false;
      const pSeat = p.seat!.seatId;
      quickProxy.cutAll();
      await gm.until((s) => s.crew.get(pSeat)?.connected === false, 5000, "the player marked disconnected");
      await gm.until((s) => !s.crew.has(pSeat), 15_000, "the absent player's seat freed by itself");
      const again = new SeatClient(await quick.sdk().joinById(gm.room.roomId, { name: "Newcomer", shipId: "p1", positions: ALL_ROLES }), "again");
      await again.seated();
      assert.notEqual(again.seat!.seatId, pSeat);
      await again.leave(); await gm.leave();
    } finally {
      await quickProxy.close();
      await quick.close();
    }
  });
});
