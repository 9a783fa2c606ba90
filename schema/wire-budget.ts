// How much of a battle the wire state carries. The full state goes to every client that joins,
// reloads or follows its battle to another process, so it must stay small for any battle the
// limits allow: the combat log and the chat are bounded by bytes as well as by count, the rest
// (ships, turrets, missiles in flight, crew) is bounded by the limits themselves. The full log stays
// on the server (GM export: GET /api/battles/:id/log). test/schema/wire-budget.test.ts builds the
// worst case the limits allow and checks it against WIRE_STATE_BUDGET_BYTES.
import type { LogEntry } from "../src/rules/model";
import { packDice, packLines, packModifiers } from "../src/commands/log-fields";

/** The largest full state (the GM's view) any battle may send: the seeds' 100 KB line. */
export const WIRE_STATE_BUDGET_BYTES = 100 * 1024;
/** Rounds of combat log the wire state keeps at most. */
export const LOG_ROUNDS_KEPT = 10;
/** Upper bound of the encoded bytes of the combat log on the wire (newest entries kept). */
export const LOG_WIRE_BYTES = 40 * 1024;
/** Chat lines the wire state keeps at most, and the bound of their encoded bytes (newest kept). */
export const CHAT_KEPT = 50;
export const CHAT_WIRE_BYTES = 16 * 1024;

/**
 * An upper bound of a string's encoded size: its UTF-8 bytes and the longest length header
 * @colyseus/schema writes, plus the field's operation byte.
 */
function stringBytes(s: string | undefined): number {
  return s ? Buffer.byteLength(s, "utf8") + 6 : 6;
}

/** Per-item bounds (operation, index, reference id, structure switch) of the schema encoding. */
const ENTRY_OVERHEAD = 32;

/** need, effect, volley, damageTotal and detailDamageTotal: operation byte and the widest value each. */
const NUMBER_FIELDS_BYTES = 2 + 2 + 5 + 3 + 3;

/** The damage DMs anyone may read: all but the target's armour when the entry hides it. */
export function publicDamageModifiers(e: LogEntry): { label: string; value: number }[] {
  const all = e.damage?.modifiers ?? [];
  return e.publicResult !== undefined ? all.filter((m) => m.label !== "armour") : all;
}

/**
 * An upper bound of one combat-log entry's share of a full state, as the GM's view (which
 * also carries the hidden detail) encodes it, its lists packed as they travel
 * (src/commands/log-fields.ts). Checked against the real encoder in the tests.
 */
export function logEntryWireBytes(e: LogEntry): number {
  let bytes = ENTRY_OVERHEAD + NUMBER_FIELDS_BYTES + stringBytes(e.actor) + stringBytes(e.action) + stringBytes(e.target)
    + stringBytes(e.publicResult ?? e.result) + stringBytes(packDice(e.dice)) + stringBytes(packModifiers(e.modifiers));
  if (e.damage) {
    bytes += stringBytes(packDice(e.damage.dice)) + stringBytes(packModifiers(publicDamageModifiers(e))) + stringBytes(packLines(e.damage.hits));
  }
  if (e.publicResult !== undefined) bytes += stringBytes(e.result) + stringBytes(packModifiers(e.damage?.modifiers ?? []));
  return bytes;
}

export interface ChatLineFields { from: string; fromName: string; text: string }

/** An upper bound of one chat line's share of a full state. */
export function chatLineWireBytes(line: ChatLineFields): number {
  return 48 + stringBytes(line.from) + stringBytes(line.fromName) + stringBytes(line.text);
}
