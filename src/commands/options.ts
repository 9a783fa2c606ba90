// Room options (create) and join options, validated before anything else happens.
import { z } from "zod";
import { LIMITS } from "./limits";
import { cleanText, rangeBandSchema, roleSchema, rulesetSchema, shipId, weaponSchema } from "./common";
import type { HouseRule } from "../rules/model";

const skillsSchema = z
  .strictObject({
    pilot: z.number().int().min(0).max(6), gunnery: z.number().int().min(0).max(6),
    engineering: z.number().int().min(0).max(6), tactics: z.number().int().min(0).max(6),
    sensors: z.number().int().min(0).max(6), leadership: z.number().int().min(0).max(6),
  })
  .partial();

const customStatsSchema = z.strictObject({
  tons: z.number().int().min(10).max(5000),
  armour: z.number().int().min(0).max(15),
  thrust: z.number().int().min(0).max(9),
  hull: z.number().int().min(1).max(2000).optional(),
  structure: z.number().int().min(1).max(2000).optional(),
  turrets: z
    .array(z.strictObject({
      mount: z.enum(["single", "double", "triple"]),
      weapon: weaponSchema,
      missiles: z.number().int().min(0).max(400).optional(),
      smartMissiles: z.number().int().min(0).max(400).optional(),
      sand: z.number().int().min(0).max(400).optional(),
    }))
    .max(20),
});

/**
 * House rules that replace a rule of the `ce` ruleset (the SRD), each off unless set to true
 * (docs/rules.md, "House rules"). The 2e-style ruleset already plays both ways.
 */
export const houseRulesSchema = z.strictObject({
  /** Initiative re-rolled at every round start with the Pilot skill added (SRD: rolled once, no Pilot). */
  rerollInitiative: z.boolean().optional(),
  /** A sensor lock lasts the battle while the sensors work (SRD: this round only). */
  persistentSensorLock: z.boolean().optional(),
} satisfies Record<HouseRule, z.ZodType>);

export const shipSpecSchema = z
  .strictObject({
    side: z.enum(["players", "npc"]),
    name: cleanText(LIMITS.name),
    className: z.string().min(1).max(32).regex(/^[A-Za-z]+$/),
    custom: customStatsSchema.optional(),
    skills: skillsSchema.optional(),
  })
  .refine((s) => (s.className === "custom") === (s.custom !== undefined), {
    message: "custom stats are given exactly when className is 'custom'",
  });

export const createOptionsSchema = z
  .strictObject({
    name: cleanText(LIMITS.battleName),
    ruleset: rulesetSchema.default("ce"),
    startingRange: rangeBandSchema.default("medium"),
    ships: z.array(shipSpecSchema).min(2).max(LIMITS.maxNpcShips + LIMITS.maxPlayerShips),
    password: z.string().min(1).max(LIMITS.password).optional(),
    turnTimeoutSec: z.number().int().min(LIMITS.turnTimeoutSec.min).max(LIMITS.turnTimeoutSec.max).default(LIMITS.turnTimeoutSec.default),
    maxPlayers: z.number().int().min(1).max(LIMITS.maxPlayers).default(LIMITS.maxPlayers),
    gmName: cleanText(LIMITS.name).default("GM"),
    /** Let read-only spectators join (public data only; they can send nothing). */
    allowSpectators: z.boolean().default(false),
    houseRules: houseRulesSchema.optional(),
  })
  .refine((o) => o.ships.filter((s) => s.side === "npc").length <= LIMITS.maxNpcShips, { message: `at most ${LIMITS.maxNpcShips} NPC ships` })
  .refine((o) => o.ships.filter((s) => s.side === "players").length <= LIMITS.maxPlayerShips, { message: `at most ${LIMITS.maxPlayerShips} player ships` })
  .refine((o) => o.ships.some((s) => s.side === "players") && o.ships.some((s) => s.side === "npc"), { message: "at least one ship per side" });

/** Join as a player: a display name and a seat, or a key to resume a seat. */
export const joinOptionsSchema = z.strictObject({
  name: cleanText(LIMITS.name).optional(),
  password: z.string().max(LIMITS.password).optional(),
  shipId: shipId.optional(),
  positions: z.array(roleSchema).min(1).max(5).optional(),
  seatKey: z.string().min(16).max(LIMITS.key).optional(),
  gmKey: z.string().min(16).max(LIMITS.key).optional(),
  /** Join read-only, when the battle allows spectators. */
  spectator: z.literal(true).optional(),
});

export type CreateOptions = z.infer<typeof createOptionsSchema>;
export type JoinOptions = z.infer<typeof joinOptionsSchema>;
