import assert from "node:assert/strict";
import net from "node:net";
import { ColyseusSDK } from "@colyseus/sdk";
import { NetSim } from "../../harness/netsim";
import { SeatClient } from "../../harness/seat-client";
import { ALL_ROLES, gmAndPlayer, twoShipOptions } from "../../harness/battles";
import { assertClientMatchesServer } from "../support/compare";
import { loadConfig } from "../../src/server/config";
import type { BattleRoom } from "../../rooms/BattleRoom";
import { LIMITS, turnStamp } from "../../src/commands";
import type { TestServer } from "../../harness/server";
import { useProxy, useServer } from "../support/use-server";


/** A GM connected directly and a player connected through the network simulator. */
async function playerBehindProxy(server: TestServer, proxy: NetSim, extra: Record<string, unknown> = {}) {
  const gm = new SeatClient(await server.sdk().create("battle", twoShipOptions({ turnTimeoutSec: 600, ...extra })), "gm");
  await gm.seated();
  const sdk = new ColyseusSDK(`ws://127.0.0.1:${proxy.port}`);
  const player = new SeatClient(await sdk.joinById(gm.room.roomId, { name: "Remote", shipId: "p1", positions: ALL_ROLES }), "remote");
  await player.seated();
  await gm.until((s) => s.crew.has(player.seat!.seatId), 5000, "the player's seat in the GM's state");
  player.room.reconnection.minUptime = 0;
  player.room.reconnection.minDelay = 100;
  player.room.reconnection.maxDelay = 1000;
  return { gm, player, sdk, room: server.colyseus.getRoomById(gm.room.roomId) as unknown as BattleRoom };
}

/**
 * How long the server takes to notice a dead link: the player's packets vanish (the proxy
 * blackholes them, TCP stays open) until the GM sees the seat disconnected.
 */
async function msToNoticeDeadLink(server: TestServer, proxy: NetSim, timeoutMs: number): Promise<number> {
  const { gm, player } = await playerBehindProxy(server, proxy);
  player.room.reconnection.enabled = false;
  const t0 = Date.now();
  proxy.blackhole(true);
  try {
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === false, timeoutMs, "the dead connection detected");
  } finally {
    proxy.blackhole(false);
  }
  return Date.now() - t0;
}

/** Ends NPC turns until it is the player's ship's turn, and the player has seen that. */
async function untilPlayersTurn(gm: SeatClient, player: SeatClient) {
  for (let i = 0; i < 20 && gm.state.activeShipId !== "p1"; i++) {
    await gm.command("gm:act", { shipId: gm.state.activeShipId, v: turnStamp(gm.state), command: { type: "endTurn" } });
  }
  assert.equal(gm.state.activeShipId, "p1");
  const version = gm.state.version;
  await player.until((s) => s.version >= version, 5000, "the player's turn to reach the player");
}

describe("connection resilience", function () {
  this.timeout(60_000);
  const server = useServer({ RECONNECT_GRACE_SEC: "3", PING_INTERVAL_MS: "500", PING_MAX_RETRIES: "2", HANDSHAKE_TIMEOUT_SEC: "2" });
  const proxy = useProxy(server);

  it("reconnects a client cut mid-turn by itself, ending with state identical to the server and the other clients", async () => {
    const { gm, player, room } = await playerBehindProxy(server(), proxy());
    assert.equal((await gm.command("gm:start")).kind, "ack");
    await untilPlayersTurn(gm, player);
    const fired = await player.command("space:fire", { turretId: "t1", targetId: "n1", v: turnStamp(player.state) });
    assert.equal(fired.kind, "ack", JSON.stringify(fired));
    let reconnected = false;
    player.room.onReconnect(() => { reconnected = true; });
    assert.ok(proxy().cutAll() >= 1); // the WebSocket, and the SDK's HTTP keep-alive connection if open
    // The battle moves on while the player is away.
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === false, 5000, "the player marked disconnected");
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === true, 10_000, "the player back");
    // The GM may see the seat connected before the player's SDK has handled its own rejoin reply.
    for (let i = 0; i < 50 && !reconnected; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(reconnected, "the player's SDK reconnected by itself");
    assert.equal((await player.command("space:endTurn", { v: turnStamp(player.state) })).kind, "ack");
    await player.until((s) => s.version === room.engineState().version, 5000, "the latest version");
    // The GM's patch is sent with the player's, but nothing says it is decoded first.
    await gm.until((s) => s.version === room.engineState().version, 5000, "the GM at the latest version");
    assertClientMatchesServer(player, room.engineState());
    assertClientMatchesServer(gm, room.engineState());
    await player.room.leave();
  });

  it("answers a command re-sent after a reconnection with its original reply and applies it once", async () => {
    const { gm, player, room } = await playerBehindProxy(server(), proxy());
    assert.equal((await gm.command("gm:start")).kind, "ack");
    await untilPlayersTurn(gm, player);
    const payload = { cid: "retry-fire-1", turretId: "t1", targetId: "n1", v: turnStamp(player.state) };
    const first = await player.command("space:fire", payload);
    assert.equal(first.kind, "ack");
    const after = JSON.stringify(room.engineState());
    // The GM may see the seat connected before the player's SDK has its new socket open: wait for the SDK too.
    const back = new Promise<void>((r) => player.room.onReconnect(() => r()));
    proxy().cutAll();
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === false, 5000, "the player marked disconnected");
    await gm.until((s) => s.crew.get(player.seat!.seatId).connected === true, 10_000, "the player back");
    await back;
    const again = await player.command("space:fire", payload);
    assert.deepEqual(again, first);
    assert.equal(JSON.stringify(room.engineState()), after, "applied once");
    const stale = await player.command("space:endTurn", { v: turnStamp(player.state) - 1 });
    assert.equal(stale.kind === "error" && stale.error.code, "stale");
    await player.room.leave();
  });

  it("gives a player who never comes back the default action and still finishes the battle", async function () {
    // Every one of the absent ship's turns waits out the shortest turn timeout the limits allow (10 s).
    this.timeout(240_000);
    const { gm, player, room } = await playerBehindProxy(server(), proxy(), { turnTimeoutSec: LIMITS.turnTimeoutSec.min, ships: [
      { side: "players", name: "Lost Cause", className: "scout" },
      { side: "npc", name: "Hunter", className: "systemDefenseBoat" },
    ] });
    player.room.reconnection.enabled = false;
    proxy().cutAll();
    assert.equal((await gm.command("gm:start")).kind, "ack");
    // The GM keeps attacking; the absent player's turns time out.
    let done = false;
    const loop = (async () => {
      while (!done && gm.state.phase === "combat") {
        const s = gm.state;
        if (s.activeShipId === "n1") {
          const v = turnStamp(s);
          for (const t of [...s.ships.get("n1").turrets]) {
            if (t.weapon === "missileRack") await gm.command("gm:act", { shipId: "n1", v, command: { type: "launchMissile", turretId: t.id, targetId: "p1", missile: "smart" } });
            else if (t.weapon !== "sandcaster") await gm.command("gm:act", { shipId: "n1", v, command: { type: "fire", turretId: t.id, targetId: "p1" } });
          }
          await gm.command("gm:act", { shipId: "n1", v, command: { type: "endTurn" } });
        } else {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();
    await gm.until((s) => s.phase === "ended", 220_000, "the battle to end");
    done = true;
    await loop;
    const timeouts = room.commandLog.toArray().filter((c) => c.cmd.type === "timeout").length;
    assert.ok(timeouts >= 1, "the absent player's turns ended by timeout");
    assert.equal(room.engineState().result?.winner, "npc");
  });

  it("refuses a reconnection after the grace window with a clear error, and the key still reclaims the seat", async () => {
    const { gm, player, sdk } = await playerBehindProxy(server(), proxy());
    player.room.reconnection.enabled = false;
    const token = player.room.reconnectionToken;
    const seat = player.seat!;
    proxy().cutAll();
    await gm.until((s) => s.crew.get(seat.seatId).connected === false, 5000, "the player marked disconnected");
    await new Promise((r) => setTimeout(r, 3500)); // RECONNECT_GRACE_SEC=3
    await assert.rejects(sdk.reconnect(token), (err: Error) => /reconnect|expired|not found|seat/i.test(err.message));
    const back = new SeatClient(await sdk.joinById(gm.room.roomId, { seatKey: seat.key }), "back");
    assert.equal((await back.seated()).seatId, seat.seatId);
    await gm.until((s) => s.crew.get(seat.seatId).connected === true, 5000, "the seat held again");
    await back.room.leave();
  });

  it("lets the GM release an absent player's seat so another player can take it, but not a connected one's", async () => {
    const { gm, player, roomId } = await gmAndPlayer(server());
    const seatId = player.seat!.seatId;
    const inUse = await gm.command("gm:releaseSeat", { seatId });
    assert.equal(inUse.kind === "error" && inUse.error.code, "seatInUse");
    await player.room.leave();
    await gm.until((s) => s.crew.get(seatId).connected === false, 5000, "the player gone");
    assert.equal((await gm.command("gm:releaseSeat", { seatId })).kind, "ack");
    await gm.until((s) => !s.crew.has(seatId), 5000, "the seat removed");
    const newcomer = new SeatClient(await server().sdk().joinById(roomId, { name: "Newcomer", shipId: "p1", positions: ["pilot"] }), "new");
    assert.equal((await newcomer.seated()).shipId, "p1");
    await assert.rejects(server().sdk().joinById(roomId, { seatKey: player.seat!.key }), /seat key/);
    await newcomer.room.leave();
  });

  it("detects a dead connection (packets vanish, TCP stays open) by heartbeat and frees it for reconnection", async () => {
    const detectedMs = await msToNoticeDeadLink(server(), proxy(), 8000);
    assert.ok(detectedMs < 8000, `detected after ${detectedMs} ms`);
  });

  it("configures the default heartbeat to detect a dead connection within 10 s", () => {
    const c = loadConfig({});
    assert.ok(c.PING_INTERVAL_MS * (c.PING_MAX_RETRIES + 1) <= 10_000);
    assert.equal(c.HANDSHAKE_TIMEOUT_SEC, 30);
  });

  it("closes a socket that connects but never completes a handshake, and a WebSocket that never joins a room", async () => {
    const socket = net.connect(server().port, "127.0.0.1");
    const closed = await new Promise<number>((resolve) => {
      const t0 = Date.now();
      socket.on("close", () => resolve(Date.now() - t0));
      socket.on("error", () => undefined);
      setTimeout(() => resolve(-1), 8000);
    });
    socket.destroy();
    assert.ok(closed >= 0, "the silent socket was closed by the server (HANDSHAKE_TIMEOUT_SEC=2)");

    const { WebSocket } = await import("ws");
    const ws = new WebSocket(`ws://127.0.0.1:${server().port}/`);
    const code = await new Promise<number>((resolve) => {
      ws.on("close", (c) => resolve(c));
      ws.on("error", () => undefined);
      setTimeout(() => resolve(-1), 8000);
    });
    assert.notEqual(code, -1, "a WebSocket joined to no room is closed");
  });
});

describe("the default heartbeat (PING_INTERVAL_MS 5000, PING_MAX_RETRIES 1)", function () {
  this.timeout(40_000);
  const server = useServer();
  const proxy = useProxy(server);

  it("notices a dead connection (packets vanish, TCP stays open) within 10 s", async () => {
    const detectedMs = await msToNoticeDeadLink(server(), proxy(), 20_000);
    // 10 s at most by the heartbeat's arithmetic; the margin is for timers firing late on a loaded machine
    assert.ok(detectedMs <= 11_500, `detected after ${detectedMs} ms`);
  });
});
