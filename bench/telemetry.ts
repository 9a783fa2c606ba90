// `node --expose-gc --import tsx bench/telemetry.ts`: the metrics observer's cost per accepted
// command (commandAccepted + patchSent, as the room notifies them), in one process, no network.
// Prints JSON: ns per command, and heap growth per command (short-lived garbage, mostly from
// prom-client's histogram observe; a lower bound, since scavenges during the run reclaim some). Bounded: 1,000,000 commands after a 200,000 warm-up.
import { Telemetry } from "../src/observability/telemetry";
import { loadConfig } from "../src/server/config";
import type { CommandAccepted } from "../src/server/observers";

const telemetry = new Telemetry(loadConfig({ NODE_ENV: "test" }));
const accepted = { roomId: "bench", type: "space:fire", durationMs: 0.4 } as CommandAccepted;
const patch = { roomId: "bench", latencyMs: 0.6 };
const run = (n: number) => { for (let i = 0; i < n; i++) { telemetry.commandAccepted(accepted); telemetry.patchSent(patch); } };

run(200_000);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const N = 1_000_000;
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
run(N);
const ms = performance.now() - started;
const allocated = process.memoryUsage().heapUsed - heapBefore;
console.log(JSON.stringify({
  commands: N, nsPerCommand: Math.round((ms * 1e6) / N),
  heapGrowthBytesPerCommand: gc ? Math.round(allocated / N) : "run with --expose-gc", node: process.version,
}));
process.exit(0);
