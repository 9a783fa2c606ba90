// The replies remembered per seat (src/battle/reply-memory.ts): what a re-sent cid gets back is
// exactly the reply first sent, acks kept packed included; the oldest goes first.
import assert from "node:assert/strict";
import { REPLY_MEMORY, ReplyMemory, type Remembered } from "../../src/battle/reply-memory";

const ack = (cid: string, type: string, version: number, events: number): Remembered => ({ kind: "ack", reply: { cid, type, version, events } });

describe("replies remembered per seat", () => {
  it("gives back each ack exactly as it was sent, whatever its type, version and entry count", () => {
    const memory = new ReplyMemory();
    const sent = [
      ack("a-1", "space:fire", 0, 0), ack("a-2", "gm:act", 1, 3), ack("a-3", "chat", 2_000_000, 0),
      ack("a-4", "gm:releaseSeat", 2 ** 26, 65_535), ack("a-5", "space:endTurn", 41_234, 17),
      // beyond what the packing holds: kept as the objects themselves
      ack("a-6", "space:fire", 2 ** 40, 2), ack("a-7", "space:fire", 5, 70_000),
    ];
    for (const r of sent) memory.remember("s1", r.reply.cid!, r);
    for (const r of sent) assert.deepEqual(memory.get("s1", r.reply.cid!), r);
  });

  it("keeps errors as they are, and seats apart", () => {
    const memory = new ReplyMemory();
    const error: Remembered = { kind: "error", reply: { type: "space:fire", code: "outOfRange", message: "too far", cid: "e-1" } };
    memory.remember("s1", "e-1", error);
    assert.deepEqual(memory.get("s1", "e-1"), error);
    assert.equal(memory.get("s2", "e-1"), undefined);
    memory.forget("s1");
    assert.equal(memory.get("s1", "e-1"), undefined);
  });

  it(`forgets the oldest once a seat has ${REPLY_MEMORY}, and keeps one slot for a cid remembered again`, () => {
    const memory = new ReplyMemory();
    for (let i = 0; i < REPLY_MEMORY; i++) memory.remember("s1", `c${i}`, ack(`c${i}`, "chat", i, 0));
    memory.remember("s1", "c5", ack("c5", "chat", 5, 0));
    assert.ok(memory.get("s1", "c0"), "still all there: the second c5 took no slot");
    memory.remember("s1", "new", ack("new", "chat", 999, 0));
    assert.equal(memory.get("s1", "c0"), undefined, "the oldest gone");
    assert.deepEqual(memory.get("s1", "c1"), ack("c1", "chat", 1, 0));
    assert.deepEqual(memory.get("s1", "new"), ack("new", "chat", 999, 0));
  });
});
