// A WebSocket that takes a reserved seat and never acknowledges its join (the JOIN_ROOM reply)
// must be closed within HANDSHAKE_TIMEOUT_SEC, and its place freed. Raw sockets play the silent
// clients: they reserve over HTTP, connect, and say nothing (ws still answers pings and the close
// frame, as any WebSocket stack does).
import assert from "node:assert/strict";
import WebSocket from "ws";
import { matchMaker } from "@colyseus/core";
import { gmAndPlayer } from "../../harness/battles";
import { SeatClient } from "../../harness/seat-client";
import { joinById } from "../../harness/raw-http";
import { CLOSE_JOIN_TIMEOUT } from "../../src/server/join-deadline";
import { LIMITS } from "../../src/commands";
import type { BattleRoom } from "../../rooms/BattleRoom";
import type { TestServer } from "../../harness/server";
import { useServer } from "../support/use-server";

const PASSWORD = "sesame-open-1234";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reserves a seat over HTTP, opens its WebSocket, and never acknowledges the join. */
async function silentJoin(server: TestServer, roomId: string, options: Record<string, unknown>) {
  const res = await joinById(server.port, roomId, options);
  assert.equal(res.status, 200, res.body);
  const r = res.json();
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/${r.processId}/${r.roomId}?sessionId=${r.sessionId}`);
  const opened = new Promise<void>((resolve, reject) => { ws.once("open", () => resolve()); ws.once("error", reject); });
  const closed = new Promise<{ code: number; at: number }>((resolve) => ws.once("close", (code) => resolve({ code, at: Date.now() })));
  await opened;
  return { ws, closed, openedAt: Date.now() };
}

function room(roomId: string): BattleRoom {
  return matchMaker.getLocalRoomById(roomId) as BattleRoom;
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("join handshake deadline", function () {
  this.timeout(60_000);
  const server = useServer({ HANDSHAKE_TIMEOUT_SEC: "2" }, { humanLimits: true });

  it("closes spectators that never acknowledge their join within the bound, and their places are free again", async () => {
    const { gm, roomId } = await gmAndPlayer(server(), { password: PASSWORD, allowSpectators: true });
    // Every spectator place taken by a silent socket.
    const silent = await Promise.all(Array.from({ length: LIMITS.maxSpectators }, () => silentJoin(server(), roomId, { spectator: true, password: PASSWORD })));
    const full = await joinById(server().port, roomId, { spectator: true, password: PASSWORD });
    assert.equal(full.status, 403, "no spectator place left while the silent sockets hold them");
    const closes = await Promise.all(silent.map((s) => s.closed));
    for (const [i, c] of closes.entries()) {
      assert.equal(c.code, CLOSE_JOIN_TIMEOUT);
      // Generous: the bound is 2 s; only "closed at all, not after minutes" is asserted.
      assert.ok(c.at - silent[i]!.openedAt < 15_000, `closed after ${c.at - silent[i]!.openedAt} ms`);
    }
    await waitFor("only the GM and the player left connected", () => room(roomId).clients.length === 2);
    const watcher = new SeatClient(await server().sdk().joinById(roomId, { spectator: true, password: PASSWORD }), "watcher");
    assert.equal((await watcher.seated()).role, "spectator");
    await watcher.leave();
  });

  it("closes a player's socket that never acknowledges its join, with no reconnection grace", async () => {
    const { gm, roomId } = await gmAndPlayer(server(), { password: PASSWORD });
    const s = await silentJoin(server(), roomId, { name: "Silent", shipId: "p1", positions: ["gunner"], password: PASSWORD });
    assert.equal((await s.closed).code, CLOSE_JOIN_TIMEOUT);
    await gm.until((st) => [...st.crew.values()].some((m: any) => m.name === "Silent" && !m.connected), 5000, "the silent seat shown disconnected");
    await waitFor("the connection gone, not held for reconnection", () => room(roomId).clients.length === 2);
  });

  it("leaves clients that acknowledge their join connected past the bound", async () => {
    const { gm, player } = await gmAndPlayer(server());
    await sleep(3000);
    assert.equal((await gm.command("gm:start")).kind, "ack");
    assert.ok(await player.command("space:endTurn"), "the player gets a reply");
    assert.equal(gm.room.connection.isOpen, true);
    assert.equal(player.room.connection.isOpen, true);
  });
});
