// Failure counting with temporary lock-outs and exponential back-off, for guessed secrets
// (battle passwords, seat and GM keys, operator credentials). Pure bookkeeping: the callers decide
// what a subject is (an IP, an IP and a battle, a battle) and what to answer. Time comes from `now`.
//
// A subject that fails `threshold` times within `windowSec` is locked out: the first lock-out lasts
// `lockSec`, each further one twice the last, up to `maxLockSec`. The count of lock-outs is forgotten
// once the subject has stayed clean for `maxLockSec` after its last lock-out ended.

export interface LockoutPolicy {
  /** Failures within the window that start a lock-out. */
  threshold: number;
  windowSec: number;
  /** First lock-out; doubled for each further one. */
  lockSec: number;
  maxLockSec: number;
}

interface Entry {
  failures: number;
  windowStart: number;
  lockedUntil: number;
  lockouts: number;
}

/** Subjects kept at most; past that the least recently touched are forgotten (memory stays bounded). */
export const MAX_SUBJECTS = 50_000;

export class Lockout {
  private entries = new Map<string, Entry>();

  constructor(readonly policy: LockoutPolicy, private readonly now: () => number = Date.now, private readonly maxSubjects = MAX_SUBJECTS) {}

  /** Milliseconds left on the subject's lock-out; 0 when it is not locked out. */
  remainingMs(subject: string): number {
    const e = this.entries.get(subject);
    return e ? Math.max(0, e.lockedUntil - this.now()) : 0;
  }

  /** Whether the subject has reached its threshold in the current window (or is locked out now). */
  over(subject: string): boolean {
    const e = this.entries.get(subject);
    if (!e) return false;
    const now = this.now();
    return e.lockedUntil > now || (now - e.windowStart < this.policy.windowSec * 1000 && e.failures >= this.policy.threshold);
  }

  /**
   * Records one failure. Returns the length in ms of the lock-out this failure started, or 0.
   * `immediate`: lock the subject out now, whatever its count (a battle under attack).
   */
  fail(subject: string, immediate = false): number {
    const now = this.now();
    const e = this.touch(subject, now);
    if (e.lockedUntil > now) return 0; // already locked out: the lock-out is not extended by attempts
    if (now - e.windowStart >= this.policy.windowSec * 1000) {
      e.failures = 0;
      e.windowStart = now;
    }
    e.failures++;
    if (!immediate && e.failures < this.policy.threshold) return 0;
    const ms = Math.min(this.policy.lockSec * 1000 * 2 ** e.lockouts, this.policy.maxLockSec * 1000);
    e.lockouts++;
    e.lockedUntil = now + ms;
    e.failures = 0;
    e.windowStart = now + ms;
    return ms;
  }

  /** Subjects locked out now. */
  activeLocks(): number {
    const now = this.now();
    let n = 0;
    for (const e of this.entries.values()) if (e.lockedUntil > now) n++;
    return n;
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(subject: string, now: number): Entry {
    let e = this.entries.get(subject);
    if (e) {
      this.entries.delete(subject); // re-inserted last: the map's order is least recently touched first
      const cleanSince = e.lockedUntil > 0 ? e.lockedUntil : e.windowStart;
      if (e.lockedUntil <= now && now - cleanSince >= this.policy.maxLockSec * 1000) e.lockouts = 0;
    } else {
      e = { failures: 0, windowStart: now, lockedUntil: 0, lockouts: 0 };
      if (this.entries.size >= this.maxSubjects) this.evict();
    }
    this.entries.set(subject, e);
    return e;
  }

  /** Forgets the least recently touched 1% (an attacker's spread of addresses cannot grow the map). */
  private evict(): void {
    let n = Math.max(1, Math.floor(this.entries.size / 100));
    for (const k of this.entries.keys()) {
      if (n-- <= 0) break;
      this.entries.delete(k);
    }
  }
}
