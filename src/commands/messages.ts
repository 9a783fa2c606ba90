// One zod schema per client message. Shared by the room (validation) and the client (types).
// Every schema is strict: unknown keys are refused, so `__proto__` or `constructor` keys never pass.
import { z } from "zod";
import { LIMITS } from "./limits";
import { cleanText, commandId, shipId, systemSchema, turnStampSchema, turretId } from "./common";
import { shipSpecSchema } from "./options";

const base = { cid: commandId, v: turnStampSchema.optional() };

export const fireMsg = z.strictObject({ ...base, turretId, targetId: shipId });
export const launchMissileMsg = z.strictObject({ ...base, turretId, targetId: shipId, missile: z.enum(["standard", "smart"]) });
export const pointDefenseMsg = z.strictObject({ ...base, turretId });
export const useSandcasterMsg = z.strictObject({ ...base, turretId });
export const evadeMsg = z.strictObject({ ...base, mode: z.enum(["evasive", "dodge"]) });
export const changeRangeMsg = z.strictObject({ ...base, targetId: shipId, direction: z.enum(["closer", "farther"]) });
export const repairMsg = z
  .strictObject({ ...base, system: systemSchema.optional(), turretId: turretId.optional() })
  .refine((m) => (m.system === undefined) !== (m.turretId === undefined), { message: "name exactly one of system or turretId" });
export const sensorLockMsg = z.strictObject({ ...base, targetId: shipId });
export const coordinateMsg = z.strictObject({ ...base, mode: z.enum(["initiative", "pool"]) });
export const endTurnMsg = z.strictObject({ ...base });
export const chatMsg = z.strictObject({ cid: commandId, text: cleanText(LIMITS.chat, "NFC") });

/** Ship commands as the GM sends them for an NPC ship inside `gm:act`. */
export const shipCommandForGm = z.discriminatedUnion("type", [
  fireMsg.omit({ cid: true, v: true }).extend({ type: z.literal("fire") }),
  launchMissileMsg.omit({ cid: true, v: true }).extend({ type: z.literal("launchMissile") }),
  pointDefenseMsg.omit({ cid: true, v: true }).extend({ type: z.literal("pointDefense") }),
  useSandcasterMsg.omit({ cid: true, v: true }).extend({ type: z.literal("useSandcaster") }),
  evadeMsg.omit({ cid: true, v: true }).extend({ type: z.literal("evade") }),
  changeRangeMsg.omit({ cid: true, v: true }).extend({ type: z.literal("changeRange") }),
  z.strictObject({ type: z.literal("repair"), system: systemSchema.optional(), turretId: turretId.optional() }),
  sensorLockMsg.omit({ cid: true, v: true }).extend({ type: z.literal("sensorLock") }),
  coordinateMsg.omit({ cid: true, v: true }).extend({ type: z.literal("coordinate") }),
  z.strictObject({ type: z.literal("endTurn") }),
]);

export const gmStartMsg = z.strictObject({ cid: commandId });
export const gmEndMsg = z.strictObject({
  cid: commandId,
  winner: z.enum(["players", "npc", "draw"]),
  reason: z.enum(["surrender", "escape", "gm"]),
});
export const gmAddShipMsg = z.strictObject({ cid: commandId, ship: shipSpecSchema });
export const gmRemoveShipMsg = z.strictObject({ cid: commandId, shipId });
export const gmReleaseSeatMsg = z.strictObject({ cid: commandId, seatId: z.string().min(1).max(16).regex(/^s[0-9]+$/) });
export const gmActMsg = z.strictObject({ ...base, shipId, command: shipCommandForGm });
/** The GM in control (docs/protocol.md): the turn clock, a skipped turn, the undo, a correction. */
export const gmPauseMsg = z.strictObject({ cid: commandId });
export const gmResumeMsg = z.strictObject({ cid: commandId });
export const gmSkipTurnMsg = z.strictObject({ ...base });
export const gmUndoMsg = z.strictObject({ cid: commandId });
const count = (max: number) => z.number().int().min(0).max(max);
export const gmAdjustMsg = z
  .strictObject({
    cid: commandId, shipId,
    hull: count(2000).optional(), structure: count(2000).optional(), armour: count(30).optional(),
    turretId: turretId.optional(), missiles: count(400).optional(), smartMissiles: count(400).optional(), sand: count(400).optional(),
    reason: cleanText(LIMITS.adjustReason, "NFC"),
  })
  .refine((m) => ["hull", "structure", "armour", "missiles", "smartMissiles", "sand"].some((k) => m[k as keyof typeof m] !== undefined), { message: "name at least one figure to correct" })
  .refine((m) => (m.turretId !== undefined) === (m.missiles !== undefined || m.smartMissiles !== undefined || m.sand !== undefined), { message: "ammunition goes with a turretId, and a turretId with ammunition" });

/** Message name -> payload schema. The names are part of the public protocol (docs/protocol.md). */
export const SHIP_MESSAGES = {
  "space:fire": fireMsg,
  "space:launchMissile": launchMissileMsg,
  "space:pointDefense": pointDefenseMsg,
  "space:useSandcaster": useSandcasterMsg,
  "space:evade": evadeMsg,
  "space:changeRange": changeRangeMsg,
  "space:repair": repairMsg,
  "space:sensorLock": sensorLockMsg,
  "space:coordinate": coordinateMsg,
  "space:endTurn": endTurnMsg,
} as const;

export const GM_MESSAGES = {
  "gm:start": gmStartMsg,
  "gm:end": gmEndMsg,
  "gm:addShip": gmAddShipMsg,
  "gm:removeShip": gmRemoveShipMsg,
  "gm:act": gmActMsg,
  "gm:releaseSeat": gmReleaseSeatMsg,
  "gm:pause": gmPauseMsg,
  "gm:resume": gmResumeMsg,
  "gm:skipTurn": gmSkipTurnMsg,
  "gm:undo": gmUndoMsg,
  "gm:adjust": gmAdjustMsg,
} as const;

export type ShipMessageName = keyof typeof SHIP_MESSAGES;
export type GmMessageName = keyof typeof GM_MESSAGES;
