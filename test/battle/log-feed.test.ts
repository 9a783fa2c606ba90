// The combat log's messages (src/battle/log-feed.ts) and a client's log book
// (src/commands/log-wire.ts): what each role is sent of an entry with a hidden detail, when an
// earlier entry is revealed, the kept tail, and the book that applies the messages.
import assert from "node:assert/strict";
import { createBattle } from "../../src/engine";
import type { Battle, LogEntry } from "../../src/rules/model";
import { LogFeed, type FeedRole } from "../../src/battle/log-feed";
import { LOG_ROUNDS_KEPT, LogBook, type LogMessage } from "../../src/commands/log-wire";
import { setup2v2 } from "../engine/helpers";

const ALL = new Set<FeedRole>(["gm", "player", "spectator"]);

/** A hit on `target` whose damage text names its armour: the public form leaves the armour out. */
function hit(seq: number, round: number, target: string): LogEntry {
  return {
    seq, round, actor: "p1", action: "fire", target, dice: [5, 6], modifiers: [{ label: "gunnery", value: 1 }], total: 12, need: 8, effect: 4,
    damage: { dice: [3, 4], modifiers: [{ label: "effect", value: 4 }, { label: "armour", value: -2 }], total: 9, hits: ["hull −9"] },
    result: `hit ${target}: 11 − 2 armour = 9`, publicResult: `hit ${target}: 9`,
  };
}
const note = (seq: number, round: number): LogEntry => ({ seq, round, actor: "system", action: "round", dice: [], modifiers: [], result: `round ${round}` });

function battle(): Battle {
  const b = createBattle(setup2v2());
  b.phase = "combat";
  b.round = 1;
  return b;
}

const seqs = (m: LogMessage | undefined) => m?.entries.map((e) => e.seq);

describe("the combat log's messages: what each role is sent", () => {
  it("sends the GM an entry's hidden detail and players and spectators only its public form", () => {
    const feed = new LogFeed();
    const b = battle();
    const out = feed.publish(b, [hit(1, 1, "n1")], ALL);
    const gm = out.get("gm")!.entries[0]!;
    assert.equal(gm.detail, "hit n1: 11 − 2 armour = 9");
    assert.equal(gm.detailDamageTotal, 9);
    assert.match(gm.detailModifiers!, /armour/);
    for (const role of ["player", "spectator"] as const) {
      const e = out.get(role)!.entries[0]!;
      assert.equal(e.result, "hit n1: 9");
      assert.equal(e.damageTotal, -1, "the damage would give the armour away");
      assert.equal(e.detail, undefined);
      assert.equal(e.detailDamageTotal, undefined);
      assert.doesNotMatch(JSON.stringify(e), /armour/, `${role}: no armour anywhere`);
      assert.equal(out.get(role)!.tail, false);
    }
  });

  it("sends players the detail of hits on their own fleet, and only the roles that have clients anything", () => {
    const feed = new LogFeed();
    const out = feed.publish(battle(), [hit(1, 1, "p2")], new Set<FeedRole>(["player"]));
    assert.deepEqual([...out.keys()], ["player"]);
    assert.equal(out.get("player")!.entries[0]!.detail, "hit p2: 11 − 2 armour = 9");
  });

  it("reveals earlier entries about a ship to players once they lock it (their whole tail again), and keeps them revealed after the lock", () => {
    const feed = new LogFeed();
    const b = battle();
    feed.publish(b, [hit(1, 1, "n1"), hit(2, 1, "n2")], ALL);
    b.ships.p1!.lockedOn = ["n1"];
    const locked = feed.publish(b, [note(3, 1)], ALL);
    const player = locked.get("player")!;
    assert.equal(player.tail, true, "the players' log is sent again");
    assert.deepEqual(seqs(player), [1, 2, 3]);
    assert.equal(player.entries[0]!.detail, "hit n1: 11 − 2 armour = 9", "the locked ship's hit revealed");
    assert.equal(player.entries[1]!.detail, undefined, "not the other ship's");
    assert.deepEqual(seqs(locked.get("gm")), [3], "the GM gets only the new entry");
    assert.equal(locked.get("spectator")!.tail, false, "spectators gain nothing");

    b.ships.p1!.lockedOn = [];
    b.round = 2;
    const after = feed.publish(b, [note(4, 2), hit(5, 2, "n1")], ALL);
    assert.equal(after.get("player")!.tail, false, "losing a lock sends nothing again");
    assert.equal(after.get("player")!.entries[1]!.detail, undefined, "a hit after the lock is public only");
    assert.equal(feed.tailFor("player").entries[0]!.detail, "hit n1: 11 − 2 armour = 9", "what was revealed stays revealed for a joining player");
    assert.equal(feed.tailFor("spectator").entries[0]!.detail, undefined);
  });

  it("gives every role the same message, to encode once, when the new entries hide nothing", () => {
    const feed = new LogFeed();
    const out = feed.publish(battle(), [note(1, 1), note(2, 1)], ALL);
    assert.equal(new Set(out.values()).size, 1);
    assert.deepEqual(seqs(out.get("spectator")), [1, 2]);
    const hidden = feed.publish(battle(), [hit(3, 1, "n1")], ALL);
    assert.notEqual(hidden.get("gm"), hidden.get("player"), "the GM reads the hidden detail");
    assert.equal(hidden.get("player"), hidden.get("spectator"), "players and spectators read the same public form");
  });

  it("sends nothing for a change without entries that reveals nothing", () => {
    const feed = new LogFeed();
    const b = battle();
    feed.publish(b, [hit(1, 1, "n1")], ALL);
    assert.equal(feed.publish(b, [], ALL).size, 0);
  });

  it("keeps the last 10 rounds in the tail a joining client is sent", () => {
    const feed = new LogFeed();
    const b = battle();
    for (let round = 1; round <= 15; round++) {
      b.round = round;
      feed.publish(b, [note(round * 2 - 1, round), hit(round * 2, round, "n1")], ALL);
    }
    const tail = feed.tailFor("gm");
    assert.equal(tail.tail, true);
    assert.deepEqual([...new Set(tail.entries.map((e) => e.round))], [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    assert.equal(new Set(tail.entries.map((e) => e.round)).size, LOG_ROUNDS_KEPT);
  });
});

describe("a client's log book", () => {
  it("takes a tail in place of what it held, then each new entry once, in order", () => {
    const feed = new LogFeed();
    const b = battle();
    const book = new LogBook();
    book.apply(feed.publish(b, [note(1, 1)], ALL).get("player"));
    assert.ok(book.apply(feed.tailFor("player")), "a tail is a change");
    const next = feed.publish(b, [hit(2, 1, "n1"), note(3, 1)], ALL).get("player")!;
    assert.ok(book.apply(next));
    assert.equal(book.apply(next), false, "a message applied twice adds nothing");
    assert.deepEqual(book.entries.map((e) => e.seq), [1, 2, 3]);
    assert.equal(book.lastSeq, 3);
  });

  it("holds what the server's tail holds, dropping what the server dropped", () => {
    const feed = new LogFeed();
    const b = battle();
    const book = new LogBook();
    for (let round = 1; round <= 14; round++) {
      b.round = round;
      book.apply(feed.publish(b, [note(round, round)], ALL).get("gm"));
    }
    assert.deepEqual(book.entries.map((e) => e.seq), feed.tailFor("gm").entries.map((e) => e.seq));
    assert.equal(book.entries[0]!.round, 5);
  });

  it("moves its revision with every change, a tail that only reveals details included", () => {
    const feed = new LogFeed();
    const b = battle();
    const book = new LogBook();
    book.apply(feed.publish(b, [hit(1, 1, "n1")], ALL).get("player"));
    const before = book.revision;
    b.ships.p1!.lockedOn = ["n1"];
    const reveal = feed.publish(b, [], ALL).get("player")!;
    assert.equal(reveal.tail, true);
    assert.ok(book.apply(reveal));
    assert.deepEqual(book.entries.map((e) => e.seq), [1], "the same entries");
    assert.ok(book.entries[0]!.detail, "now with the detail");
    assert.ok(book.revision > before, "a redraw is due");
    assert.equal(book.apply({ tail: false, entries: [], since: 1 }), false);
    assert.equal(book.revision, before + 1, "nothing changed, no new revision");
  });

  it("ignores malformed messages without throwing", () => {
    const book = new LogBook();
    for (const m of [undefined, null, 3, "log", {}, { entries: "x" }, { tail: true, entries: [null, 4, { seq: "1", round: 1 }] }]) {
      assert.doesNotThrow(() => book.apply(m));
    }
    assert.equal(book.entries.length, 0);
  });
});
