// Per-client message rate limits (token buckets) and intrusion-detection strikes for one room.
// Pure bookkeeping: the room decides what to reply and whom to kick. Time comes from `now`.
import type { ErrorCode } from "../commands";
import type { Config } from "../server/config";

export type GuardSettings = Pick<Config,
  | "RATE_COMBAT_PER_SEC" | "RATE_COMBAT_BURST" | "RATE_GM_PER_SEC" | "RATE_GM_BURST"
  | "RATE_CHAT_PER_SEC" | "RATE_CHAT_BURST" | "RATE_OTHER_PER_SEC" | "RATE_OTHER_BURST"
  | "IDS_MAX_STRIKES" | "IDS_WINDOW_SEC">;


/** Which bucket a message draws from: a player's space:* (combat), gm:*, chat, anything else. */
export type RateClass = "combat" | "gm" | "chat" | "other";

export function rateClassOf(type: string): RateClass {
  if (type.startsWith("space:")) return "combat";
  if (type.startsWith("gm:")) return "gm";
  if (type === "chat") return "chat";
  return "other";
}

/**
 * Refusals that no honest client produces in numbers: they count as strikes. Game-rule refusals
 * (notYourTurn, wrongPhase, stale, noAmmo...) happen in honest play on a laggy link and do not.
 */
export const STRIKE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["invalid", "forbidden", "notSeated", "readOnly", "rateLimited"]);

/**
 * A token bucket: holds up to `burst` tokens, refills `rate` per second; a message takes one.
 * A player who acts quickly a few times (an opponent's quick turn, several turrets at once) spends
 * the burst and is never stalled; only a sustained rate above `rate` is refused.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(private readonly rate: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.at = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  /** Milliseconds until the next token. */
  waitMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

/** Strike times in a queue: `head` is the oldest still in the window (no O(n) shift per strike). */
interface Subject { buckets: Partial<Record<RateClass, TokenBucket>>; strikes: number[]; head: number }

export class Guard {
  private subjects = new Map<string, Subject>();
  constructor(private settings: GuardSettings, private now: () => number = Date.now) {}

  /** Takes a token for `subject` (a seat id, or a session id for clients without a seat). */
  allow(subject: string, cls: RateClass): { ok: true } | { ok: false; retryMs: number } {
    const s = this.subject(subject);
    const bucket = (s.buckets[cls] ??= this.bucket(cls));
    return bucket.take(this.now()) ? { ok: true } : { ok: false, retryMs: bucket.waitMs() };
  }

  /** Records a strike; true once the subject has IDS_MAX_STRIKES within IDS_WINDOW_SEC. */
  strike(subject: string): boolean {
    const s = this.subject(subject);
    const now = this.now();
    const from = now - this.settings.IDS_WINDOW_SEC * 1000;
    s.strikes.push(now);
    while (s.head < s.strikes.length && s.strikes[s.head]! <= from) s.head++;
    if (s.head > 1024 && s.head * 2 > s.strikes.length) {
      s.strikes = s.strikes.slice(s.head);
      s.head = 0;
    }
    return s.strikes.length - s.head >= this.settings.IDS_MAX_STRIKES;
  }

  forget(subject: string): void {
    this.subjects.delete(subject);
  }

  private subject(id: string): Subject {
    let s = this.subjects.get(id);
    if (!s) this.subjects.set(id, (s = { buckets: {}, strikes: [], head: 0 }));
    return s;
  }

  private bucket(cls: RateClass): TokenBucket {
    const c = this.settings;
    const [rate, burst] =
      cls === "combat" ? [c.RATE_COMBAT_PER_SEC, c.RATE_COMBAT_BURST]
      : cls === "gm" ? [c.RATE_GM_PER_SEC, c.RATE_GM_BURST]
      : cls === "chat" ? [c.RATE_CHAT_PER_SEC, c.RATE_CHAT_BURST]
      : [c.RATE_OTHER_PER_SEC, c.RATE_OTHER_BURST];
    return new TokenBucket(rate, burst, this.now());
  }
}
