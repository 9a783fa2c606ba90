// Server -> client messages (besides state patches).
import type { RejectCode } from "../engine/types";

/**
 * Why a message was refused: every refusal of the engine's rules (RejectCode, listed once in
 * src/engine/types.ts), plus the refusals only the protocol makes.
 */
export type ErrorCode =
  | RejectCode
  /** the message failed its schema (or a command id is missing) */
  | "invalid"
  | "rateLimited" | "notSeated" | "unknownSeat" | "seatInUse"
  /** the battle is moving to another process (drain, takeover): re-send once reconnected */
  | "unavailable"
  /** a spectator sent a message: spectators are read-only */
  | "readOnly"
  /** client-side only: the web client refuses a command while it has no connection */
  | "notConnected";

/** `error`: a command was refused and changed nothing. */
export interface ErrorReply { code: ErrorCode; message: string; cid?: string; type: string }
/** `ack`: a command was accepted; `version` is the state's `version` after it (not the turn stamp). */
export interface AckReply { cid: string; type: string; version: number; events: number }
/** `seat`: sent once on join: who you are in this battle, and the secret key that resumes your seat. */
export interface SeatReply { seatId: string; role: "gm" | "player" | "spectator"; key: string; shipId: string; positions: string[] }
