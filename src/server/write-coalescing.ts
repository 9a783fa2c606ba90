// One TCP write for a command's patch and its reply. The room pushes the patch of an accepted
// command to every client and then replies to the sender: two WebSocket frames to that client,
// each its own write() system call and its own wake-up of the peer, the costliest steps of a
// command on these machines (a wake-up costs 30–50 µs here: bench/wakeups.ts). Corking the
// sender's socket while its message is handled lets Node hand both frames to the kernel in one
// writev, in the same order; the socket is uncorked in the event loop's check phase, after the
// promise chain that appends the record, publishes and replies has run (with a durable log that
// answers later, e.g. Redis, the frames simply go out one by one as before).
//
// The transport records each WebSocket's TCP socket here by the Colyseus session id (the
// upgrade request's socket, which ws writes to), so the room reads no private client field.
import type { Socket } from "node:net";
import type WebSocket from "ws";

const sockets = new Map<string, Socket>();

/** Called by the transport for every WebSocket with a session id; forgotten when it closes. */
export function trackSocket(sessionId: string | undefined, ws: WebSocket, socket: Socket): void {
  if (!sessionId) return;
  sockets.set(sessionId, socket);
  ws.once("close", () => {
    if (sockets.get(sessionId) === socket) sockets.delete(sessionId);
  });
}

/** Holds this session's writes until the event loop's check phase, then sends them in one go. */
export function coalesceWrites(sessionId: string): void {
  const socket = sockets.get(sessionId);
  if (!socket || socket.destroyed) return;
  socket.cork();
  setImmediate(() => socket.uncork());
}

/**
 * The same for every client of a battle while a change is published: each gets the patch and the
 * change's `log` message (src/battle/log-feed.ts), two frames, in one write. One callback uncorks them all.
 */
export function coalesceWritesOf(sessionIds: Iterable<string>): void {
  const corked: Socket[] = [];
  for (const id of sessionIds) {
    const socket = sockets.get(id);
    if (!socket || socket.destroyed) continue;
    socket.cork();
    corked.push(socket);
  }
  if (corked.length) setImmediate(() => { for (const socket of corked) socket.uncork(); });
}

/** The socket recorded for a session (tests). */
export function socketOf(sessionId: string): Socket | undefined {
  return sockets.get(sessionId);
}
