// A battle the GM paused and corrected (an undo, an adjustment) comes back exactly so on another
// process: the pause, the undo and the correction are logged commands, replayed from the log.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer, type TestServer } from "../../harness/server";
import { gmAndPlayer } from "../../harness/battles";
import type { BattleRoom } from "../../rooms/BattleRoom";

describe("the GM in control across a restore", function () {
  this.timeout(60_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tb-gmcontrol-"));
  let server: TestServer | undefined;
  after(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("restores a paused battle still paused, with its undos and corrections, equal to the battle before", async () => {
    server = await startServer({ DATA_DIR: dataDir });
    const { gm, player, roomId } = await gmAndPlayer(server, { turnTimeoutSec: 600 });
    const ok = async (type: string, payload: Record<string, unknown> = {}) => assert.equal((await gm.command(type, payload)).kind, "ack", type);
    await ok("gm:start");
    await ok("gm:skipTurn");
    await ok("gm:adjust", { shipId: "p1", armour: 1, reason: "damaged plating" });
    await ok("gm:skipTurn");
    await ok("gm:undo");
    await ok("gm:pause");
    const room = (s: TestServer) => s.colyseus.getRoomById(roomId) as unknown as BattleRoom;
    const before = JSON.stringify(room(server).engineState());
    // Drained with its clients in (a battle everyone left would end and be removed).
    await server.keeper!.drain();
    await gm.leave(); await player.leave();
    await server.close();
    server = await startServer({ DATA_DIR: dataDir });
    const until = Date.now() + 15_000;
    while (!server.colyseus.getRoomById(roomId) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const restored = room(server);
    assert.ok(restored, "the battle was restored");
    assert.equal(JSON.stringify(restored.engineState()), before);
    assert.equal(restored.engineState().paused, true);
    assert.equal(restored.state.paused, true);
    assert.equal(restored.state.turnEndsAt, 0, "no turn clock runs in a restored paused battle");
  });
});
