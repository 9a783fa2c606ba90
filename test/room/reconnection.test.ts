import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server";
import { gmAndPlayer } from "../support/battles";

describe("reconnection", function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  it("brings a dropped client back into its seat by itself, marked disconnected meanwhile", async () => {
    const { gm, player } = await gmAndPlayer(server);
    const seatId = player.seat!.seatId;
    // The SDK refuses to reconnect a room joined less than minUptime ago (5 s by default).
    player.room.reconnection.minUptime = 0;
    let reconnected = false;
    player.room.onReconnect(() => { reconnected = true; });
    // An abrupt network loss: the socket dies without a close handshake.
    (player.room.connection as any).transport.ws._socket.destroy();
    await gm.until((s) => s.crew.get(seatId).connected === false, 5000, "the seat marked disconnected");
    await gm.until((s) => s.crew.get(seatId).connected === true, 10000, "the seat marked connected again");
    assert.ok(reconnected, "the SDK reconnected (a failure here with close code 4003 means the WebSocket polyfill is missing)");
    assert.equal((await gm.command("gm:start")).kind, "ack");
    await player.until((s) => s.phase === "combat", 5000, "the reconnected client to receive patches");
    assert.equal(player.state.ships.get("p1").hull, gm.state.ships.get("p1").hull);
  });
});
