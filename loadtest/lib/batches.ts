// Batches of complete battles against one server process, with the server's live memory measured
// after forced garbage collection between batches (every room of the batch disposed). A fixed
// amount of work, not a duration: the figures do not depend on how fast the machine is, so a
// slow or busy machine plays the same battles, only later. Used by test/load/leak.test.ts and
// `npm run bench:heap`.
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { Tables } from "./fleet";
import { DEFAULT_PLAN, type BattlePlan } from "./plan";
import { metricsFromSnapshot, snapshotMetrics, type MetricsSnapshot } from "./metrics";
import { ProcSampler, startServerProcess, type ServerProcess } from "../../harness/server-process";
import { freePort } from "../../harness/ports";
import type { MemoryReply } from "../../harness/memory-probe";

export interface BatchOptions {
  name: string;
  /** Tables playing at once (GM + players each). */
  tables: number;
  /** Complete battles each table plays per batch. */
  battlesPerTable: number;
  batches: number;
  plan?: Partial<BattlePlan>;
  /** Extra server environment (e.g. MEMORY_PROBE_RETAIN_ROOMS for the deliberate leak). */
  serverEnv?: Record<string, string>;
  joinConcurrency?: number;
  /** A batch still running after this long is abandoned and the run fails. */
  batchTimeoutSec: number;
  progress?: boolean;
  /** Server log and the JSON result go here. */
  outDir: string;
}

const MB = 1024 * 1024;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** One measurement: after GC, except `rssPeakMb`, the highest RSS sampled during the batch. */
export interface BatchSample {
  batch: number;
  /** Complete battles (ended) so far, over all batches. */
  battles: number;
  heapMb: number; heapTotalMb: number; externalMb: number; arrayBuffersMb: number; rssMb: number;
  rssPeakMb: number;
  /** Rooms and clients the server still had when measured (0 once the batch is over). */
  rooms: number; clients: number;
  /** Rooms the memory probe keeps on purpose (MEMORY_PROBE_RETAIN_ROOMS; otherwise 0). */
  retained: number;
  /** Seconds the batch took. */
  seconds: number;
}

export interface BatchResult {
  name: string;
  startedAt: string;
  config: Omit<BatchOptions, "outDir" | "progress"> & { plan: BattlePlan };
  environment: { cpus: number; cpuModel: string; node: string; loadAvg1m: number };
  /** Batch 0 is the idle server before any battle. */
  samples: BatchSample[];
  battles: { created: number; started: number; ended: number; endedByGm: number };
  joins: { attempted: number; ok: number; failed: number; failures: Record<string, number> };
  commands: { sent: number; acked: number; refused: number; timedOut: number; lost: number };
  /** Batches that did not finish within batchTimeoutSec. */
  timedOutBatches: number[];
  server: { crashed: boolean; crash?: { code: number | null; signal: string | null; tail: string[] } };
  durationSec: number;
}

export async function runBatches(opts: BatchOptions): Promise<BatchResult> {
  const plan: BattlePlan = { ...DEFAULT_PLAN, ...(opts.plan ?? {}) };
  const say = (msg: string) => { if (opts.progress) process.stderr.write(`${msg}\n`); };
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  fs.mkdirSync(opts.outDir, { recursive: true });
  // The audit trail is on by default in production: keep it on here, in a file of its own.
  const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), "tb-audit-"));
  let server: ServerProcess | undefined;
  const samples: BatchSample[] = [];
  const snaps: MetricsSnapshot[] = [];
  const timedOutBatches: number[] = [];
  let lost = 0;
  try {
    server = await startServerProcess({
      port: await freePort(), memoryProbe: true, logFile: path.join(opts.outDir, `${opts.name}.server.log`),
      env: { AUDIT_LOG_FILE: path.join(auditDir, "audit.log"), ...(opts.serverEnv ?? {}) },
    });
    const srv = server;
    // Three collections half a second apart, the lowest of each figure kept: a socket still closing
    // or a timer about to fire holds a little memory for a moment; a leak holds it in all three.
    const measure = async (batch: number, seconds: number, rssPeakMb: number): Promise<BatchSample> => {
      const ms: MemoryReply[] = [];
      for (let i = 0; i < 3; i++) {
        if (i) await new Promise((r) => setTimeout(r, 500));
        const m = await srv.memory({ gc: true });
        if (!m.collected) throw new Error("the server could not collect garbage (no --expose-gc)");
        ms.push(m);
      }
      const low = (k: "rss" | "heapUsed" | "heapTotal" | "external" | "arrayBuffers") => Math.min(...ms.map((m) => m[k]));
      const m: MemoryReply = { ...ms.at(-1)!, rss: low("rss"), heapUsed: low("heapUsed"), heapTotal: low("heapTotal"), external: low("external"), arrayBuffers: low("arrayBuffers") };
      const battles = snaps.reduce((a, s) => a + s.battles.ended, 0);
      return sample(batch, battles, m, seconds, rssPeakMb);
    };
    samples.push(await measure(0, 0, 0));
    say(line(samples[0]!));
    for (let b = 1; b <= opts.batches && !srv.crashed; b++) {
      const started = performance.now();
      const tables = new Tables({
        ports: [srv.port], plan, tables: Array.from({ length: opts.tables }, (_, i) => i + 1),
        joinConcurrency: opts.joinConcurrency ?? 16, battlesPerTable: opts.battlesPerTable,
      });
      const rss = new ProcSampler(srv.pid);
      let rssPeakMb = 0;
      const ticker = setInterval(() => { rssPeakMb = Math.max(rssPeakMb, rss.sample()?.rssMb ?? 0); }, 1000);
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        tables.done.then(() => "done" as const),
        new Promise<"timeout">((r) => { timer = setTimeout(() => r("timeout"), opts.batchTimeoutSec * 1000); }),
        new Promise<"crash">((r) => srv.child.once("exit", () => r("crash"))),
      ]);
      clearTimeout(timer);
      if (outcome === "timeout") timedOutBatches.push(b);
      lost += tables.metrics.outstanding.size;
      const metrics = await tables.finish();
      clearInterval(ticker);
      rssPeakMb = Math.max(rssPeakMb, rss.sample()?.rssMb ?? 0);
      snaps.push(snapshotMetrics(metrics));
      if (srv.crashed) break;
      // Every client left: the rooms dispose (durable files removed) within moments.
      await until(async () => (await srv.memory({ gc: false })).rooms === 0, 20_000);
      samples.push(await measure(b, round2((performance.now() - started) / 1000), rssPeakMb));
      say(line(samples.at(-1)!));
      if (outcome === "timeout") break;
    }
  } finally {
    await server?.stop().catch(() => undefined);
    fs.rmSync(auditDir, { recursive: true, force: true });
  }
  const m = metricsFromSnapshot(snaps);
  const cpus = os.cpus();
  const result: BatchResult = {
    name: opts.name, startedAt,
    config: { name: opts.name, tables: opts.tables, battlesPerTable: opts.battlesPerTable, batches: opts.batches, plan, serverEnv: opts.serverEnv, joinConcurrency: opts.joinConcurrency, batchTimeoutSec: opts.batchTimeoutSec },
    environment: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? "?", node: process.version, loadAvg1m: round2(os.loadavg()[0] ?? 0) },
    samples,
    battles: { created: m.battles.created, started: m.battles.started, ended: m.battles.ended, endedByGm: m.battles.endedByGm },
    joins: { ...m.joins, failures: m.joinFailures },
    commands: { sent: m.cmds.sent, acked: m.cmds.acked, refused: m.cmds.refused, timedOut: m.cmds.timedOut, lost },
    timedOutBatches,
    server: { crashed: !!server?.crashed, ...(server?.crashed ? { crash: { ...server.crashed, tail: server.tail() } } : {}) },
    durationSec: round2((performance.now() - t0) / 1000),
  };
  fs.writeFileSync(path.join(opts.outDir, `${opts.name}.json`), JSON.stringify(result, null, 2));
  return result;
}

function sample(batch: number, battles: number, m: MemoryReply, seconds: number, rssPeakMb: number): BatchSample {
  return {
    batch, battles,
    heapMb: round2(m.heapUsed / MB), heapTotalMb: round2(m.heapTotal / MB), externalMb: round2(m.external / MB),
    arrayBuffersMb: round2(m.arrayBuffers / MB), rssMb: round2(m.rss / MB), rssPeakMb: round2(rssPeakMb),
    rooms: m.rooms, clients: m.clients, retained: m.retained, seconds,
  };
}

export function line(s: BatchSample): string {
  return `batch ${String(s.batch).padStart(2)} (${String(s.battles).padStart(3)} battles, ${s.seconds.toFixed(1)} s): after GC heap ${s.heapMb.toFixed(1)} MB, `
    + `external ${s.externalMb.toFixed(1)} MB (arrayBuffers ${s.arrayBuffersMb.toFixed(1)}), RSS ${s.rssMb.toFixed(0)} MB (peak during batch ${s.rssPeakMb.toFixed(0)}), rooms ${s.rooms}`;
}

async function until(pred: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
