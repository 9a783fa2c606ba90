import assert from "node:assert/strict";
import { SeatClient, withTimeout, type Reply } from "../../harness/seat-client";
import { gmAndPlayer, refusedJoin } from "../../harness/battles";
import { addObserver, type SecurityEvent } from "../../src/server/observers";
import { CLOSE_BLOCKED, type BattleRoom } from "../../rooms/BattleRoom";
import { scrape, value } from "../observability/scrape";
import { useServer } from "../support/use-server";

function closed(client: SeatClient, timeoutMs = 5000): Promise<number> {
  return withTimeout(new Promise<number>((resolve) => client.room.onLeave((code: number) => resolve(code))), timeoutMs, `${client.label}: not closed`);
}


/** Sends `n` commands back to back and collects their replies. */
function burst(client: SeatClient, type: string, payload: Record<string, unknown>, n: number): Promise<Reply[]> {
  return Promise.all(Array.from({ length: n }, () => client.command(type, payload)));
}

describe("per-client limits with the production defaults", function () {
  this.timeout(60_000);
  const server = useServer({ IDS_BLOCK_IP: "false" }, { humanLimits: true });
  const events: SecurityEvent[] = [];
  let detach: () => void;
  before(async () => {
    detach = addObserver({ securityEvent: (e) => { events.push(e); } });
  });
  after(async () => { detach(); });

  it("lets a player spend a burst of 8 combat commands at once, then answers the excess with a typed rateLimited error", async () => {
    const { player } = await gmAndPlayer(server());
    const replies = await burst(player, "space:evade", { mode: "dodge" }, 20);
    const limited = replies.map((r) => r.kind === "error" && r.error.code === "rateLimited");
    assert.deepEqual(limited.slice(0, 8), Array(8).fill(false), "the first 8 are judged by the rules, not the limiter");
    assert.ok(limited.filter(Boolean).length >= 1, "a sustained burst is limited");
    const one = replies.find((r) => r.kind === "error" && r.error.code === "rateLimited")!;
    assert.ok(one.kind === "error" && one.error.cid && one.error.type === "space:evade" && /retry in \d+ ms/.test(one.error.message));
    assert.ok(player.room.connection.isOpen, "rate limiting does not disconnect");
    assert.ok(events.some((e) => e.kind === "rateLimited" && e.type === "space:evade"), "a security event is emitted");
    const metrics = await scrape(server().port);
    assert.ok(value(metrics, "traveller_security_events_total", { kind: "rateLimited" }) >= 1, "and counted in /metrics");
    assert.ok(value(metrics, "traveller_commands_total", { type: "space:evade", outcome: "rate_limited" }) >= 1, "the command counted as rate-limited");
  });

  it("refills the bucket: after a pause the player may act again", async () => {
    const { player } = await gmAndPlayer(server());
    await burst(player, "space:evade", { mode: "dodge" }, 12);
    await new Promise((r) => setTimeout(r, 1100)); // 2 per second: at least two tokens back
    const again = await player.command("space:evade", { mode: "dodge" });
    assert.ok(!(again.kind === "error" && again.error.code === "rateLimited"), JSON.stringify(again));
  });

  it("limits chat separately (burst 5) and does not let chat spend the combat allowance", async () => {
    const { player } = await gmAndPlayer(server());
    const n = player.errors.length;
    for (let i = 0; i < 12; i++) player.room.send("chat", { cid: `chat-${i}`, text: `line ${i}` });
    await player.errorCount(n + 1);
    assert.ok(player.errors.slice(n).every((e) => e.code === "rateLimited" && e.type === "chat"));
    await player.until((s) => s.chat.length >= 5, 3000, "the first five lines");
    const combat = await player.command("space:evade", { mode: "dodge" });
    assert.ok(!(combat.kind === "error" && combat.error.code === "rateLimited"));
  });

  it("closes a connection that floods more than MAX_MESSAGES_PER_SEC frames (4002) and gives it no reconnection grace", async () => {
    // Pings reach no message handler (so no rate limit or strike sees them): only the frame ceiling stops them.
    const { gm, player, roomId } = await gmAndPlayer(server());
    const code = closed(player);
    for (let i = 0; i < 200; i++) player.room.ping(() => undefined);
    assert.equal(await code, 4002);
    await gm.until((s) => s.crew.get(player.seat!.seatId)?.connected === false, 5000, "the flooder marked gone");
    const room = server().colyseus.getRoomById(roomId) as unknown as BattleRoom;
    assert.ok(room, "the room survives");
    assert.ok(events.some((e) => e.kind === "protocolKick"));
    // It may come back through onAuth with its key (not blocked: a flood is not a strike series).
    const back = new SeatClient(await server().sdk().joinById(roomId, { seatKey: player.seat!.key }), "back");
    assert.equal((await back.seated()).seatId, player.seat!.seatId);
  });

  it("closes a connection that sends a message over MAX_PAYLOAD_BYTES, and the room carries on", async () => {
    const { gm, player } = await gmAndPlayer(server());
    const code = closed(player);
    player.room.send("chat", { text: "x".repeat(5000) });
    assert.equal(await code, 1009, "WebSocket 1009: message too big");
    const reply = await gm.command("gm:start");
    assert.equal(reply.kind, "ack", "the GM plays on");
    await gm.until((s) => s.crew.get(player.seat!.seatId)?.connected === false, 5000, "the sender marked gone");
    assert.ok(events.some((e) => e.kind === "protocolKick" && e.seat?.seatId === player.seat!.seatId && /MAX_PAYLOAD_BYTES/.test(e.reason)),
      "reported as a security event, with no reconnection grace");
  });
});

describe("intrusion detection: kick and block", function () {
  this.timeout(60_000);
  const server = useServer({ IDS_MAX_STRIKES: "10", IDS_BLOCK_SEC: "3" }, { humanLimits: true });
  const events: SecurityEvent[] = [];
  let detach: () => void;
  before(async () => {
    detach = addObserver({ securityEvent: (e) => { events.push(e); } });
  });
  after(async () => { detach(); });

  it("kicks a client after IDS_MAX_STRIKES refusals, and its key and IP stay blocked until IDS_BLOCK_SEC has passed", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    const token = player.room.reconnectionToken;
    const code = closed(player);
    for (let i = 0; i < 10; i++) player.room.send("gm:start", { cid: `x${i}` }); // forbidden for a player
    assert.equal(await code, CLOSE_BLOCKED);
    assert.ok(events.some((e) => e.kind === "kicked" && e.seat?.seatId === player.seat!.seatId));

    assert.match(await refusedJoin(server().sdk().joinById(roomId, { seatKey: player.seat!.key })), /blocked/, "the seat key is refused");
    assert.match(await refusedJoin(server().sdk().joinById(roomId, { name: "Sock puppet", shipId: "p1", positions: ["gunner"] })), /blocked/, "a new seat from the same IP is refused");
    assert.match(await refusedJoin(server().sdk().reconnect(token)), /./, "the reconnection token is dead");
    assert.ok(events.some((e) => e.kind === "blockedJoin"));
    assert.ok(gm.room.connection.isOpen, "other connected clients are not affected");
    assert.equal((await gm.command("gm:start")).kind, "ack");

    await new Promise((r) => setTimeout(r, 3200));
    const back = new SeatClient(await server().sdk().joinById(roomId, { seatKey: player.seat!.key }), "back");
    assert.equal((await back.seated()).seatId, player.seat!.seatId, "after the block the seat can be resumed");
  });
});
