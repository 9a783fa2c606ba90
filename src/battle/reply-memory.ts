// Past replies kept per seat, so that a re-sent command id gets its original answer and nothing
// is applied twice (the client re-sends after a reconnection; docs/protocol.md).
import type { AckReply, ErrorReply } from "../commands";

export type Remembered = { kind: "ack"; reply: AckReply } | { kind: "error"; reply: ErrorReply };

/** Replies kept per seat; the oldest is forgotten first. */
export const REPLY_MEMORY = 256;

export class ReplyMemory {
  private bySeat = new Map<string, Map<string, Remembered>>();

  get(seatId: string, cid: string): Remembered | undefined {
    return this.bySeat.get(seatId)?.get(cid);
  }

  remember(seatId: string, cid: string, reply: Remembered): void {
    let memory = this.bySeat.get(seatId);
    if (!memory) this.bySeat.set(seatId, (memory = new Map()));
    memory.set(cid, reply);
    if (memory.size > REPLY_MEMORY) memory.delete(memory.keys().next().value as string);
  }

  forget(seatId: string): void {
    this.bySeat.delete(seatId);
  }
}
