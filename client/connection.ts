// The connection to one battle room: joining, resuming a seat after a reload, automatic
// reconnection, and commands with unique ids and their replies.
import { Client, type Room } from "@colyseus/sdk";
import { ProtocolSession, turnStamp, type AckReply, type CreateOptions, type ErrorReply, type SeatReply, type WireLogEntry } from "../src/commands";
import { rejoinBattle, processIdOf, isFinalClose, type WhereAnswer } from "./relocate";

export type Role = "gm" | "player" | "spectator";
export interface StoredSeat { roomId: string; key: string; role: Role }
export type ConnectionStatus =
  | { kind: "idle" }
  | { kind: "connecting" }
  | { kind: "connected" }
  | { kind: "reconnecting"; attempt: number; maxRetries: number; offline: boolean }
  /**
   * The connection is gone after the quick retries: the battle is looked for (it may be on another
   * server, restored there) with a growing wait; `retryAt` (epoch ms) is the next attempt's time,
   * `offline` whether the browser itself has no network (then it is not the server's doing).
   */
  | { kind: "relocating"; attempt: number; retryAt: number; offline: boolean }
  | { kind: "disconnected"; code: number; reason: string };

const STORAGE_KEY = "traveller-battles:seat";

/** Waits between attempts to find the battle again: 1 s, doubling up to 15 s (not 3–4 polls a second). */
const RELOCATE_FIRST_WAIT_MS = 1000;
const RELOCATE_MAX_WAIT_MS = 15_000;
/** Whether the browser says it has no network at all. */
const offline = () => typeof navigator !== "undefined" && navigator.onLine === false;

export function endpoint(): string {
  return location.origin.replace(/^http/, "ws");
}

let sdk: Client | undefined;
function client(): Client {
  sdk ??= new Client(endpoint());
  return sdk;
}

export function loadStoredSeat(): StoredSeat | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const v = JSON.parse(raw) as Partial<StoredSeat>;
    if (typeof v.roomId === "string" && typeof v.key === "string" && (v.role === "gm" || v.role === "player")) {
      return { roomId: v.roomId, key: v.key, role: v.role };
    }
  } catch {
    // unreadable: treat as absent
  }
  return undefined;
}
export function storeSeat(seat: StoredSeat): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(seat));
}
export function clearStoredSeat(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The text of a refused join or create (the SDK rejects with a ServerError or MatchMakeError). */
export function errorText(err: unknown): string {
  if (err && typeof err === "object" && "message" in err && typeof (err as { message: unknown }).message === "string") {
    return (err as { message: string }).message;
  }
  return String(err);
}

type Listener<T> = (value: T) => void;

let cidCounter = 0;
const cidPrefix = Math.random().toString(36).slice(2, 8);
export function newCid(): string {
  return `c${cidPrefix}-${Date.now().toString(36)}-${++cidCounter}`;
}

/**
 * No reply is awaited here (replies reach the views through `onAck`/`onError`), but a command's
 * bookkeeping is dropped after this long, so commands lost with a connection do not pile up.
 */
const FORGET_COMMAND_MS = 120_000;

/** One seat in one battle room. */
export class BattleSession {
  status: ConnectionStatus = { kind: "connected" };
  readonly errors: ErrorReply[] = [];
  /** Who is watching (sent to the GM only, on every change). */
  spectators: { id: string; name: string }[] = [];
  private spectatorListeners = new Set<Listener<{ id: string; name: string }[]>>();
  private stateListeners = new Set<Listener<any>>();
  private statusListeners = new Set<Listener<ConnectionStatus>>();
  private seatListeners = new Set<Listener<SeatReply>>();
  private errorListeners = new Set<Listener<ErrorReply>>();
  private ackListeners = new Set<Listener<AckReply>>();
  private logListeners = new Set<() => void>();
  private retryTimer: ReturnType<typeof setInterval> | undefined;
  private leaving = false;
  private current: Room<any, any>;
  private readonly protocol = new ProtocolSession(newCid, {
    onSeat: (s) => {
      if (s.role !== "spectator") storeSeat({ roomId: this.current.roomId, key: s.key, role: s.role }); // spectators have no key
      this.seatListeners.forEach((l) => l(s));
    },
    onAck: (a) => this.ackListeners.forEach((l) => l(a)),
    // The GM's list of who is watching (not a reply: it comes whenever a spectator joins or leaves).
    onSpectators: (list) => {
      this.spectators = list;
      this.spectatorListeners.forEach((l) => l(list));
    },
    onError: (e) => {
      this.errors.push(e);
      this.errorListeners.forEach((l) => l(e));
    },
    onLog: () => this.logListeners.forEach((l) => l()),
  });

  private constructor(room: Room<any, any>, readonly role: Role) {
    this.current = room;
    this.attach(room);
  }

  get seat(): SeatReply | undefined {
    return this.protocol.seat;
  }

  /** The room of the battle; a new one after the battle moved to another server. */
  get room(): Room<any, any> {
    return this.current;
  }

  private attach(room: Room<any, any>) {
    room.reconnection.enabled = true;
    room.reconnection.minDelay = 100;
    room.reconnection.maxDelay = 1000;
    // A few quick attempts: if the server is gone for good, the battle is looked for elsewhere.
    room.reconnection.maxRetries = 5;
    room.reconnection.minUptime = 0; // a seat resumed just after a reload must reconnect too
    this.protocol.attach(room);
    room.onStateChange((state: any) => this.stateListeners.forEach((l) => l(state)));
    room.onDrop(() => {
      this.setStatus({ kind: "reconnecting", attempt: Math.max(1, room.reconnection.retryCount), maxRetries: room.reconnection.maxRetries, offline: offline() });
      this.retryTimer ??= setInterval(() => {
        if (this.status.kind === "reconnecting") {
          this.setStatus({ kind: "reconnecting", attempt: Math.max(1, room.reconnection.retryCount), maxRetries: room.reconnection.maxRetries, offline: offline() });
        }
      }, 250);
    });
    room.onReconnect(() => {
      this.stopRetryTimer();
      this.setStatus({ kind: "connected" });
    });
    room.onLeave((code: number, reason?: string) => {
      if (room !== this.current) return;
      this.stopRetryTimer();
      if (!this.leaving && this.seat && !isFinalClose(code)) {
        void this.relocate(processIdOf(room), code, reason);
        return;
      }
      this.setStatus({ kind: "disconnected", code, reason: this.leaving ? "you left the battle" : reason || `closed (${code})` });
    });
  }

  /** The server holding the battle is gone: find the battle where it was restored and take the seat back. */
  private async relocate(lostProcessId: string | undefined, code: number, reason?: string) {
    const seat = this.seat!;
    try {
      const room = await rejoinBattle({
        roomId: this.current.roomId, key: seat.key, role: seat.role, lostProcessId, deadlineMs: 60_000,
        intervalMs: RELOCATE_FIRST_WAIT_MS, maxIntervalMs: RELOCATE_MAX_WAIT_MS,
        cancelled: () => this.leaving,
        onAttempt: (attempt, nextInMs) => this.setStatus({ kind: "relocating", attempt, retryAt: Date.now() + nextInMs, offline: offline() }),
        where: whereIs,
        join: (id, options) => client().joinById(id, options),
      });
      this.current = room;
      this.attach(room);
      this.setStatus({ kind: "connected" });
    } catch {
      if (!this.leaving) this.setStatus({ kind: "disconnected", code, reason: reason || `closed (${code})` });
    }
  }

  static async create(options: CreateOptions): Promise<BattleSession> {
    const room = await client().create("battle", options);
    return new BattleSession(room, "gm");
  }

  static async join(roomId: string, options: { name: string; shipId: string; positions: string[]; password?: string }): Promise<BattleSession> {
    const room = await client().joinById(roomId, options);
    return new BattleSession(room, "player");
  }

  /** Watches a battle read-only (public data only, nothing can be sent). */
  static async spectate(roomId: string, options: { name: string; password?: string }): Promise<BattleSession> {
    const room = await client().joinById(roomId, { ...options, spectator: true });
    return new BattleSession(room, "spectator");
  }

  /** Takes the stored seat back after a reload (waiting a little if the battle is just moving to another server). */
  static async resume(stored: StoredSeat): Promise<BattleSession> {
    const room = await rejoinBattle({
      roomId: stored.roomId, key: stored.key, role: stored.role, deadlineMs: 10_000,
      where: whereIs, join: (id, options) => client().joinById(id, options),
    });
    return new BattleSession(room, stored.role);
  }

  get state(): any {
    return this.room.state;
  }

  /** The combat log this seat may read, oldest first (not state: `log` messages). */
  get log(): readonly WireLogEntry[] {
    return this.protocol.log.entries;
  }

  /** Moves with every change of `log` (a redraw key). */
  get logRevision(): number {
    return this.protocol.log.revision;
  }

  /**
   * Sends a command with a fresh `cid` (and `v` unless `stamp` is false); returns the cid. A
   * `cid` in the payload re-sends an earlier command: the server answers it with the original
   * reply and applies it once, however often it arrives.
   */
  command(type: string, payload: Record<string, unknown> = {}, stamp = true): string {
    // Never lose a command silently: once the connection is gone for good, refuse it visibly.
    // While reconnecting the SDK queues it and sends it on reconnection; its cid makes a
    // duplicate harmless and its turn stamp makes a late one come back as `stale`.
    if (this.status.kind === "disconnected" || this.status.kind === "relocating") {
      const cid = typeof payload.cid === "string" ? payload.cid : newCid();
      const refusal: ErrorReply = { type, code: "notConnected", message: "not connected: the command was not sent", cid };
      this.errors.push(refusal);
      this.errorListeners.forEach((l) => l(refusal));
      return cid;
    }
    const body: Record<string, unknown> = { ...payload };
    // The turn stamp: a command made for a past turn is refused as `stale`.
    if (stamp) body.v = this.state ? turnStamp(this.state) : 0;
    return this.protocol.request(type, body, FORGET_COMMAND_MS).cid;
  }

  async leave(): Promise<void> {
    this.leaving = true;
    clearStoredSeat();
    this.protocol.close();
    await this.room.leave(true).catch(() => undefined);
  }

  onState(l: Listener<any>): void { this.stateListeners.add(l); }
  onSpectators(l: Listener<{ id: string; name: string }[]>): void { this.spectatorListeners.add(l); }
  onStatus(l: Listener<ConnectionStatus>): void { this.statusListeners.add(l); l(this.status); }
  onSeat(l: Listener<SeatReply>): void { this.seatListeners.add(l); if (this.seat) l(this.seat); }
  onError(l: Listener<ErrorReply>): void { this.errorListeners.add(l); }
  onAck(l: Listener<AckReply>): void { this.ackListeners.add(l); }
  onLog(l: () => void): void { this.logListeners.add(l); }

  private setStatus(s: ConnectionStatus) {
    this.status = s;
    this.statusListeners.forEach((l) => l(s));
  }
  private stopRetryTimer() {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }
}

/** Where a battle is now (any server of the cluster answers). */
async function whereIs(roomId: string): Promise<WhereAnswer> {
  const res = await fetch(`/api/battles/${encodeURIComponent(roomId)}/where`, { headers: { accept: "application/json" } });
  return (await res.json()) as WhereAnswer;
}

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
