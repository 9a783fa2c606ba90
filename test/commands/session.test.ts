// The protocol client core every client shares (src/commands/session.ts), against a room that
// records what is sent and delivers the server's messages when the test says so. The same code
// runs against real rooms in every room, load and browser test; here the reply order and timing
// are chosen, which a real server does not let a test do.
import assert from "node:assert/strict";
import { ProtocolSession, type RoomLike } from "../../src/commands";
import type { AckReply, ErrorReply, SeatReply } from "../../src/commands";

class ScriptedRoom implements RoomLike {
  state: any = undefined;
  readonly sent: { type: string; message: any }[] = [];
  private handlers = new Map<string, ((m: any) => void)[]>();
  private stateHandlers: ((s: any) => void)[] = [];
  send(type: string, message?: unknown) { this.sent.push({ type, message }); }
  onMessage(type: string, cb: (m: any) => void) { this.handlers.set(type, [...(this.handlers.get(type) ?? []), cb]); }
  onStateChange(cb: (s: any) => void) { this.stateHandlers.push(cb); }
  deliver(type: string, message: unknown) { for (const h of this.handlers.get(type) ?? []) h(message); }
  change(state: any) { this.state = state; for (const h of this.stateHandlers) h(state); }
}

const ack = (cid: string, version = 1): AckReply => ({ cid, type: "space:endTurn", version, events: 0 });
const refusal = (cid: string): ErrorReply => ({ cid, type: "space:fire", code: "notYourTurn", message: "not your turn" });
const SEAT: SeatReply = { seatId: "s1", role: "player", key: "k", shipId: "p1", positions: ["pilot"] };

function session(hooks = {}) {
  const room = new ScriptedRoom();
  const s = new ProtocolSession("t", hooks);
  s.attach(room);
  return { room, s };
}

describe("protocol session (the client core of web client, seat client and bots)", () => {
  it("gives every command a fresh cid and matches ack and error replies to it, in whatever order they come", async () => {
    const { room, s } = session();
    const a = s.send("space:endTurn", { v: 0 });
    const b = s.send("space:fire", { turretId: "t1", targetId: "n1", v: 0 });
    assert.notEqual(a.cid, b.cid);
    assert.deepEqual(room.sent.map((m) => [m.type, m.message.cid]), [["space:endTurn", a.cid], ["space:fire", b.cid]]);
    room.deliver("error", refusal(b.cid));
    room.deliver("ack", ack(a.cid, 7));
    assert.deepEqual(await a.reply, { kind: "ack", ack: ack(a.cid, 7) });
    assert.equal((await b.reply).kind, "error");
    assert.equal(s.unanswered, 0);
  });

  it("re-sends a command under its own cid when the payload names one", async () => {
    const { room, s } = session();
    const { cid, reply } = s.request("chat", { text: "again", cid: "kept-1" });
    assert.equal(cid, "kept-1");
    assert.equal(room.sent[0]!.message.cid, "kept-1");
    room.deliver("ack", ack("kept-1"));
    assert.equal((await reply).kind, "ack");
  });

  it("answers timeout at the deadline and reports the reply that comes after it as late", async () => {
    const seen: [string, string, boolean][] = [];
    const { room, s } = session({ onReply: (cid: string, r: { kind: string }, late: boolean) => seen.push([cid, r.kind, late]) });
    const { cid, reply } = s.request("space:endTurn", {}, 20);
    assert.deepEqual(await reply, { kind: "timeout" });
    assert.equal(s.unanswered, 0);
    room.deliver("ack", ack(cid));
    assert.deepEqual(seen, [[cid, "ack", true]]);
  });

  it("reports a reply to a command it did not send (one re-sent after a reload) as late, and an error without cid to onError only", () => {
    const seen: boolean[] = [];
    const errors: ErrorReply[] = [];
    const { room } = session({ onReply: (_c: string, _r: unknown, late: boolean) => seen.push(late), onError: (e: ErrorReply) => errors.push(e) });
    room.deliver("ack", ack("from-before-the-reload"));
    room.deliver("error", { type: "space:fire", code: "rateLimited", message: "slow down" });
    assert.deepEqual(seen, [true]);
    assert.equal(errors.length, 1);
  });

  it("waits for the seat message, and gives up with undefined after the timeout", async () => {
    const { room, s } = session();
    assert.equal(await s.seated(10), undefined);
    const waiting = s.seated(1000);
    room.deliver("seat", SEAT);
    assert.deepEqual(await waiting, SEAT);
    assert.deepEqual(await s.seated(0), SEAT);
  });

  it("waits for the decoded state to reach a condition, false after the timeout", async () => {
    const { room, s } = session();
    assert.equal(await s.until((st) => st.round === 2, 10), false);
    const waiting = s.until((st) => st.round === 2, 1000);
    room.change({ round: 1 });
    room.change({ round: 2 });
    assert.equal(await waiting, true);
    assert.equal(s.changes, 2);
  });

  it("sends later commands to the room attached last (the battle moved to another process)", () => {
    const { room, s } = session();
    const moved = new ScriptedRoom();
    s.attach(moved);
    s.request("space:endTurn", {});
    assert.equal(room.sent.length, 0);
    assert.equal(moved.sent.length, 1);
  });

  it("ends every wait at close: pending commands answer timeout, state waits false, later sends are not made", async () => {
    const { room, s } = session();
    const pending = s.request("space:endTurn", {});
    const state = s.until(() => false, 5000);
    s.close();
    assert.deepEqual(await pending.reply, { kind: "timeout" });
    assert.equal(await state, false);
    assert.deepEqual(await s.request("space:endTurn", {}).reply, { kind: "timeout" });
    assert.equal(room.sent.length, 1);
  });
});
