// Seat keys and IP addresses blocked by intrusion detection, for a configured time. Kept in the
// Colyseus presence (in memory, or Redis when REDIS_URL is set, so every process sees a block).
// Keys are stored hashed: the block list never holds a usable credential.
import { createHash } from "node:crypto";
import type { Presence } from "@colyseus/core";

const PREFIX = "tb:block:";

function keyOf(kind: "key" | "ip", value: string): string {
  return PREFIX + kind + ":" + createHash("sha256").update(value).digest("base64url").slice(0, 32);
}

/** Normalises an IPv4-mapped IPv6 address so that ::ffff:1.2.3.4 and 1.2.3.4 are one client. */
export function normaliseIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

export class Blocklist {
  constructor(private presence: Presence) {}

  async block(kind: "key" | "ip", value: string, seconds: number): Promise<void> {
    await this.presence.setex(keyOf(kind, value), String(Date.now() + seconds * 1000), seconds);
  }

  async isBlocked(kind: "key" | "ip", value: string | undefined): Promise<boolean> {
    if (!value) return false;
    const until = await this.presence.get(keyOf(kind, value));
    return until !== null && until !== undefined && Number(until) > Date.now();
  }
}
