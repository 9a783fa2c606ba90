// Percentiles and throughput from a list of durations in milliseconds.
export interface Summary { n: number; opsPerSec: number; p50: number; p95: number; p99: number; max: number; mean: number }

export function summarise(samplesMs: number[], wallMs?: number): Summary {
  const s = [...samplesMs].sort((a, b) => a - b);
  const pick = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0);
  const total = s.reduce((a, b) => a + b, 0);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    n: s.length,
    opsPerSec: Math.round((s.length / ((wallMs ?? total) || 1)) * 1000),
    p50: round(pick(0.5)), p95: round(pick(0.95)), p99: round(pick(0.99)), max: round(s[s.length - 1] ?? 0), mean: round(total / (s.length || 1)),
  };
}
