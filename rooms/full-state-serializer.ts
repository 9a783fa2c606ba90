// The full state a client downloads when it joins, reloads, reconnects or follows its battle to
// another process. Colyseus' SchemaSerializer encodes it into a per-room buffer of
// Encoder.BUFFER_SIZE (16 KB) and, when the state is larger, loses the grown buffer between the
// shared part and the client's view part: the client decodes a truncated, corrupted state (log
// entries with undefined fields, empty chat) and stays out of step. This serializer encodes into
// one process-wide buffer sized for the largest state the limits allow (schema/wire-budget.ts),
// always returns a copy (the buffer is reused by the next room), and, should a state ever be
// larger, still sends it whole from a grown buffer and reports the overflow (error log + metric).
import { ClientState, Protocol, SchemaSerializer, type Client } from "@colyseus/core";
import type { Schema, StateView } from "@colyseus/schema";
import { WIRE_STATE_BUDGET_BYTES } from "../schema/wire-budget";

/** Room for the largest full state the limits allow, with a margin over the budget. */
export const FULL_STATE_BUFFER_BYTES = WIRE_STATE_BUDGET_BYTES + 28 * 1024;

let shared: Uint8Array<ArrayBufferLike> = new Uint8Array(FULL_STATE_BUFFER_BYTES);

export type OverflowReport = (bytes: number, bufferBytes: number) => void;

export class FullStateSerializer<T extends Schema> extends SchemaSerializer<T> {
  constructor(private readonly onOverflow: OverflowReport) {
    super();
  }

  /** The room's state encoder (for measuring the state size without touching the room's buffers). */
  get stateEncoder() {
    return this.encoder;
  }

  override getFullState(client?: Client, timing?: Parameters<SchemaSerializer<T>["getFullState"]>[1]): Uint8Array {
    // Input-timed frames (rooms with defineInput) are not used by battles; keep Colyseus' own path.
    if (timing) return super.getFullState(client, timing);
    const buffer = shared;
    buffer[0] = Protocol.ROOM_STATE;
    const it = { offset: 1 };
    const all = this.encoder.encodeAll(it, buffer);
    if (all.buffer !== buffer.buffer) {
      // The encoder grew a buffer of its own (the shared part alone overflowed): adopt it, so the
      // view part below is written after the whole shared part, never after a truncated one.
      this.overflowed(it.offset);
      shared = new Uint8Array(all.buffer, 0, all.buffer.byteLength);
      return this.getFullState(client);
    }
    if (!(this.hasFilters && client?.view)) return all.slice();
    const viewIt = { offset: it.offset };
    // encodeAllView grows its own copy when the view part overflows and returns the joined bytes.
    const body = this.encoder.encodeAllView(client.view, it.offset, viewIt, buffer);
    if (viewIt.offset > buffer.byteLength) {
      this.overflowed(viewIt.offset);
      shared = new Uint8Array(2 * viewIt.offset);
    }
    return body.buffer === buffer.buffer ? body.slice() : body;
  }

  /**
   * A patch with no shared change but views that changed: Colyseus encodes each client's view here,
   * and a view shared by several clients (rooms/views.ts) would be flushed by the first of them
   * and send the others nothing. One encoding per view, its bytes to every client holding it.
   * (Patches with shared changes already encode each distinct view once.)
   */
  override applyPatches(clients: Client[], state: T, timing?: Parameters<SchemaSerializer<T>["applyPatches"]>[2]): boolean {
    if (timing || !this.hasFilters || this.encoder.hasChanges || clients.length === 0) return super.applyPatches(clients, state, timing);
    const encoded = new Map<StateView, Uint8Array>();
    this.encoder.sharedBuffer[0] = Protocol.ROOM_STATE_PATCH;
    for (const client of clients) {
      const view = client.view;
      if (client.state !== ClientState.JOINED || !view) continue;
      let bytes = encoded.get(view);
      if (!bytes) {
        if (view.changes.size === 0) continue;
        bytes = this.encoder.encodeView(view, 1, { offset: 1 }).slice();
        encoded.set(view, bytes);
      }
      client.raw(bytes);
    }
    return false;
  }

  private overflowed(bytes: number) {
    this.onOverflow(bytes, shared.byteLength);
  }
}
