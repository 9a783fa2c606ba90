import assert from "node:assert/strict";
import fs from "node:fs";
import { DiskBattleStore } from "../../src/server/persistence/disk-store";
import path from "node:path";
import { assertClientMatchesServer } from "../support/compare";
import { startNode, tempDir, readiness, openBattle, playOneTurn, highestAck, allAtVersion, serverBattle, type Node } from "../../harness/cluster";

describe("a single process without Redis", function () {
  this.timeout(90_000);
  let dataDir: string;
  let node: Node | undefined;
  before(() => { dataDir = tempDir("tb-disk-"); });
  after(() => {
    if (node && !node.proc.exited) node.proc.child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("reports itself ready with redis 'none' and keeps battles on disk", async () => {
    node = await startNode({ DATA_DIR: dataDir });
    const r = await readiness(node);
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.ready, r.body.redis, r.body.persistence], [true, "none", "disk"]);
    const where = (id: string) => fetch(`http://127.0.0.1:${node!.port}/api/battles/${encodeURIComponent(id)}/where`);
    assert.equal((await where("nope")).status, 404);
    assert.equal((await where("../../etc")).status, 400, "not a battle id");
    assert.equal((await where("x".repeat(65))).status, 400);
  });

  it("resumes its battles after a crash and restart, from the round checkpoint and the command log, with every client back in its seat", async () => {
    const n = node!;
    const battle = await openBattle(n, n);
    const port = n.port;
    battle.clients.forEach((c) => c.followBattle(() => [`127.0.0.1:${port}`]));
    assert.equal((await battle.gm.command("gm:start")).kind, "ack");
    // Play into round 2 so that a round checkpoint exists, then one more command.
    while (battle.gm.state.round < 2) await playOneTurn(battle.clients);
    await playOneTurn(battle.clients);
    const acked = highestAck(battle.clients);
    const before = await serverBattle(n, battle.roomId, battle.gm.seat!.key);
    // Read as the restarted process will read it: the newest whole checkpoint of the two slots.
    const stored = (await new DiskBattleStore(dataDir).load(battle.roomId))!;
    const snap = stored.snapshot!;
    assert.ok(snap && snap.round >= 2 && snap.seq > 0, "a checkpoint was written at the round change");
    assert.ok(stored.records.length > snap.seq, "the log runs past the checkpoint");

    n.proc.child.kill("SIGKILL");
    await new Promise((r) => n.proc.child.once("exit", r));
    node = await startNode({ DATA_DIR: dataDir }, port);
    await Promise.all(battle.clients.map((c) => c.relocated(1, 30_000)));

    const after = await serverBattle(node, battle.roomId, battle.gm.seat!.key);
    assert.equal(after.commands, before.commands);
    assert.deepEqual(after.battle, before.battle);
    await allAtVersion(battle.clients, acked);
    for (const c of battle.clients) assertClientMatchesServer(c, after.battle);
    await playOneTurn(battle.clients);
    const errors = node.proc.tail().filter((l) => /"level":"error"/.test(l));
    assert.deepEqual(errors, [], "the replay matched the checkpoint");
    await Promise.all(battle.clients.map((c) => c.leave()));
  });

  it("forgets a battle once everybody has left it", async () => {
    const n = node!;
    const battle = await openBattle(n, n);
    const dir = path.join(dataDir, "battles", battle.roomId);
    assert.ok(fs.existsSync(dir));
    await Promise.all(battle.clients.map((c) => c.leave()));
    const deadline = Date.now() + 10_000;
    while (fs.existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(fs.existsSync(dir), false);
  });
});
