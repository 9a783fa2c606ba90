// Why a WebSocket closed, when the room cannot tell from the close code: ws reports a frame over
// maxPayload (or a malformed frame) as an 'error' on the socket and then destroys it, so the room
// often sees 1006, like a network drop; a socket closed for missing its join deadline
// (src/server/join-deadline.ts) looks like any other close. The transport records both here by
// the Colyseus session id (from the WebSocket URL), so the room reads no private client field.
import type http from "node:http";
import type WebSocket from "ws";
import { CloseCode } from "@colyseus/core";

export type ConnectionFault = { kind: "transport"; message: string } | { kind: "joinTimeout" };

/** How long a closed socket's fault is kept for its room to read (the room's onDrop runs at once). */
const KEEP_AFTER_CLOSE_MS = 60_000;
const faults = new Map<string, ConnectionFault>();

/** The Colyseus session id a WebSocket upgrade names, if any. */
export function sessionIdOf(req: http.IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? "", "http://localhost").searchParams.get("sessionId") ?? undefined;
  } catch {
    return undefined;
  }
}

/** Records the transport errors of one WebSocket; called by the transport for every connection. */
export function watchConnection(ws: WebSocket, sessionId: string | undefined): void {
  if (!sessionId) return;
  ws.on("error", (err) => { faults.set(sessionId, { kind: "transport", message: String(err?.message ?? err).slice(0, 100) }); });
  ws.once("close", () => { setTimeout(() => faults.delete(sessionId), KEEP_AFTER_CLOSE_MS).unref(); });
}

export function recordFault(sessionId: string | undefined, fault: ConnectionFault): void {
  if (sessionId) faults.set(sessionId, fault);
}

export function connectionFault(sessionId: string): ConnectionFault | undefined {
  return faults.get(sessionId);
}

export function forgetConnection(sessionId: string): void {
  faults.delete(sessionId);
}

/** WebSocket close code for a frame over the transport's maxPayload (MAX_PAYLOAD_BYTES). */
const CLOSE_TOO_BIG = 1009;

/** Why a connection was closed for a protocol violation (flood, bad frame, over maxPayload), if it was. */
export function protocolViolation(sessionId: string, code: number | undefined): string | undefined {
  const fault = faults.get(sessionId);
  if (fault?.kind === "transport") {
    return /payload/i.test(fault.message) ? `message over MAX_PAYLOAD_BYTES (${fault.message})` : `WebSocket protocol error: ${fault.message}`;
  }
  if (code === CLOSE_TOO_BIG) return "message over MAX_PAYLOAD_BYTES";
  if (code === CloseCode.WITH_ERROR) return "message flood over MAX_MESSAGES_PER_SEC or an undecodable frame";
  return undefined;
}
