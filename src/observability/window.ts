// A fixed-size window of recent samples for in-process percentiles (alerts and the dashboard).
// Preallocated: recording a sample on the command hot path allocates nothing.
export class SampleWindow {
  private readonly values: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity = 4096) {
    this.values = new Float64Array(capacity);
  }

  push(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.count < this.values.length) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** The q-quantile (0..1, nearest rank) of the samples held; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const sorted = this.values.slice(0, this.count).sort();
    const rank = Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1));
    return sorted[rank] as number;
  }

  reset(): void {
    this.count = 0;
    this.next = 0;
  }
}
