// Who sits where in one battle: the GM seat and player seats, each bound to a secret key.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Role } from "../rules/model";

export interface Seat {
  seatId: string;
  key: string;
  role: "gm" | "player";
  name: string;
  shipId: string;           // "" for the GM
  positions: Role[];
  sessionId: string | null; // the connected client holding it, if any
}

/** Positions one player at most may hold per ship; gunners may be several (one per turret). */
const EXCLUSIVE: readonly Role[] = ["pilot", "engineer", "captain", "sensors"];

export class Seats {
  private bySeat = new Map<string, Seat>();
  private bySession = new Map<string, Seat>();
  private counter = 0;

  get gm(): Seat | undefined {
    for (const s of this.bySeat.values()) if (s.role === "gm") return s;
    return undefined;
  }
  get players(): Seat[] {
    return [...this.bySeat.values()].filter((s) => s.role === "player");
  }
  all(): Seat[] {
    return [...this.bySeat.values()];
  }
  ofSession(sessionId: string): Seat | undefined {
    return this.bySession.get(sessionId);
  }
  byKey(key: string): Seat | undefined {
    for (const s of this.bySeat.values()) if (safeEqual(s.key, key)) return s;
    return undefined;
  }
  /** The positions on `shipId` already held by someone else than `exceptSeatId`. */
  conflicts(shipId: string, positions: Role[], exceptSeatId?: string): Role[] {
    const held = new Set<Role>();
    for (const s of this.bySeat.values()) {
      if (s.shipId === shipId && s.seatId !== exceptSeatId) s.positions.forEach((p) => held.add(p));
    }
    return positions.filter((p) => EXCLUSIVE.includes(p) && held.has(p));
  }
  add(role: "gm" | "player", name: string, shipId: string, positions: Role[]): Seat {
    const seat: Seat = { seatId: `${role === "gm" ? "g" : "s"}${++this.counter}`, key: newKey(), role, name, shipId, positions, sessionId: null };
    this.bySeat.set(seat.seatId, seat);
    return seat;
  }
  /** Puts back a seat read from the durable log (a battle restored on another process). */
  restore(r: { seatId: string; key: string; role: "gm" | "player"; name: string; shipId: string; positions: string[] }): Seat {
    const seat: Seat = { seatId: r.seatId, key: r.key, role: r.role, name: r.name, shipId: r.shipId, positions: [...r.positions] as Role[], sessionId: null };
    this.bySeat.set(seat.seatId, seat);
    const n = Number(r.seatId.slice(1));
    if (Number.isInteger(n) && n > this.counter) this.counter = n;
    return seat;
  }
  bind(seat: Seat, sessionId: string): void {
    if (seat.sessionId) this.bySession.delete(seat.sessionId);
    seat.sessionId = sessionId;
    this.bySession.set(sessionId, seat);
  }
  unbind(sessionId: string): Seat | undefined {
    const seat = this.bySession.get(sessionId);
    if (seat) {
      this.bySession.delete(sessionId);
      if (seat.sessionId === sessionId) seat.sessionId = null;
    }
    return seat;
  }
  remove(seatId: string): void {
    const seat = this.bySeat.get(seatId);
    if (!seat) return;
    if (seat.sessionId) this.bySession.delete(seat.sessionId);
    this.bySeat.delete(seatId);
  }
  /** Player seats on a ship that somebody holds (connected or within reconnection grace). */
  crewedShips(): Set<string> {
    return new Set(this.players.map((s) => s.shipId));
  }
}

function newKey(): string {
  return randomBytes(24).toString("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
