import assert from "node:assert/strict";
import { startRedis, type TestRedis } from "../../harness/redis-server";
import { assertClientMatchesServer } from "../support/compare";
import { startNode, readiness, ownerOf, openBattle, playOneTurn, highestAck, allAtVersion, serverBattle, waitFor, midTurnCommand, endTurn, type Node } from "../../harness/cluster";

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
  /**
   * A battle under way across two live processes (GM through one, players through the other):
   * started, `turns` turns played, clients following it if `follow`; its owner, the other process,
   * and the server's view of it at that point.
   */
  async function battleUnderWay(turns: number, follow: boolean) {
    while (alive().length < 2) await node();
    const [a, b] = alive() as [Node, Node];
    const battle = await openBattle(a, b);
    if (follow) battle.clients.forEach((c) => c.followBattle(() => alive().map((n) => `127.0.0.1:${n.port}`)));
    assert.equal((await battle.gm.command("gm:start")).kind, "ack");
    for (let i = 0; i < turns; i++) await playOneTurn(battle.clients);
    const owner = (await ownerOf(battle.roomId, nodes))!;
    const other = alive().find((n) => n !== owner)!;
    return { battle, owner, other, before: await serverBattle(owner, battle.roomId, battle.gm.seat!.key) };
  }

  afterEach(function () {
    // Every restore replays to exactly its round checkpoint; a failed append or restore is logged as an error.
    const errors = nodes.flatMap((n) => n.proc.tail()).filter((l) => /"level":"error"/.test(l));
    if (this.currentTest?.state === "passed") assert.deepEqual(errors, [], "no server logged an error");
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

  it("restores a battle on a surviving process after SIGKILL mid-round, identical to the last acknowledged command, with every client back in its seat", async () => {
    const [a, b] = alive() as [Node, Node];
    const battle = await openBattle(a, b);
    const entry = () => alive().map((n) => `127.0.0.1:${n.port}`);
    battle.clients.forEach((c) => c.followBattle(entry));
    assert.equal((await battle.gm.command("gm:start")).kind, "ack");
    for (let i = 0; i < 3; i++) await playOneTurn(battle.clients);
    // Mid-round: one more accepted command that does not end the turn.
    const mid = await midTurnCommand(battle.clients);
    const evade = await mid.reply;
    assert.equal(evade.kind, "ack");
    const acked = highestAck(battle.clients);
    await allAtVersion(battle.clients, acked);
    const before = await serverBattle((await ownerOf(battle.roomId, nodes))!, battle.roomId, battle.gm.seat!.key);
    const seats = battle.clients.map((c) => c.seat!.seatId);

    const owner = (await ownerOf(battle.roomId, nodes))!;
    const killedAt = Date.now();
    owner.proc.child.kill("SIGKILL");
    await Promise.all(battle.clients.map((c) => c.relocated(1, 20_000)));
    const back = Math.max(...battle.clients.map((c) => c.relocations[0]!)) - killedAt;
    console.log(`      restored and all 3 clients back in their seats ${back} ms after SIGKILL`);

    const survivor = (await ownerOf(battle.roomId, alive()))!;
    assert.ok(survivor && survivor !== owner, "a surviving process hosts the battle");
    assert.equal(battle.gm.room.roomId, battle.roomId, "same battle id");
    const after = await serverBattle(survivor, battle.roomId, battle.gm.seat!.key);
    assert.equal(after.commands, before.commands, "no acknowledged command lost, none invented");
    assert.deepEqual(after.battle, before.battle, "engine state identical to the last acknowledged command");
    await allAtVersion(battle.clients, acked);
    battle.clients.forEach((c, i) => assert.equal(c.seat!.seatId, seats[i], `${c.label} kept its seat`));
    await battle.gm.until((st) => [...st.crew.values()].every((m: any) => m.connected), 5000, "every seat connected");
    for (const c of battle.clients) assertClientMatchesServer(c, after.battle);
    // A command acknowledged before the crash, re-sent, gets its original reply and is not applied twice.
    assert.ok(evade.kind === "ack");
    const first = evade.ack;
    const again = await mid.crew.command(mid.type, { ...mid.payload, cid: first.cid });
    assert.equal(again.kind, "ack");
    assert.equal(again.kind === "ack" && again.ack.version, first.version);
    // And the battle goes on.
    for (let i = 0; i < 2; i++) await playOneTurn(battle.clients);
    const later = await serverBattle(survivor, battle.roomId, battle.gm.seat!.key);
    for (const c of battle.clients) assertClientMatchesServer(c, later.battle);
    await Promise.all(battle.clients.map((c) => c.leave()));
  });

  it("keeps battles through a Redis restart: /ready is false while Redis is down, commands wait for it, nothing acknowledged is lost", async () => {
    const { battle, owner, before } = await battleUnderWay(2, false);

    await redis.stop({ kill: true });
    for (const n of alive()) {
      await waitFor("/ready false while Redis is down", async () => (await readiness(n)).status === 503);
      const r = await readiness(n);
      assert.equal(r.body.ready, false);
      assert.equal(r.body.redis.ok, false);
    }
    // A command sent meanwhile is applied in memory but not acknowledged until it is durable.
    const versionBefore = battle.gm.state.version;
    let settled = false;
    const pending = endTurn(battle.clients, 30_000).finally(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(settled, false, "no acknowledgement while the log append cannot be made durable");
    assert.equal(battle.gm.state.version, versionBefore, "no state patch with the change either");

    await redis.start();
    for (const n of alive()) await waitFor("/ready true once Redis is back", async () => (await readiness(n)).status === 200);
    const reply = await pending;
    assert.equal(reply.kind, "ack");
    const after = await serverBattle(owner, battle.roomId, battle.gm.seat!.key);
    assert.equal(after.commands, before.commands + 1);
    assert.equal(await ownerOf(battle.roomId, alive()), owner, "the battle stayed where it was");
    for (let i = 0; i < 2; i++) await playOneTurn(battle.clients);
    const later = await serverBattle(owner, battle.roomId, battle.gm.seat!.key);
    for (const c of battle.clients) assertClientMatchesServer(c, later.battle);
    await Promise.all(battle.clients.map((c) => c.leave()));
  });

  it("drains on SIGTERM: stops taking battles, hands its battles over without losing a command, exits within the deadline", async () => {
    const { battle, owner, other, before } = await battleUnderWay(2, true);

    // A command racing the SIGTERM: acknowledged and kept, or refused/unanswered and not applied.
    const racing = endTurn(battle.clients, 3000).catch(() => undefined);
    const stoppedAt = Date.now();
    const exited = new Promise<number | null>((r) => owner.proc.child.once("exit", (code) => r(code)));
    owner.proc.child.kill("SIGTERM");
    const code = await exited;
    assert.equal(code, 0, "clean exit");
    console.log(`      drained and exited ${Date.now() - stoppedAt} ms after SIGTERM`);
    const raced = await racing;

    await Promise.all(battle.clients.map((c) => c.relocated(1, 20_000)));
    console.log(`      all 3 clients back in their seats ${Math.max(...battle.clients.map((c) => c.relocations[0]!)) - stoppedAt} ms after SIGTERM`);
    assert.equal(await ownerOf(battle.roomId, alive()), other);
    const after = await serverBattle(other, battle.roomId, battle.gm.seat!.key);
    const ackedRace = raced?.kind === "ack" ? 1 : 0;
    assert.equal(after.commands, before.commands + ackedRace, "every acknowledged command kept, nothing unacknowledged applied");
    await battle.gm.until((st) => [...st.crew.values()].every((m: any) => m.connected), 5000, "every seat connected");
    for (const c of battle.clients) assertClientMatchesServer(c, after.battle);
    for (let i = 0; i < 2; i++) await playOneTurn(battle.clients);
    await Promise.all(battle.clients.map((c) => c.leave()));
  });

  it("fences a process that was presumed dead and comes back: its stale copy writes nothing and its clients follow the battle", async () => {
    const { battle, owner, other, before } = await battleUnderWay(2, true);

    owner.proc.child.kill("SIGSTOP"); // frozen: no heartbeat, but its sockets stay open
    try {
      await waitFor("the battle restored on the other process", async () => (await ownerOf(battle.roomId, [other])) === other, 15_000);
    } finally {
      owner.proc.child.kill("SIGCONT");
    }
    // Back from the pause, the old copy finds it lost the battle, stands down, and its clients move.
    await Promise.all(battle.clients.map((c) => c.relocated(1, 20_000)));
    await waitFor("the stale copy gone", async () => (await readiness(owner)).body.hosted?.includes(battle.roomId) === false);
    assert.equal(await ownerOf(battle.roomId, alive()), other);
    const after = await serverBattle(other, battle.roomId, battle.gm.seat!.key);
    assert.equal(after.commands, before.commands);
    assert.deepEqual(after.battle, before.battle);
    for (let i = 0; i < 2; i++) await playOneTurn(battle.clients);
    const later = await serverBattle(other, battle.roomId, battle.gm.seat!.key);
    for (const c of battle.clients) assertClientMatchesServer(c, later.battle);
    await Promise.all(battle.clients.map((c) => c.leave()));
  });
});
