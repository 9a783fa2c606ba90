import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import { socketOf } from "../../src/server/write-coalescing";
import { useServer } from "../support/use-server";
import { countWrites } from "../support/socket-writes";

describe("a command's patch and its reply leave the server in one write", function () {
  this.timeout(20_000);
  const server = useServer();

  it("sends the sender's patch frame and ack frame in a single writev, patch first", async () => {
    const { gm, player } = await gmAndPlayer(server());
    assert.equal((await gm.command("gm:start")).kind, "ack");
    await player.until((s) => s.phase === "combat", 5000, "the start to reach the player");
    const socket = socketOf(gm.room.sessionId);
    assert.ok(socket, "the transport recorded the GM's socket");
    const frames: string[] = [];
    gm.room.onStateChange(() => frames.push("patch"));
    gm.room.onMessage("ack", () => frames.push("ack"));
    const spy = countWrites(socket!);
    try {
      const reply = await gm.command("chat", { text: "one write, please" });
      assert.equal(reply.kind, "ack", JSON.stringify(reply));
    } finally {
      spy.restore();
    }
    assert.deepEqual(spy.counts, { write: 0, writev: 1, chunksInWritev: spy.counts.chunksInWritev }, JSON.stringify(spy.counts));
    assert.ok(spy.counts.chunksInWritev >= 2, "the patch and the reply in that one write");
    assert.deepEqual(frames.slice(0, 2), ["patch", "ack"], "the client reads the patch before the ack");
  });
});
