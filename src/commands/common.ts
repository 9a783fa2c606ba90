import { z } from "zod";
import { LIMITS } from "./limits";
import { RANGE_BANDS, ROLES, RULESETS, SYSTEM_NAMES, WEAPON_KINDS } from "../rules/model";

/** A client-chosen command id: echoed in the reply, and the key for idempotent re-sends. */
export const commandId = z.string().min(1).max(LIMITS.commandId).regex(/^[A-Za-z0-9_.:-]+$/);
export const shipId = z.string().min(1).max(16).regex(/^[a-z][a-z0-9]*$/);
export const turretId = z.string().min(1).max(16).regex(/^[a-z][a-z0-9]*$/);
/** `v`: the turn stamp (see turnStamp) the command was made for; optional, a stale one is refused. */
export const turnStampSchema = z.number().int().min(0).max(2 ** 31);

export const rulesetSchema = z.enum(RULESETS);
export const rangeBandSchema = z.enum(RANGE_BANDS);
export const roleSchema = z.enum(ROLES);
export const systemSchema = z.enum(SYSTEM_NAMES);
export const weaponSchema = z.enum(WEAPON_KINDS);
/**
 * Characters removed from free text: controls (C0, C1), format characters (bidi embeddings,
 * overrides and isolates, zero-width characters, BOM, tag characters: \p{Cf}), private use, and
 * line/paragraph separators. Any of these can reorder or hide what other players read.
 */
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}]/gu;
/** More than this many combining marks on one character only stacks glyphs over other lines ("zalgo"). */
const COMBINING_RUN = /(\p{M}{4})\p{M}+/gu;

/** The clean-up applied to every piece of free text, before its length is checked. */
export function sanitizeText(s: string, form: "NFC" | "NFKC" = "NFC"): string {
  return s.normalize(form).replace(/\s+/gu, " ").replace(UNSAFE_CHARS, "").replace(COMBINING_RUN, "$1").replace(/ {2,}/g, " ").trim();
}

/**
 * Free text typed by a person: Unicode-normalised (NFKC for names, so look-alike compatibility
 * forms collapse; NFC for chat), unsafe characters removed, whitespace collapsed, then 1..max
 * characters. It is stored and sent as plain text; the client renders it with textContent.
 */
export function cleanText(max: number, form: "NFC" | "NFKC" = "NFKC") {
  return z
    .string()
    .max(max * 4)
    .transform((s) => sanitizeText(s, form))
    .pipe(z.string().min(1).max(max));
}
