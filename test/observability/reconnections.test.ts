// traveller_reconnections_total counts the dropped clients that came back within the grace window,
// whichever way they came back: through the SDK's own reconnection, or with their seat key (a
// reload, or the web client's rejoin once its quick reconnection attempts gave up, e.g. offline
// for a few seconds). The connection held for the dropped session is freed once its seat is back.
import assert from "node:assert/strict";
import { ColyseusSDK } from "@colyseus/sdk";
import { NetSim } from "../../harness/netsim";
import { SeatClient } from "../../harness/seat-client";
import { ALL_ROLES, gmAndPlayer, twoShipOptions } from "../../harness/battles";
import { eventually } from "../support/browser";
import { scrape, value } from "./scrape";
import { useServer } from "../support/use-server";

describe("reconnections in /metrics", function () {
  this.timeout(30_000);
  const server = useServer({ RECONNECT_GRACE_SEC: "30" }, { each: true });

  it("counts a client whose connection was cut and that the SDK brought back", async () => {
    const proxy = await NetSim.start({ targetPort: server().port });
    try {
      const gm = new SeatClient(await server().sdk().create("battle", twoShipOptions()), "gm");
      await gm.seated();
      const sdk = new ColyseusSDK(`ws://127.0.0.1:${proxy.port}`);
      const player = new SeatClient(await sdk.joinById(gm.room.roomId, { name: "Remote", shipId: "p1", positions: ALL_ROLES }), "remote");
      await player.seated();
      await gm.until((s) => s.crew.size === 2, 5000, "two seats");
      player.room.reconnection.minUptime = 0;
      let back = false;
      player.room.onReconnect(() => { back = true; });
      assert.ok(proxy.cutAll() >= 1);
      await gm.until((s) => s.crew.get(player.seat!.seatId).connected === false, 5000, "the drop seen");
      await gm.until((s) => s.crew.get(player.seat!.seatId).connected === true, 10_000, "the player back");
      await eventually(async () => back, "the SDK to report the same session reconnected", 5000);
      const t = await scrape(server().port);
      assert.equal(value(t, "traveller_connection_drops_total"), 1);
      assert.equal(value(t, "traveller_reconnections_total"), 1);
      assert.equal(value(t, "traveller_connections"), 2);
      await Promise.all([gm.leave(), player.leave()]);
    } finally {
      await proxy.close();
    }
  });

  it("counts a dropped seat taken back with its key within the grace window, and frees the connection held for it", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    const seatId = player.seat!.seatId;
    // The page goes away (offline, reload): the connection dies without a close handshake and
    // the SDK does not bring this session back.
    player.room.reconnection.enabled = false;
    const held = server().colyseus.getRoomById(roomId).clients.find((c) => (c.userData as { seatId?: string } | undefined)?.seatId === seatId);
    assert.ok(held, "the player's connection on the server");
    (held as unknown as { ref: { terminate(): void } }).ref.terminate();
    await gm.until((s) => s.crew.get(seatId).connected === false, 5000, "the drop seen");
    const dropped = await scrape(server().port);
    assert.equal(value(dropped, "traveller_connection_drops_total"), 1);
    assert.equal(value(dropped, "traveller_connections"), 2, "the dropped session is held for the grace window");

    const back = new SeatClient(await server().sdk().joinById(roomId, { seatKey: player.seat!.key }), "back");
    assert.equal((await back.seated()).seatId, seatId, "the same seat");
    await gm.until((s) => s.crew.get(seatId).connected === true, 5000, "the seat connected again");
    const after = await eventually(async () => {
      const t = await scrape(server().port);
      return value(t, "traveller_connections") === 2 && t;
    }, "the held session freed (2 connections, not 3)", 5000).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${value(await scrape(server().port), "traveller_connections")} connections`);
    });
    assert.equal(value(after, "traveller_reconnections_total"), 1);
    assert.equal(value(after, "traveller_connections_total"), 3);
    assert.equal((await back.command("chat", { text: "back" })).kind, "ack", "the seat works from its new connection");
    await Promise.all([gm.leave(), back.leave()]);
  });

  it("does not count a seat's first join, nor a join with the key of a seat that was not dropped", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    await player.leave(); // a consented leave: no grace, nothing to come back to
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === false, 5000, "the leave seen");
    const again = new SeatClient(await server().sdk().joinById(roomId, { seatKey: player.seat!.key }), "again");
    await again.seated();
    const t = await scrape(server().port);
    assert.equal(value(t, "traveller_reconnections_total"), 0);
    assert.equal(value(t, "traveller_connection_drops_total"), 0);
    await Promise.all([gm.leave(), again.leave()]);
  });
});
