// Preloaded into a server child started by the load runner with `memoryProbe: true`
// (node --expose-gc --import tsx --import <this file> src/index.ts; see ./server-process.ts). It answers
// the runner over the IPC channel: forced garbage collection, then process.memoryUsage() and the
// rooms still alive, so the runner can measure the live heap between batches of battles. It is
// test equipment: production never loads it, and without an IPC channel it does nothing.
//
// MEMORY_PROBE_RETAIN_ROOMS=1 turns the server into a leaking one on purpose: every battle room a
// client joined is kept referenced after it is disposed (as a room registry that forgot to delete
// would). test/load/leak.test.ts uses it to prove that the leak bound catches a real leak.
import { matchMaker, type Room } from "@colyseus/core";
import { addObserver } from "../src/server/observers";

export interface MemoryQuery { type: "memory?"; id: number; gc: boolean }
export interface MemoryReply {
  type: "memory"; id: number;
  /** Bytes, as process.memoryUsage() reports them after the collection. */
  rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number;
  /** Rooms of this process not yet disposed, and their clients. */
  rooms: number; clients: number;
  /** Rooms kept on purpose by MEMORY_PROBE_RETAIN_ROOMS. */
  retained: number;
  /** False when the process was started without --expose-gc (the figures then include garbage). */
  collected: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;
const retained = new Set<Room>();

if (process.env.MEMORY_PROBE_RETAIN_ROOMS === "1") {
  addObserver({
    joined(e) {
      const room = matchMaker.getLocalRoomById(e.roomId);
      if (room) retained.add(room);
    },
  });
}

if (process.send) {
  process.on("message", (msg: MemoryQuery) => {
    if (msg?.type !== "memory?") return;
    if (msg.gc && gc) {
      // Two full collections: the first may only schedule finalizers that free more.
      gc();
      gc();
    }
    const m = process.memoryUsage();
    const reply: MemoryReply = {
      type: "memory", id: msg.id, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers,
      rooms: matchMaker.stats.local.roomCount, clients: matchMaker.stats.local.ccu, retained: retained.size, collected: !!(msg.gc && gc),
    };
    process.send?.(reply);
  });
  // The IPC channel must not keep the server alive on its own (SIGTERM still drains it).
  (process.channel as { unref?(): void } | undefined)?.unref?.();
}
