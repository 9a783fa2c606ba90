// Cross-cutting concerns (metrics, audit trail, persistence) observe battles here instead of
// living inside the room. Observers must not throw; a failing one is logged and skipped.
import type { Actor, Command, LogEntry } from "../engine/types";
import type { Battle } from "../rules/model";
import type { ErrorCode } from "../commands";
import { logger } from "./logger";

export interface SeatInfo { seatId: string; role: "gm" | "player" | "spectator"; shipId: string }

export interface CommandAccepted {
  roomId: string; seat?: SeatInfo; ip?: string; type: string; cid?: string;
  actor: Actor; cmd: Command; events: LogEntry[]; battle: Battle; durationMs: number;
}
export interface CommandRejected {
  roomId: string; seat?: SeatInfo; ip?: string; type: string; cid?: string; code: ErrorCode; message: string;
}
/** A message accepted outside the engine (chat, gm:releaseSeat): audited like a command. */
export interface MessageAccepted { roomId: string; seat?: SeatInfo; ip?: string; type: string; cid?: string }
/**
 * Intrusion detection and abuse limits. `kind`: strike (a refusal that counts towards a kick),
 * rateLimited, kicked (strikes over the limit: connection closed, key/IP blocked), blockedJoin
 * (a blocked key or IP tried to join), protocolKick (Colyseus closed the connection: message flood
 * over MAX_MESSAGES_PER_SEC or an undecodable frame), httpRateLimited; guessed secrets
 * (src/server/credential-guard.ts): authFailed (a wrong password, seat key, GM key or operator
 * credential), lockedOut (a lock-out began), authLocked (an attempt refused during a lock-out);
 * capRefused (a battle or connection over a cap), joinTimeout (a WebSocket closed for not finishing
 * its join handshake in time), bodyTooLarge (an HTTP body over MAX_HTTP_BODY_BYTES).
 */
export type SecurityEventKind =
  | "strike" | "rateLimited" | "kicked" | "blockedJoin" | "protocolKick" | "httpRateLimited"
  | "authFailed" | "lockedOut" | "authLocked" | "capRefused" | "joinTimeout" | "bodyTooLarge";
export interface SecurityEvent {
  kind: SecurityEventKind;
  roomId?: string; seat?: SeatInfo; ip?: string; type?: string; reason: string;
}
export interface ConnectionEvent { roomId: string; seat?: SeatInfo; sessionId: string; ip?: string }

export interface BattleObserver {
  battleCreated?(e: { roomId: string; name: string; ruleset: string }): void;
  battleDisposed?(e: { roomId: string; battle: Battle }): void;
  commandAccepted?(e: CommandAccepted): void;
  commandRejected?(e: CommandRejected): void;
  messageAccepted?(e: MessageAccepted): void;
  securityEvent?(e: SecurityEvent): void;
  /** An exception escaped a room handler or timer (caught by the room; always a bug to fix). */
  roomError?(e: { roomId: string; method: string; message: string }): void;
  /** After a state patch went out for an accepted command; `latencyMs` is receipt -> patch sent. */
  patchSent?(e: { roomId: string; latencyMs: number }): void;
  /** Every METRICS_SAMPLE_MS: the encoded full-state size and the patches/bytes broadcast since the last sample. */
  stateSampled?(e: { roomId: string; stateBytes: number; patches: number; patchBytes: number }): void;
  /**
   * A full state was larger than the buffer sized for the worst case the limits allow (it was still
   * sent whole, from a grown buffer): a limit or the wire budget is wrong somewhere.
   */
  stateOverflow?(e: { roomId: string; bytes: number; bufferBytes: number }): void;
  joined?(e: ConnectionEvent): void;
  dropped?(e: ConnectionEvent): void;
  reconnected?(e: ConnectionEvent): void;
  left?(e: ConnectionEvent): void;
}

const observers: BattleObserver[] = [];

export function addObserver(o: BattleObserver): () => void {
  observers.push(o);
  return () => {
    const i = observers.indexOf(o);
    if (i >= 0) observers.splice(i, 1);
  };
}

export function notify<K extends keyof BattleObserver>(event: K, payload: Parameters<NonNullable<BattleObserver[K]>>[0]): void {
  for (const o of observers) {
    const fn = o[event] as ((p: typeof payload) => void) | undefined;
    if (!fn) continue;
    try {
      fn.call(o, payload);
    } catch (err) {
      logger.error("battle observer failed", { event, error: err });
    }
  }
}
