// A battle restored from its durable log answers a re-sent chat or gm:releaseSeat `cid` with the
// original ack and applies nothing twice, as it does for commands: the log records carry the seat
// and the cid, and the restore rebuilds the reply memory from them.
import assert from "node:assert/strict";
import fs from "node:fs";
import { startNode, tempDir, openBattle, type Node } from "../../harness/cluster";

describe("idempotent chat and seat release across a restart", function () {
  this.timeout(90_000);
  let dataDir: string;
  let node: Node | undefined;
  before(() => { dataDir = tempDir("tb-idem-"); });
  after(() => {
    if (node && !node.proc.exited) node.proc.child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers chat and gm:releaseSeat re-sent after the battle was restored with their original acks, and shows each line once", async () => {
    node = await startNode({ DATA_DIR: dataDir });
    const port = node.port;
    const { gm, p1, p2 } = await openBattle(node, node);
    for (const c of [gm, p1]) c.followBattle(() => [`127.0.0.1:${port}`]);

    const gmLine = await gm.command("chat", { cid: "gm-line", text: "hold your fire" });
    const playerLine = await p1.command("chat", { cid: "p1-line", text: "aye" });
    const seatId = p2.seat!.seatId;
    await p2.leave();
    await gm.until((s) => s.crew.get(seatId)?.connected === false, 5000, "p2 gone");
    const release = await gm.command("gm:releaseSeat", { cid: "release-p2", seatId });
    for (const r of [gmLine, playerLine, release]) assert.equal(r.kind, "ack", JSON.stringify(r));

    node.proc.child.kill("SIGKILL");
    await new Promise((r) => node!.proc.child.once("exit", r));
    node = await startNode({ DATA_DIR: dataDir }, port);
    await Promise.all([gm.relocated(1, 30_000), p1.relocated(1, 30_000)]);
    await gm.until((s) => s.chat?.length === 2, 5000, "the chat restored");

    assert.deepEqual(await gm.command("chat", { cid: "gm-line", text: "hold your fire" }), gmLine);
    assert.deepEqual(await p1.command("chat", { cid: "p1-line", text: "aye" }), playerLine);
    assert.deepEqual(await gm.command("gm:releaseSeat", { cid: "release-p2", seatId }), release);
    // A fresh line proves the re-sends were handled before it; none of them added a line.
    assert.equal((await gm.command("chat", { text: "fresh" })).kind, "ack");
    await Promise.all([gm, p1].map((c) => c.until((s) => [...(s.chat ?? [])].some((l: any) => l.text === "fresh"), 5000, "the fresh line")));
    for (const c of [gm, p1]) assert.deepEqual([...c.state.chat].map((l: any) => l.text), ["hold your fire", "aye", "fresh"], c.label);
    assert.equal(gm.state.crew.has(seatId), false, "the released seat stays released");
    await Promise.all([gm.leave(), p1.leave()]);
  });
});
