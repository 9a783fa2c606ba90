// The combat log a battle sends its clients (src/commands/log-wire.ts): per accepted change, the
// new entries as each role may read them; on a join or reconnection, the kept tail.
//
// A role reads an entry's hidden detail (its target's armour) once the role is entitled to the
// target's details (src/engine/visibility.ts: the GM always, players for their fleet and ships
// under their sensor lock), at the entry's publication or later, and keeps it when the
// entitlement ends (a lock lasts its round), as the table would remember what it was told. When a
// role gains a ship, the entries about that ship it holds in public form only are revealed: that
// role is sent its tail again. Plain logic, no sockets: the roles that read the same get the same
// message object, which the room encodes once.
import { detailedShips } from "../engine";
import type { Battle, LogEntry } from "../rules/model";
import type { SeatReply } from "../commands/replies";
import { LOG_ROUNDS_KEPT, LOG_WIRE_BYTES, hasHiddenDetail, wireLogEntry, wireLogEntryBytes, type LogMessage, type WireLogEntry } from "../commands/log-wire";

/** The roles a seat can hold (the `seat` reply's): what decides which form of an entry a client reads. */
export type FeedRole = SeatReply["role"];

/** The roles whose entitlement varies, and their bit in `Kept.revealed` (the GM reads every detail). */
const BIT = { player: 1, spectator: 2 } as const;
const LIMITED = Object.entries(BIT) as [keyof typeof BIT, number][];

interface Kept {
  round: number;
  target: string;
  /** What every role may read. */
  open: WireLogEntry;
  /** With the hidden detail, when the entry has one. */
  full?: WireLogEntry;
  /** The limited roles (bits) that may read `full`. */
  revealed: number;
  /** The larger form's encoded size bound: what the tail's byte budget counts. */
  bytes: number;
}

export class LogFeed {
  private kept: Kept[] = [];
  private total = 0;
  /** Per limited role, the ships whose details it may read, as of the last change. */
  private entitled = new Map<FeedRole, Set<string>>();

  /**
   * Takes an accepted change's new entries; returns the `log` message each of `roles` (the roles
   * with a client connected) is to receive, if any. Roles that read the same get the same object.
   */
  publish(battle: Battle, events: readonly LogEntry[], roles: ReadonlySet<FeedRole>): Map<FeedRole, LogMessage> {
    // The roles to be sent their whole tail again: it reveals entries they already hold.
    const tailAgain = new Set<FeedRole>();
    for (const [role, bit] of LIMITED) {
      const now = detailedShips(battle, { role, shipId: "" });
      const before = this.entitled.get(role);
      this.entitled.set(role, now);
      if (before && !gained(before, now)) continue;
      for (const k of this.kept) {
        if (k.full && !(k.revealed & bit) && now.has(k.target)) {
          k.revealed |= bit;
          tailAgain.add(role);
        }
      }
    }
    const fresh: Kept[] = [];
    for (const e of events) {
      const open = wireLogEntry(e, false);
      const full = hasHiddenDetail(e) ? wireLogEntry(e, true) : undefined;
      let revealed = 0;
      if (full && e.target) for (const [role, bit] of LIMITED) if (this.entitled.get(role)!.has(e.target)) revealed |= bit;
      const k: Kept = { round: e.round, target: e.target ?? "", open, full, revealed, bytes: wireLogEntryBytes(full ?? open) };
      fresh.push(k);
      this.kept.push(k);
      this.total += k.bytes;
    }
    this.trim(battle.round);
    const out = new Map<FeedRole, LogMessage>();
    const since = this.since();
    // The roles that read nothing hidden in these entries (every role, after a miss or a turn's end)
    // share one message object: the room encodes it once.
    let open: LogMessage | undefined;
    for (const role of roles) {
      if (tailAgain.has(role)) out.set(role, this.tailFor(role));
      else if (!fresh.length) continue;
      else if (fresh.some((k) => k.full && reads(k, role))) out.set(role, { tail: false, entries: fresh.map((k) => formFor(k, role)), since });
      else out.set(role, (open ??= { tail: false, entries: fresh.map((k) => k.open), since }));
    }
    return out;
  }

  /** The kept tail as `role` reads it: what a joining or reconnecting client of that role is sent first. */
  tailFor(role: FeedRole): LogMessage {
    return { tail: true, entries: this.kept.map((k) => formFor(k, role)), since: this.since() };
  }

  /** The seq of the oldest entry kept (0: none). */
  private since(): number {
    return this.kept[0]?.open.seq ?? 0;
  }

  /** Keeps the last LOG_ROUNDS_KEPT rounds up to `round`, and at most LOG_WIRE_BYTES (newest kept). */
  private trim(round: number) {
    const oldest = round - LOG_ROUNDS_KEPT + 1;
    let drop = 0;
    while (drop < this.kept.length && (this.kept[drop]!.round < oldest || this.total > LOG_WIRE_BYTES)) this.total -= this.kept[drop++]!.bytes;
    if (drop > 0) this.kept = this.kept.slice(drop);
  }
}

/** Whether `role` may read the entry's hidden detail. */
function reads(k: Kept, role: FeedRole): boolean {
  return role === "gm" || (k.revealed & BIT[role]) !== 0;
}

function formFor(k: Kept, role: FeedRole): WireLogEntry {
  return k.full && reads(k, role) ? k.full : k.open;
}

function gained(before: ReadonlySet<string>, now: ReadonlySet<string>): boolean {
  for (const id of now) if (!before.has(id)) return true;
  return false;
}
