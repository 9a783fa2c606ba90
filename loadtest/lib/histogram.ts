// A log-bucketed latency histogram: 2 % relative precision from 10 µs to ~100 s in ~820
// counters, so millions of samples cost nothing and percentiles stay honest. Values in ms.
const MIN_MS = 0.01;
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(100_000 / MIN_MS) / LOG_GROWTH) + 2;

/** A histogram as sparse buckets: [bucket index, count]. */
export interface HistogramData { buckets: [number, number][]; count: number; sum: number; max: number }

export interface Percentiles { count: number; p50: number; p95: number; p99: number; max: number; mean: number }

export class Histogram {
  private counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms)) return;
    const v = Math.max(ms, 0);
    const i = v <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(v / MIN_MS) / LOG_GROWTH));
    this.counts[i]! += 1;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** The value below which `q` (0..1) of the samples fall (bucket upper bound, capped at max). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, MIN_MS * GROWTH ** i);
    }
    return this.max;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  /** Plain data for another process (see fromJSON). */
  toJSON(): HistogramData {
    const buckets: [number, number][] = [];
    this.counts.forEach((c, i) => { if (c) buckets.push([i, c]); });
    return { buckets, count: this.count, sum: this.sum, max: this.max };
  }

  static fromJSON(d: HistogramData): Histogram {
    const h = new Histogram();
    for (const [i, c] of d.buckets) if (i >= 0 && i < BUCKETS) h.counts[i] = c;
    h.count = d.count;
    h.sum = d.sum;
    h.max = d.max;
    return h;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }

  summary(): Percentiles {
    const r = (x: number) => Math.round(x * 100) / 100;
    return {
      count: this.count, p50: r(this.quantile(0.5)), p95: r(this.quantile(0.95)), p99: r(this.quantile(0.99)),
      max: r(this.max), mean: r(this.count ? this.sum / this.count : 0),
    };
  }
}
