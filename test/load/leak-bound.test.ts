// The leak bound on synthetic series (loadtest/lib/growth.ts, leakVerdict): what passes, what
// fails, so that test/load/leak.test.ts can neither pass vacuously nor flake on noise.
import assert from "node:assert/strict";
import { LEAK_BOUND, leakVerdict, type MemoryPoint } from "../../loadtest/lib/growth";

/** An idle point, then one point per batch of `perBatch` battles: heap/external from the functions. */
function series(batches: number, perBatch: number, heap: (b: number) => number, external: (b: number) => number = () => 6): MemoryPoint[] {
  const out: MemoryPoint[] = [{ battles: 0, heapMb: 28, externalMb: 5.6 }];
  for (let b = 1; b <= batches; b++) out.push({ battles: b * perBatch, heapMb: heap(b), externalMb: external(b) });
  return out;
}

// Measured noise between batches (docs/performance.md): within ±2 MB of heap, ±0.1 MB external.
const noise = [0, 1.6, -0.4, 2.0, -1.8, 1.1];

describe("leak bound (synthetic series)", () => {
  it("passes a flat series with the noise measured between batches", () => {
    const v = leakVerdict(series(5, 10, (b) => 50 + noise[b]!, (b) => 5.9 + noise[b]! / 20), LEAK_BOUND);
    assert.equal(v.ok, true, v.failures.join("; "));
    assert.equal(v.battles, 40);
  });

  it("ignores the warm-up jump from the idle server to the first batch", () => {
    assert.equal(leakVerdict(series(5, 10, () => 50), LEAK_BOUND).ok, true);
  });

  it("fails when every battle keeps its room (about 2 MB a battle, as measured with MEMORY_PROBE_RETAIN_ROOMS)", () => {
    const v = leakVerdict(series(5, 10, (b) => 50 + 20 * (b - 1)), LEAK_BOUND);
    assert.equal(v.ok, false);
    assert.match(v.failures.join(), /live heap grew 80\.0 MB/);
    assert.equal(Math.round(v.heapPerBattleKb), 2048);
  });

  it("fails on a smaller steady leak of 300 KB a battle over 40 battles", () => {
    assert.equal(leakVerdict(series(5, 10, (b) => 50 + 0.3 * 10 * (b - 1)), LEAK_BOUND).ok, false);
  });

  it("fails on growth of external memory alone (buffers kept), even with a flat heap", () => {
    const v = leakVerdict(series(5, 10, () => 50, (b) => 6 + 0.8 * (b - 1)), LEAK_BOUND);
    assert.equal(v.ok, false);
    assert.match(v.failures.join(), /external memory grew 3\.2 MB/);
  });

  it("fails on a leak that a later batch hid (it judges the highest point, not the last)", () => {
    const v = leakVerdict(series(5, 10, (b) => (b === 4 ? 62 : 50)), LEAK_BOUND);
    assert.equal(v.ok, false);
  });

  it("fails when there are too few measurements to judge, or no battles between them", () => {
    assert.equal(leakVerdict(series(2, 10, () => 50), LEAK_BOUND).ok, false);
    assert.equal(leakVerdict(series(5, 0, () => 50), LEAK_BOUND).ok, false);
  });

  it("does not catch a leak below the bound: under 8 MB over the judged battles (e.g. 100 KB a battle over 40)", () => {
    assert.equal(leakVerdict(series(5, 10, (b) => 50 + 0.1 * 10 * (b - 1)), LEAK_BOUND).ok, true);
  });
});
