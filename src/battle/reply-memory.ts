// Past replies kept per seat, so that a re-sent command id gets its original answer and nothing
// is applied twice (the client re-sends after a reconnection; docs/protocol.md).
//
// A battle keeps up to REPLY_MEMORY replies for each of its six seats for as long as it runs, so
// they are kept small: per seat a ring of REPLY_MEMORY command ids and, beside each, its ack as one
// number (its type's index, version and entry count packed), rebuilt when a re-sent cid asks for
// it; errors are rare and kept as they are. As a Map of reply objects a remembered ack took
// ≈ 300 bytes of heap, 1,536 of them (450 KB) in a long full battle; this way ≈ 70 (docs/performance.md).
// The lookup, once per command, is a scan of at most REPLY_MEMORY ids (well under a microsecond).
import type { AckReply, ErrorReply } from "../commands";

export type Remembered = { kind: "ack"; reply: AckReply } | { kind: "error"; reply: ErrorReply };

/** Replies kept per seat; the oldest is forgotten first. */
export const REPLY_MEMORY = 256;

/** Every message type an ack has named, by index (a small, fixed set: accepted messages only). */
const TYPES: string[] = [];
const TYPE_INDEX = new Map<string, number>();
/** The packing: index + TYPE_SLOTS × (events + EVENT_SLOTS × version); exact below 2^53. */
const TYPE_SLOTS = 1024;
const EVENT_SLOTS = 65_536;

function packAck(ack: AckReply): number | undefined {
  let type = TYPE_INDEX.get(ack.type);
  if (type === undefined) {
    if (TYPES.length >= TYPE_SLOTS) return undefined;
    type = TYPES.push(ack.type) - 1;
    TYPE_INDEX.set(ack.type, type);
  }
  if (!Number.isInteger(ack.version) || !Number.isInteger(ack.events) || ack.version < 0 || ack.version > 2 ** 26 || ack.events < 0 || ack.events >= EVENT_SLOTS) return undefined;
  return type + TYPE_SLOTS * (ack.events + EVENT_SLOTS * ack.version);
}

function unpackAck(cid: string, packed: number): AckReply {
  const type = packed % TYPE_SLOTS;
  const rest = (packed - type) / TYPE_SLOTS;
  const events = rest % EVENT_SLOTS;
  return { cid, type: TYPES[type]!, version: (rest - events) / EVENT_SLOTS, events };
}

/** One seat's replies: a ring, `next` the slot the next reply takes (the oldest once full). */
interface Ring { cids: string[]; kept: (number | Remembered)[]; next: number }

export class ReplyMemory {
  private bySeat = new Map<string, Ring>();

  get(seatId: string, cid: string): Remembered | undefined {
    const ring = this.bySeat.get(seatId);
    const i = ring ? ring.cids.indexOf(cid) : -1;
    if (i < 0) return undefined;
    const kept = ring!.kept[i]!;
    return typeof kept === "number" ? { kind: "ack", reply: unpackAck(cid, kept) } : kept;
  }

  remember(seatId: string, cid: string, reply: Remembered): void {
    let ring = this.bySeat.get(seatId);
    if (!ring) this.bySeat.set(seatId, (ring = { cids: [], kept: [], next: 0 }));
    const packed = reply.kind === "ack" && reply.reply.cid === cid ? packAck(reply.reply) : undefined;
    // A cid remembered again (a restore replays what was live) keeps its one slot.
    const again = ring.cids.indexOf(cid);
    const slot = again >= 0 ? again : ring.next;
    ring.cids[slot] = cid;
    ring.kept[slot] = packed ?? reply;
    if (again < 0) ring.next = (ring.next + 1) % REPLY_MEMORY;
  }

  forget(seatId: string): void {
    this.bySeat.delete(seatId);
  }
}
