// `npm run bench:heap`: the leak test's workload (test/load/leak.test.ts) at bench length. Batches
// of complete battles, 10 tables playing at once (GM + 5 players, 10 NPC ships each), against a
// server process; after each batch every room is disposed and the server's live heap, external
// memory and RSS are measured after forced GC. A flat series means finished battles leave nothing
// behind. Writes bench/heap-results.json (with the leak bound's verdict; the server log goes to
// loadtest/results/bench-heap.server.log) and prints a line a batch.
//
//   npm run bench:heap [-- --batches 8 --tables 10 --battles-per-table 1 --think-ms 20 --max-rounds 3]
import "../src/server/polyfills";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { runBatches, line } from "../loadtest/lib/batches";
import { LEAK_BOUND, leakVerdict } from "../loadtest/lib/growth";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "8" },
    tables: { type: "string", default: "10" },
    "battles-per-table": { type: "string", default: "1" },
    "think-ms": { type: "string", default: "20" },
    "max-rounds": { type: "string", default: "3" },
  },
});
const int = (k: keyof typeof values, min: number, max: number) => {
  const n = Number(values[k]);
  if (!Number.isInteger(n) || n < min || n > max) { process.stderr.write(`--${k} must be an integer in ${min}..${max}\n`); process.exit(2); }
  return n;
};

(async () => {
  // The server log (and the raw result) go with the load runs' results; the figures to bench/.
  const outDir = path.resolve(__dirname, "..", "loadtest", "results");
  const r = await runBatches({
    name: "bench-heap", outDir, progress: true, batchTimeoutSec: 300,
    tables: int("tables", 1, 200), battlesPerTable: int("battles-per-table", 1, 100), batches: int("batches", 3, 100),
    plan: { players: 5, npc: 10, thinkMs: int("think-ms", 0, 10_000), maxRounds: int("max-rounds", 1, 100) },
  });
  const v = leakVerdict(r.samples.map((s) => ({ battles: s.battles, heapMb: s.heapMb, externalMb: s.externalMb })), LEAK_BOUND);
  fs.writeFileSync(path.join(__dirname, "heap-results.json"), JSON.stringify({ ...r, bound: LEAK_BOUND, verdict: v }, null, 2));
  process.stdout.write(`${r.samples.map(line).join("\n")}\n`);
  process.stdout.write(`${r.battles.ended} battles ended, ${r.commands.acked} commands acked, ${r.commands.lost} lost, ${r.joins.failed} joins failed; `
    + `heap growth ${v.heapGrowthMb.toFixed(1)} MB, external ${v.externalGrowthMb.toFixed(1)} MB over ${v.battles} battles: ${v.ok ? "within" : "OUTSIDE"} the leak bound`
    + `${v.ok ? "" : ` (${v.failures.join("; ")})`}\nwritten: bench/heap-results.json\n`);
  process.exit(v.ok && !r.server.crashed && r.timedOutBatches.length === 0 ? 0 : 1);
})().catch((err) => { process.stderr.write(`bench:heap failed: ${(err as Error).stack ?? err}\n`); process.exit(1); });
