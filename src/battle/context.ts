// What every battle of one server shares, passed in once by the composition root
// (src/app.config.ts) instead of being copied into statics: settings, the durable keeper and the
// brute-force guard. Defaults live in src/server/config.ts only.
import type { Config } from "../server/config";
import type { CredentialGuard } from "../server/credential-guard";
import type { BattleKeeper } from "../server/persistence/keeper";
import type { GuardSettings } from "./guard";

/** The settings a battle reads (the server's Config satisfies it as it is). */
export type BattleSettings = Pick<Config, "IDLE_TIMEOUT_SEC" | "RECONNECT_GRACE_SEC" | "SEAT_RELEASE_SEC" | "PATCH_RATE_MS" | "METRICS_SAMPLE_MS"
  | "MAX_MESSAGES_PER_SEC" | "IDS_BLOCK_SEC" | "IDS_BLOCK_IP"> & GuardSettings;

/** What a battle uses of the keeper (src/server/persistence/keeper.ts). */
export type BattleKeeping = Pick<BattleKeeper, "store" | "hosted" | "draining" | "takeRestore" | "left">;

export interface BattleContext {
  readonly settings: BattleSettings;
  /** Durable battles: every accepted change is logged before it is published (undefined with PERSIST=false). */
  readonly keeper?: BattleKeeping;
  /** Failed secrets and lock-outs, shared by every battle of the process. */
  readonly credentials: CredentialGuard;
}
