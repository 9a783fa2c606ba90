// The safety net under the battles' patches. A battle pushes every change itself, at once (a
// command's publish, `patchSoon` for seats coming and going); a change that nothing pushed would
// wait for this net, every PATCH_RATE_MS. Colyseus would give each room its own patch interval:
// one event-loop wake-up per room per interval, and a wake-up is what an idle room costs here
// (measured, 100 idle battles at 1 s: 6 ms of CPU a second, ≈ 60 µs per battle per second, the
// check itself ~1 µs; docs/performance.md, "Second pass"). So one timer per process walks every room; a room without changes costs
// the serializer's check.
import { logger } from "../src/server/logger";

export interface PatchedRoom {
  /** Encodes and sends what changed since the last patch; cheap when nothing did. */
  broadcastPatch(): boolean;
}

/**
 * The room's own Colyseus patch interval, which this net replaces: the longest delay a Node timer
 * takes (~24.8 days), i.e. never. Not 0 or null: Colyseus then ticks the room clock every 16 ms.
 */
export const COLYSEUS_PATCH_RATE_OFF = 2 ** 31 - 1;

class PatchNet {
  private readonly rooms = new Set<PatchedRoom>();
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly intervalMs: number, private readonly onEmpty: () => void) {}

  add(room: PatchedRoom): () => void {
    this.rooms.add(room);
    this.timer ??= setInterval(() => this.tick(), this.intervalMs).unref();
    return () => {
      if (!this.rooms.delete(room) || this.rooms.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
      this.onEmpty();
    };
  }

  tick(): void {
    for (const room of this.rooms) {
      try {
        room.broadcastPatch();
      } catch (err) {
        // a timer's callback must never throw into the process: the room is logged and skipped
        logger.error("safety-net patch failed", { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}

const nets = new Map<number, PatchNet>();

/** Joins the process's safety net for this interval; returns the function that leaves it. */
export function patchEvery(intervalMs: number, room: PatchedRoom): () => void {
  let net = nets.get(intervalMs);
  if (!net) nets.set(intervalMs, (net = new PatchNet(intervalMs, () => nets.delete(intervalMs))));
  return net.add(room);
}
