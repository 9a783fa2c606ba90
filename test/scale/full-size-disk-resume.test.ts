// The largest battle the limits allow, on one process without Redis: after a SIGKILL and a restart
// it is restored from its log on disk and checked against its round checkpoint (the two slots of
// src/server/persistence/disk-store.ts, at the largest checkpoint the limits allow); every seated
// client takes its seat back and decodes the GM's state field by field, and play goes on.
import assert from "node:assert/strict";
import fs from "node:fs";
import { DiskBattleStore } from "../../src/server/persistence/disk-store";
import { buildLargestBattle, largestBattleOptions, assertSameAsGm, inStep, playRound, type LargestBattle } from "../../harness/largest-battle";
import { startNode, tempDir, serverBattle, type Node } from "../../harness/cluster";
import { assertClientMatchesServer } from "../support/compare";

describe("the largest battle on disk, after a crash and a restart", function () {
  this.timeout(180_000);
  let dataDir: string;
  let node: Node;
  let b: LargestBattle;

  before(async () => {
    dataDir = tempDir("tb-disk-largest-");
    node = await startNode({ DATA_DIR: dataDir });
    b = await buildLargestBattle(() => node.sdk(), () => node.sdk());
    b.seated().forEach((c) => c.followBattle(() => [`127.0.0.1:${node.port}`], { deadlineMs: 30_000 }));
  });
  after(async () => {
    await Promise.all(b?.all().map((c) => c.leave()) ?? []);
    if (node && !node.proc.exited) node.proc.child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("restores it from the log, checks it against the checkpoint, and gives every seat back in step with the GM", async () => {
    // Two rounds more, so that both checkpoint slots hold a checkpoint of this size.
    await playRound(b);
    await playRound(b);
    await inStep(b.all(), b.gm);
    const stored = (await new DiskBattleStore(dataDir).load(b.roomId))!;
    const snap = stored.snapshot!;
    assert.ok(snap && snap.round >= 2, "a round checkpoint on disk");
    assert.equal(Object.keys(snap.battle.ships).length, largestBattleOptions().ships.length, `every ship in the checkpoint (${JSON.stringify(snap).length} bytes)`);
    assert.ok(stored.records.length >= snap.seq, "the log reaches the checkpoint");
    const before = await serverBattle(node, b.roomId, b.gm.seat!.key);

    const port = node.port;
    node.proc.child.kill("SIGKILL");
    await new Promise((r) => node.proc.child.once("exit", r));
    node = await startNode({ DATA_DIR: dataDir }, port);
    await Promise.all(b.seated().map((c) => c.relocated(1, 30_000)));

    const after = await serverBattle(node, b.roomId, b.gm.seat!.key);
    assert.deepEqual(after.battle, before.battle, "the same battle, replayed from the log");
    await b.gm.until((s) => [...s.crew.values()].every((m: any) => m.connected), 10_000, "every seat connected");
    await inStep(b.seated(), b.gm);
    for (const c of b.seated()) {
      assertSameAsGm(c, b.gm);
      assertClientMatchesServer(c, after.battle);
    }
    const errors = node.proc.tail().filter((l) => /"level":"error"/.test(l));
    assert.deepEqual(errors, [], "the replay matched the checkpoint");
    // Play goes on, and the next checkpoint goes into the slot that did not hold the newest.
    await playRound(b);
    await inStep(b.seated(), b.gm);
    for (const c of b.seated()) assertSameAsGm(c, b.gm);
    const later = (await new DiskBattleStore(dataDir).load(b.roomId))!.snapshot!;
    assert.ok(later.seq > snap.seq, "a newer checkpoint written after the restart");
  });
});
