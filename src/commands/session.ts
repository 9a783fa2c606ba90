// The client side of the protocol, written once for every client: the web client
// (client/connection.ts), the test seat client (harness/seat-client.ts) and the load bots
// (loadtest/lib/bot-client.ts). It generates command ids, sends commands, matches the `ack` and
// `error` replies to them by `cid` (with a deadline, and noticing replies that come after it),
// waits for the `seat` message, keeps the combat log the `log` messages carry (./log-wire.ts), and
// waits for the decoded state (and log) to reach a condition.
//
// The browser bundles this file, so it imports no package (the commands layer of
// scripts/check-imports.ts): a room is anything with the few methods of an SDK room it uses.
import type { z } from "zod";
import { GM_MESSAGES, SHIP_MESSAGES, chatMsg } from "./messages";
import type { AckReply, ErrorReply, SeatReply } from "./replies";
import { LOG_MESSAGE, LogBook } from "./log-wire";

/** What a session uses of a room connection (a `@colyseus/sdk` Room has all of it). */
export interface RoomLike {
  send(type: string, message?: unknown): void;
  onMessage(type: string, callback: (message: any) => void): unknown;
  onStateChange(callback: (state: any) => void): unknown;
  readonly state: any;
}

/** Every message a client sends, by name: the payload schemas of ./messages.ts. */
export const CLIENT_MESSAGES = { ...SHIP_MESSAGES, ...GM_MESSAGES, chat: chatMsg } as const;
export type ClientMessageName = keyof typeof CLIENT_MESSAGES;
/** The payload of a message as its sender writes it: the session adds the `cid`. */
export type PayloadOf<N extends ClientMessageName> = Omit<z.input<(typeof CLIENT_MESSAGES)[N]>, "cid"> & { cid?: string };

/** What became of a command: its ack, its refusal, or no reply before the deadline. */
export type Reply = { kind: "ack"; ack: AckReply } | { kind: "error"; error: ErrorReply } | { kind: "timeout" };

export interface SessionHooks {
  onSeat?(seat: SeatReply): void;
  onAck?(ack: AckReply): void;
  onError?(error: ErrorReply): void;
  /** The GM's list of spectators, sent whenever one joins or leaves (not a reply). */
  onSpectators?(spectators: { id: string; name: string }[]): void;
  /** The combat log changed (`ProtocolSession.log`). */
  onLog?(): void;
  /**
   * Every reply that names a `cid`: `late` when nothing waits for it any more (its deadline
   * passed, or it answers a command this session did not send, such as one re-sent after a reload).
   */
  onReply?(cid: string, reply: Reply, late: boolean): void;
}

interface Pending { resolve(reply: Reply): void; timer?: ReturnType<typeof setTimeout> }

let sessions = 0;

export class ProtocolSession {
  seat?: SeatReply;
  /** Decoded state changes and combat-log changes seen, across every room attached. */
  changes = 0;
  /** The battle's combat log as this seat may read it (what `log` messages brought). */
  readonly log = new LogBook();
  private current?: RoomLike;
  private readonly pending = new Map<string, Pending>();
  private seatWaiters: ((seat: SeatReply) => void)[] = [];
  private readonly stateWaiters = new Set<() => void>();
  private counter = 0;
  private closed = false;

  private readonly nextCid: () => string;

  /**
   * `cids` starts every command id of this session (a label unique to the process), or makes them
   * (a page's own generator, whose ids must also be unique across reloads).
   */
  constructor(cids: string | (() => string) = `s${++sessions}`, private readonly hooks: SessionHooks = {}) {
    this.nextCid = typeof cids === "function" ? cids : () => `${cids}-${++this.counter}`;
  }

  /** The room commands go to: the latest one attached. */
  get room(): RoomLike | undefined {
    return this.current;
  }

  get state(): any {
    return this.current?.state;
  }

  /**
   * Listens to a room's replies and state, and sends to it from now on. Called again with the new
   * room after the battle moved to another process: replies still due may come from either.
   */
  attach(room: RoomLike): void {
    this.current = room;
    // Another process's room sends its own tail on joining.
    this.log.clear();
    room.onMessage("seat", (seat: SeatReply) => {
      this.seat = seat;
      this.hooks.onSeat?.(seat);
      this.seatWaiters.splice(0).forEach((w) => w(seat));
    });
    room.onMessage("ack", (ack: AckReply) => {
      this.hooks.onAck?.(ack);
      this.settle(ack.cid, { kind: "ack", ack });
    });
    room.onMessage("error", (error: ErrorReply) => {
      this.hooks.onError?.(error);
      if (error.cid) this.settle(error.cid, { kind: "error", error });
    });
    room.onMessage("spectators", (m: { spectators: { id: string; name: string }[] }) => this.hooks.onSpectators?.(m.spectators));
    room.onMessage(LOG_MESSAGE, (m: unknown) => {
      // a late message of a room left behind (the battle moved on) is not this battle's log any more
      if (room !== this.current || !this.log.apply(m)) return;
      this.changes++;
      this.hooks.onLog?.();
      this.wakeStateWaiters();
    });
    room.onStateChange(() => {
      this.changes++;
      this.wakeStateWaiters();
    });
  }

  /** A command id unique to this session. */
  newCid(): string {
    return this.nextCid();
  }

  /** Sends a protocol message, typed by its name; see `request`. */
  send<N extends ClientMessageName>(type: N, payload: PayloadOf<N>, timeoutMs?: number): { cid: string; reply: Promise<Reply> } {
    return this.request(type, payload as Record<string, unknown>, timeoutMs);
  }

  /**
   * Sends any message with a fresh `cid` (or the payload's own, which re-sends an earlier command:
   * the server answers it with the original reply). The reply resolves with the ack or error that
   * names the cid, or `timeout` after `timeoutMs` (never, without one) or once the session closes.
   * Untyped, for the tests that send what no honest client would.
   */
  request(type: string, payload: Record<string, unknown> = {}, timeoutMs?: number): { cid: string; reply: Promise<Reply> } {
    const cid = typeof payload.cid === "string" ? payload.cid : this.newCid();
    const reply = new Promise<Reply>((resolve) => {
      if (this.closed || !this.current) { resolve({ kind: "timeout" }); return; }
      const entry: Pending = { resolve };
      if (timeoutMs !== undefined) {
        entry.timer = setTimeout(() => {
          if (this.pending.get(cid) === entry) { this.pending.delete(cid); resolve({ kind: "timeout" }); }
        }, timeoutMs);
      }
      this.pending.set(cid, entry);
      this.current.send(type, { ...payload, cid });
    });
    return { cid, reply };
  }

  /** Commands sent and not answered yet (nor given up on). */
  get unanswered(): number {
    return this.pending.size;
  }

  /** Resolves with the seat message, or undefined after `timeoutMs`. */
  seated(timeoutMs: number): Promise<SeatReply | undefined> {
    if (this.seat) return Promise.resolve(this.seat);
    return new Promise((resolve) => {
      const waiter = (seat: SeatReply) => { clearTimeout(timer); resolve(seat); };
      const timer = setTimeout(() => {
        this.seatWaiters = this.seatWaiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
      this.seatWaiters.push(waiter);
    });
  }

  /** Resolves true once the predicate holds on the decoded state, false after `timeoutMs` or at close. */
  async until(predicate: (state: any) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (this.state && predicate(this.state)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.nextChange(this.changes, left);
    }
    return false;
  }

  /** Resolves after the next state change past `seen` (see `changes`), a close, or `timeoutMs`. */
  nextChange(seen: number, timeoutMs: number): Promise<void> {
    if (this.changes > seen || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => { this.stateWaiters.delete(done); clearTimeout(timer); resolve(); };
      const timer = setTimeout(done, timeoutMs);
      this.stateWaiters.add(done);
    });
  }

  /** The session is over (left, or the connection is gone for good): every wait ends now. */
  close(): void {
    this.closed = true;
    for (const [cid, entry] of this.pending) {
      this.pending.delete(cid);
      clearTimeout(entry.timer);
      entry.resolve({ kind: "timeout" });
    }
    this.wakeStateWaiters();
  }

  private settle(cid: string, reply: Reply) {
    const entry = this.pending.get(cid);
    if (entry) {
      this.pending.delete(cid);
      clearTimeout(entry.timer);
    }
    this.hooks.onReply?.(cid, reply, !entry);
    entry?.resolve(reply);
    // a reply may be what a state waiter's predicate looks at (e.g. no command unanswered)
    this.wakeStateWaiters();
  }

  private wakeStateWaiters() {
    for (const w of [...this.stateWaiters]) w();
  }
}
