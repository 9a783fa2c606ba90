// The first thing every HTTP request meets, before Colyseus' own router (/matchmake/*) and before
// the express app: security headers, CORS allow-list, method allow-list, the body-size limit,
// blocked IPs, rate limits and the matchmaking checks (src/server/matchmaking-guard.ts). Colyseus answers /matchmake ahead of express, so middleware added to the express app
// would never see matchmaking; this gate wraps the HTTP server's request dispatch instead.
import type http from "node:http";
import express from "express";
import helmet from "helmet";
import cors from "cors";
import { rateLimit } from "express-rate-limit";
import { matchMaker } from "@colyseus/core";
import type { Config } from "./config";
import { Blocklist, normaliseIp } from "./blocklist";
import { notify } from "./observers";
import { bodyLimit } from "./body-limit";
import { trustPeerAddress } from "./peer-address";
import { matchmakingGate } from "./matchmaking-guard";
import type { Capacity } from "./capacity";

type GateConfig = Pick<Config, "CORS_ORIGINS" | "RATE_HTTP_MATCHMAKE_PER_MIN" | "RATE_HTTP_API_PER_MIN" | "IDS_BLOCK_IP"
  | "MAX_HTTP_BODY_BYTES" | "CAPACITY_RETRY_AFTER_SEC">;

/** Methods any route accepts; anything else (PUT, DELETE, TRACE, ...) is refused with 405. */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"];

/** The Content-Security-Policy the web client satisfies: no inline script or style, no other origins. */
export const CSP_DIRECTIVES = {
  "default-src": ["'self'"],
  "connect-src": ["'self'", "ws:", "wss:"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "frame-ancestors": ["'none'"],
  "form-action": ["'self'"],
};

export function createGate(config: GateConfig, capacity: Capacity): express.Express {
  const gate = express();
  gate.disable("x-powered-by");
  gate.disable("etag");
  gate.use((req, _res, next) => { trustPeerAddress(req); next(); });
  gate.use(helmet({ contentSecurityPolicy: { useDefaults: true, directives: CSP_DIRECTIVES } }));
  gate.use((req, res, next) => {
    if (ALLOWED_METHODS.includes(req.method)) return next();
    res.setHeader("Allow", ALLOWED_METHODS.join(", "));
    res.status(405).json({ error: "method not allowed" });
  });
  // Cross-origin calls only from the configured origins; answers every preflight itself.
  const allowed = new Set(config.CORS_ORIGINS);
  gate.use(cors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ["GET", "HEAD", "POST"],
    allowedHeaders: ["Content-Type", "Authorization"],
    maxAge: 600,
  }));
  gate.use("/matchmake", async (req, res, next) => {
    if (!config.IDS_BLOCK_IP) return next();
    const ip = normaliseIp(req.socket.remoteAddress);
    try {
      if (await new Blocklist(matchMaker.presence).isBlocked("ip", ip)) {
        notify("securityEvent", { kind: "blockedJoin", ip, reason: "blocked IP address at matchmaking" });
        res.status(403).json({ error: "blocked for repeated invalid or refused messages; try again later" });
        return;
      }
    } catch {
      // presence unavailable: the room's onAuth checks again
    }
    next();
  });
  gate.use("/matchmake", limiter(config.RATE_HTTP_MATCHMAKE_PER_MIN, "matchmaking"));
  gate.use("/api", limiter(config.RATE_HTTP_API_PER_MIN, "api"));
  // After the rate limits, so a throttled client's body is never read.
  gate.use(bodyLimit(config.MAX_HTTP_BODY_BYTES));
  gate.use("/matchmake", matchmakingGate(capacity, config.CAPACITY_RETRY_AFTER_SEC));
  return gate;
}

function limiter(perMinute: number, name: string) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, res) => {
      notify("securityEvent", { kind: "httpRateLimited", ip: normaliseIp(req.ip), reason: `${name}: over ${perMinute} requests a minute` });
      res.status(429).json({ error: "too many requests; try again later" });
    },
  });
}

/** Runs `gate` ahead of every other 'request' listener of `server` (Colyseus' router and express). */
export function guardHttpServer(server: http.Server, config: GateConfig, capacity: Capacity): void {
  const gate = createGate(config, capacity);
  const emit = server.emit.bind(server) as (event: string, ...args: unknown[]) => boolean;
  server.emit = ((event: string, ...args: unknown[]) => {
    if (event !== "request") return emit(event, ...args);
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    gate(req as express.Request, res as express.Response, (err?: unknown) => {
      if (err) {
        if (!res.headersSent) res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bad request"}');
        return;
      }
      emit("request", req, res);
    });
    return true;
  }) as typeof server.emit;
  // Colyseus adds permissive CORS headers (any origin, with credentials) to every response unless told otherwise.
  (matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string> }).DEFAULT_CORS_HEADERS = {};
  matchMaker.controller.getCorsHeaders = () => ({});
}
