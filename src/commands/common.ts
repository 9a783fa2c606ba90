import { z } from "zod";
import { LIMITS } from "./limits";
import { RANGE_BANDS, ROLES, RULESETS, SYSTEM_NAMES, WEAPON_KINDS } from "../rules/model";

/** A client-chosen command id: echoed in the reply, and the key for idempotent re-sends. */
export const commandId = z.string().min(1).max(LIMITS.commandId).regex(/^[A-Za-z0-9_.:-]+$/);
export const shipId = z.string().min(1).max(16).regex(/^[a-z][a-z0-9]*$/);
export const turretId = z.string().min(1).max(16).regex(/^[a-z][a-z0-9]*$/);
/** The battle version the client saw when it made the command (optional; stale commands are refused). */
export const battleVersion = z.number().int().min(0).max(2 ** 31);

export const rulesetSchema = z.enum(RULESETS);
export const rangeBandSchema = z.enum(RANGE_BANDS);
export const roleSchema = z.enum(ROLES);
export const systemSchema = z.enum(SYSTEM_NAMES);
export const weaponSchema = z.enum(WEAPON_KINDS);
/** Free text typed by a person: Unicode-normalised, control and bidi-override characters removed. */
export function cleanText(max: number) {
  return z
    .string()
    .max(max * 4)
    .transform((s) => s.normalize("NFC").replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, "").trim())
    .pipe(z.string().min(1).max(max));
}
