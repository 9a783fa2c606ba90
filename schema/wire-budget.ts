// How much of a battle the wire state carries. The full state goes to every client that joins,
// reloads or follows its battle to another process, so it must stay small for any battle the
// limits allow: the chat is bounded by bytes as well as by count, the rest (ships, turrets,
// missiles in flight, crew) is bounded by the limits themselves. The combat log is not state: its
// kept tail, sent on joining, has its own bound (LOG_WIRE_BYTES, src/commands/log-wire.ts), and the
// full log stays on the server (GM export: GET /api/battles/:id/log). test/schema/wire-budget.test.ts
// builds the worst case the limits allow and checks it against WIRE_STATE_BUDGET_BYTES.

/** The largest full state (the GM's view) any battle may send: the seeds' 100 KB line. */
export const WIRE_STATE_BUDGET_BYTES = 100 * 1024;
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

export interface ChatLineFields { from: string; fromName: string; text: string }

/** An upper bound of one chat line's share of a full state. */
export function chatLineWireBytes(line: ChatLineFields): number {
  return 48 + stringBytes(line.from) + stringBytes(line.fromName) + stringBytes(line.text);
}
