// The transport floor: a plain `ws` server (the library under @colyseus/ws-transport) that does,
// per command, only what our server's sockets do: read one frame, write one patch-sized frame to
// each of the battle's clients and an ack to the sender (patch and ack in one writev, as
// src/server/write-coalescing.ts does), and ping every client every PING_MS as ours does (a
// client that missed the last pong is closed, ws-transport's heartbeat with one retry). No
// state, no encoding, no log. Started by bench/floor.ts.
//
//   node --import tsx bench/floor/ws-server.ts PORT PATCH_BYTES ACK_BYTES PING_MS
import { WebSocketServer, type WebSocket } from "ws";

const [port, patchBytes, ackBytes, pingMs] = process.argv.slice(2).map(Number);
const battles = new Map<string, Set<WebSocket>>();
const patch = Buffer.alloc(patchBytes!, 7);
const ack = Buffer.alloc(ackBytes!, 9);

const alive = new WeakMap<WebSocket, boolean>();

const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
wss.on("connection", (ws, req) => {
  alive.set(ws, true);
  ws.on("pong", () => alive.set(ws, true));
  const battle = new URL(req.url ?? "/", "http://x").searchParams.get("b") ?? "";
  let members = battles.get(battle);
  if (!members) battles.set(battle, (members = new Set()));
  members.add(ws);
  ws.on("close", () => members.delete(ws));
  ws.on("message", () => {
    const socket = (ws as unknown as { _socket: import("node:net").Socket })._socket;
    socket.cork();
    for (const peer of members) peer.send(patch);
    ws.send(ack);
    setImmediate(() => socket.uncork());
  });
});
setInterval(() => {
  for (const ws of wss.clients) {
    if (!alive.get(ws)) { ws.terminate(); continue; }
    alive.set(ws, false);
    ws.ping();
  }
}, pingMs);
wss.on("listening", () => console.log("ready"));
