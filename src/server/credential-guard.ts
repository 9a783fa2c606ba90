// Brute-force protection for every secret a stranger could guess: a battle's password, seat keys
// and GM keys (checked by the battle's room, at the matchmaking step and again in onAuth, and by
// the GM's log export), and the operator credentials (src/server/admin-auth.ts). Policy and its
// reasons: docs/security.md, "Guessed secrets".
//
// Battle secrets are counted per (IP, battle) and per IP, so one mistyping player behind a NAT
// shared by a whole table spends a few of the table's ten tries on that battle and locks nobody
// out; a guesser is locked out of that battle after AUTH_FAILURES_PER_IP_BATTLE failures and out
// of every battle after AUTH_FAILURES_PER_IP. A battle failing AUTH_FAILURES_PER_BATTLE times from
// all IPs (guessing spread over many addresses) is under attack: from then on each failing IP is
// locked out of it at once. The battle itself is never locked: the right secret from any address
// that is not locked out always gets in, so no stranger can lock a table out of its battle.
// Every failure, lock-out and refusal during a lock-out is a security event (audit trail, metrics).
import type { Config } from "./config";
import { Lockout, type LockoutPolicy } from "./lockout";
import { notify } from "./observers";

export type CredentialSettings = Pick<Config,
  | "AUTH_FAILURES_PER_IP_BATTLE" | "AUTH_FAILURES_PER_IP" | "AUTH_FAILURES_PER_BATTLE" | "AUTH_FAILURES_PER_IP_ADMIN"
  | "AUTH_FAILURE_WINDOW_SEC" | "AUTH_LOCKOUT_SEC" | "AUTH_LOCKOUT_MAX_SEC">;

/** A refusal because of a lock-out: how long until the next attempt may be made. */
export interface LockedOut { retryAfterSec: number; message: string }

/** What was guessed; recorded in the audit trail (never the guess itself). */
export type SecretKind = "password" | "seat key" | "GM key" | "operator password" | "metrics token";

export class CredentialGuard {
  private readonly ipBattle: Lockout;
  private readonly ip: Lockout;
  private readonly battle: Lockout;
  private readonly operator: Lockout;

  constructor(readonly settings: CredentialSettings, now: () => number = Date.now) {
    const policy = (threshold: number): LockoutPolicy => ({
      threshold, windowSec: settings.AUTH_FAILURE_WINDOW_SEC, lockSec: settings.AUTH_LOCKOUT_SEC, maxLockSec: settings.AUTH_LOCKOUT_MAX_SEC,
    });
    this.ipBattle = new Lockout(policy(settings.AUTH_FAILURES_PER_IP_BATTLE), now);
    this.ip = new Lockout(policy(settings.AUTH_FAILURES_PER_IP), now);
    this.battle = new Lockout(policy(settings.AUTH_FAILURES_PER_BATTLE), now);
    this.operator = new Lockout(policy(settings.AUTH_FAILURES_PER_IP_ADMIN), now);
  }

  /** Before a battle secret is checked: a refusal while this IP is locked out of this battle. */
  battleLocked(roomId: string, ip: string | undefined, what: SecretKind): LockedOut | undefined {
    const ms = Math.max(this.ipBattle.remainingMs(pair(roomId, ip)), this.ip.remainingMs(addr(ip)));
    if (ms <= 0) return undefined;
    return this.refuse(ms, { roomId, ip, what });
  }

  /** A battle secret was wrong: counted for (IP, battle), the IP and the battle. */
  battleFailed(roomId: string, ip: string | undefined, what: SecretKind): void {
    notify("securityEvent", { kind: "authFailed", roomId, ip, reason: `wrong ${what}` });
    this.battle.fail(roomId);
    const underAttack = this.battle.over(roomId);
    const pairMs = this.ipBattle.fail(pair(roomId, ip), underAttack);
    const ipMs = this.ip.fail(addr(ip));
    if (pairMs > 0) this.lockedOut(pairMs, { roomId, ip, what, scope: underAttack ? "this battle (under attack)" : "this battle" });
    if (ipMs > 0) this.lockedOut(ipMs, { roomId, ip, what, scope: "every battle" });
  }

  /** Before operator credentials are checked. */
  operatorLocked(ip: string | undefined, what: SecretKind): LockedOut | undefined {
    const ms = this.operator.remainingMs(addr(ip));
    return ms > 0 ? this.refuse(ms, { ip, what }) : undefined;
  }

  operatorFailed(ip: string | undefined, what: SecretKind): void {
    notify("securityEvent", { kind: "authFailed", ip, reason: `wrong ${what}` });
    const ms = this.operator.fail(addr(ip));
    if (ms > 0) this.lockedOut(ms, { ip, what, scope: "the operator routes" });
  }

  /** Subjects locked out now, by scope (for /metrics). */
  activeLocks(): Record<"battle_ip" | "ip" | "operator_ip", number> {
    return { battle_ip: this.ipBattle.activeLocks(), ip: this.ip.activeLocks(), operator_ip: this.operator.activeLocks() };
  }

  private refuse(ms: number, e: { roomId?: string; ip?: string; what: SecretKind }): LockedOut {
    const retryAfterSec = Math.ceil(ms / 1000);
    notify("securityEvent", { kind: "authLocked", roomId: e.roomId, ip: e.ip, reason: `${e.what} not checked: locked out for another ${retryAfterSec} s` });
    return { retryAfterSec, message: `too many failed attempts from your address; try again in ${retryAfterSec} s` };
  }

  private lockedOut(ms: number, e: { roomId?: string; ip?: string; what: SecretKind; scope: string }) {
    notify("securityEvent", { kind: "lockedOut", roomId: e.roomId, ip: e.ip, reason: `locked out of ${e.scope} for ${Math.ceil(ms / 1000)} s after repeated wrong ${e.what}` });
  }
}

// An unknown address (no peer address at all) is one subject: it cannot escape the count.
function addr(ip: string | undefined): string {
  return ip ?? "?";
}

function pair(roomId: string, ip: string | undefined): string {
  return `${roomId}|${addr(ip)}`;
}
