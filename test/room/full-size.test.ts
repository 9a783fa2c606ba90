// Every way into a battle, on the largest battle the limits allow (test/support/largest-battle.ts):
// a late spectator, a reloaded player, a reloaded GM and an SDK auto-reconnect each decode the GM's
// state field by field, and stay in step over the following rounds. /colyseus Inspect works on it.
import assert from "node:assert/strict";
import { buildLargestBattle, assertSameAsGm, inStep, joinSpectator, playRound, type LargestBattle } from "../../harness/largest-battle";
import { ColyseusSDK } from "@colyseus/sdk";
import { SeatClient } from "../../harness/seat-client";
import { NetSim } from "../../harness/netsim";
import { captureLogs, type Captured } from "../observability/log-capture";
import { scrape, value } from "../observability/scrape";
import { WIRE_STATE_BUDGET_BYTES } from "../../schema/wire-budget";
import { LOG_WIRE_BYTES } from "../../src/commands";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { useServer } from "../support/use-server";
import { countWrites } from "../support/socket-writes";
import { socketOf } from "../../src/server/write-coalescing";

const ADMIN_PASSWORD = "inspect-password-1234";

describe("the largest battle: every join path decodes the GM's state", function () {
  this.timeout(120_000);
  let b: LargestBattle;
  let logs: Captured;
  let proxy: NetSim | undefined;
  const warned: string[] = [];
  const consoleWarn = console.warn;

  before(() => {
    logs = captureLogs();
    // @colyseus/schema reports a buffer overflow on the console, not through our logger.
    console.warn = (...args: unknown[]) => { warned.push(args.map(String).join(" ")); };
  });
  const server = useServer({ ADMIN_PASSWORD, LOG_LEVEL: "warn" });
  before(async () => {
    b = await buildLargestBattle(() => server().sdk(), () => server().sdk());
  });
  after(async () => {
    await Promise.all(b?.all().map((c) => c.leave()) ?? []);
    await proxy?.close();
    logs.stop();
    console.warn = consoleWarn;
  });

  /** Every client still in step with the GM after another round of combat. */
  async function stillInStep(extra: SeatClient[] = []) {
    await playRound(b);
    await inStep([...b.all(), ...extra], b.gm);
    for (const c of [...b.all(), ...extra]) assertSameAsGm(c, b.gm);
  }

  it("is as large as the limits allow and within the wire budget", () => {
    const room = server().colyseus.getRoomById(b.roomId) as unknown as BattleRoom;
    const bytes = room.encodedStateBytes();
    const tail = room.logTailBytes("gm");
    process.stderr.write(`      largest battle: full state ${bytes} B (GM view), log tail ${b.gm.log.length} entries, ${tail} B\n`);
    assert.ok(tail <= LOG_WIRE_BYTES, `the log tail a joining GM is sent within its bound (${tail} B)`);
    assert.ok(bytes > 16 * 1024, `larger than Colyseus' default 16 KB buffer (${bytes} B)`);
    assert.ok(bytes <= WIRE_STATE_BUDGET_BYTES, `within the wire budget (${bytes} B)`);
    for (const c of b.all()) assertSameAsGm(c, b.gm);
  });

  it("gives a late spectator the GM's public state, and keeps it in step", async () => {
    await b.spectators.pop()!.leave();
    const late = await joinSpectator(() => server().sdk(), b.roomId, 99);
    b.spectators.push(late);
    await inStep([late], b.gm);
    assertSameAsGm(late, b.gm);
    await stillInStep();
  });

  it("gives a reloaded player (a fresh connection with its seat key) the GM's state, and keeps it in step", async () => {
    const old = b.players[2]!;
    const key = old.seat!.key;
    // A reload: the old page goes away without a consented leave (its seat waits in the reconnection
    // grace), and the new page joins with the seat key it kept.
    old.room.reconnection.enabled = false;
    void old.room.leave(false);
    await b.gm.until((s) => !s.crew.get(old.seat!.seatId).connected, 5000, "the old page gone");
    const fresh = new SeatClient(await server().sdk().joinById(b.roomId, { seatKey: key }), "p3-reloaded");
    assert.equal((await fresh.seated()).seatId, old.seat!.seatId);
    b.players[2] = fresh;
    await b.gm.until((s) => s.crew.get(fresh.seat!.seatId).connected, 5000, "the seat connected");
    await inStep([fresh], b.gm);
    assertSameAsGm(fresh, b.gm);
    await stillInStep();
  });

  it("gives a reloaded GM (a fresh connection with its GM key) the whole state, and keeps it in step", async () => {
    const old = b.gm;
    const fresh = new SeatClient(await server().sdk().joinById(b.roomId, { gmKey: old.seat!.key }), "gm-reloaded");
    assert.equal((await fresh.seated()).role, "gm");
    b.gm = fresh;
    await old.leave();
    await inStep(b.all(), fresh);
    // The GM's own state is what the others are compared with: check it against a player's public view too.
    assertSameAsGm(b.players[0]!, fresh);
    await stillInStep();
  });

  it("brings back a client whose socket dropped (SDK auto-reconnect) with the GM's state, in step", async () => {
    // The player's connection runs through a TCP proxy whose cut is an abrupt network loss.
    proxy = await NetSim.start({ targetPort: server().port });
    const key = b.players[4]!.seat!.key;
    await b.players[4]!.leave();
    const p = new SeatClient(await new ColyseusSDK(`ws://127.0.0.1:${proxy.port}`).joinById(b.roomId, { seatKey: key }), "p5-proxied");
    await p.seated();
    b.players[4] = p;
    await inStep([p], b.gm);
    p.room.reconnection.minUptime = 0;
    const back = new Promise<void>((r) => p.room.onReconnect(() => r()));
    assert.ok(proxy.cutAll() >= 1);
    await back;
    await b.gm.until((s) => s.crew.get(p.seat!.seatId).connected, 10_000, "the seat connected again");
    await inStep([p], b.gm);
    assertSameAsGm(p, b.gm);
    await stillInStep();
  });

  it("lets an operator inspect it in /colyseus", async () => {
    const auth = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`;
    const res = await fetch(`http://127.0.0.1:${server().port}/colyseus/api/room?roomId=${b.roomId}`, { headers: { authorization: auth } });
    assert.equal(res.status, 200);
    const body = await res.json() as { clients: unknown[]; stateSize: number; state: { ships: Record<string, unknown>; chat: unknown[] } };
    const room = server().colyseus.getRoomById(b.roomId)!;
    assert.equal(body.clients.length, room.clients.length, "every client listed");
    assert.ok(body.clients.length >= b.all().length);
    assert.ok(body.stateSize > 16 * 1024, `state size reported (${body.stateSize} B)`);
    assert.equal(Object.keys(body.state.ships).length, 15);
    assert.equal(body.state.chat.length, b.gm.state.chat.length);
  });

  it("exports the whole combat log and replay record to the GM over HTTP, the tail every client holds at its end", async () => {
    const room = server().colyseus.getRoomById(b.roomId) as unknown as BattleRoom;
    const res = await fetch(`http://127.0.0.1:${server().port}/api/battles/${b.roomId}/log`, { headers: { authorization: `Bearer ${b.gm.seat!.key}` } });
    assert.equal(res.status, 200);
    const body = await res.json() as { log: { seq: number; round: number; result: string }[]; replay: { commands: unknown[] } };
    assert.equal(body.replay.commands.length, room.commandLog.length, "every accepted command");
    assert.ok(body.log.length > b.gm.log.length, `more than the tail (${body.log.length} entries)`);
    assert.deepEqual(body.log.map((e) => e.seq), body.log.map((_, i) => i + 1), "every entry from the first, in order");
    // The export is the full text (the GM's): its newest entries are the GM's tail, entry for entry.
    const tail = body.log.slice(-b.gm.log.length);
    assert.deepEqual(tail.map((e) => [e.seq, e.round]), b.gm.log.map((e) => [e.seq, e.round]));
    tail.forEach((e, i) => assert.equal(e.result, b.gm.log[i]!.detail ?? b.gm.log[i]!.result, `entry ${e.seq}`));
    await inStep(b.all(), b.gm);
  });

  it("sends a command's patch and its ack to the sender in one write, at this size too", async () => {
    const socket = socketOf(b.gm.room.sessionId);
    assert.ok(socket, "the transport recorded the GM's socket");
    const spy = countWrites(socket!);
    try {
      const reply = await b.gm.command("chat", { text: "one write at full size" });
      assert.equal(reply.kind, "ack", JSON.stringify(reply));
    } finally {
      spy.restore();
    }
    assert.equal(spy.counts.write, 0, JSON.stringify(spy.counts));
    assert.equal(spy.counts.writev, 1, JSON.stringify(spy.counts));
    assert.ok(spy.counts.chunksInWritev >= 2, JSON.stringify(spy.counts));
    await inStep(b.all(), b.gm);
  });

  it("sends every other client a change's patch and its combat-log entries in one write, at this size too", async () => {
    const watcher = b.spectators[0]!;
    const socket = socketOf(watcher.room.sessionId);
    assert.ok(socket, "the transport recorded the spectator's socket");
    const spy = countWrites(socket!);
    try {
      const reply = await b.gm.command("gm:pause");
      assert.equal(reply.kind, "ack", JSON.stringify(reply));
      await watcher.until((s) => s.paused && watcher.log.at(-1)?.action === "pause", 5000, "the pause and its log entry");
    } finally {
      spy.restore();
    }
    assert.equal(spy.counts.write, 0, JSON.stringify(spy.counts));
    assert.equal(spy.counts.writev, 1, JSON.stringify(spy.counts));
    assert.equal((await b.gm.command("gm:resume")).kind, "ack");
    await inStep(b.all(), b.gm);
  });

  it("never overflowed a full-state buffer (no error log, metric at 0)", async () => {
    assert.deepEqual(logs.lines.filter((l) => l.level === "error"), []);
    assert.deepEqual(warned.filter((w) => /buffer overflow/.test(w)), []);
    const metrics = await scrape(server().port);
    assert.match(metrics, /^traveller_state_buffer_overflows_total\{/m);
    assert.equal(value(metrics, "traveller_state_buffer_overflows_total"), 0);
  });
});
