// The protocol's promise for every message that changes state (docs/protocol.md): it carries a
// `cid`, it is acknowledged once durable, and a re-sent `cid` gets the original reply and applies
// nothing twice. Chat and gm:releaseSeat live outside the engine, so they are checked here.
import assert from "node:assert/strict";
import { gmAndPlayer } from "../../harness/battles";
import type { SeatClient } from "../../harness/seat-client";
import type { AckReply } from "../../src/commands";
import { useServer } from "../support/use-server";

/** Resolves with the acks for `cid` once `count` of them arrived (bounded wait). */
async function acksFor(client: SeatClient, cid: string, count: number, timeoutMs = 5000): Promise<AckReply[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const acks = client.acks.filter((a) => a.cid === cid);
    if (acks.length >= count) return acks;
    if (Date.now() > deadline) throw new Error(`${client.label}: ${acks.length} of ${count} acks for ${cid}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const linesSaying = (client: SeatClient, text: string) => [...client.state.chat].filter((l: any) => l.text === text).length;

describe("idempotent chat and seat release", function () {
  this.timeout(30_000);
  const server = useServer();

  it("acknowledges a chat line once it is in the state, as a command of type chat", async () => {
    const { gm, player } = await gmAndPlayer(server());
    const reply = await player.command("chat", { cid: "hello-1", text: "hello" });
    assert.equal(reply.kind, "ack");
    assert.deepEqual(reply.kind === "ack" && reply.ack, { cid: "hello-1", type: "chat", version: gm.state.version, events: 0 });
    assert.equal(linesSaying(player, "hello"), 1, "the line arrived before its ack");
    await gm.until((s) => [...s.chat].some((l: any) => l.text === "hello"), 5000, "the line for the GM");
    await Promise.all([gm.leave(), player.leave()]);
  });

  it("shows a chat line sent twice with the same cid once, and answers both sends with the same ack", async () => {
    const { gm, player } = await gmAndPlayer(server());
    // Twice at once (the first not yet durable when the second arrives), then once more after the ack.
    player.room.send("chat", { cid: "dup-1", text: "only once" });
    player.room.send("chat", { cid: "dup-1", text: "only once" });
    const [first, second] = await acksFor(player, "dup-1", 2);
    assert.deepEqual(second, first);
    player.room.send("chat", { cid: "dup-1", text: "only once" });
    const acks = await acksFor(player, "dup-1", 3);
    assert.deepEqual(acks[2], first);
    // A later line proves every earlier send was handled; the duplicates added nothing.
    assert.equal((await player.command("chat", { text: "after" })).kind, "ack");
    await gm.until((s) => [...s.chat].some((l: any) => l.text === "after"), 5000, "the later line");
    assert.equal(linesSaying(gm, "only once"), 1);
    assert.equal(linesSaying(player, "only once"), 1);
    assert.equal(gm.state.chat.length, 2);
    await Promise.all([gm.leave(), player.leave()]);
  });

  it("refuses a chat line without a cid as invalid and shows nothing", async () => {
    const { gm, player } = await gmAndPlayer(server());
    player.room.send("chat", { text: "no id" });
    await player.errorCount(1);
    assert.equal(player.errors[0]?.code, "invalid");
    assert.equal(player.errors[0]?.type, "chat");
    assert.equal((await player.command("chat", { text: "with id" })).kind, "ack");
    await gm.until((s) => s.chat.length === 1, 5000, "the valid line");
    assert.equal(gm.state.chat[0].text, "with id");
    await Promise.all([gm.leave(), player.leave()]);
  });

  it("answers a gm:releaseSeat re-sent with the same cid with the original ack, not a refusal", async () => {
    const { gm, player } = await gmAndPlayer(server());
    const seatId = player.seat!.seatId;
    await player.leave();
    await gm.until((s) => s.crew.get(seatId)?.connected === false, 5000, "the player gone");
    const first = await gm.command("gm:releaseSeat", { cid: "release-1", seatId });
    assert.equal(first.kind, "ack", JSON.stringify(first));
    await gm.until((s) => !s.crew.has(seatId), 5000, "the seat released");
    const again = await gm.command("gm:releaseSeat", { cid: "release-1", seatId });
    assert.deepEqual(again, first);
    const fresh = await gm.command("gm:releaseSeat", { cid: "release-2", seatId });
    assert.equal(fresh.kind === "error" && fresh.error.code, "unknownSeat", "a new cid is judged anew");
    await gm.leave();
  });
});
