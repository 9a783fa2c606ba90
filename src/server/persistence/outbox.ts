// The write-ahead step between a battle room and its durable log. A room applies a command to
// its engine at once (the engine is authoritative, commands go in strictly in arrival order),
// hands the log record and a `publish` callback here, and the callback runs only once the record
// is durable. Appends keep their order (one connection, one file) and do not wait for each other;
// callbacks run when nothing is in flight any more, in order (group commit), so a patch never
// shows a change that is not durable yet. Without a store, everything runs at once.
import type { BattleSnapshot, BattleStore, LogRecord } from "./types";

export class DurableOutbox {
  /** Records appended so far: the durable log's length once nothing is in flight. */
  seq = 0;
  private inFlight = 0;
  private deferred: (() => void)[] = [];
  private settleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: BattleStore | undefined,
    private readonly battleId: () => string,
    /** An append failed (ownership lost, storage error): the battle can no longer be kept here. */
    private readonly onFailure: (err: Error) => void,
    private readonly onError: (what: string, err: Error) => void = () => undefined,
  ) {}

  get pending(): number {
    return this.inFlight;
  }

  /**
   * Appends `rec` and runs `publish` once it is durable. `checkpoint`, when given, builds the
   * battle's snapshot as of this record (called at once, with its sequence number) and is written
   * after the record.
   */
  commit(rec: LogRecord, publish: () => void, checkpoint?: (seq: number) => BattleSnapshot, onFail?: (err: Error) => void): void {
    const store = this.store;
    if (!store) { publish(); return; }
    const id = this.battleId();
    const seq = ++this.seq;
    const snap = checkpoint?.(seq);
    this.inFlight++;
    this.deferred.push(publish);
    store.append(id, rec).then(() => {
      if (snap) store.snapshot(id, snap).catch((err: Error) => this.onError("checkpoint not written", err));
      if (--this.inFlight === 0) this.flush();
    }, (err: Error) => {
      this.inFlight--;
      onFail?.(err);
      this.onFailure(err);
    });
  }

  /** Runs a reply now, or after the appends in flight when there are any (keeps reply order). */
  later(fn: () => void): void {
    if (this.inFlight > 0) this.deferred.push(fn);
    else fn();
  }

  /** Resolves once nothing is in flight and everything held back has been published. */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.settleWaiters.push(r));
  }

  /** Forgets what was held back (the battle is gone from here: those changes were never acknowledged). */
  drop(): void {
    this.deferred = [];
  }

  private flush() {
    for (const fn of this.deferred.splice(0)) {
      try { fn(); } catch (err) { this.onError("publishing a durable change failed", err as Error); }
    }
    this.settleWaiters.splice(0).forEach((w) => w());
  }
}
