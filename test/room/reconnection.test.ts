import assert from "node:assert/strict";
import { ColyseusSDK } from "@colyseus/sdk";
import { NetSim } from "../../harness/netsim";
import { SeatClient } from "../../harness/seat-client";
import { ALL_ROLES, twoShipOptions } from "../../harness/battles";
import { useProxy, useServer } from "../support/use-server";

describe("reconnection", function () {
  this.timeout(30_000);
  const server = useServer();
  const proxy = useProxy(server);

  it("brings a dropped client back into its seat by itself, marked disconnected meanwhile", async () => {
    const gm = new SeatClient(await server().sdk().create("battle", twoShipOptions()), "gm");
    await gm.seated();
    // The player reaches the server through a TCP proxy, whose cut is an abrupt network loss
    // (the socket dies without a close handshake) whatever WebSocket the SDK runs on.
    const sdk = new ColyseusSDK(`ws://127.0.0.1:${proxy().port}`);
    const player = new SeatClient(await sdk.joinById(gm.room.roomId, { name: "Player", shipId: "p1", positions: ALL_ROLES }), "player");
    await player.seated();
    await gm.until((s) => s.crew.size === 2, 5000, "two seats");
    const seatId = player.seat!.seatId;
    // The SDK refuses to reconnect a room joined less than minUptime ago (5 s by default).
    player.room.reconnection.minUptime = 0;
    let reconnected = false;
    player.room.onReconnect(() => { reconnected = true; });
    assert.ok(proxy().cutAll() >= 1);
    await gm.until((s) => s.crew.get(seatId).connected === false, 5000, "the seat marked disconnected");
    await gm.until((s) => s.crew.get(seatId).connected === true, 10000, "the seat marked connected again");
    // The GM may see the seat connected before the player's SDK has handled its own rejoin reply.
    for (let i = 0; i < 50 && !reconnected; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(reconnected, "the SDK reconnected (a failure here with close code 4003 means the WebSocket polyfill is missing)");
    assert.equal((await gm.command("gm:start")).kind, "ack");
    await player.until((s) => s.phase === "combat", 5000, "the reconnected client to receive patches");
    assert.equal(player.state.ships.get("p1").hull, gm.state.ships.get("p1").hull);
  });
});
