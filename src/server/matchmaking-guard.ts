// The matchmaking step (POST /matchmake/:method/:room), where Colyseus hands out seat reservations.
// Colyseus reserves a seat for `joinById` before the room has seen any credential (its instance
// onAuth runs only once the WebSocket arrives), and the reservations used to count against the
// room's maxClients: a stranger re-posting an empty join once a second kept a battle locked.
// Here, before Colyseus reserves anything:
// - joinById to a battle is admitted only if the battle itself says so (BattleRoom.admit, on the
//   battle's own process): the password, seat key or GM key checked, lock-outs applied, a place
//   free. A refused join gets its 4xx (429 + Retry-After for a lock-out) and no reservation.
// - create counts against the battle caps (src/server/capacity.ts), joins against the connection caps.
// - join / joinOrCreate by room name are refused for battles: a battle is joined by its id.
// - Colyseus' own 52x codes for client mistakes become 4xx; every 503 carries Retry-After.
import express from "express";
import { ServerError, matchMaker } from "@colyseus/core";
import type { Capacity } from "./capacity";
import { logger } from "./logger";
import { normaliseIp } from "./blocklist";

/** What a battle's process answers to "may this join go ahead?" (src/battle/admission.ts), across processes. */
export type AdmitVerdict = { ok: true } | { ok: false; status: number; error: string; retryAfterSec?: number };

/** The room name battles are registered under (src/app.config.ts). */
const BATTLE = "battle";

/**
 * Colyseus' matchmaking error codes (@colyseus/shared-types ErrorCode) as HTTP statuses: proxies
 * and clients read 52x as a failing server.
 */
export function clientStatus(code: number, message: string): number {
  switch (code) {
    case 520: return 404; // MATCHMAKE_NO_HANDLER: no such method or room name
    case 521: return 404; // MATCHMAKE_INVALID_CRITERIA: no room matches
    case 522: return /locked/.test(message) ? 409 : 404; // MATCHMAKE_INVALID_ROOM_ID: unknown (or locked) room
    case 523: return /already full/.test(message) ? 409 : /must be provided/.test(message) ? 400 : 503; // MATCHMAKE_UNHANDLED
    case 524: return 410; // MATCHMAKE_EXPIRED: reconnection token invalid or expired
    case 525: return 403; // AUTH_FAILED
    case 526: return 500; // APPLICATION_ERROR
    default: return code >= 400 && code < 600 ? code : 500;
  }
}

// Colyseus' matchmaker is one per process; so is this policy. The capacity of the server started
// last is the one in force (tests start servers one after another in one process).
let active: Capacity | undefined;
let wrapped = false;

/** Puts the policy in front of Colyseus' matchmaking controller; returns the function that lifts it. */
export function installMatchmakingPolicy(capacity: Capacity): () => void {
  active = capacity;
  if (!wrapped) {
    wrapped = true;
    const controller = matchMaker.controller;
    const original = controller.invokeMethod;
    controller.invokeMethod = async function (method, roomName, clientOptions, authContext) {
      try {
        if (!active) return await original.call(this, method, roomName, clientOptions, authContext);
        if (roomName === BATTLE && (method === "join" || method === "joinOrCreate")) {
          throw new ServerError(400, "a battle is joined by its id (joinById)");
        }
        if (method === "create" && roomName === BATTLE) {
          const claim = active.claimBattle(authContext?.ip);
          try {
            const reservation = await original.call(this, method, roomName, clientOptions, authContext);
            claim.bind(reservation.roomId);
            return reservation;
          } catch (err) {
            claim.release();
            throw err;
          }
        }
        return await original.call(this, method, roomName, clientOptions, authContext);
      } catch (err) {
        const e = err as { code?: number; message?: string };
        const message = e.message ?? "matchmaking failed";
        throw new ServerError(clientStatus(e.code ?? 523, message), message);
      }
    };
  }
  return () => { if (active === capacity) active = undefined; };
}

/** The gate's part of matchmaking (it has the HTTP response, so it can answer with headers). */
export function matchmakingGate(capacity: Capacity, retryAfterSec: number): express.Router {
  const router = express.Router();
  // Matchmaking is POST only; anything else goes on untouched (a router would answer OPTIONS itself).
  router.use((req, _res, next) => next(req.method === "POST" ? undefined : "router"));
  router.use((_req, res, next) => {
    // Every 503 from matchmaking (a cap, a draining or shutting-down server) says when to retry.
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: unknown[]) {
      if (this.statusCode === 503 || args[0] === 503) {
        if (!this.hasHeader("retry-after")) this.setHeader("Retry-After", String(retryAfterSec));
      }
      return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
    } as typeof res.writeHead;
    next();
  });
  router.post(["/create/:room", "/joinById/:roomId", "/reconnect/:roomId"], (req, res, next) => {
    const refusal = capacity.connectionRefusal(normaliseIp(req.socket.remoteAddress));
    if (!refusal) return next();
    if (refusal.retryAfterSec) res.setHeader("Retry-After", String(refusal.retryAfterSec));
    res.status(refusal.status).json({ code: refusal.status, error: refusal.message });
  });
  router.post("/joinById/:roomId", async (req, res, next) => {
    let verdict: AdmitVerdict | undefined;
    try {
      verdict = await admission(req.params.roomId, req.body, normaliseIp(req.socket.remoteAddress));
    } catch (err) {
      logger.warn("matchmaking: the battle's process did not answer the admission check", { roomId: req.params.roomId, error: (err as Error).message });
      verdict = { ok: false, status: 503, error: "the battle's server did not answer; try again", retryAfterSec: 1 };
    }
    if (!verdict || verdict.ok) return next();
    if (verdict.retryAfterSec !== undefined) res.setHeader("Retry-After", String(verdict.retryAfterSec));
    res.status(verdict.status).json({ code: verdict.status, error: verdict.error });
  });
  return router;
}

/** The battle's verdict on a join, or undefined to let Colyseus answer (not a battle, no such room, unreadable body). */
async function admission(roomId: string, body: unknown, ip: string | undefined): Promise<AdmitVerdict | undefined> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(roomId)) return undefined;
  let options: unknown = {};
  if (typeof body === "string" && body.length > 0) {
    try {
      options = JSON.parse(body);
    } catch {
      return undefined; // Colyseus answers 400 for a malformed body
    }
  }
  const room = await matchMaker.driver.findOne({ roomId });
  if (!room || room.name !== BATTLE) return undefined;
  return await matchMaker.remoteRoomCall(roomId, "admit", [options, ip]) as AdmitVerdict;
}
