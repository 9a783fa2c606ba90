// Measures a room's encoded full state, as the largest client view would receive it, without
// touching the room's own buffers. One measuring buffer serves every room of the process
// (measuring is synchronous); it starts at 256 KB, past the 100 KB alert, and is kept at twice
// the largest size seen, so the schema encoder rarely has to grow it (a growth prints a warning).
import { Encoder, type Schema, type StateView } from "@colyseus/schema";

let buffer: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

/** Bytes of the full encoded state: the shared part, plus the largest of the given views. */
export function encodedStateBytes(encoder: Encoder<Schema>, views: Iterable<StateView>): number {
  if (buffer.byteLength === 0) buffer = new Uint8Array(Math.max(256 * 1024, Encoder.BUFFER_SIZE));
  const it = { offset: 0 };
  const shared = encoder.encodeAll(it, buffer);
  if (shared.buffer !== buffer.buffer) buffer = new Uint8Array(shared.buffer); // the encoder grew it
  let largest = shared.byteLength;
  const sharedOffset = it.offset;
  for (const view of views) {
    const full = encoder.encodeAllView(view, sharedOffset, { offset: sharedOffset }, buffer);
    if (full.byteLength > largest) largest = full.byteLength;
  }
  if (buffer.byteLength < 2 * largest) buffer = new Uint8Array(2 * largest);
  return largest;
}
