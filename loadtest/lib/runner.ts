// The headless load run: spawn the server, drive N tables of bots for a bounded time, sample
// everything once a second, stop, wait a grace period for replies, and return the figures.
// Used by loadtest/run.ts (CLI) and by test/load/*.test.ts (in-process).
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { Metrics } from "./metrics";
import { linearGrowth, type Growth } from "./growth";
import { DEFAULT_PLAN, shipsFor, type BattlePlan } from "./plan";
import { decodingTables } from "./decode-sample";
import { localFleet, workerFleet, type Fleet } from "./fleet";
import { ProcSampler, readProc, ROOT, startServerProcess, type ServerProcess } from "../../harness/server-process";
import { planPinning, pinThisProcess, type Pinning } from "../../harness/cpu-pinning";
import { freePort } from "../../harness/ports";
import { NetSim } from "../../harness/netsim";
import { startRedis, type TestRedis } from "../../harness/redis-server";
import type { Percentiles } from "./histogram";

export interface RunOptions {
  name: string;
  battles: number;
  plan: BattlePlan;
  durationSec: number;
  /** After the stop: how long outstanding commands may still be answered before they count as lost. */
  graceSec: number;
  port?: number;
  /** Server processes sharing one Redis (needs `redis`); clients are spread over them round-robin. */
  processes: number;
  /** Start a real redis-server and give every server process REDIS_URL. */
  redis: boolean;
  /** Bot processes: 1 = the bots run in this process; more = forked workers, tables dealt round-robin. */
  botWorkers: number;
  latencyMs: number;
  jitterMs: number;
  lossPct: number;
  /** Concurrent create/join requests (ramp-up speed). */
  joinConcurrency: number;
  progress: boolean;
  /** Run the server with --cpu-prof (profile written to loadtest/results/<name>.cpuprofile/). */
  cpuProf: boolean;
  /**
   * Every this many seconds (0: never), the live heap of each server after a forced full GC, over the
   * memory probe's IPC channel (harness/memory-probe.ts): the soak's flat-heap check. Each sample
   * stops the server for the collection, so keep it to a minute or more in a run whose latency counts.
   */
  heapEverySec: number;
  /** Node/V8 flags for the server process(es) (`--server-node-args=--single-threaded-gc`), recorded in the report. */
  serverNodeArgs: string[];
  /** Extra server environment (e.g. PATCH_RATE_MS). */
  serverEnv: Record<string, string>;
  failOnLoss: boolean;
  failOnJoinFailure: boolean;
  maxP99Ms?: number;
  /**
   * Pin the server process(es) to these cores (`taskset -c`) and this process, its bot workers and
   * redis-server to every other core available (`--server-cpu`). Checked before anything starts.
   */
  serverCpus?: number[];
  /**
   * Fraction of battles (0 < F <= 1) whose every client decodes the state with the SDK; in the
   * others only the GM decodes and the players keep frame-level bookkeeping (loadtest/lib/decode-sample.ts).
   */
  decodeSample: number;
  /** Stop early once this many commands were acked in the measured window (after the ramp); `durationSec` still bounds the run. */
  stopAfterAcked?: number;
  outDir: string;
}

/**
 * CPU spent per acknowledged command in the steady window: from the moment every table's first
 * battle was opened (the ramp) to the stop, so joins and the leave storm are not counted.
 * Server CPU is the servers' own `process.cpuUsage()` (every thread, read from /metrics); the
 * load generator's is this process's `process.cpuUsage()` plus its bot workers' from /proc.
 */
export interface CpuPerCommand {
  windowSec: number;
  /** Commands acked in the window (bot workers report once a second: ±1 s of commands at each end). */
  acked: number;
  serverCpuMs: number;
  botsCpuMs: number;
  serverUsPerAcked: number;
  botsUsPerAcked: number;
  /** Server CPU in the window as % of one core (summed over processes). */
  serverCpuPct: number;
  botsCpuPct: number;
  /** With --server-cpu: the cores of the servers and of the load generator. */
  pinning?: Pinning;
}

export const DEFAULT_RUN: RunOptions = {
  name: "loadtest", battles: 10, plan: DEFAULT_PLAN, durationSec: 60, graceSec: 5, processes: 1, redis: false, botWorkers: 1,
  decodeSample: 1, latencyMs: 0, jitterMs: 0, lossPct: 0, joinConcurrency: 16, progress: true, cpuProf: false, heapEverySec: 0, serverNodeArgs: [], serverEnv: {},
  failOnLoss: false, failOnJoinFailure: false, outDir: path.join(ROOT, "loadtest", "results"),
};

export interface Sample {
  t: number; battlesActive: number; clients: number; sent: number; acked: number;
  samples: number; p50: number; p95: number; p99: number;
  serverCpuPct: number; serverRssMb: number; runnerCpuPct: number; runnerLagP99Ms: number;
  /** Per server process, in start order (one entry in single-process runs). */
  perProcess: { cpuPct: number; rssMb: number }[];
  bytesInPerSec: number; bytesOutPerSec: number;
}

export interface HeapSample { t: number; heapMb: number; externalMb: number; rooms: number; clients: number }

export interface ProcessFigures { port: number; cpuPctMean: number; cpuPctMax: number; rssMbStart: number; rssMbEnd: number; rssMbMax: number; crashed: boolean }

export interface RunResult {
  name: string;
  startedAt: string;
  config: Omit<RunOptions, "outDir" | "progress" | "serverEnv"> & { serverEnv: Record<string, string>; clientsPerBattle: number; shipsPerBattle: number; oneVsOne: boolean };
  environment: { cpus: number; cpuModel: string; memGb: number; node: string; platform: string; sameMachine: string };
  durationSec: number;
  rampSec: number | null;
  joins: { attempted: number; ok: number; failed: number; failures: Record<string, number> };
  commands: { sent: number; acked: number; refused: number; refusedByCode: Record<string, number>; lost: number; timedOut: number; lateReplies: number; ackedPerSec: number };
  /** Every command -> patch sample: decoded (`latencyBy.decoded`) and frame-level (`latencyBy.frameLevel`) together. */
  latency: Percentiles;
  /**
   * Where the samples come from: `decoded`, the decoding clients (every client of a decoding battle,
   * the GM of the others) when their decoded state reaches the command's version; `frameLevel`,
   * a frame-level client's own commands' ack round trip.
   */
  latencyBy: { decoded: Percentiles; frameLevel: Percentiles };
  ackRtt: Percentiles;
  battles: { created: number; started: number; ended: number; endedByGm: number };
  /**
   * Peak connected clients, and connections opened over the run by what they did with the state:
   * decoded it with the SDK, or received and counted its frames only (`--decode-sample`).
   */
  clients: { peak: number; decoding: number; frameLevel: number };
  /** Battles (tables) whose every client decoded the state; in the others only the GM did. */
  decodingBattles: number;
  /** All server processes together (CPU % summed over processes, RSS summed); `processes` one by one. */
  server: {
    crashed: boolean; crash?: { code: number | null; signal: string | null; tail: string[] }; cpuPctMean: number; cpuPctMax: number; rssMbStart: number; rssMbEnd: number; rssMbMax: number;
    processes: ProcessFigures[];
    /** With `heapEverySec`: the live heap after GC (summed over processes), and its growth after the first quarter of the run. */
    heap?: { samples: HeapSample[]; growth: Growth };
  };
  runner: { cpuPctMean: number; lagP99MaxMs: number };
  /** Undefined when the ramp never completed before the stop. */
  cpuPerCommand?: CpuPerCommand;
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

  if (!(opts.decodeSample > 0 && opts.decodeSample <= 1)) throw new Error(`decodeSample must be in (0, 1] (got ${opts.decodeSample})`);
  if (opts.processes > 1) opts.redis = true;
  if (opts.processes > 1 && (opts.latencyMs > 0 || opts.jitterMs > 0 || opts.lossPct > 0)) throw new Error("the netsim proxy fronts one server process");
  // before anything starts, so a bad core list is refused with nothing to clean up (PinningError)
  const pinning = opts.serverCpus ? planPinning(opts.serverCpus) : undefined;
  const servers: ServerProcess[] = [];
  let redis: TestRedis | undefined;
  let proxy: NetSim | undefined;
  let fleet: Fleet | undefined;
  const timeline: Sample[] = [];
  let ticker: NodeJS.Timeout | undefined;
  let heapTicker: NodeJS.Timeout | undefined;
  const heapSamples: HeapSample[] = [];
  let peakClients = 0;
  let rampSec: number | null = null;

  try {
    // the runner first: redis-server and the bot workers inherit its affinity
    if (pinning) {
      pinThisProcess(pinning.bots);
      say(`pinned: server(s) on core ${pinning.server.join(",")}, load generator and redis-server on ${pinning.bots.join(",")}`);
    }
    const nodeArgs: string[] = [...opts.serverNodeArgs];
    if (opts.cpuProf) nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${path.join(opts.outDir, `${opts.name}.cpuprofile`)}`);
    if (opts.redis) {
      // Battles keep their durable logs in Redis: AOF with appendfsync always, as in production.
      redis = await startRedis({ appendfsync: "always" });
      say(`redis-server (AOF, appendfsync always) on ${redis.url}`);
    }
    for (let i = 0; i < opts.processes; i++) {
      const port = i === 0 && opts.port ? opts.port : await freePort();
      const env: Record<string, string> = { ...opts.serverEnv };
      if (redis) Object.assign(env, { REDIS_URL: redis.url, PUBLIC_ADDRESS: `127.0.0.1:${port}` });
      say(`starting server ${i + 1}/${opts.processes} on 127.0.0.1:${port}…`);
      const logFile = path.join(opts.outDir, `${opts.name}.server${opts.processes > 1 ? `-${i + 1}` : ""}.log`);
      servers.push(await startServerProcess({ port, env, nodeArgs, logFile, cores: pinning?.server, memoryProbe: opts.heapEverySec > 0 }));
    }
    // Several processes: each new client enters through the next process, so GM and players of
    // one battle usually enter through different processes and the matchmaker must route them.
    let ports = servers.map((p) => p.port);
    if (opts.latencyMs > 0 || opts.jitterMs > 0 || opts.lossPct > 0) {
      // a TCP proxy delaying chunks (latency, jitter, "loss" = a retransmission delay): see docs/netsim.md
      proxy = await NetSim.start({
        targetHost: "127.0.0.1", targetPort: ports[0]!,
        conditions: { latencyMs: opts.latencyMs, jitterMs: opts.jitterMs, lossPercent: opts.lossPct },
      });
      ports = [proxy.port];
      say(`netsim proxy on 127.0.0.1:${proxy.port} (latency ${opts.latencyMs} ms, jitter ${opts.jitterMs} ms, loss ${opts.lossPct} %)`);
    }
    const anyCrashed = () => servers.some((p) => p.crashed);

    const samplers = servers.map((p) => new ProcSampler(p.pid));
    let runnerCpu = process.cpuUsage();
    let lastTick = performance.now();
    let lastBytesIn = 0;
    let lastBytesOut = 0;
    const t0 = performance.now();

    const spec = {
      ports, plan: opts.plan, tables: Array.from({ length: opts.battles }, (_, i) => i + 1), joinConcurrency: opts.joinConcurrency,
      decodeSample: opts.decodeSample,
    };
    fleet = opts.botWorkers > 1 ? await workerFleet(spec, opts.botWorkers) : localFleet(spec);
    const bots = fleet;
    if (opts.botWorkers > 1) say(`bots in ${bots.pids().length} worker processes`);
    const workerSamplers = bots.pids().map((pid) => new ProcSampler(pid));
    // CPU per acked command is measured from the ramp to the stop (see CpuPerCommand); a failed
    // scrape leaves no figure rather than a wrong one
    type CpuMark = { at: number; acked: number; server: number; bots: number };
    const cpuMark = async (): Promise<CpuMark | undefined> => {
      try {
        const at = performance.now();
        const acked = bots.metrics().cmds.acked;
        const server = (await Promise.all(servers.map((p) => p.cpuUsage()))).reduce((a, u) => a + u.user + u.system, 0);
        const self = process.cpuUsage();
        return { at, acked, server, bots: self.user + self.system + bots.pids().reduce((a, pid) => a + (readProc(pid)?.cpuMs ?? 0) * 1000, 0) };
      } catch (err) {
        say(`server CPU not read (${(err as Error).message}): no CPU per command figure`);
        return undefined;
      }
    };
    let cpuStart: CpuMark | undefined;
    void bots.ramped.then(async () => {
      rampSec = round2((performance.now() - t0) / 1000);
      cpuStart = await cpuMark();
    });

    // One sample at a time: a collection of a large heap can outlast a short interval.
    let heapInFlight: Promise<void> | undefined;
    heapTicker = opts.heapEverySec > 0 ? setInterval(() => {
      if (heapInFlight || anyCrashed()) return;
      const t = round2((performance.now() - t0) / 1000);
      heapInFlight = Promise.all(servers.map((p) => p.memory({ gc: true, timeoutMs: 60_000 })))
        .then((ms) => { heapSamples.push({
          t, heapMb: round2(ms.reduce((a, m) => a + m.heapUsed, 0) / 2 ** 20), externalMb: round2(ms.reduce((a, m) => a + m.external, 0) / 2 ** 20),
          rooms: ms.reduce((a, m) => a + m.rooms, 0), clients: ms.reduce((a, m) => a + m.clients, 0),
        }); })
        .catch(() => undefined)
        .finally(() => { heapInFlight = undefined; });
    }, opts.heapEverySec * 1000) : undefined;

    ticker = setInterval(() => {
      const now = performance.now();
      const dt = (now - lastTick) / 1000;
      lastTick = now;
      const perProcess = samplers.map((x) => x.sample() ?? { cpuPct: 0, rssMb: 0 });
      const srv = { cpuPct: perProcess.reduce((a, p) => a + p.cpuPct, 0), rssMb: perProcess.reduce((a, p) => a + p.rssMb, 0) };
      const cpu = process.cpuUsage(runnerCpu);
      runnerCpu = process.cpuUsage();
      const workersCpu = workerSamplers.reduce((a, x) => a + (x.sample()?.cpuPct ?? 0), 0);
      const metrics = bots.metrics();
      const w = bots.takeWindow().summary();
      peakClients = Math.max(peakClients, metrics.clients);
      const s: Sample = {
        t: round2((now - t0) / 1000), battlesActive: metrics.battles.active, clients: metrics.clients,
        sent: metrics.cmds.sent, acked: metrics.cmds.acked, samples: w.count, p50: w.p50, p95: w.p95, p99: w.p99,
        serverCpuPct: round2(srv.cpuPct), serverRssMb: round2(srv.rssMb),
        perProcess: perProcess.map((p) => ({ cpuPct: round2(p.cpuPct), rssMb: round2(p.rssMb) })),
        runnerCpuPct: round2(((cpu.user + cpu.system) / 1000 / (dt * 1000)) * 100 + workersCpu),
        runnerLagP99Ms: round2(bots.takeLagP99Ms()),
        bytesInPerSec: Math.round((metrics.bytesIn - lastBytesIn) / dt), bytesOutPerSec: Math.round((metrics.bytesOut - lastBytesOut) / dt),
      };
      lastBytesIn = metrics.bytesIn;
      lastBytesOut = metrics.bytesOut;
      timeline.push(s);
      say(`[${s.t.toFixed(0).padStart(4)}s] battles ${s.battlesActive}/${opts.battles} clients ${s.clients} cmds ${s.sent}/${s.acked} p95 ${s.p95} ms cpu ${s.serverCpuPct.toFixed(0)}% rss ${s.serverRssMb.toFixed(0)} MB runner ${s.runnerCpuPct.toFixed(0)}%${anyCrashed() ? " SERVER DOWN" : ""}`);
    }, 1000);

    // run for the duration (or until the server dies)
    const deadline = Date.now() + opts.durationSec * 1000;
    const enough = () => opts.stopAfterAcked !== undefined && cpuStart !== undefined && bots.metrics().cmds.acked - cpuStart.acked >= opts.stopAfterAcked;
    while (Date.now() < deadline && !anyCrashed() && !enough()) await new Promise((r) => setTimeout(r, 250));
    const durationSec = round2((performance.now() - t0) / 1000);
    const cpuEnd = cpuStart && !anyCrashed() ? await cpuMark() : undefined;
    const cpuPerCommand = cpuStart && cpuEnd ? cpuFigures(cpuStart, cpuEnd, pinning) : undefined;

    // stop issuing commands; in-flight ones get the grace period to be answered
    bots.stop();
    const graceEnd = Date.now() + opts.graceSec * 1000;
    // (worker fleets report outstanding counts once a second: wait at least one report)
    if (opts.botWorkers > 1) await new Promise((r) => setTimeout(r, 1100));
    while (bots.outstanding() > 0 && Date.now() < graceEnd) await new Promise((r) => setTimeout(r, 100));
    const lost = bots.outstanding();
    clearInterval(ticker);
    ticker = undefined;
    clearInterval(heapTicker);
    heapTicker = undefined;
    await heapInFlight; // a sample taken before the stop belongs to the run's figures
    const metrics = await bots.finish();
    fleet = undefined;

    const dead = servers.find((p) => p.crashed);
    const crashed = !!dead;
    const crash = dead?.crashed ? { ...dead.crashed, tail: dead.tail() } : undefined;
    const netsimStats = proxy ? { ...proxy.stats() } : undefined;
    await proxy?.close();
    proxy = undefined;
    const processes = servers.map((p, i) => processFigures(p, timeline, i));
    await Promise.all(servers.map((p) => p.stop()));
    await redis?.close();
    redis = undefined;

    return finish(opts, {
      startedAt, durationSec, rampSec, metrics, timeline, lost, crashed, crash, peakClients, netsimStats, processes, cpuPerCommand,
      heapSamples: opts.heapEverySec > 0 ? heapSamples : undefined,
    });
  } finally {
    if (ticker) clearInterval(ticker);
    if (heapTicker) clearInterval(heapTicker);
    if (fleet) await fleet.finish().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await Promise.all(servers.map((p) => p.stop().catch(() => undefined)));
    await redis?.close().catch(() => undefined);
  }
}

function cpuFigures(a: { at: number; acked: number; server: number; bots: number }, b: typeof a, pinning: Pinning | undefined): CpuPerCommand {
  const windowSec = (b.at - a.at) / 1000;
  const acked = b.acked - a.acked;
  const serverUs = b.server - a.server;
  const botsUs = b.bots - a.bots;
  const per = (us: number) => (acked > 0 ? Math.round(us / acked) : 0);
  const pct = (us: number) => (windowSec > 0 ? round2(us / 1e4 / windowSec) : 0);
  return {
    windowSec: round2(windowSec), acked, serverCpuMs: round2(serverUs / 1000), botsCpuMs: round2(botsUs / 1000),
    serverUsPerAcked: per(serverUs), botsUsPerAcked: per(botsUs), serverCpuPct: pct(serverUs), botsCpuPct: pct(botsUs), pinning,
  };
}

function processFigures(p: ServerProcess, tl: Sample[], i: number): ProcessFigures {
  const xs = tl.map((s) => s.perProcess[i]).filter((x): x is { cpuPct: number; rssMb: number } => !!x && x.rssMb > 0);
  const cpu = xs.map((x) => x.cpuPct);
  return {
    port: p.port, crashed: !!p.crashed,
    cpuPctMean: round2(cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : 0), cpuPctMax: round2(Math.max(0, ...cpu)),
    rssMbStart: xs[0]?.rssMb ?? 0, rssMbEnd: xs.at(-1)?.rssMb ?? 0, rssMbMax: Math.max(0, ...xs.map((x) => x.rssMb)),
  };
}

function finish(
  opts: RunOptions,
  r: { startedAt: string; durationSec: number; rampSec: number | null; metrics: Metrics; timeline: Sample[]; lost: number; crashed: boolean; crash?: { code: number | null; signal: string | null; tail: string[] }; peakClients: number; netsimStats?: Record<string, number>; processes: ProcessFigures[]; cpuPerCommand?: CpuPerCommand; heapSamples?: HeapSample[] },
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
      sameMachine: `${opts.serverCpus ? `server(s) pinned to core ${opts.serverCpus.join(",")} with taskset, the load generator to the others; ` : ""}the load generator (all bot clients, ${opts.botWorkers > 1 ? `${opts.botWorkers} worker processes` : "one Node process"}) ran on the same ${cpus.length}-core machine as the server${opts.processes > 1 ? ` processes (${opts.processes}) and redis-server` : opts.redis ? " and redis-server" : ""}`,
    },
    durationSec: r.durationSec,
    rampSec: r.rampSec,
    joins: { ...m.joins, failures: m.joinFailures },
    commands: {
      sent: m.cmds.sent, acked: m.cmds.acked, refused: m.cmds.refused, refusedByCode: m.refusedByCode, lost: r.lost,
      timedOut: m.cmds.timedOut, lateReplies: m.cmds.lateReplies, ackedPerSec: round2(m.cmds.acked / Math.max(1, r.durationSec)),
    },
    latency,
    latencyBy: { decoded: m.latencyDecoded.summary(), frameLevel: m.latencyFrameLevel.summary() },
    ackRtt: m.ackRtt.summary(),
    battles: { created: m.battles.created, started: m.battles.started, ended: m.battles.ended, endedByGm: m.battles.endedByGm },
    clients: { peak: r.peakClients, decoding: m.connections.decoding, frameLevel: m.connections.frameLevel },
    decodingBattles: decodingTables(opts.battles, opts.decodeSample),
    server: {
      crashed: r.crashed, crash: r.crash,
      cpuPctMean: round2(mean(steady.map((s) => s.serverCpuPct))), cpuPctMax: round2(Math.max(0, ...steady.map((s) => s.serverCpuPct))),
      rssMbStart: steady[0]?.serverRssMb ?? 0, rssMbEnd: steady.at(-1)?.serverRssMb ?? 0, rssMbMax: Math.max(0, ...steady.map((s) => s.serverRssMb)),
      processes: r.processes,
      ...(r.heapSamples ? { heap: { samples: r.heapSamples, growth: linearGrowth(r.heapSamples.filter((h) => h.t >= r.durationSec / 4).map((h) => ({ t: h.t, y: h.heapMb }))) } } : {}),
    },
    runner: { cpuPctMean: round2(mean(tl.map((s) => s.runnerCpuPct))), lagP99MaxMs: Math.max(0, ...tl.map((s) => s.runnerLagP99Ms)) },
    cpuPerCommand: r.cpuPerCommand,
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
