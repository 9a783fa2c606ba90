// The battle host without sockets: driven through its small output interface with plain objects
// (an output that records what it is told, a durable store whose appends the test completes).
import { strict as assert } from "node:assert";
import { BattleHost, type Admission, type Change, type HostOutput, type BattleMetadata, type SpectatorList } from "../../src/battle/host";
import type { BattleContext, BattleKeeping } from "../../src/battle/context";
import type { Timer } from "../../src/battle/turn-clock";
import { CredentialGuard } from "../../src/server/credential-guard";
import { loadConfig } from "../../src/server/config";
import type { BattleMeta, BattleSnapshot, BattleStore, LogRecord, StoredBattle } from "../../src/server/persistence/types";
import { turnStamp, type AckReply, type ErrorReply } from "../../src/commands";
import { volley } from "../../harness/volley";

/** A battle store in memory whose appends stay pending until the test releases them. */
class HeldStore implements BattleStore {
  readonly kind = "disk" as const;
  meta?: BattleMeta;
  records: LogRecord[] = [];
  hold = false;
  private waiting: (() => void)[] = [];
  async create(_id: string, meta: BattleMeta) { this.meta = meta; }
  append(_id: string, rec: LogRecord): Promise<number> {
    const done = () => this.records.push(rec);
    if (!this.hold) return Promise.resolve(done());
    return new Promise((resolve) => this.waiting.push(() => resolve(done())));
  }
  /** Completes every append held so far, in order. */
  async complete() {
    this.waiting.splice(0).forEach((w) => w());
    await new Promise((r) => setImmediate(r));
  }
  async snapshot(_id: string, _snap: BattleSnapshot) {}
  async load(id: string): Promise<StoredBattle | undefined> { return this.meta && { id, meta: this.meta, records: [...this.records] }; }
  async remove() {}
  async release() {}
  async ping() { return { ok: true }; }
  async close() {}
}

/** What the host told its surroundings, in order. */
class RecordingOutput implements HostOutput {
  sent: { sessionId: string; type: "ack" | "error" | "spectators"; body: AckReply | ErrorReply | SpectatorList }[] = [];
  graceEnded: string[] = [];
  published: Change[] = [];
  kicked: string[] = [];
  meta?: BattleMetadata;
  timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  now() { return 1_000_000; }
  setTimeout(fn: () => void, ms: number): Timer {
    const t = { fn, ms, cleared: false };
    this.timers.push(t);
    return { clear: () => { t.cleared = true; } };
  }
  send(sessionId: string, type: "ack" | "error" | "spectators", body: AckReply | ErrorReply | SpectatorList) { this.sent.push({ sessionId, type, body }); }
  endGrace(sessionId: string) { this.graceEnded.push(sessionId); }
  publish(change: Change) { this.published.push({ ...change, battle: JSON.parse(JSON.stringify(change.battle)) }); }
  kick(sessionId: string) { this.kicked.push(sessionId); }
  metadata(meta: BattleMetadata) { this.meta = meta; }
  async disconnect() {}
  errors() { return this.sent.filter((s) => s.type === "error").map((s) => s.body as ErrorReply); }
  acks() { return this.sent.filter((s) => s.type === "ack").map((s) => s.body as AckReply); }
}

const OPTIONS = {
  name: "Unit battle", ruleset: "ce", startingRange: "short",
  ships: [{ side: "players", name: "Beowulf", className: "freeTrader" }, { side: "npc", name: "Raider", className: "corsair" }],
};

function hostWith(store: HeldStore, out = new RecordingOutput()) {
  const keeper: BattleKeeping = { store, hosted: new Map(), draining: false, takeRestore: () => undefined, left: async () => undefined };
  const config = loadConfig({});
  const ctx: BattleContext = { settings: config, keeper, credentials: new CredentialGuard(config) };
  const blocks = { block: async () => undefined, isBlocked: async () => false };
  return { host: new BattleHost(ctx, out, blocks, () => "unit-battle"), out };
}

async function seat(host: BattleHost, sessionId: string, options: unknown): Promise<Admission> {
  const auth = await host.authorise(options, "127.0.0.1");
  host.joined(sessionId, auth);
  return auth;
}

/** A created battle with its GM (session "gm") and a player with every position on p1 (session "pl"). */
async function battleWithCrew(store = new HeldStore()) {
  const { host, out } = hostWith(store);
  await host.create(OPTIONS);
  await seat(host, "gm", {});
  await seat(host, "pl", { name: "Ann", shipId: "p1", positions: ["pilot", "gunner", "engineer", "captain", "sensors"] });
  return { host, out, store };
}

const GM = { sessionId: "gm", ip: "127.0.0.1" };
const PLAYER = { sessionId: "pl", ip: "127.0.0.1" };

describe("battle host (no sockets)", () => {
  it("acknowledges an accepted command only after its durable append resolves, and publishes it first", async () => {
    const { host, out, store } = await battleWithCrew();
    store.hold = true;
    const published = out.published.length;
    host.receive(GM, "gm:start", { cid: "c1" });
    assert.equal(host.battle.phase, "combat", "the engine applied the command at once");
    assert.deepEqual(out.acks(), [], "no ack while the append is in flight");
    assert.equal(out.published.length, published, "nothing published while the append is in flight");
    await store.complete();
    assert.deepEqual(out.acks(), [{ cid: "c1", type: "gm:start", version: host.battle.version, events: out.acks()[0]?.events }]);
    assert.equal(out.published.length, published + 1);
    assert.equal(out.published.at(-1)!.battle.phase, "combat");
    assert.equal(store.records.at(-1)!.k, "cmd");
  });

  it("refuses a command the rules forbid with one typed error, and changes nothing", async () => {
    const { host, out, store } = await battleWithCrew();
    const before = JSON.stringify(host.battle);
    const records = store.records.length;
    const published = out.published.length;
    host.receive(PLAYER, "space:fire", { cid: "f1", turretId: "t1", targetId: "n1" });
    assert.equal(JSON.stringify(host.battle), before, "the battle is unchanged");
    assert.equal(store.records.length, records, "nothing logged");
    assert.equal(out.published.length, published, "nothing published");
    assert.deepEqual(out.sent.filter((s) => s.type !== "spectators").map((s) => [s.sessionId, s.type, (s.body as ErrorReply).code, (s.body as ErrorReply).cid]), [["pl", "error", "wrongPhase", "f1"]]);
  });

  it("refuses a malformed message as invalid and a gm:* message from a player as forbidden, one error each", async () => {
    const { host, out } = await battleWithCrew();
    host.receive(PLAYER, "space:fire", { cid: "x1", turretId: 7 });
    host.receive(PLAYER, "gm:start", { cid: "x2" });
    host.receive({ sessionId: "stranger" }, "chat", { cid: "x3", text: "hi" });
    assert.deepEqual(out.errors().map((e) => [e.cid, e.code]), [["x1", "invalid"], ["x2", "forbidden"], ["x3", "notSeated"]]);
    assert.equal(host.commandLog.length, 0);
  });

  it("answers a re-sent cid from memory without applying it twice", async () => {
    const { host, out } = await battleWithCrew();
    host.receive(GM, "gm:start", { cid: "s1" });
    await new Promise((r) => setImmediate(r));
    const version = host.battle.version;
    const commands = host.commandLog.length;
    host.receive(GM, "gm:start", { cid: "s1" });
    await new Promise((r) => setImmediate(r));
    assert.equal(host.battle.version, version, "not applied again");
    assert.equal(host.commandLog.length, commands);
    const acks = out.acks().filter((a) => a.cid === "s1");
    assert.equal(acks.length, 2, "both sends answered");
    assert.deepEqual(acks[0], acks[1], "with the same ack");
    assert.deepEqual(out.errors(), [], "and no refusal");
  });

  it("exports the full combat log the commands made live, rebuilt by replay, an undo included", async () => {
    const { host, out } = await battleWithCrew();
    const live = () => out.published.flatMap((c) => c.events);
    host.receive(GM, "gm:start", { cid: "s" });
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 16 && host.battle.phase === "combat"; i++) {
      const active = host.battle.order[host.battle.turnIndex]!;
      const shot = volley(host.battle, active).find((c) => c.type === "fire");
      const v = turnStamp(host.battle);
      if (host.battle.ships[active]!.side === "npc") {
        const { shipId: _, ...command } = shot ?? { shipId: active, type: "endTurn" as const };
        host.receive(GM, "gm:act", { cid: `a${i}`, shipId: active, command: shot && i % 2 === 0 ? command : { type: "endTurn" }, v });
      } else if (shot && i % 2 === 0) {
        host.receive(PLAYER, "space:fire", { cid: `p${i}`, turretId: shot.turretId, targetId: shot.targetId, v });
      } else host.receive(PLAYER, "space:endTurn", { cid: `p${i}`, v });
      await new Promise((r) => setImmediate(r));
      // An export early on: the commands after it must be in the next one.
      if (i === 2) assert.deepEqual(host.fullLog, live(), "the log after three turns");
      if (i === 4) {
        host.receive(GM, "gm:undo", { cid: "u" });
        await new Promise((r) => setImmediate(r));
      }
    }
    assert.deepEqual(out.errors(), [], "every command was accepted");
    assert.ok(live().some((e) => e.dice.length > 0), "shots rolled dice");
    assert.ok(live().some((e) => e.action === "undo"), "the undo is in the log");
    assert.deepEqual(host.fullLog, live());
    const exported = host.exportLog(host.seats.gm!.key);
    assert.ok(exported.ok);
    assert.deepEqual(exported.log, live(), "the GM's export");
  });

  it("restores a stored battle to the same state, chat and reply memory", async () => {
    const { host, store } = await battleWithCrew();
    host.receive(GM, "gm:start", { cid: "a1" });
    host.receive(PLAYER, "chat", { cid: "a2", text: "Hello" });
    await new Promise((r) => setImmediate(r));
    // Play the battle on: whoever's turn it is ends it, a few times.
    for (let i = 0; i < 4 && host.battle.phase === "combat"; i++) {
      const active = host.battle.order[host.battle.turnIndex]!;
      if (host.battle.ships[active]!.side === "npc") host.receive(GM, "gm:act", { cid: `e${i}`, shipId: active, command: { type: "endTurn" }, v: turnStamp(host.battle) });
      else host.receive(PLAYER, "space:endTurn", { cid: `e${i}`, v: turnStamp(host.battle) });
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(host.commandLog.length >= 3, "several commands were accepted");

    const stored = (await store.load("unit-battle"))!;
    const { host: copy, out } = hostWith(new HeldStore());
    copy.restore(stored);
    assert.deepEqual(JSON.parse(JSON.stringify(copy.battle)), JSON.parse(JSON.stringify(host.battle)), "the same battle");
    assert.deepEqual(copy.commandLog.toArray(), host.commandLog.toArray());
    assert.deepEqual(copy.fullLog, host.fullLog);
    assert.deepEqual(copy.seats.all().map((s) => [s.seatId, s.key, s.shipId]), host.seats.all().map((s) => [s.seatId, s.key, s.shipId]));
    const shown = out.published.at(-1)!;
    assert.deepEqual(shown.chat.map((c) => [c.seq, c.text]), [[1, "Hello"]], "the chat line is shown once");
    assert.equal(shown.events.length, host.fullLog.length, "every log entry is shown");

    // The player reconnects with its key and re-sends the chat line: answered from memory, shown nothing twice.
    const player = host.seats.players[0]!;
    await seat(copy, "pl2", { seatKey: player.key });
    const published = out.published.length;
    copy.receive({ sessionId: "pl2" }, "chat", { cid: "a2", text: "Hello" });
    await new Promise((r) => setImmediate(r));
    assert.equal(out.published.length, published, "nothing published again");
    assert.deepEqual(out.acks().map((a) => [a.cid, a.type]), [["a2", "chat"]]);
  });
});
