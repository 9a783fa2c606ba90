// A WebSocket must finish its join handshake within HANDSHAKE_TIMEOUT_SEC of connecting: the room
// sends JOIN_ROOM once onAuth and onJoin have run, and the client acknowledges with JOIN_ROOM.
// Until then Colyseus keeps the connection among the room's clients, holding its place; a socket
// that opens and stays silent would hold it for ever (ws' heartbeat is answered by the client's
// WebSocket stack, not by the application). Such a socket is closed with CLOSE_JOIN_TIMEOUT, and
// the room gives it no reconnection grace (src/server/connection-faults.ts), so its place is free at once.
import type WebSocket from "ws";
import { Protocol } from "@colyseus/core";
import { notify } from "./observers";
import { recordFault } from "./connection-faults";

/** Close code of a connection that did not acknowledge its join in time. */
export const CLOSE_JOIN_TIMEOUT = 4408;
/** After the close frame, how long a peer that does not answer it keeps its socket. */
const CLOSE_GRACE_MS = 1000;

/** Watches one WebSocket until it acknowledges its join, or closes it after `ms`. */
export function watchJoinHandshake(ws: WebSocket, ms: number, ip: string | undefined, sessionId?: string): void {
  const onMessage = (data: WebSocket.RawData) => {
    if (firstByte(data) !== Protocol.JOIN_ROOM) return;
    clearTimeout(timer);
    ws.off("message", onMessage);
  };
  const timer = setTimeout(() => {
    ws.off("message", onMessage);
    if (ws.readyState !== ws.OPEN) return;
    recordFault(sessionId, { kind: "joinTimeout" });
    notify("securityEvent", { kind: "joinTimeout", ip, reason: `join handshake not completed within ${ms / 1000} s` });
    ws.close(CLOSE_JOIN_TIMEOUT, "join handshake not completed in time");
    setTimeout(() => { if (ws.readyState !== ws.CLOSED) ws.terminate(); }, CLOSE_GRACE_MS).unref();
  }, ms);
  ws.on("message", onMessage);
  ws.once("close", () => clearTimeout(timer));
}

function firstByte(data: WebSocket.RawData): number | undefined {
  if (Buffer.isBuffer(data)) return data[0];
  if (Array.isArray(data)) return data[0]?.[0];
  return new Uint8Array(data)[0];
}
