// Who may join a battle. Decided twice with the same rules: at the matchmaking step (the HTTP
// request, through the room's admit, before Colyseus reserves anything: src/server/matchmaking-guard.ts)
// so that no seat reservation is ever handed to a join that would be refused, and again in onAuth
// when the WebSocket arrives, where the seat is then created. Wrong secrets are counted and
// lock-outs applied by the CredentialGuard. Nothing here changes the battle.
import { joinOptionsSchema, type JoinOptions } from "../commands";
import type { Battle, Role } from "../rules/model";
import type { CredentialGuard } from "../server/credential-guard";
import type { AdmitVerdict } from "../server/matchmaking-guard";

export type { AdmitVerdict } from "../server/matchmaking-guard";
import { zodMessage } from "./messages";
import { safeEqual, type Seats, type Seat } from "./seats";

/** What a join amounts to, once its secret and the free places are checked. */
export type JoinDecision =
  | { kind: "gm"; seat: Seat }
  | { kind: "resume"; seat: Seat }
  | { kind: "newPlayer"; name: string; shipId: string; positions: Role[] }
  | { kind: "spectator"; name: string };

/** What the decision reads of a battle. */
export interface JoinTable {
  roomId: string;
  seats: Seats;
  password: string | undefined;
  maxPlayers: number;
  allowSpectators: boolean;
  maxSpectators: number;
  spectators: number;
  battle: Battle;
  credentials: CredentialGuard;
}

/** The matchmaking step's answer, sent between processes: never an exception (it would carry the options, password included). */

/**
 * A refused join (or battle creation), with its HTTP-like status `code`; `retryAfterSec` when the refusal lasts a known
 * time (a lock-out). The room turns it into Colyseus' ServerError.
 */
export class Refused extends Error {
  constructor(readonly code: number, message: string, readonly retryAfterSec?: number) {
    super(message);
  }
}

export function parseJoinOptions(raw: unknown): JoinOptions {
  const parsed = joinOptionsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Refused(400, `invalid join options: ${zodMessage(parsed.error)}`);
  return parsed.data;
}

/** Throws a Refused for any join that may not proceed. */
export function decideJoin(t: JoinTable, opts: JoinOptions, ip: string | undefined): JoinDecision {
  const secret = opts.gmKey ? "GM key" : opts.seatKey ? "seat key" : t.password !== undefined ? "password" : undefined;
  if (secret) {
    // Locked out: refused even with the right secret, which is not even compared.
    const locked = t.credentials.battleLocked(t.roomId, ip, secret);
    if (locked) throw new Refused(429, locked.message, locked.retryAfterSec);
  }
  if (opts.gmKey) {
    const gm = t.seats.gm;
    if (!gm || !safeEqual(gm.key, opts.gmKey)) {
      t.credentials.battleFailed(t.roomId, ip, "GM key");
      throw new Refused(403, "wrong GM key");
    }
    return { kind: "gm", seat: gm };
  }
  if (opts.seatKey) {
    const seat = t.seats.byKey(opts.seatKey);
    if (!seat || seat.role !== "player") {
      t.credentials.battleFailed(t.roomId, ip, "seat key");
      throw new Refused(403, "unknown seat key");
    }
    return { kind: "resume", seat };
  }
  if (t.password !== undefined && !(opts.password !== undefined && safeEqual(t.password, opts.password))) {
    t.credentials.battleFailed(t.roomId, ip, "password");
    throw new Refused(403, "wrong password");
  }
  if (opts.spectator) {
    if (!t.allowSpectators) throw new Refused(403, "this battle allows no spectators");
    if (t.spectators >= t.maxSpectators) throw new Refused(403, "no room for more spectators");
    return { kind: "spectator", name: opts.name ?? "Spectator" };
  }
  if (!opts.name || !opts.shipId || !opts.positions) throw new Refused(400, "name, shipId and positions are required to take a seat");
  const ship = t.battle.ships[opts.shipId];
  if (!ship || ship.side !== "players") throw new Refused(400, `no player ship '${opts.shipId}'`);
  if (t.seats.players.length >= t.maxPlayers) throw new Refused(403, "the battle is full");
  const positions = [...new Set(opts.positions)] as Role[];
  const taken = t.seats.conflicts(ship.id, positions);
  if (taken.length) throw new Refused(409, `position already taken on ${ship.id}: ${taken.join(", ")}`);
  return { kind: "newPlayer", name: opts.name, shipId: ship.id, positions };
}

/** The verdict for a refused join (any other exception is a bug, reported without detail). */
export function refusalVerdict(err: unknown): AdmitVerdict {
  if (err instanceof Refused) {
    const retryAfterSec = err.retryAfterSec;
    return { ok: false, status: err.code, error: err.message, ...(retryAfterSec !== undefined ? { retryAfterSec } : {}) };
  }
  return { ok: false, status: 500, error: "internal error" };
}

