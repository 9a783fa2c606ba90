// Least-squares growth of a series (memory over time), for the soak report and the leak test.
export interface Growth { slopePerMin: number; total: number; first: number; last: number; n: number }

/** Slope (units per minute) of the least-squares line through (t seconds, y), and the growth
 *  between the mean of the first and of the last 10 % of the points (robust to single spikes). */
export function linearGrowth(points: { t: number; y: number }[]): Growth {
  const n = points.length;
  if (n < 2) return { slopePerMin: 0, total: 0, first: points[0]?.y ?? 0, last: points[0]?.y ?? 0, n };
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) { num += (p.t - mt) * (p.y - my); den += (p.t - mt) ** 2; }
  const slope = den ? num / den : 0;
  const k = Math.max(1, Math.floor(n / 10));
  const avg = (xs: { y: number }[]) => xs.reduce((a, p) => a + p.y, 0) / xs.length;
  const first = avg(points.slice(0, k));
  const last = avg(points.slice(-k));
  return { slopePerMin: slope * 60, total: last - first, first, last, n };
}

/** The server's memory after forced garbage collection, once a batch of battles is over. */
export interface MemoryPoint {
  /** Complete battles played before this point. */
  battles: number;
  heapMb: number;
  /** Memory of C++ objects bound to JS, ArrayBuffers and Buffers included (process.memoryUsage().external). */
  externalMb: number;
}

/** How much the live memory may grow over the judged points (docs/performance.md, "Leak test bound"). */
export interface LeakBound {
  /** Leading points not judged (start-up and the first battles compile code and fill caches). */
  warmupPoints: number;
  heapMb: number;
  externalMb: number;
}

/**
 * The leak test's bound (test/load/leak.test.ts; reasoning and measurements in docs/performance.md,
 * "Leak test bound"): after the idle server's point, the live heap may rise at most 8 MB and
 * external memory at most 2 MB above the first batch's level.
 */
export const LEAK_BOUND: LeakBound = { warmupPoints: 1, heapMb: 8, externalMb: 2 };

export interface LeakVerdict {
  ok: boolean;
  /** Why it failed (empty when ok). */
  failures: string[];
  heapGrowthMb: number;
  externalGrowthMb: number;
  /** Battles played between the first and last judged point. */
  battles: number;
  /** Heap growth per battle over the judged points (KB): what a leak of that size per battle would show. */
  heapPerBattleKb: number;
}

/**
 * Judges a series of after-GC measurements taken between batches of complete battles (every room
 * of the batch disposed). Finished battles must leave nothing behind, so once warmed up the live
 * heap and external memory return to the same level after every batch: the growth from the first
 * judged point to the highest later point must stay within the bound. The highest, not the last,
 * point: a leak that a later batch happened to hide (a cache trimmed) still counts.
 */
export function leakVerdict(points: MemoryPoint[], bound: LeakBound): LeakVerdict {
  const judged = points.slice(bound.warmupPoints);
  const failures: string[] = [];
  if (judged.length < 3) {
    failures.push(`too few measurements to judge (${judged.length} after ${bound.warmupPoints} warm-up; at least 3)`);
    return { ok: false, failures, heapGrowthMb: 0, externalGrowthMb: 0, battles: 0, heapPerBattleKb: 0 };
  }
  const first = judged[0]!;
  const later = judged.slice(1);
  const heapGrowthMb = Math.max(...later.map((p) => p.heapMb)) - first.heapMb;
  const externalGrowthMb = Math.max(...later.map((p) => p.externalMb)) - first.externalMb;
  const battles = judged.at(-1)!.battles - first.battles;
  if (battles <= 0) failures.push("no battles were played between the judged measurements");
  if (heapGrowthMb > bound.heapMb) failures.push(`live heap grew ${heapGrowthMb.toFixed(1)} MB (bound ${bound.heapMb} MB)`);
  if (externalGrowthMb > bound.externalMb) failures.push(`external memory grew ${externalGrowthMb.toFixed(1)} MB (bound ${bound.externalMb} MB)`);
  const heapPerBattleKb = battles > 0 ? ((judged.at(-1)!.heapMb - first.heapMb) * 1024) / battles : 0;
  return { ok: failures.length === 0, failures, heapGrowthMb, externalGrowthMb, battles, heapPerBattleKb };
}
