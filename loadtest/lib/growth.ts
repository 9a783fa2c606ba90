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
