import assert from "node:assert/strict";
import { startRedis, type TestRedis } from "../support/redis-server";
import { assertClientMatchesServer } from "../support/compare";
import { startNode, readiness, ownerOf, openBattle, playOneTurn, highestAck, allAtVersion, serverBattle, waitFor, type Node } from "./helpers";

describe("several server processes on one Redis", function () {
  this.timeout(90_000);
  let redis: TestRedis;
  const nodes: Node[] = [];
  const alive = () => nodes.filter((n) => !n.proc.exited);
  const node = async () => { const n = await startNode({ REDIS_URL: redis.url }); nodes.push(n); return n; };

  before(async () => {
    redis = await startRedis();
    await Promise.all([node(), node()]);
  });
  after(async () => {
    await Promise.all(nodes.map((n) => { if (!n.proc.exited) n.proc.child.kill("SIGKILL"); return undefined; }));
    await redis?.close();
  });

  it("reports liveness, and readiness with Redis reachable and its latency", async () => {
    for (const n of nodes) {
      const r = await readiness(n);
      assert.equal(r.status, 200);
      assert.equal(r.body.ready, true);
      assert.equal(r.body.draining, false);
      assert.equal(r.body.redis.ok, true);
      assert.equal(typeof r.body.redis.latencyMs, "number");
      assert.equal((await fetch(`http://127.0.0.1:${n.port}/health`)).status, 200);
    }
  });

  it("lets a GM on process A and players joining through process B play one battle", async () => {
    const [a, b] = nodes as [Node, Node];
    const battle = await openBattle(a, b);
    assert.equal((await battle.gm.command("gm:start")).kind, "ack");
    for (let i = 0; i < 4; i++) await playOneTurn(battle.clients);
    const owner = await ownerOf(battle.roomId, nodes);
    assert.ok(owner, "one process hosts the battle");
    const { battle: engine } = await serverBattle(owner, battle.roomId, battle.gm.seat!.key);
    for (const c of battle.clients) assertClientMatchesServer(c, engine);
    await Promise.all(battle.clients.map((c) => c.leave()));
  });
});
