// Observability of one server process: a battle observer that feeds the Prometheus metrics, and a
// sampler (every METRICS_SAMPLE_MS) that evaluates the alerts and records a history point.
// The observer does constant work per command (a cached counter child, two histogram
// observations, two ring-buffer writes): no allocation, no encoding on the hot path.
import os from "node:os";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { Writable } from "node:stream";
import winston from "winston";
import type { Counter } from "prom-client";
import { addObserver, type BattleObserver } from "../server/observers";
import { GM_MESSAGES, SHIP_MESSAGES } from "../commands";
import type { Config } from "../server/config";
import { logger } from "../server/logger";
import { createMetrics, ALERTS, LOOP_RESOLUTION_MS, type AlertName, type Metrics } from "./metrics";
import { SampleWindow } from "./window";
import { MemoryHistory, RedisHistory, type HistoryPoint, type HistoryStore } from "./history";

export type TelemetryConfig = Pick<Config,
  "PORT" | "PUBLIC_ADDRESS" | "REDIS_URL" | "METRICS_SAMPLE_MS" | "ALERT_COMMAND_P95_MS" | "ALERT_PATCH_P95_MS" |
  "ALERT_EVENT_LOOP_LAG_MS" | "ALERT_STATE_BYTES" | "ALERT_ERRORS_PER_MIN" | "ALERT_LOG_INTERVAL_SEC">;

/** Message types a client may name; anything else is counted as "other" (labels must stay bounded). */
const KNOWN_TYPES = new Set<string>([...Object.keys(SHIP_MESSAGES), ...Object.keys(GM_MESSAGES), "chat"]);

/** A log transport that only counts error-level lines (into traveller_errors_total). */
function errorCounter(onError: () => void): winston.transport {
  const sink = new Writable({ objectMode: true, write(_info, _enc, done) { onError(); done(); } });
  return new winston.transports.Stream({ stream: sink, level: "error" });
}

export class Telemetry implements BattleObserver {
  readonly metrics: Metrics;
  readonly history: HistoryStore;
  readonly processLabel: string;
  private readonly redis?: RedisHistory;
  private readonly log = logger.child({ component: "observability" });
  private readonly commandWindow = new SampleWindow();
  private readonly patchWindow = new SampleWindow();
  private readonly loopDelay: IntervalHistogram;
  private readonly errorTransport: winston.transport;
  // Labelled children cached by outcome then type (and by reason): no string building per command.
  private readonly commandCounters = new Map<string, Map<string, Counter.Internal>>();
  private readonly rejectionCounters = new Map<string, Counter.Internal>();
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private sampling = false;

  // Plain counters for the per-sample rates of the history (cheaper than reading prom-client back).
  private connections = 0;
  private battles = 0;
  private accepted = 0;
  private rejected = 0;
  private patches = 0;
  private patchBytes = 0;
  private errorsSinceSample = 0;
  private lastSample = { t: Date.now(), accepted: 0, rejected: 0 };
  private readonly errorTimes: { t: number; n: number }[] = [];
  private redisRttMs: number | null = null;

  private readonly stateBytes = new Map<string, number>();
  private readonly stateWarnedAt = new Map<string, number>();
  private readonly alertActive = new Map<AlertName, boolean>();
  private readonly alertLoggedAt = new Map<AlertName, number>();

  constructor(private readonly config: TelemetryConfig) {
    this.processLabel = config.PUBLIC_ADDRESS ?? `${os.hostname()}:${config.PORT}`;
    this.metrics = createMetrics(this.processLabel);
    if (config.REDIS_URL) {
      this.redis = new RedisHistory(config.REDIS_URL, this.processLabel);
      this.history = this.redis;
    } else {
      this.history = new MemoryHistory(config.METRICS_SAMPLE_MS);
    }
    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.errorTransport = errorCounter(() => { this.metrics.errors.inc(); this.errorsSinceSample++; });
  }

  start(): this {
    this.unsubscribe = addObserver(this);
    logger.add(this.errorTransport);
    this.loopDelay.enable();
    this.timer = setInterval(() => void this.sample(), this.config.METRICS_SAMPLE_MS);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    logger.remove(this.errorTransport);
    this.loopDelay.disable();
    if (this.timer) clearInterval(this.timer);
    await this.history.close();
  }

  // ---- battle observer -----------------------------------------------------------------

  battleCreated() {
    this.battles++;
    this.metrics.battles.set(this.battles);
    this.metrics.battlesTotal.inc();
    this.raisePeak("battles");
  }

  battleDisposed(e: { roomId: string }) {
    this.battles = Math.max(0, this.battles - 1);
    this.metrics.battles.set(this.battles);
    this.stateBytes.delete(e.roomId);
    this.stateWarnedAt.delete(e.roomId);
  }

  commandAccepted(e: { type: string; durationMs: number }) {
    this.accepted++;
    this.commandCounter(e.type, "accepted").inc();
    this.metrics.commandDuration.observe(e.durationMs / 1000);
    this.commandWindow.push(e.durationMs);
  }

  commandRejected(e: { type: string; code: string }) {
    this.rejected++;
    this.commandCounter(e.type, e.code === "rateLimited" ? "rate_limited" : "rejected").inc();
    let r = this.rejectionCounters.get(e.code);
    if (!r) this.rejectionCounters.set(e.code, (r = this.metrics.rejections.labels(e.code)));
    r.inc();
  }

  securityEvent(e: { kind: string }) {
    this.metrics.securityEvents.labels(e.kind).inc();
  }

  patchSent(e: { latencyMs: number }) {
    this.metrics.patchLatency.observe(e.latencyMs / 1000);
    this.patchWindow.push(e.latencyMs);
  }

  stateSampled(e: { roomId: string; stateBytes: number; patches: number; patchBytes: number }) {
    this.patches += e.patches;
    this.patchBytes += e.patchBytes;
    this.metrics.patches.inc(e.patches);
    this.metrics.patchBytes.inc(e.patchBytes);
    this.metrics.stateBytes.observe(e.stateBytes);
    this.stateBytes.set(e.roomId, e.stateBytes);
    if (e.stateBytes <= this.config.ALERT_STATE_BYTES) return;
    this.metrics.stateOversizeSamples.inc();
    const now = Date.now();
    const last = this.stateWarnedAt.get(e.roomId);
    if (last === undefined || now - last >= this.config.ALERT_LOG_INTERVAL_SEC * 1000) {
      this.stateWarnedAt.set(e.roomId, now);
      this.log.warn("battle state too large", { roomId: e.roomId, stateBytes: e.stateBytes, limitBytes: this.config.ALERT_STATE_BYTES });
    }
  }

  stateOverflow() {
    this.metrics.stateOverflows.inc();
  }

  joined() {
    this.connections++;
    this.metrics.connections.set(this.connections);
    this.metrics.connectionsTotal.inc();
    this.raisePeak("connections");
  }

  dropped() {
    this.metrics.drops.inc();
  }

  reconnected() {
    this.metrics.reconnections.inc();
  }

  left() {
    this.connections = Math.max(0, this.connections - 1);
    this.metrics.connections.set(this.connections);
  }

  // ---- sampling, alerts, history ---------------------------------------------------------

  private peaks = { connections: 0, battles: 0 };

  private raisePeak(which: "connections" | "battles") {
    const now = which === "connections" ? this.connections : this.battles;
    if (now <= this.peaks[which]) return;
    this.peaks[which] = now;
    (which === "connections" ? this.metrics.connectionsPeak : this.metrics.battlesPeak).set(now);
  }

  private commandCounter(type: string, outcome: "accepted" | "rejected" | "rate_limited") {
    const label = KNOWN_TYPES.has(type) ? type : "other";
    let byType = this.commandCounters.get(outcome);
    if (!byType) this.commandCounters.set(outcome, (byType = new Map()));
    let c = byType.get(label);
    if (!c) byType.set(label, (c = this.metrics.commands.labels(label, outcome)));
    return c;
  }

  /** One sampling tick: figures over the last interval, alerts, a history point. Never throws. */
  async sample(): Promise<HistoryPoint | undefined> {
    if (this.sampling) return undefined; // a slow Redis must not stack ticks
    this.sampling = true;
    try {
      const point = this.takePoint();
      this.evaluateAlerts(point);
      if (this.redis) {
        try {
          const rtt = await this.redis.ping();
          this.metrics.redisRtt.observe(rtt);
          this.redisRttMs = rtt * 1000;
          point.redisRttMs = this.redisRttMs;
        } catch (err) {
          this.log.warn("redis ping failed", { error: String(err) });
        }
      }
      try {
        await this.history.append(point);
      } catch (err) {
        this.log.warn("history write failed", { store: this.history.kind, error: String(err) });
      }
      return point;
    } finally {
      this.sampling = false;
    }
  }

  private takePoint(): HistoryPoint {
    const now = Date.now();
    const secs = Math.max(0.001, (now - this.lastSample.t) / 1000);
    let stateMax = 0;
    let oversize = 0;
    for (const b of this.stateBytes.values()) {
      if (b > stateMax) stateMax = b;
      if (b > this.config.ALERT_STATE_BYTES) oversize++;
    }
    this.metrics.stateMaxBytes.set(stateMax);
    this.metrics.stateOversize.set(oversize);

    this.errorTimes.push({ t: now, n: this.errorsSinceSample });
    this.errorsSinceSample = 0;
    while (this.errorTimes.length && (this.errorTimes[0] as { t: number }).t <= now - 60_000) this.errorTimes.shift();
    const errorsPerMin = this.errorTimes.reduce((s, e) => s + e.n, 0);

    const mem = process.memoryUsage();
    const point: HistoryPoint = {
      t: now,
      connections: this.connections,
      battles: this.battles,
      commandsPerSec: (this.accepted - this.lastSample.accepted) / secs,
      rejectedPerSec: (this.rejected - this.lastSample.rejected) / secs,
      commandsTotal: this.accepted,
      commandP95Ms: this.commandWindow.quantile(0.95),
      patchP95Ms: this.patchWindow.quantile(0.95),
      eventLoopLagMs: this.loopDelay.count > 0 ? Math.max(0, this.loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) : 0,
      heapMB: mem.heapUsed / 1048576,
      rssMB: mem.rss / 1048576,
      stateMaxBytes: stateMax,
      patchesPerSec: this.patches / secs,
      patchBytesPerSec: this.patchBytes / secs,
      errorsPerMin,
      redisRttMs: this.redis ? this.redisRttMs : null,
      alerts: [],
    };
    this.metrics.loopLag.set(point.eventLoopLagMs / 1000);
    this.metrics.commandP95.set(point.commandP95Ms / 1000);
    this.metrics.patchP95.set(point.patchP95Ms / 1000);
    this.metrics.errorsPerMin.set(errorsPerMin);
    this.lastSample = { t: now, accepted: this.accepted, rejected: this.rejected };
    this.patches = 0;
    this.patchBytes = 0;
    this.commandWindow.reset();
    this.patchWindow.reset();
    this.loopDelay.reset();
    return point;
  }

  /** Raises or clears each alert; a raised alert logs a warning at most once per ALERT_LOG_INTERVAL_SEC. */
  private evaluateAlerts(p: HistoryPoint) {
    const c = this.config;
    const checks: Record<AlertName, [value: number, limit: number, unit: string]> = {
      command_p95: [p.commandP95Ms, c.ALERT_COMMAND_P95_MS, "ms"],
      patch_p95: [p.patchP95Ms, c.ALERT_PATCH_P95_MS, "ms"],
      event_loop_lag: [p.eventLoopLagMs, c.ALERT_EVENT_LOOP_LAG_MS, "ms"],
      state_size: [p.stateMaxBytes, c.ALERT_STATE_BYTES, "bytes"],
      error_rate: [p.errorsPerMin, c.ALERT_ERRORS_PER_MIN, "errors/min"],
    };
    for (const name of ALERTS) {
      const [value, limit, unit] = checks[name];
      const firing = value > limit;
      const was = this.alertActive.get(name) ?? false;
      if (firing) p.alerts.push(name);
      if (firing === was) {
        if (firing) this.logAlert(name, value, limit, unit, p.t);
        continue;
      }
      this.alertActive.set(name, firing);
      this.metrics.alertActive.labels(name).set(firing ? 1 : 0);
      if (firing) {
        this.metrics.alertsRaised.labels(name).inc();
        this.logAlert(name, value, limit, unit, p.t);
      } else {
        this.log.info("alert cleared", { alert: name, value, threshold: limit, unit });
      }
    }
  }

  private logAlert(name: AlertName, value: number, limit: number, unit: string, now: number) {
    const last = this.alertLoggedAt.get(name);
    if (last !== undefined && now - last < this.config.ALERT_LOG_INTERVAL_SEC * 1000) return;
    this.alertLoggedAt.set(name, now);
    this.log.warn("alert", { alert: name, value: Math.round(value * 100) / 100, threshold: limit, unit });
  }
}
