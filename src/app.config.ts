// The server definition, shared by `npm start` (src/index.ts) and the tests (@colyseus/testing boot).
import http from "node:http";
import fs from "node:fs";
import express from "express";
import { defineServer, defineRoom, LobbyRoom, matchMaker } from "@colyseus/core";
import { RedisPresence } from "@colyseus/redis-presence";
import { RedisDriver } from "@colyseus/redis-driver";
import { BattleRoom } from "../rooms/BattleRoom";
import type { Config } from "./server/config";
import { logger, colyseusLogger } from "./server/logger";
import { guardHttpServer } from "./server/http-guard";
import { installAudit } from "./server/audit";
import { SHIP_CLASSES } from "./data/ships";
import { Telemetry } from "./observability/telemetry";
import { mountObservability } from "./observability/routes";
import { BattleKeeper } from "./server/persistence/keeper";
import { PUBLIC_DIR } from "./server/paths";
import { CredentialGuard } from "./server/credential-guard";
import { Capacity } from "./server/capacity";
import { GuardedTransport } from "./server/transport";
import { installMatchmakingPolicy } from "./server/matchmaking-guard";
import { normaliseIp } from "../rooms/blocklist";

/**
 * The HTTP server under the WebSocket transport. A connection that never finishes its handshake
 * (a socket that connects and stays silent) is closed after HANDSHAKE_TIMEOUT_SEC; a WebSocket
 * that names no room is closed by Colyseus itself within a second, one that does not acknowledge
 * its join after HANDSHAKE_TIMEOUT_SEC by the transport (src/server/transport.ts).
 */
function createHttpServer(config: Config, capacity: Capacity): http.Server {
  const ms = config.HANDSHAKE_TIMEOUT_SEC * 1000;
  const server = http.createServer({
    headersTimeout: ms,
    requestTimeout: ms,
    connectionsCheckingInterval: Math.min(1000, ms),
  });
  // headersTimeout only runs once a request has begun; an idle timeout also catches a socket
  // that never sends a byte. ws clears it on upgrade, so joined WebSockets are not affected.
  server.setTimeout(ms);
  // headers, CORS, methods, blocked IPs and rate limits ahead of Colyseus' router and express
  guardHttpServer(server, config, capacity);
  return server;
}

export function createServer(config: Config, opts: { gracefulShutdown?: boolean } = {}) {
  // Durable battles: in Redis with REDIS_URL (any process can take over), else in DATA_DIR.
  const keeper = config.PERSIST ? new BattleKeeper({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR }, config) : undefined;
  BattleRoom.keeper = keeper;
  logger.level = config.LOG_LEVEL;
  BattleRoom.settings = {
    IDLE_TIMEOUT_SEC: config.IDLE_TIMEOUT_SEC,
    RECONNECT_GRACE_SEC: config.RECONNECT_GRACE_SEC,
    SEAT_RELEASE_SEC: config.SEAT_RELEASE_SEC,
    PATCH_RATE_MS: config.PATCH_RATE_MS,
    METRICS_SAMPLE_MS: config.METRICS_SAMPLE_MS,
    MAX_MESSAGES_PER_SEC: config.MAX_MESSAGES_PER_SEC,
    IDS_BLOCK_SEC: config.IDS_BLOCK_SEC,
    IDS_BLOCK_IP: config.IDS_BLOCK_IP,
    RATE_COMBAT_PER_SEC: config.RATE_COMBAT_PER_SEC, RATE_COMBAT_BURST: config.RATE_COMBAT_BURST,
    RATE_GM_PER_SEC: config.RATE_GM_PER_SEC, RATE_GM_BURST: config.RATE_GM_BURST,
    RATE_CHAT_PER_SEC: config.RATE_CHAT_PER_SEC, RATE_CHAT_BURST: config.RATE_CHAT_BURST,
    RATE_OTHER_PER_SEC: config.RATE_OTHER_PER_SEC, RATE_OTHER_BURST: config.RATE_OTHER_BURST,
    IDS_MAX_STRIKES: config.IDS_MAX_STRIKES, IDS_WINDOW_SEC: config.IDS_WINDOW_SEC,
  };
  // With Redis, processes share presence and the room registry so any one can route a client.
  const scaleOut = config.REDIS_URL
    ? {
        presence: new RedisPresence(config.REDIS_URL),
        driver: new RedisDriver(config.REDIS_URL),
        publicAddress: config.PUBLIC_ADDRESS ?? `${config.HOST}:${config.PORT}`,
      }
    : {};
  const telemetry = new Telemetry(config).start();
  // The audit trail observes every battle of this server; detached and flushed on shutdown.
  const audit = installAudit(config);
  // Brute-force protection and resource caps (docs/security.md), shared by every battle of this process.
  const credentials = new CredentialGuard(config);
  BattleRoom.credentials = credentials;
  const capacity = new Capacity(config);
  const restoreMatchmaking = installMatchmakingPolicy(capacity);
  telemetry.metrics.live.lockouts = () => credentials.activeLocks();
  telemetry.metrics.live.atCapacity = () => capacity.load().atCapacity;
  const server = defineServer({
    greet: false,
    logger: colyseusLogger(),
    ...scaleOut,
    ...(keeper && config.REDIS_URL ? { selectProcessIdToCreateRoom: () => keeper.selectProcess() } : {}),
    gracefullyShutdown: opts.gracefulShutdown ?? true,
    transport: new GuardedTransport({
      server: createHttpServer(config, capacity),
      maxPayload: config.MAX_PAYLOAD_BYTES,
      pingInterval: config.PING_INTERVAL_MS,
      pingMaxRetries: config.PING_MAX_RETRIES,
    }, capacity, config.HANDSHAKE_TIMEOUT_SEC * 1000),
    rooms: {
      battle: defineRoom(BattleRoom).enableRealtimeListing(),
      lobby: defineRoom(LobbyRoom),
    },
    express: (app) => {
      // Security headers, CORS and rate limits are set for every route by the gate (src/server/http-guard.ts).
      app.disable("x-powered-by");
      app.get("/health", (_req, res) => { res.json({ status: "ok" }); });
      // Not ready while draining, without Redis, or at a cap: a load balancer then sends new battles elsewhere.
      app.get("/ready", async (_req, res) => {
        const r = keeper ? await keeper.readiness() : { ready: true, draining: false, redis: config.REDIS_URL ? "unchecked" : "none", battles: 0 };
        const load = capacity.load();
        const ready = r.ready && !load.atCapacity;
        if (load.atCapacity) res.set("Retry-After", String(config.CAPACITY_RETRY_AFTER_SEC));
        res.status(ready ? 200 : 503).json({ ...r, ready, atCapacity: load.atCapacity, capacity: load });
      });
      mountObservability(app, config, telemetry, credentials);
      app.get("/api/catalogue", (_req, res) => { res.json(SHIP_CLASSES); });
      // The lobby listing over HTTP: metadata only, never keys or passwords.
      app.get("/api/battles", async (_req, res) => {
        const rooms = await matchMaker.query({ name: "battle" });
        res.json(rooms.filter((r) => !r.private && r.metadata).map((r) => ({ roomId: r.roomId, clients: r.clients, ...r.metadata })));
      });
      // Where a battle lives now, for clients following it after its process died or drained:
      // they rejoin only once it is listed on a live process (a join routed to a dead process
      // would wait for the IPC timeout).
      app.get("/api/battles/:roomId/where", async (req, res) => {
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(req.params.roomId)) { res.status(400).json({ error: "invalid battle id" }); return; }
        let room: Awaited<ReturnType<typeof matchMaker.driver.findOne>> | undefined;
        try {
          // The local driver answers with a thenable query, Redis's with a promise: await both.
          room = await matchMaker.driver.findOne({ roomId: req.params.roomId });
        } catch {
          room = undefined;
        }
        if (!room) { res.status(404).json({ found: false }); return; }
        const alive = keeper ? await keeper.isAlive(room.processId).catch(() => false) : room.processId === matchMaker.processId;
        res.json({ found: true, processId: room.processId, alive });
      });
      // The GM's export of the full combat log and replay record; the GM key is the credential.
      app.get("/api/battles/:roomId/log", async (req, res) => {
        const key = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
        if (!key) { res.status(401).json({ error: "GM key required (Authorization: Bearer <gmKey>)" }); return; }
        try {
          const out = await matchMaker.remoteRoomCall<BattleRoom>(req.params.roomId, "exportLog", [key, normaliseIp(req.socket.remoteAddress)]);
          if (!out?.ok) {
            if (out?.retryAfterSec) res.set("Retry-After", String(out.retryAfterSec));
            res.status(out?.status ?? 403).json({ error: out?.error ?? "wrong GM key" });
            return;
          }
          res.json(out);
        } catch {
          res.status(404).json({ error: "no such battle" });
        }
      });
      if (config.SERVE_CLIENT && fs.existsSync(PUBLIC_DIR)) app.use(express.static(PUBLIC_DIR, { index: "index.html" }));
      // Last: a plain 404, and errors without stack traces or versions. (A handler at "/" also
      // stops Colyseus from answering GET / with its name and version.)
      app.use((_req, res) => { res.status(404).json({ error: "not found" }); });
      app.use((err: { status?: number; statusCode?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        const status = err.status ?? err.statusCode ?? 500;
        if (status >= 500) logger.error("HTTP request failed", { error: err });
        res.status(status >= 400 && status < 600 ? status : 500).json({ error: status < 500 ? "bad request" : "internal error" });
      });
    },
  });
  // SIGTERM/SIGINT: hand every battle over before Colyseus closes the rooms.
  server.onBeforeShutdown(async () => { await keeper?.drain(); });
  // Colyseus keeps a single shutdown callback: everything that must close goes in this one.
  server.onShutdown(async () => {
    telemetry.stop();
    restoreMatchmaking();
    capacity.close();
    await keeper?.close();
    await audit.close();
  });
  return Object.assign(server, {
    keeper,
    /** Listens, then starts heartbeats and takes over (or, on disk, resumes) orphaned battles. */
    async start(port: number, host: string) {
      await server.listen(port, host);
      await keeper?.start();
    },
  });
}
