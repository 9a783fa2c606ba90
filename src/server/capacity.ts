// Resource caps of one process (docs/security.md, "Caps"): battles open per creator IP and in
// total, WebSocket connections per IP and in total. One IP may not fill the process; the process
// refuses new battles and connections at its caps (503 + Retry-After) before its memory runs out,
// and /ready says so, so a load balancer sends new battles elsewhere.
//
// Addresses are the peer addresses of the sockets (the gate overwrites client-supplied proxy
// headers with them, see http-guard.ts). Battles are attributed to the IP that created them until
// they are disposed; connections are counted from the WebSocket upgrade until the socket closes.
import type http from "node:http";
import { ServerError, matchMaker } from "@colyseus/core";
import type { Config } from "./config";
import { addObserver, notify } from "./observers";
import { normaliseIp } from "./blocklist";

export type CapacityLimits = Pick<Config, "MAX_BATTLES_PER_IP" | "MAX_BATTLES" | "MAX_CONNECTIONS_PER_IP" | "MAX_CONNECTIONS" | "CAPACITY_RETRY_AFTER_SEC">;

/** A refusal at a cap: the HTTP status (429 for one IP's cap, 503 for the process's) and a message for the player. */
export interface CapRefusal { status: 429 | 503; message: string; retryAfterSec?: number }

/** A battle being created for an IP: bound to its room id once created, released if creation failed. */
export interface BattleClaim { bind(roomId: string): void; release(): void }

export class Capacity {
  /** Battles per creator IP: open ones and creations in flight. */
  private battlesByIp = new Map<string, number>();
  private creatorOf = new Map<string, string>();
  private creating = 0;
  private connectionsByIp = new Map<string, number>();
  private connections = 0;
  private detach: () => void;

  constructor(readonly limits: CapacityLimits) {
    this.detach = addObserver({ battleDisposed: (e) => this.battleGone(e.roomId) });
  }

  close(): void {
    this.detach();
  }

  /** Battles open in this process (Colyseus' own count), creations in flight included. */
  get battles(): number {
    return matchMaker.stats.local.roomCount + this.creating;
  }

  get openConnections(): number {
    return this.connections;
  }

  /** Reserves a battle for `ip` or throws a ServerError (429 at the IP's cap, 503 at the process's). */
  claimBattle(ipRaw: string | undefined): BattleClaim {
    const ip = key(ipRaw);
    const refusal = this.battleRefusal(ip);
    if (refusal) {
      notify("securityEvent", { kind: "capRefused", ip, reason: refusal.message });
      throw new ServerError(refusal.status, refusal.message);
    }
    this.creating++;
    this.add(this.battlesByIp, ip, 1);
    let settled = false;
    return {
      bind: (roomId) => {
        if (settled) return;
        settled = true;
        this.creating--;
        this.creatorOf.set(roomId, ip);
      },
      release: () => {
        if (settled) return;
        settled = true;
        this.creating--;
        this.add(this.battlesByIp, ip, -1);
      },
    };
  }

  /** Why a new connection from `ip` would be refused now (asked at the matchmaking step, for a clear message). */
  connectionRefusal(ipRaw: string | undefined): CapRefusal | undefined {
    if (this.connections >= this.limits.MAX_CONNECTIONS) {
      return { status: 503, message: `this server is at capacity (${this.limits.MAX_CONNECTIONS} connections); try again later`, retryAfterSec: this.limits.CAPACITY_RETRY_AFTER_SEC };
    }
    if ((this.connectionsByIp.get(key(ipRaw)) ?? 0) >= this.limits.MAX_CONNECTIONS_PER_IP) {
      return { status: 429, message: `too many connections from your address (${this.limits.MAX_CONNECTIONS_PER_IP}); close some first` };
    }
    return undefined;
  }

  /**
   * The WebSocket upgrade: counted until its socket closes, or refused with an HTTP answer on the
   * socket (an upgrade that skipped matchmaking's check, or raced it). Returns whether to upgrade.
   */
  admitUpgrade(req: http.IncomingMessage): boolean {
    const ip = key(normaliseIp(req.socket.remoteAddress));
    const refusal = this.connectionRefusal(ip);
    if (refusal) {
      notify("securityEvent", { kind: "capRefused", ip, reason: refusal.message });
      refuseUpgrade(req, refusal);
      return false;
    }
    this.connections++;
    this.add(this.connectionsByIp, ip, 1);
    req.socket.once("close", () => {
      this.connections--;
      this.add(this.connectionsByIp, ip, -1);
    });
    return true;
  }

  /** What /ready reports: whether this process is at a cap, and its figures. */
  load() {
    const battles = this.battles;
    const atCapacity = battles >= this.limits.MAX_BATTLES || this.connections >= this.limits.MAX_CONNECTIONS;
    return { atCapacity, battles, maxBattles: this.limits.MAX_BATTLES, connections: this.connections, maxConnections: this.limits.MAX_CONNECTIONS };
  }

  private battleRefusal(ip: string): CapRefusal | undefined {
    if (this.battles >= this.limits.MAX_BATTLES) {
      return { status: 503, message: `this server is at capacity (${this.limits.MAX_BATTLES} battles); try again later`, retryAfterSec: this.limits.CAPACITY_RETRY_AFTER_SEC };
    }
    if ((this.battlesByIp.get(ip) ?? 0) >= this.limits.MAX_BATTLES_PER_IP) {
      return { status: 429, message: `too many battles open from your address (${this.limits.MAX_BATTLES_PER_IP}); end one first` };
    }
    return undefined;
  }

  private battleGone(roomId: string) {
    const ip = this.creatorOf.get(roomId);
    if (ip === undefined) return;
    this.creatorOf.delete(roomId);
    this.add(this.battlesByIp, ip, -1);
  }

  private add(map: Map<string, number>, ip: string, n: number) {
    const v = (map.get(ip) ?? 0) + n;
    if (v > 0) map.set(ip, v);
    else map.delete(ip);
  }
}

function key(ip: string | undefined): string {
  return ip ?? "?";
}

/** Answers a refused upgrade on the raw socket (no HTTP response object exists for an upgrade). */
function refuseUpgrade(req: http.IncomingMessage, refusal: CapRefusal) {
  const body = JSON.stringify({ error: refusal.message });
  const head = [
    `HTTP/1.1 ${refusal.status} ${refusal.status === 503 ? "Service Unavailable" : "Too Many Requests"}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(refusal.retryAfterSec ? [`Retry-After: ${refusal.retryAfterSec}`] : []),
    "Connection: close", "", "",
  ];
  req.socket.end(head.join("\r\n") + body);
}
