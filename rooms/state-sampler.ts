// The process's state-size sampling. Every METRICS_SAMPLE_MS each battle reports its patch
// traffic and its encoded full-state size (the observers' `stateSampled`). Counting patches is
// free; measuring the size means encoding the whole state (about 1–3 ms for a full battle), which
// every battle doing every interval made the largest single cost of a busy server and nearly all
// of an idle one. So one sampler per interval serves the whole process: a battle is measured
// again only after its state changed, and a tick measures changed battles in turn (round robin)
// for at most MEASURE_SHARE of the interval (at least one per tick). A battle not measured this
// tick reports its last measured size. Under full load with 1,000 battles, each is measured
// every few minutes.
import { logger } from "../src/server/logger";

/** The share of each interval the sampler may spend encoding states: 1 % of one core. */
export const MEASURE_SHARE = 0.01;

export interface SampledRoom {
  /** The state changed since its last measurement. */
  changed(): boolean;
  /** Encodes the full state to measure it (clears `changed`). */
  measure(): void;
  /** Reports the patch counts since the last report and the last measured size. */
  report(): void;
}

class StateSampler {
  private readonly rooms: SampledRoom[] = [];
  private cursor = 0;
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly intervalMs: number, private readonly onEmpty: () => void) {}

  add(room: SampledRoom): () => void {
    this.rooms.push(room);
    this.timer ??= setInterval(() => this.tick(), this.intervalMs).unref();
    return () => {
      const i = this.rooms.indexOf(room);
      if (i < 0) return;
      this.rooms.splice(i, 1);
      if (i < this.cursor) this.cursor--;
      if (this.rooms.length === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
        this.onEmpty();
      }
    };
  }

  /** Measures changed rooms in turn within the time share, then every room reports. */
  tick(): void {
    const n = this.rooms.length;
    const deadline = performance.now() + this.intervalMs * MEASURE_SHARE;
    let measured = 0;
    let i = 0;
    for (; i < n; i++) {
      if (measured > 0 && performance.now() >= deadline) break;
      const room = this.rooms[(this.cursor + i) % n]!;
      if (!room.changed()) continue;
      guarded(() => room.measure());
      measured++;
    }
    this.cursor = n === 0 ? 0 : (this.cursor + i) % n;
    for (const room of this.rooms) guarded(() => room.report());
  }
}

const samplers = new Map<number, StateSampler>();

/** Joins the process's sampler for this interval; returns the function that leaves it. */
export function sampleEvery(intervalMs: number, room: SampledRoom): () => void {
  let sampler = samplers.get(intervalMs);
  if (!sampler) samplers.set(intervalMs, (sampler = new StateSampler(intervalMs, () => samplers.delete(intervalMs))));
  return sampler.add(room);
}

/** A timer's callback must never throw into the process: a failing room is logged and skipped. */
function guarded(fn: () => void) {
  try {
    fn();
  } catch (err) {
    logger.error("state sampling failed", { error: err instanceof Error ? err.message : String(err) });
  }
}
