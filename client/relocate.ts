// Following a battle to another server process. A battle outlives the process that held it
// (crash, drain): another process restores it under the same id. When the SDK's own
// reconnection gives up, the client asks where the battle is now and rejoins it by id with its
// seat key, so it keeps its seat. Shared by the web client and the test clients.
import type { Room } from "@colyseus/sdk";

export interface WhereAnswer { found: boolean; processId?: string; alive?: boolean }

export interface RejoinOptions {
  roomId: string;
  key: string;
  role: "gm" | "player" | "spectator";
  /** The process the connection was lost from: a join routed there would hang until a timeout. */
  lostProcessId?: string;
  where(roomId: string): Promise<WhereAnswer>;
  join(roomId: string, options: Record<string, string | boolean>): Promise<Room<any, any>>;
  /** Give up after this long (the battle ended, or never came back). */
  deadlineMs?: number;
  /** After this long, rejoin even the old process (it was a network cut, not a dead process). */
  trustOldAfterMs?: number;
  intervalMs?: number;
  /** Back off: each wait doubles from intervalMs up to this (absent: every wait is intervalMs). */
  maxIntervalMs?: number;
  /** Called before each attempt; `nextInMs` is the wait after it, should it fail (for a visible countdown). */
  onAttempt?(attempt: number, nextInMs: number): void;
  cancelled?(): boolean;
}

/** The Colyseus processId a room's connection goes to: its WebSocket URL is …/<processId>/<roomId>. */
export function processIdOf(room: Room<any, any>): string | undefined {
  const url = (room as unknown as { connection?: { url?: string } }).connection?.url;
  if (!url) return undefined;
  try {
    const parts = new URL(url).pathname.split("/").filter(Boolean);
    return parts.length >= 2 ? parts[parts.length - 2] : undefined;
  } catch {
    return undefined;
  }
}

/** Close codes after which the battle is over for this client (4000: left or ended; 4002: protocol error; 4403: blocked). */
export function isFinalClose(code: number): boolean {
  return code === 4000 || code === 4002 || code === 4403;
}

/** Retries until the battle is listed on a live process and the seat is taken back there. */
export async function rejoinBattle(o: RejoinOptions): Promise<Room<any, any>> {
  const started = Date.now();
  const deadline = started + (o.deadlineMs ?? 60_000);
  const trustOld = started + (o.trustOldAfterMs ?? 10_000);
  const interval = o.intervalMs ?? 250;
  const waitFor = (attempt: number) => Math.min(o.maxIntervalMs ?? interval, interval * 2 ** Math.min(attempt - 1, 20));
  // A spectator holds no seat and no key: it simply watches again.
  const options: Record<string, string | boolean> = o.role === "gm" ? { gmKey: o.key } : o.role === "spectator" ? { spectator: true } : { seatKey: o.key };
  let last = "";
  for (let attempt = 1; Date.now() < deadline; attempt++) {
    if (o.cancelled?.()) throw new Error("cancelled");
    // The next try is planned now, never past the deadline, so the countdown shown is the real one.
    const now = Date.now();
    const nextAt = Math.min(now + waitFor(attempt), deadline);
    o.onAttempt?.(attempt, nextAt - now);
    try {
      const w = await o.where(o.roomId);
      const movable = w.found && w.alive && (w.processId !== o.lostProcessId || Date.now() > trustOld);
      if (movable) return await o.join(o.roomId, options);
      last = w.found ? "its server is not available" : "the battle is not running anywhere";
    } catch (err) {
      last = String((err as Error)?.message ?? err);
      // A refused key means the seat is gone for good; anything else (not found yet, network) is retried.
      if (/wrong GM key|unknown seat key/.test(String((err as Error)?.message ?? err))) throw err;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, nextAt - Date.now())));
  }
  throw new Error(`battle ${o.roomId} did not come back within ${Math.round((Date.now() - started) / 1000)} s (${last})`);
}
