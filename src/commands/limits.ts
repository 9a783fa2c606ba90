// Every size limit of client input in one place (documented in docs/protocol.md).
export const LIMITS = {
  commandId: 64,
  name: 40,
  battleName: 60,
  chat: 500,
  /** The reason of a GM correction (gm:adjust); the engine holds the same bound (ADJUST_REASON_MAX). */
  adjustReason: 120,
  password: 128,
  key: 128,
  maxNpcShips: 10,
  maxPlayerShips: 5,
  maxPlayers: 5,
  maxSpectators: 10,
  turnTimeoutSec: { min: 10, max: 600, default: 30 },
} as const;
