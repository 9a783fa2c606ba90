import assert from "node:assert/strict";
import { gmAndPlayer, twoShipOptions } from "../../harness/battles";
import { useServer } from "../support/use-server";

describe("draining a process", function () {
  this.timeout(30_000);
  const server = useServer();

  it("turns /ready false, refuses new battles, and closes its battles for their clients to follow", async () => {
    const { gm, player } = await gmAndPlayer(server());
    assert.equal((await gm.command("gm:start")).kind, "ack");
    const ready = await fetch(`http://127.0.0.1:${server().port}/ready`);
    assert.equal(ready.status, 200);
    const closes = [gm, player].map((c) => new Promise<number>((r) => c.room.onLeave((code: number) => r(code))));
    await server().keeper!.drain();
    const res = await fetch(`http://127.0.0.1:${server().port}/ready`);
    assert.equal(res.status, 503);
    const body = await res.json() as { ready: boolean; draining: boolean; battles: number };
    assert.deepEqual([body.ready, body.draining, body.battles], [false, true, 0]);
    await assert.rejects(server().sdk().create("battle", twoShipOptions()), /draining/);
    // The clients are told they may reconnect (4010), not that the battle ended: they go looking for it.
    for (const code of await Promise.all(closes)) assert.notEqual(code, 4000);
  });
});
