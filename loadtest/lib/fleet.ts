// The bots of one run, in this process or spread over worker processes. On a small machine one
// Node process decoding every patch for thousands of SDK clients saturates before the server
// does; worker processes use the other cores. A battle's clients always share one process, so
// command -> patch latency is measured on one clock.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Client } from "@colyseus/sdk";
import { Gate } from "./gate";
import { FrameLevelClient } from "./frame-level-client";
import { Group } from "./table";
import { shipsFor, type BattlePlan } from "./plan";
import { Metrics, metricsFromSnapshot, type MetricsSnapshot } from "./metrics";
import { Histogram } from "./histogram";

export interface FleetSpec {
  /** Entry ports; with several, each new client enters through the next one. */
  ports: number[];
  plan: BattlePlan;
  /** Group numbers (1-based) this fleet plays. */
  tables: number[];
  joinConcurrency: number;
  /** Each table plays this many battles, then its loops end (see `Tables.done`); unset: until stopped. */
  battlesPerTable?: number;
  /** Fraction of tables (by table number, ./decode-sample.ts) whose every client decodes the state; default 1. */
  decodeSample?: number;
}

export interface Fleet {
  /** Resolves once every table's first battle was opened (or failed to open). */
  ramped: Promise<void>;
  /** Cumulative figures of every bot. */
  metrics(): Metrics;
  /** Latency samples since the previous call. */
  takeWindow(): Histogram;
  /** Event-loop lag p99 (ms) of the bot processes since the previous call (the worst of them). */
  takeLagP99Ms(): number;
  /** Process ids running bots other than this one (for CPU sampling). */
  pids(): number[];
  /** Stop issuing commands and opening battles. */
  stop(): void;
  /** Commands sent and not answered yet. */
  outstanding(): number;
  /** Stop measuring, let the bots leave, return the final figures. */
  finish(): Promise<Metrics>;
}

/** Runs the tables' loops in one process; shared by the local fleet and each worker. */
export class Tables {
  readonly metrics = new Metrics();
  readonly ramped: Promise<void>;
  /** Resolves once every loop has ended (with `battlesPerTable`: every table played its battles). */
  readonly done: Promise<void>;
  private groups: Group[] = [];
  private loops: Promise<void>[] = [];
  private stopped = false;
  private release!: () => void;

  constructor(spec: FleetSpec) {
    const { metrics } = this;
    let next = 0;
    const sdk = (frameLevel: boolean) => {
      const url = `ws://127.0.0.1:${spec.ports[next++ % spec.ports.length]}`;
      return frameLevel ? new FrameLevelClient(url) : new Client(url);
    };
    const leaveAllowed = new Promise<void>((r) => { this.release = r; });
    const ctx = {
      endpoint: `ws://127.0.0.1:${spec.ports[0]}`, plan: spec.plan, metrics, gate: new Gate(spec.joinConcurrency),
      stopped: () => this.stopped, leaveAllowed, sdk: spec.ports.length > 1 ? sdk : undefined, battlesPerTable: spec.battlesPerTable,
      decodeSample: spec.decodeSample,
    };
    const { seatedPlayers } = shipsFor(spec.plan);
    const firstJoins: Promise<void>[] = [];
    for (const table of spec.tables) {
      const g = new Group(table, ctx);
      this.groups.push(g);
      let settle!: () => void;
      firstJoins.push(new Promise<void>((r) => { settle = r; }));
      this.loops.push(g.gmLoop(() => settle()).catch((err) => { metrics.count(metrics.otherErrors, `gmLoop: ${(err as Error).message}`); settle(); }));
      for (let k = 1; k <= seatedPlayers; k++) {
        this.loops.push(g.playerLoop(k).catch((err) => { metrics.count(metrics.otherErrors, `playerLoop: ${(err as Error).message}`); }));
      }
    }
    this.ramped = Promise.all(firstJoins).then(() => undefined);
    this.done = Promise.all(this.loops).then(() => undefined);
  }

  stop() {
    this.stopped = true;
    this.metrics.stopping = true;
    this.groups.forEach((g) => g.wake());
  }

  async finish(): Promise<Metrics> {
    this.stop();
    this.metrics.frozen = true;
    this.release();
    await Promise.race([Promise.all(this.loops), new Promise((r) => setTimeout(r, 15_000))]);
    await Promise.race([Promise.all(this.groups.map((g) => g.leaveAll())), new Promise((r) => setTimeout(r, 10_000))]);
    return this.metrics;
  }
}

export function localFleet(spec: FleetSpec): Fleet {
  const t = new Tables(spec);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  return {
    ramped: t.ramped,
    metrics: () => t.metrics,
    takeWindow: () => {
      const w = new Histogram();
      w.merge(t.metrics.latencyWindow);
      t.metrics.latencyWindow.reset();
      return w;
    },
    takeLagP99Ms: () => {
      const v = lag.percentile(99) / 1e6;
      lag.reset();
      return v;
    },
    pids: () => [],
    stop: () => t.stop(),
    outstanding: () => t.metrics.outstanding.size,
    finish: async () => {
      const m = await t.finish();
      lag.disable();
      return m;
    },
  };
}

/** Messages between the runner and a bot worker (loadtest/lib/bot-worker.ts). */
export type ToWorker = { type: "start"; spec: FleetSpec } | { type: "stop" } | { type: "finish" };
export type FromWorker =
  | { type: "tick"; snap: MetricsSnapshot; window: MetricsSnapshot["latency"]; lagP99Ms: number }
  | { type: "ramped" }
  | { type: "final"; snap: MetricsSnapshot };

/** Tables dealt round-robin over `workers` child processes. */
export async function workerFleet(spec: FleetSpec, workers: number): Promise<Fleet> {
  const children: ChildProcess[] = [];
  const latest: (MetricsSnapshot | undefined)[] = [];
  const windows = new Histogram();
  let lag = 0;
  const ramps: Promise<void>[] = [];
  const finals: Promise<MetricsSnapshot>[] = [];
  for (let w = 0; w < workers; w++) {
    const tables = spec.tables.filter((_, i) => i % workers === w);
    if (!tables.length) continue;
    const child = fork(path.join(__dirname, "bot-worker.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    process.on("exit", () => { try { child.kill("SIGKILL"); } catch { /* gone */ } });
    const idx = children.push(child) - 1;
    latest.push(undefined);
    let onRamped!: () => void;
    ramps.push(new Promise<void>((r) => { onRamped = r; }));
    let onFinal!: (s: MetricsSnapshot) => void;
    finals.push(new Promise<MetricsSnapshot>((r, reject) => {
      onFinal = r;
      child.once("exit", (code) => reject(new Error(`bot worker ${idx + 1} exited (${code}) before reporting`)));
    }));
    child.on("message", (msg: FromWorker) => {
      if (msg.type === "tick") {
        latest[idx] = msg.snap;
        windows.merge(Histogram.fromJSON(msg.window));
        lag = Math.max(lag, msg.lagP99Ms);
      } else if (msg.type === "ramped") onRamped();
      else if (msg.type === "final") { latest[idx] = msg.snap; onFinal(msg.snap); }
    });
    const share = Math.max(1, Math.round(spec.joinConcurrency / workers));
    child.send({ type: "start", spec: { ...spec, tables, joinConcurrency: share } } satisfies ToWorker);
  }
  const aggregate = () => metricsFromSnapshot(latest.filter((s): s is MetricsSnapshot => !!s));
  const send = (m: ToWorker) => children.forEach((c) => { if (c.connected) c.send(m); });
  return {
    ramped: Promise.all(ramps).then(() => undefined),
    metrics: aggregate,
    takeWindow: () => {
      const w = new Histogram();
      w.merge(windows);
      windows.reset();
      return w;
    },
    takeLagP99Ms: () => {
      const v = lag;
      lag = 0;
      return v;
    },
    pids: () => children.map((c) => c.pid!).filter(Boolean),
    stop: () => send({ type: "stop" }),
    outstanding: () => latest.reduce((a, s) => a + (s?.outstanding ?? 0), 0),
    finish: async () => {
      send({ type: "finish" });
      const snaps = await Promise.race([
        Promise.all(finals),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("bot workers did not report within 60 s")), 60_000)),
      ]);
      children.forEach((c) => c.kill());
      return metricsFromSnapshot(snaps);
    },
  };
}
