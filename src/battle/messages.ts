// Turns a client message into what the host acts on: a command for the engine (with the actor
// derived from the sender's seat, never from the payload), a chat line, or a seat release. Every
// payload is checked against its zod schema first; a bad one is a typed `invalid` refusal.
import type { z } from "zod";
import { chatMsg, GM_MESSAGES, LIMITS, SHIP_MESSAGES, type ErrorCode, type GmMessageName, type ShipMessageName } from "../commands";
import type { Actor, Command, ShipCommand } from "../engine/types";
import { gmControlCommand } from "./gm-control";
import type { Seat } from "./seats";

export type Message =
  | { kind: "command"; cid: string; v?: number; actor: Actor; cmd: Command }
  | { kind: "chat"; cid: string; text: string }
  | { kind: "releaseSeat"; cid: string; seatId: string }
  | { kind: "refused"; code: ErrorCode; message: string; cid?: string };

/** What reading a message needs to know of the other seats. */
export interface MessageTable {
  /** Whether somebody else, connected, holds the captain's position on this seat's ship. */
  captainAboard(seat: Seat): boolean;
}

const isShipMessage = (type: string): type is ShipMessageName => Object.hasOwn(SHIP_MESSAGES, type);
const isGmMessage = (type: string): type is GmMessageName => Object.hasOwn(GM_MESSAGES, type);

/**
 * `space:*` messages are a crew's (the GM acts for NPC ships with gm:act), `gm:*` the GM's: a
 * message the sender's seat cannot send at all is `forbidden` here; whether the command itself is
 * allowed is the engine's permission() alone.
 */
export function readMessage(seat: Seat, type: string, payload: unknown, table: MessageTable): Message {
  if (type === "chat") {
    const parsed = chatMsg.safeParse(payload);
    if (!parsed.success) return invalid(parsed.error, payload);
    return { kind: "chat", cid: parsed.data.cid, text: parsed.data.text };
  }
  if (isShipMessage(type)) {
    const parsed = SHIP_MESSAGES[type].safeParse(payload);
    if (!parsed.success) return invalid(parsed.error, payload);
    if (seat.role !== "player") return { kind: "refused", code: "forbidden", message: "the GM acts for NPC ships with gm:act", cid: parsed.data.cid };
    const { cid, v, ...fields } = parsed.data as { cid: string; v?: number } & Record<string, unknown>;
    const cmd = { type: type.slice("space:".length), shipId: seat.shipId, ...fields } as ShipCommand;
    // Ending the turn is the captain's call when a connected crew member holds the position (docs/rules.md).
    const captainAboard = table.captainAboard(seat);
    return { kind: "command", cid, v, actor: { kind: "crew", shipId: seat.shipId, roles: seat.positions, ...(captainAboard ? { captainAboard } : {}) }, cmd };
  }
  if (isGmMessage(type)) {
    const parsed = GM_MESSAGES[type].safeParse(payload);
    if (!parsed.success) return invalid(parsed.error, payload);
    const msg = parsed.data as z.infer<(typeof GM_MESSAGES)[GmMessageName]>;
    if (seat.role !== "gm") return { kind: "refused", code: "forbidden", message: "only the GM may send gm:* messages", cid: msg.cid };
    if (type === "gm:releaseSeat") return { kind: "releaseSeat", cid: msg.cid, seatId: (msg as z.infer<typeof GM_MESSAGES["gm:releaseSeat"]>).seatId };
    return { kind: "command", cid: msg.cid, v: "v" in msg ? msg.v : undefined, actor: { kind: "gm" }, cmd: gmCommand(type, msg) };
  }
  return { kind: "refused", code: "invalid", message: "unknown message type", cid: cidOf(payload) };
}

function gmCommand(type: Exclude<GmMessageName, "gm:releaseSeat">, msg: z.infer<(typeof GM_MESSAGES)[GmMessageName]>): Command {
  switch (type) {
    case "gm:start": return { type: "start" };
    case "gm:end": { const m = msg as z.infer<typeof GM_MESSAGES["gm:end"]>; return { type: "end", winner: m.winner, reason: m.reason }; }
    case "gm:addShip": return { type: "addShip", ship: (msg as z.infer<typeof GM_MESSAGES["gm:addShip"]>).ship };
    case "gm:removeShip": return { type: "removeShip", shipId: (msg as z.infer<typeof GM_MESSAGES["gm:removeShip"]>).shipId };
    case "gm:act": { const m = msg as z.infer<typeof GM_MESSAGES["gm:act"]>; return { ...m.command, shipId: m.shipId } as ShipCommand; }
    // pause, resume, skipTurn, undo, adjust (src/battle/gm-control.ts)
    default: return gmControlCommand(type, msg)!;
  }
}

function invalid(error: z.ZodError, payload: unknown): Message {
  return { kind: "refused", code: "invalid", message: zodMessage(error), cid: cidOf(payload) };
}

/** The command id of a payload that failed its schema, when it has a usable one (for the error reply). */
export function cidOf(payload: unknown): string | undefined {
  if (payload && typeof payload === "object" && typeof (payload as { cid?: unknown }).cid === "string") {
    const cid = (payload as { cid: string }).cid;
    return cid.length <= LIMITS.commandId ? cid : undefined;
  }
  return undefined;
}

export function zodMessage(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(message)"}: ${i.message}`).join("; ");
}
