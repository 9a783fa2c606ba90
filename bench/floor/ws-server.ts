// The transport floor: a plain `ws` server (the library under @colyseus/ws-transport) that does,
// per command, only what our server's sockets do: read one frame, write one patch-sized frame to
// each of the battle's clients and an ack to the sender (patch and ack in one writev, as
// src/server/write-coalescing.ts does). No state, no encoding, no log. Started by bench/floor.ts.
//
//   node --import tsx bench/floor/ws-server.ts PORT PATCH_BYTES ACK_BYTES
import { WebSocketServer, type WebSocket } from "ws";

const [port, patchBytes, ackBytes] = process.argv.slice(2).map(Number);
const battles = new Map<string, Set<WebSocket>>();
const patch = Buffer.alloc(patchBytes!, 7);
const ack = Buffer.alloc(ackBytes!, 9);

const wss = new WebSocketServer({ host: "127.0.0.1", port, perMessageDeflate: false });
wss.on("connection", (ws, req) => {
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
wss.on("listening", () => console.log("ready"));
