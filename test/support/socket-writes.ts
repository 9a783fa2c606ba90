// Counts the writes a server-side socket hands to the kernel: one `_write` per lone chunk, one
// `_writev` per corked batch (the tests of src/server/write-coalescing.ts).
import type { Socket } from "node:net";

export interface WriteCounts { write: number; writev: number; chunksInWritev: number }

export function countWrites(socket: Socket): { counts: WriteCounts; restore: () => void } {
  const counts: WriteCounts = { write: 0, writev: 0, chunksInWritev: 0 };
  const s = socket as unknown as { _write: (...a: unknown[]) => void; _writev: (chunks: unknown[], cb: unknown) => void };
  const write = s._write;
  const writev = s._writev;
  s._write = function (this: unknown, ...a: unknown[]) { counts.write++; return write.apply(this, a); };
  s._writev = function (this: unknown, chunks: unknown[], cb: unknown) { counts.writev++; counts.chunksInWritev += chunks.length; return writev.call(this, chunks, cb); };
  return { counts, restore: () => { s._write = write; s._writev = writev; } };
}
