import assert from "node:assert/strict";
import { Telemetry } from "../../src/observability/telemetry";
import { loadConfig } from "../../src/server/config";

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps the event loop busy in stalls of `stallMs`, letting it turn between them, for `forMs`. */
async function stallRepeatedly(stallMs: number, forMs: number) {
  const end = Date.now() + forMs;
  while (Date.now() < end) {
    const until = Date.now() + stallMs;
    while (Date.now() < until) { /* busy: a handler that runs too long */ }
    await tick();
  }
}

describe("the event-loop lag figure (sampled every 50 ms, so an idle process is not woken 100 times a second)", function () {
  this.timeout(20_000);
  let telemetry: Telemetry;
  before(() => {
    // a long sample interval: the test takes its samples itself
    telemetry = new Telemetry({ ...loadConfig({}), METRICS_SAMPLE_MS: 60_000 }).start();
  });
  after(async () => {
    await telemetry.stop();
  });

  it("reports a loop stalled in 150-ms stalls as about that much lag, and a calm loop as next to none", async () => {
    await telemetry.sample();
    await stallRepeatedly(150, 1500);
    const stalled = await telemetry.sample();
    await sleep(1500);
    const calm = await telemetry.sample();
    assert.ok(stalled && calm);
    assert.ok(stalled.eventLoopLagMs >= 100, `stalled: ${stalled.eventLoopLagMs} ms`);
    // a garbage collection's pause may land in the calm interval: tens of ms, never a stall's 150
    assert.ok(calm.eventLoopLagMs < 50, `calm: ${calm.eventLoopLagMs} ms`);
  });
});
