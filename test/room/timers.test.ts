import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import { LIMITS } from "../../src/commands";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";

describe("turn timeout", function () {
  this.timeout(60_000);
  // The default idle timeout: the shortest turn (10 s) is longer than the idle test's 5 s.
  const server = useServer();

  it("applies the default action (end turn) when the active ship's crew does not act in time", async () => {
    // The shortest turn a battle may have (LIMITS.turnTimeoutSec.min: a table needs time to read its rolls).
    const { gm, roomId } = await gmAndPlayer(server(), { turnTimeoutSec: LIMITS.turnTimeoutSec.min });
    assert.equal((await gm.command("gm:start")).kind, "ack");
    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    const first = { round: gm.state.round, turnIndex: gm.state.turnIndex };
    assert.ok(gm.state.turnEndsAt > Date.now(), "the turn deadline is in state");
    await gm.until((s) => s.round !== first.round || s.turnIndex !== first.turnIndex, LIMITS.turnTimeoutSec.min * 1000 + 8000, "the turn to time out");
    const timeout = room.commandLog.toArray().find((c) => c.cmd.type === "timeout");
    assert.ok(timeout, "the timeout is an accepted system command in the log, so replays include it");
    assert.equal(timeout!.actor.kind, "system");
  });

});

describe("idle battles", function () {
  this.timeout(30_000);
  const server = useServer({ IDLE_TIMEOUT_SEC: "5" });

  it("ends and disposes a battle with no accepted command for the idle timeout", async () => {
    const { gm } = await gmAndPlayer(server());
    let left = false;
    gm.room.onLeave(() => { left = true; });
    await gm.until((s) => s.phase === "ended", 9000, "the idle battle to end");
    assert.equal(gm.state.result.reason, "idle");
    for (let i = 0; i < 40 && !left; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(left, "clients are disconnected when the idle battle closes");
  });
});

describe("empty battles", function () {
  this.timeout(20_000);
  const server = useServer();

  it("disposes a battle when everybody has left", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    assert.ok(server().colyseus.getRoomById(roomId));
    await player.room.leave();
    await gm.room.leave();
    for (let i = 0; i < 50 && server().colyseus.getRoomById(roomId); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(server().colyseus.getRoomById(roomId), undefined);
  });
});
