// A test-side wrapper around an SDK room: sends commands with fresh ids and awaits their reply.
import type { Room } from "@colyseus/sdk";
import type { AckReply, ErrorReply, SeatReply } from "../../src/commands";

export type Reply = { kind: "ack"; ack: AckReply } | { kind: "error"; error: ErrorReply };

let counter = 0;

export class SeatClient {
  seat?: SeatReply;
  readonly errors: ErrorReply[] = [];
  private waiting = new Map<string, (r: Reply) => void>();
  private seatWaiters: ((s: SeatReply) => void)[] = [];
  private errorWaiters: (() => void)[] = [];

  constructor(readonly room: Room<any, any>, readonly label: string) {
    room.onMessage("seat", (s: SeatReply) => {
      this.seat = s;
      this.seatWaiters.splice(0).forEach((w) => w(s));
    });
    room.onMessage("ack", (a: AckReply) => this.settle(a.cid, { kind: "ack", ack: a }));
    room.onMessage("error", (e: ErrorReply) => {
      this.errors.push(e);
      if (e.cid) this.settle(e.cid, { kind: "error", error: e });
      this.errorWaiters.splice(0).forEach((w) => w());
    });
  }

  get state(): any {
    return this.room.state;
  }

  seated(timeoutMs = 5000): Promise<SeatReply> {
    if (this.seat) return Promise.resolve(this.seat);
    return withTimeout(new Promise((r) => this.seatWaiters.push(r)), timeoutMs, `${this.label}: no seat reply`);
  }

  /** Sends a command and resolves with its ack or error reply. */
  command(type: string, payload: Record<string, unknown> = {}, timeoutMs = 5000): Promise<Reply> {
    const cid = (payload.cid as string | undefined) ?? `${this.label}-${++counter}`;
    const reply = new Promise<Reply>((resolve) => this.waiting.set(cid, resolve));
    this.room.send(type, { ...payload, cid });
    return withTimeout(reply, timeoutMs, `${this.label}: no reply to ${type} ${cid}`);
  }

  /** Resolves once `count` error replies have arrived in all (whatever their command id). */
  async errorCount(count: number, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.errors.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.label}: expected ${count} error replies, got ${this.errors.length}`);
      await withTimeout(new Promise<void>((r) => this.errorWaiters.push(r)), left, `${this.label}: expected ${count} error replies, got ${this.errors.length}`);
    }
  }

  /** Resolves once the decoded state satisfies the predicate. */
  until(predicate: (state: any) => boolean, timeoutMs = 5000, what = "state condition"): Promise<void> {
    if (this.room.state && predicate(this.room.state)) return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => {
      const handler = (state: any) => {
        if (predicate(state)) {
          this.room.onStateChange.remove(handler);
          resolve();
        }
      };
      this.room.onStateChange(handler);
    }), timeoutMs, `${this.label}: timed out waiting for ${what}`);
  }

  private settle(cid: string, reply: Reply) {
    const w = this.waiting.get(cid);
    if (w) {
      this.waiting.delete(cid);
      w(reply);
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); }),
  ]);
}
