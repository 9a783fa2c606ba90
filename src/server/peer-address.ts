// Colyseus takes a client's address (AuthContext.ip, used by onAuth, the audit trail, IP blocks and
// lock-outs) from X-Real-IP, X-Forwarded-For or X-Client-IP when a request carries one, whoever
// wrote it. No proxy is trusted here, so a client could name any address: escape every per-IP
// limit, or get somebody else's address blocked. The gate (HTTP) and the transport (WebSocket
// upgrade) replace those headers with the socket's peer address before Colyseus reads them.
import type http from "node:http";
import { normaliseIp } from "./blocklist";

export function trustPeerAddress(req: http.IncomingMessage): void {
  delete req.headers["x-forwarded-for"];
  delete req.headers["x-client-ip"];
  const peer = normaliseIp(req.socket.remoteAddress);
  if (peer) req.headers["x-real-ip"] = peer;
  else delete req.headers["x-real-ip"];
}
