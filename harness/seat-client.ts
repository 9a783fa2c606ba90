// A test-side wrapper around an SDK room: sends commands with fresh ids and awaits their reply.
// With `followBattle`, it behaves like the web client when its battle moves to another process
// (crash, drain): once the SDK's own reconnection gives up, it rejoins the same battle id with its
// seat key, retrying until the battle is back, and keeps its seat.
import { ColyseusSDK, type Room } from "@colyseus/sdk";
import { ProtocolSession, type AckReply, type ErrorReply, type SeatReply, type WireLogEntry } from "../src/commands";
import { rejoinBattle, processIdOf, isFinalClose, type WhereAnswer } from "../client/relocate";

export type Reply = { kind: "ack"; ack: AckReply } | { kind: "error"; error: ErrorReply };

/** Numbers the clients of this process, so that no two of them ever send the same command id. */
let clients = 0;

export class SeatClient {
  readonly errors: ErrorReply[] = [];
  readonly acks: AckReply[] = [];
  /** The last `spectators` list the server sent (the GM only). */
  spectators?: { id: string; name: string }[];
  /** Times (ms since epoch) the seat was taken back after the battle moved. */
  readonly relocations: number[] = [];
  room: Room<any, any>;
  private readonly session: ProtocolSession;
  private errorWaiters: (() => void)[] = [];
  private follow?: { hosts: () => string[]; deadlineMs: number };
  private relocating?: Promise<void>;
  private closed = false;

  constructor(room: Room<any, any>, readonly label: string) {
    this.room = room;
    this.session = new ProtocolSession(`${label}-${++clients}`, {
      onAck: (a) => this.acks.push(a),
      onSpectators: (list) => { this.spectators = list; },
      onError: (e) => {
        this.errors.push(e);
        this.errorWaiters.splice(0).forEach((w) => w());
      },
    });
    this.attach(room);
  }

  get seat(): SeatReply | undefined {
    return this.session.seat;
  }

  private attach(room: Room<any, any>) {
    this.session.attach(room);
    room.onLeave((code: number) => {
      if (room !== this.room || this.closed || !this.follow || isFinalClose(code)) return;
      this.relocating ??= this.rejoin(processIdOf(room)).finally(() => { this.relocating = undefined; });
    });
  }

  /**
   * Follow the battle wherever it is restored. `hosts` ("127.0.0.1:port") are the entry points
   * to try in turn: any process of the cluster knows where the battle is and routes the join there.
   */
  followBattle(hosts: () => string[], opts: { deadlineMs?: number } = {}): this {
    this.follow = { hosts, deadlineMs: opts.deadlineMs ?? 30_000 };
    quickReconnection(this.room);
    return this;
  }

  private async rejoin(lostProcessId: string | undefined): Promise<void> {
    const follow = this.follow!;
    if (!this.seat) return;
    let n = 0;
    const host = () => { const hosts = follow.hosts(); return hosts[n++ % hosts.length]!; };
    try {
      const room = await rejoinBattle({
        roomId: this.room.roomId, key: this.seat.key, role: this.seat.role, lostProcessId, deadlineMs: follow.deadlineMs, intervalMs: 100,
        cancelled: () => this.closed,
        where: async (id) => {
          const res = await fetch(`http://${host()}/api/battles/${id}/where`, { signal: AbortSignal.timeout(1000) });
          return await res.json() as WhereAnswer;
        },
        join: (id, options) => new ColyseusSDK(`ws://${host()}`).joinById(id, options),
      });
      this.room = room;
      this.attach(room);
      quickReconnection(room);
      this.relocations.push(Date.now());
    } catch {
      // gave up: relocated() reports it
    }
  }

  /** Resolves once the seat has been taken back `count` times in all. */
  async relocated(count = 1, timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.relocations.length < count) {
      if (Date.now() > deadline) throw new Error(`${this.label}: the seat was not taken back within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.relocations[count - 1]!;
  }

  get state(): any {
    return this.room.state;
  }

  /** The combat log this seat may read (its `log` messages), oldest first. */
  get log(): readonly WireLogEntry[] {
    return this.session.log.entries;
  }

  async seated(timeoutMs = 5000): Promise<SeatReply> {
    const seat = await this.session.seated(timeoutMs);
    if (!seat) throw new Error(`${this.label}: no seat reply`);
    return seat;
  }

  /** Sends a command and resolves with its ack or error reply. */
  command(type: string, payload: Record<string, unknown> = {}, timeoutMs = 5000): Promise<Reply> {
    const { cid, reply } = this.session.request(type, payload, timeoutMs);
    return reply.then((r) => {
      if (r.kind === "timeout") throw new Error(`${this.label}: no reply to ${type} ${cid}`);
      return r;
    });
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

  /** Resolves once the decoded state satisfies the predicate (across a move to another process too). */
  async until(predicate: (state: any) => boolean, timeoutMs = 5000, what = "state condition"): Promise<void> {
    if (!(await this.session.until(predicate, timeoutMs))) throw new Error(`${this.label}: timed out waiting for ${what}`);
  }

  async leave(): Promise<void> {
    this.closed = true;
    this.session.close();
    // A connection already lost (its process killed or drained) has nobody to confirm a consented leave.
    if (!this.room.connection.isOpen) return;
    await this.room.leave(true).catch(() => undefined);
  }

}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); }),
  ]);
}

/** Like the web client: a few quick reconnection attempts, then look for the battle by id. */
function quickReconnection(room: Room<any, any>) {
  room.reconnection.minUptime = 0;
  room.reconnection.maxRetries = 3;
  room.reconnection.minDelay = 100;
  room.reconnection.maxDelay = 300;
}
