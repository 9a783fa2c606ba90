// The combat log on the wire. It is not part of the synchronised state: each accepted command's
// new entries travel as a `log` message, as each role (the GM, the players, the spectators) may
// read them, encoded once for all the clients that read the same; a client that joins, reloads,
// reconnects or follows its battle to another process gets the kept tail in one `log` message first.
// In the state every entry was a schema object the server created, tracked, encoded into each
// view's patch and trimmed again; out of it a finished battle holds a third of the heap and a
// command costs the server 4–19 % less (docs/performance.md, "Fourth pass").
//
// What a role may read of an entry is the visibility rule's (src/engine/visibility.ts): an entry
// that would reveal its target's armour carries the full text and damage only for the roles
// entitled to that ship's details (src/battle/log-feed.ts decides which).
//
// Shared by the server (the feed), the web client, the test clients and the bots (the log book
// below): the browser bundles this file, so it imports no package.
import type { LogEntry } from "../rules/model";
import { packDice, packLines, packModifiers } from "./log-fields";

/** Name of the server -> client message that carries combat-log entries. */
export const LOG_MESSAGE = "log";
/** Rounds of combat log a client holds (and a joining client is sent) at most. */
export const LOG_ROUNDS_KEPT = 10;
/** Upper bound of a kept tail's encoded bytes (newest entries kept): a join's `log` message stays below it. */
export const LOG_WIRE_BYTES = 40 * 1024;

/**
 * One entry as a client reads it; lists come packed (./log-fields.ts). Fields without a value are
 * left out (the client reads them as absent); `damageTotal` is there whenever the damage is.
 */
export interface WireLogEntry {
  seq: number; round: number; actor: string; action: string; target?: string;
  dice?: string; modifiers?: string; total?: number; need?: number; effect?: number; volley?: number;
  damageDice?: string; damageModifiers?: string;
  /** −1 when it would reveal the target's armour: then only `detailDamageTotal` has it. */
  damageTotal?: number; hits?: string;
  /** What everybody may read. */
  result: string;
  /** For the roles entitled to the target's details: the full text, the damage DMs with the armour, the damage. */
  detail?: string; detailModifiers?: string; detailDamageTotal?: number;
}

/**
 * `log`: entries in order. `tail: true` is the whole kept tail (on joining, reconnecting, or when
 * the role may newly read hidden details of entries it already has): it replaces what the client
 * holds. Otherwise the entries follow those the client holds. `since` is the seq of the oldest
 * entry the server keeps now: the client drops older ones, so every client holds what a client
 * joining now is sent, whatever its role (the server's byte bound counts the largest form).
 */
export interface LogMessage { tail: boolean; entries: WireLogEntry[]; since: number }

/** Whether an entry has a hidden detail (the target's armour): then it has a public and a full form. */
export function hasHiddenDetail(e: LogEntry): boolean {
  return e.publicResult !== undefined;
}

/** The damage DMs anyone may read: all but the target's armour when the entry hides it. */
function publicDamageModifiers(e: LogEntry): { label: string; value: number }[] {
  const all = e.damage?.modifiers ?? [];
  return hasHiddenDetail(e) ? all.filter((m) => m.label !== "armour") : all;
}

/** An entry as a role reads it: `full` adds the hidden detail (for roles entitled to the target's details). */
export function wireLogEntry(e: LogEntry, full: boolean): WireLogEntry {
  const hidden = hasHiddenDetail(e);
  const w: WireLogEntry = { seq: e.seq, round: e.round, actor: e.actor, action: e.action, result: e.publicResult ?? e.result };
  if (e.target) w.target = e.target;
  if (e.dice.length) w.dice = packDice(e.dice);
  if (e.modifiers.length) w.modifiers = packModifiers(e.modifiers);
  if (e.total) w.total = e.total;
  if (e.need !== undefined) {
    w.need = e.need;
    w.effect = e.effect ?? 0;
  }
  if (e.volley) w.volley = e.volley;
  if (e.damage) {
    w.damageDice = packDice(e.damage.dice);
    const mods = packModifiers(publicDamageModifiers(e));
    if (mods) w.damageModifiers = mods;
    w.damageTotal = hidden ? -1 : e.damage.total;
    const hits = packLines(e.damage.hits);
    if (hits) w.hits = hits;
  }
  if (hidden && full) {
    w.detail = e.result;
    const mods = packModifiers(e.damage?.modifiers ?? []);
    if (mods) w.detailModifiers = mods;
    w.detailDamageTotal = e.damage?.total ?? 0;
  }
  return w;
}

/** UTF-8 bytes of a string (no Buffer or TextEncoder: this file runs in the browser and on the server). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) { n += 4; i++; } // a surrogate pair
    else n += 3;
  }
  return n;
}

/**
 * An upper bound of an entry's MessagePack bytes: per field its key (a short string) and its value
 * (a string's header of at most 5 bytes, or a number of at most 9), plus the map's header.
 * Checked against the real encoder in test/schema/wire-budget.test.ts.
 */
export function wireLogEntryBytes(w: WireLogEntry): number {
  let n = 5;
  for (const key in w) {
    const v = w[key as keyof WireLogEntry];
    n += 1 + key.length + (typeof v === "string" ? 5 + utf8Bytes(v) : 9);
  }
  return n;
}

/**
 * A client's combat log: the `log` messages of its battle applied in order, trimmed where the
 * server's tail is (`since`). Anything malformed is ignored (the server is trusted, but a client
 * never throws on what it receives).
 */
export class LogBook {
  private list: WireLogEntry[] = [];
  private changes = 0;

  /**
   * Counts the changes applied: a view redraws when it moves (a tail that only reveals details of
   * entries already held changes no seq and no length).
   */
  get revision(): number {
    return this.changes;
  }

  /** The entries held, oldest first. */
  get entries(): readonly WireLogEntry[] {
    return this.list;
  }

  /** The newest entry's seq (0: none). */
  get lastSeq(): number {
    return this.list.at(-1)?.seq ?? 0;
  }

  /** Applies one `log` message; returns whether the log changed. */
  apply(message: unknown): boolean {
    if (!message || typeof message !== "object") return false;
    const { tail, entries, since } = message as Partial<LogMessage>;
    if (!Array.isArray(entries)) return false;
    if (tail === true) this.list = [];
    let changed = tail === true;
    for (const e of entries) {
      if (!e || typeof e !== "object" || typeof e.seq !== "number" || typeof e.round !== "number") continue;
      // An entry already held (a message that crossed a tail) is not added twice.
      if (e.seq <= this.lastSeq) continue;
      this.list.push(e);
      changed = true;
    }
    if (typeof since === "number") {
      let drop = 0;
      while (drop < this.list.length && this.list[drop]!.seq < since) drop++;
      if (drop > 0) {
        this.list = this.list.slice(drop);
        changed = true;
      }
    }
    if (changed) this.changes++;
    return changed;
  }

  /** Forgets everything (the client follows its battle to another process: that one sends its tail). */
  clear(): void {
    this.list = [];
    this.changes++;
  }
}
