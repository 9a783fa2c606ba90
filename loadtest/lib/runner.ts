// The headless load run: spawn the server, drive N tables of bots for a bounded time, sample
// everything once a second, stop, wait a grace period for replies, and return the figures.
// Used by loadtest/run.ts (CLI) and by test/load/*.test.ts (in-process).
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import fs from "node:fs";
import { Metrics } from "./metrics";
import { DEFAULT_PLAN, Gate, Group, shipsFor, type BattlePlan } from "./bot";
import { ProcSampler, ROOT, freePort, startServer, type ServerProcess } from "./server";
import { startNetSim, type NetProxy } from "./netsim";
import type { Percentiles } from "./histogram";
import { startRedis, type TestRedis } from "../../test/support/redis-server";

export interface RunOptions {
  name: string;
  battles: number;
  plan: BattlePlan;
  durationSec: number;
  /** After the stop: how long outstanding commands may still be answered before they count as lost. */
  graceSec: number;
  port?: number;
  latencyMs: number;
  jitterMs: number;
  lossPct: number;
  /** Concurrent create/join requests (ramp-up speed). */
  joinConcurrency: number;
  progress: boolean;
  /** Run the server with --cpu-prof (profile written to loadtest/results/<name>.cpuprofile/). */
  cpuProf: boolean;
  /** Extra server environment (e.g. PATCH_RATE_MS). */
  serverEnv: Record<string, string>;
  /** Server processes sharing one Redis (a real redis-server with AOF, started for the run); 1 = a single process. */
  processes: number;
  /** Use Redis (presence, matchmaking, durable battle logs) even with one process. */
  redis: boolean;
  failOnLoss: boolean;
  failOnJoinFailure: boolean;
  maxP99Ms?: number;
  outDir: string;
}

export const DEFAULT_RUN: RunOptions = {
  name: "loadtest", battles: 10, plan: DEFAULT_PLAN, durationSec: 60, graceSec: 5,
  latencyMs: 0, jitterMs: 0, lossPct: 0, joinConcurrency: 16, progress: true, cpuProf: false, serverEnv: {}, processes: 1, redis: false,
  failOnLoss: false, failOnJoinFailure: false, outDir: path.join(ROOT, "loadtest", "results"),
};

export interface Sample {
  t: number; battlesActive: number; clients: number; sent: number; acked: number;
  samples: number; p50: number; p95: number; p99: number;
  serverCpuPct: number; serverRssMb: number; runnerCpuPct: number; runnerLagP99Ms: number;
  bytesInPerSec: number; bytesOutPerSec: number;
}

export interface RunResult {
  name: string;
  startedAt: string;
  config: Omit<RunOptions, "outDir" | "progress" | "serverEnv"> & { serverEnv: Record<string, string>; clientsPerBattle: number; shipsPerBattle: number; oneVsOne: boolean };
  environment: { cpus: number; cpuModel: string; memGb: number; node: string; platform: string; sameMachine: string };
  durationSec: number;
  rampSec: number | null;
  joins: { attempted: number; ok: number; failed: number; failures: Record<string, number> };
  commands: { sent: number; acked: number; refused: number; refusedByCode: Record<string, number>; lost: number; timedOut: number; lateReplies: number; ackedPerSec: number };
  latency: Percentiles;
  ackRtt: Percentiles;
  battles: { created: number; started: number; ended: number; endedByGm: number };
  clients: { peak: number };
  server: { crashed: boolean; crash?: { code: number | null; signal: string | null; tail: string[] }; cpuPctMean: number; cpuPctMax: number; rssMbStart: number; rssMbEnd: number; rssMbMax: number };
  runner: { cpuPctMean: number; lagP99MaxMs: number };
  network: { bytesIn: number; bytesOut: number; bytesInPerSec: number; bytesOutPerSec: number; messagesIn: number; netsim?: Record<string, number> };
  errors: { joinFailures: number; disconnects: Record<string, number>; drops: number; reconnects: number; refusedByCode: Record<string, number>; timeouts: number; lost: number; other: Record<string, number> };
  timeline: Sample[];
  pass: boolean;
  failures: string[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export async function runLoadtest(partial: Omit<Partial<RunOptions>, "plan"> & { plan?: Partial<BattlePlan> }): Promise<RunResult> {
  const opts: RunOptions = { ...DEFAULT_RUN, ...partial, plan: { ...DEFAULT_PLAN, ...(partial.plan ?? {}) } };
  const say = (msg: string) => { if (opts.progress) process.stderr.write(`${msg}\n`); };
  const startedAt = new Date().toISOString();
  fs.mkdirSync(opts.outDir, { recursive: true });

  const port = opts.port ?? (await freePort());
  let server: ServerProcess | undefined;
  /** Every server process; `server` is the first (the one the netsim proxy fronts). */
  const servers: ServerProcess[] = [];
  let redis: TestRedis | undefined;
  let proxy: NetProxy | undefined;
  const metrics = new Metrics();
  const groups: Group[] = [];
  const timeline: Sample[] = [];
  let ticker: NodeJS.Timeout | undefined;
  let stopped = false;
  let peakClients = 0;
  let rampSec: number | null = null;
  let releaseLeaves: (() => void) | undefined;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });

  try {
    const nodeArgs: string[] = [];
    if (opts.cpuProf) nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${path.join(opts.outDir, `${opts.name}.cpuprofile`)}`);
    const multi = opts.processes > 1 || opts.redis;
    if (multi && (opts.latencyMs > 0 || opts.jitterMs > 0 || opts.lossPct > 0) && opts.processes > 1) {
      throw new Error("the netsim proxy fronts one process: use --latency/--jitter/--loss with --processes 1");
    }
    if (multi) {
      redis = await startRedis({ appendfsync: "always" });
      say(`redis-server (AOF, appendfsync always) on ${redis.url}`);
    }
    for (let i = 0; i < opts.processes; i++) {
      const p = i === 0 ? port : await freePort();
      say(`starting server ${i + 1}/${opts.processes} on 127.0.0.1:${p}…`);
      const env = redis ? { REDIS_URL: redis.url, PUBLIC_ADDRESS: `127.0.0.1:${p}`, ...opts.serverEnv } : opts.serverEnv;
      const logFile = path.join(opts.outDir, opts.processes > 1 ? `${opts.name}.server${i + 1}.log` : `${opts.name}.server.log`);
      servers.push(await startServer({ port: p, env, nodeArgs, logFile }));
    }
    server = servers[0]!;
    const crashedServer = () => servers.find((s) => s.crashed);
    let endpointPort = port;
    if (opts.latencyMs > 0 || opts.jitterMs > 0 || opts.lossPct > 0) {
      proxy = await startNetSim(port, { latencyMs: opts.latencyMs, jitterMs: opts.jitterMs, lossPct: opts.lossPct });
      endpointPort = proxy.port;
      say(`netsim proxy on 127.0.0.1:${proxy.port} (latency ${opts.latencyMs} ms, jitter ${opts.jitterMs} ms, loss ${opts.lossPct} %)`);
    }
    const endpoint = `ws://127.0.0.1:${endpointPort}`;
    const { seatedPlayers } = shipsFor(opts.plan);

    const samplers = servers.map((s) => new ProcSampler(s.pid));
    let runnerCpu = process.cpuUsage();
    let lastTick = performance.now();
    let lastBytesIn = 0;
    let lastBytesOut = 0;
    const t0 = performance.now();
    loopDelay.enable();

    const gate = new Gate(opts.joinConcurrency);
    let release!: () => void;
    const leaveAllowed = new Promise<void>((r) => { release = r; });
    releaseLeaves = release;
    const ctx = { endpoint, plan: opts.plan, metrics, gate, stopped: () => stopped, leaveAllowed };
    const loops: Promise<void>[] = [];
    const firstJoins: Promise<void>[] = [];
    for (let i = 0; i < opts.battles; i++) {
      // Tables enter through the processes in turn; the matchmaker places each battle.
      const g = new Group(i + 1, servers.length > 1 ? { ...ctx, endpoint: `ws://127.0.0.1:${servers[i % servers.length]!.port}` } : ctx);
      groups.push(g);
      let settle!: () => void;
      firstJoins.push(new Promise<void>((r) => { settle = r; }));
      loops.push(g.gmLoop(() => settle()).catch((err) => { metrics.count(metrics.otherErrors, `gmLoop: ${(err as Error).message}`); settle(); }));
      for (let k = 1; k <= seatedPlayers; k++) {
        loops.push(g.playerLoop(k).catch((err) => { metrics.count(metrics.otherErrors, `playerLoop: ${(err as Error).message}`); }));
      }
    }
    void Promise.all(firstJoins).then(() => { rampSec = round2((performance.now() - t0) / 1000); });

    ticker = setInterval(() => {
      const now = performance.now();
      const dt = (now - lastTick) / 1000;
      lastTick = now;
      // With several processes: CPU and RSS summed over them (CPU % of one core).
      const each = samplers.map((x) => x.sample());
      const srv = each.some((x) => x) ? { cpuPct: each.reduce((a, x) => a + (x?.cpuPct ?? 0), 0), rssMb: each.reduce((a, x) => a + (x?.rssMb ?? 0), 0) } : undefined;
      const cpu = process.cpuUsage(runnerCpu);
      runnerCpu = process.cpuUsage();
      const w = metrics.latencyWindow.summary();
      metrics.latencyWindow.reset();
      peakClients = Math.max(peakClients, metrics.clients);
      const s: Sample = {
        t: round2((now - t0) / 1000), battlesActive: metrics.battles.active, clients: metrics.clients,
        sent: metrics.cmds.sent, acked: metrics.cmds.acked, samples: w.count, p50: w.p50, p95: w.p95, p99: w.p99,
        serverCpuPct: round2(srv?.cpuPct ?? 0), serverRssMb: round2(srv?.rssMb ?? 0),
        runnerCpuPct: round2(((cpu.user + cpu.system) / 1000 / (dt * 1000)) * 100),
        runnerLagP99Ms: round2(loopDelay.percentile(99) / 1e6),
        bytesInPerSec: Math.round((metrics.bytesIn - lastBytesIn) / dt), bytesOutPerSec: Math.round((metrics.bytesOut - lastBytesOut) / dt),
      };
      loopDelay.reset();
      lastBytesIn = metrics.bytesIn;
      lastBytesOut = metrics.bytesOut;
      timeline.push(s);
      say(`[${s.t.toFixed(0).padStart(4)}s] battles ${s.battlesActive}/${opts.battles} clients ${s.clients} cmds ${s.sent}/${s.acked} p95 ${s.p95} ms cpu ${s.serverCpuPct.toFixed(0)}% rss ${s.serverRssMb.toFixed(0)} MB runner ${s.runnerCpuPct.toFixed(0)}%${crashedServer() ? " SERVER DOWN" : ""}`);
    }, 1000);

    // run for the duration (or until the server dies)
    const deadline = Date.now() + opts.durationSec * 1000;
    while (Date.now() < deadline && !crashedServer()) await new Promise((r) => setTimeout(r, 250));
    const durationSec = round2((performance.now() - t0) / 1000);

    // stop issuing commands; in-flight ones get the grace period to be answered
    stopped = true;
    metrics.stopping = true;
    groups.forEach((g) => g.wake());
    const graceEnd = Date.now() + opts.graceSec * 1000;
    while (metrics.outstanding.size > 0 && Date.now() < graceEnd) await new Promise((r) => setTimeout(r, 100));
    const lost = metrics.outstanding.size;
    clearInterval(ticker);
    ticker = undefined;
    metrics.frozen = true;
    release();
    await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 15_000))]);
    await Promise.race([Promise.all(groups.map((g) => g.leaveAll())), new Promise((r) => setTimeout(r, 10_000))]);

    const down = crashedServer();
    const crashed = !!down;
    const crash = down?.crashed ? { ...down.crashed, tail: down.tail() } : undefined;
    const netsimStats = proxy?.stats();
    await proxy?.stop();
    proxy = undefined;
    await Promise.all(servers.map((s) => s.stop()));

    return finish(opts, {
      startedAt, durationSec, rampSec, metrics, timeline, lost, crashed, crash, peakClients, netsimStats,
    });
  } finally {
    stopped = true;
    releaseLeaves?.();
    if (ticker) clearInterval(ticker);
    loopDelay.disable();
    await proxy?.stop().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await redis?.close().catch(() => undefined);
  }
}

function finish(
  opts: RunOptions,
  r: { startedAt: string; durationSec: number; rampSec: number | null; metrics: Metrics; timeline: Sample[]; lost: number; crashed: boolean; crash?: { code: number | null; signal: string | null; tail: string[] }; peakClients: number; netsimStats?: Record<string, number> },
): RunResult {
  const m = r.metrics;
  const { ships, seatedPlayers, oneVsOne } = shipsFor(opts.plan);
  const tl = r.timeline;
  const steady = tl.filter((s) => s.serverRssMb > 0);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const failures: string[] = [];
  if (r.crashed) failures.push(`the server crashed (${JSON.stringify({ code: r.crash?.code, signal: r.crash?.signal })})`);
  if (opts.failOnLoss && r.lost > 0) failures.push(`${r.lost} command(s) lost (sent, never answered)`);
  if (opts.failOnJoinFailure && m.joins.failed > 0) failures.push(`${m.joins.failed} join(s) failed`);
  const latency = m.latency.summary();
  if (opts.maxP99Ms !== undefined && latency.p99 > opts.maxP99Ms) failures.push(`p99 ${latency.p99} ms > ${opts.maxP99Ms} ms`);
  const cpus = os.cpus();
  const { outDir: _o, progress: _p, ...config } = opts;
  return {
    name: opts.name,
    startedAt: r.startedAt,
    config: { ...config, clientsPerBattle: seatedPlayers + 1, shipsPerBattle: ships.length, oneVsOne },
    environment: {
      cpus: cpus.length, cpuModel: cpus[0]?.model ?? "?", memGb: round2(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`,
      sameMachine: `the load generator (all bot clients, one Node process) ran on the same ${cpus.length}-core machine as the server`,
    },
    durationSec: r.durationSec,
    rampSec: r.rampSec,
    joins: { ...m.joins, failures: m.joinFailures },
    commands: {
      sent: m.cmds.sent, acked: m.cmds.acked, refused: m.cmds.refused, refusedByCode: m.refusedByCode, lost: r.lost,
      timedOut: m.cmds.timedOut, lateReplies: m.cmds.lateReplies, ackedPerSec: round2(m.cmds.acked / Math.max(1, r.durationSec)),
    },
    latency,
    ackRtt: m.ackRtt.summary(),
    battles: { created: m.battles.created, started: m.battles.started, ended: m.battles.ended, endedByGm: m.battles.endedByGm },
    clients: { peak: r.peakClients },
    server: {
      crashed: r.crashed, crash: r.crash,
      cpuPctMean: round2(mean(steady.map((s) => s.serverCpuPct))), cpuPctMax: round2(Math.max(0, ...steady.map((s) => s.serverCpuPct))),
      rssMbStart: steady[0]?.serverRssMb ?? 0, rssMbEnd: steady.at(-1)?.serverRssMb ?? 0, rssMbMax: Math.max(0, ...steady.map((s) => s.serverRssMb)),
    },
    runner: { cpuPctMean: round2(mean(tl.map((s) => s.runnerCpuPct))), lagP99MaxMs: Math.max(0, ...tl.map((s) => s.runnerLagP99Ms)) },
    network: {
      bytesIn: m.bytesIn, bytesOut: m.bytesOut, bytesInPerSec: Math.round(m.bytesIn / Math.max(1, r.durationSec)),
      bytesOutPerSec: Math.round(m.bytesOut / Math.max(1, r.durationSec)), messagesIn: m.messagesIn, netsim: r.netsimStats,
    },
    errors: {
      joinFailures: m.joins.failed, disconnects: m.disconnects, drops: m.drops, reconnects: m.reconnects,
      refusedByCode: m.refusedByCode, timeouts: m.cmds.timedOut, lost: r.lost, other: m.otherErrors,
    },
    timeline: tl,
    pass: failures.length === 0,
    failures,
  };
}
