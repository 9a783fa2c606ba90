// The largest battle the limits allow follows its clients to another process: after a SIGKILL of
// its process (restored from the durable log on a survivor) and after a SIGTERM drain (handed
// over), the GM and every player decode the GM's state field by field and stay in step; a
// spectator joining on the new process does too. Real processes on a real redis-server.
import assert from "node:assert/strict";
import { startRedis, type TestRedis } from "../../harness/redis-server";
import { buildLargestBattle, assertSameAsGm, inStep, joinSpectator, playRound, type LargestBattle } from "../../harness/largest-battle";
import { startNode, ownerOf, serverBattle, type Node } from "../../harness/cluster";
import { assertClientMatchesServer } from "../support/compare";

describe("the largest battle follows its clients to another process", function () {
  this.timeout(180_000);
  let redis: TestRedis;
  const nodes: Node[] = [];
  const alive = () => nodes.filter((n) => !n.proc.exited);
  const node = async () => { const n = await startNode({ REDIS_URL: redis.url }); nodes.push(n); return n; };
  const entry = () => alive().map((n) => `127.0.0.1:${n.port}`);
  let b: LargestBattle;

  before(async () => {
    redis = await startRedis();
    const [a] = await Promise.all([node(), node()]);
    const t0 = Date.now();
    b = await buildLargestBattle(() => a!.sdk(), () => a!.sdk());
    process.stderr.write(`      built in ${Date.now() - t0} ms\n`);
    b.seated().forEach((c) => c.followBattle(entry, { deadlineMs: 30_000 }));
  });
  after(async () => {
    await Promise.all(b?.all().map((c) => c.leave()) ?? []);
    await Promise.all(nodes.map((n) => { if (!n.proc.exited) n.proc.child.kill("SIGKILL"); return undefined; }));
    await redis?.close();
  });

  /** After a move: every seat back, every client equal to the GM and to the server; then a round later too. */
  async function afterTheMove(moves: number) {
    const t0 = Date.now();
    await Promise.all(b.seated().map((c) => c.relocated(moves, 30_000)));
    process.stderr.write(`      every seat back ${Date.now() - t0} ms after the signal\n`);
    // Spectators do not follow (they hold no seat to take back); one joins the battle where it is now.
    await Promise.all(b.spectators.map((s) => s.leave()));
    const owner = (await ownerOf(b.roomId, alive()))!;
    b.spectators = [await joinSpectator(() => owner.sdk(), b.roomId, 50 + moves)];
    await b.gm.until((s) => [...s.crew.values()].every((m: any) => m.connected), 10_000, "every seat connected");
    await inStep(b.all(), b.gm);
    for (const c of b.all()) assertSameAsGm(c, b.gm);
    const server = await serverBattle(owner, b.roomId, b.gm.seat!.key);
    for (const c of b.seated()) assertClientMatchesServer(c, server.battle);
    await playRound(b);
    await inStep(b.all(), b.gm);
    for (const c of b.all()) assertSameAsGm(c, b.gm);
  }

  it("after a SIGKILL of its process: restored on the survivor, every client decodes the GM's state and stays in step", async () => {
    const owner = (await ownerOf(b.roomId, alive()))!;
    owner.proc.child.kill("SIGKILL");
    await afterTheMove(1);
    assert.notEqual(await ownerOf(b.roomId, alive()), owner);
  });

  it("after a SIGTERM drain of its process: handed over, every client decodes the GM's state and stays in step", async () => {
    await node();
    const owner = (await ownerOf(b.roomId, alive()))!;
    owner.proc.child.kill("SIGTERM");
    await afterTheMove(2);
    assert.notEqual(await ownerOf(b.roomId, alive()), owner);
  });
});
