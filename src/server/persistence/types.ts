// What a durable battle is made of: its creation options and seed, an ordered log of every
// accepted change (commands, seats, chat), and a checkpoint written every round.
import type { Actor, Command } from "../../engine/types";
import type { Battle } from "../../rules/model";
import type { CreateOptions } from "../../commands";

export interface SeatRecord {
  seatId: string; key: string; role: "gm" | "player"; name: string; shipId: string; positions: string[];
}

export interface BattleMeta { options: CreateOptions; seed: number; createdAt: number }

/**
 * One entry of a battle's durable log; its position (1-based) is its sequence number. A record
 * made for a client message carries the sender's seat and the message's `cid`, so that a restored
 * battle answers a re-sent `cid` with the original reply (older records may lack them).
 */
export type LogRecord =
  | { k: "cmd"; actor: Actor; cmd: Command; seat?: string; type?: string; cid?: string }
  | { k: "seat"; seat: SeatRecord }
  | { k: "unseat"; seatId: string; by?: string; cid?: string }
  | { k: "chat"; from: string; fromName: string; text: string; at: number; cid?: string };

/**
 * The battle as it stood after log record `seq`: engine state and dice state. Seats are not in it:
 * a restore rebuilds them from the log's seat records.
 */
export interface BattleSnapshot {
  seq: number; version: number; round: number; battle: Battle; dice: number[]; at: number;
}

export interface StoredBattle { id: string; meta: BattleMeta; snapshot?: BattleSnapshot; records: LogRecord[] }

/** Thrown by append when another process has taken the battle over: this copy must stop. */
export class OwnershipLost extends Error {
  constructor(readonly battleId: string) { super(`battle ${battleId} is now owned by another process`); }
}

export interface BattleStore {
  readonly kind: "redis" | "disk";
  /** Records a new battle owned by this process. */
  create(id: string, meta: BattleMeta): Promise<void>;
  /** Appends one record; resolves once it is durable, with its sequence number. Calls keep their order. */
  append(id: string, rec: LogRecord): Promise<number>;
  snapshot(id: string, snap: BattleSnapshot): Promise<void>;
  load(id: string): Promise<StoredBattle | undefined>;
  /** The battle is over: its data goes. */
  remove(id: string): Promise<void>;
  /** This process gives the battle up (drain): another one may restore it at once. */
  release(id: string): Promise<void>;
  /** Is the backing store reachable? With the round-trip time in ms. */
  ping(): Promise<{ ok: boolean; latencyMs?: number; error?: string }>;
  close(): Promise<void>;
}
