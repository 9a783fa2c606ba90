// Colyseus' WebSocket transport with two guards of its own, through the hooks the class offers
// its subclasses: every upgrade passes the connection caps first (src/server/capacity.ts), and
// every WebSocket gets HANDSHAKE_TIMEOUT_SEC to finish its join handshake (src/server/join-deadline.ts).
// It also records each WebSocket's TCP socket by session id, so a command's patch and reply can
// leave in one write (src/server/write-coalescing.ts).
import type http from "node:http";
import { WebSocketTransport, type TransportOptions } from "@colyseus/ws-transport";
import type { Capacity } from "./capacity";
import { watchJoinHandshake } from "./join-deadline";
import { sessionIdOf, watchConnection } from "./connection-faults";
import { normaliseIp } from "./blocklist";
import { trustPeerAddress } from "./peer-address";
import { trackSocket } from "./write-coalescing";

export class GuardedTransport extends WebSocketTransport {
  // Assigned after super(), which already registers the upgrade listener: read only when an upgrade comes.
  private readonly capacity: Capacity;

  constructor(options: TransportOptions, capacity: Capacity, joinTimeoutMs: number) {
    super(options);
    this.capacity = capacity;
    this.wss.on("connection", (ws, req: http.IncomingMessage) => {
      const sessionId = sessionIdOf(req);
      watchConnection(ws, sessionId);
      trackSocket(sessionId, ws, req.socket);
      watchJoinHandshake(ws, joinTimeoutMs, normaliseIp(req.socket.remoteAddress), sessionId);
    });
  }

  protected override listenForUpgrade(server: http.Server, filter?: (req: http.IncomingMessage) => boolean): void {
    super.listenForUpgrade(server, (req) => {
      if (filter && !filter(req)) return false;
      // onAuth's context.ip must be the peer's address, not a header the client wrote.
      trustPeerAddress(req);
      return this.capacity.admitUpgrade(req);
    });
  }
}
