// The Prometheus metrics of one server process (names and units: docs/operations.md).
// Conventions: `traveller_` prefix, base units (seconds, bytes), counters end in `_total`; every
// series carries the `process` label (set as a registry default label) so several processes
// aggregate cleanly. Process-level figures (heap, RSS, event-loop lag, CPU, GC) come from
// prom-client's default metrics under their standard names (nodejs_*, process_*).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Event-loop delay sampling period; the histogram's values include it, so it is subtracted. Each
 * sample wakes the loop: at 10 ms two such monitors (200 wake-ups a second) cost an idle process
 * 5.5–7.7 ms of CPU a second (bench/wakeups.ts); at 50 ms a stall worth alerting on
 * (ALERT_EVENT_LOOP_LAG_MS, 100 ms) still shows in full in the sample it delays.
 */
export const LOOP_RESOLUTION_MS = 50;

/** Seconds: 0.1 ms .. 2.5 s, dense under the 50 ms / 100 ms alert thresholds. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Bytes: 1 KB .. 1 MB around the 100 KB state alert. */
const STATE_BUCKETS = [1024, 4096, 16_384, 32_768, 65_536, 102_400, 262_144, 524_288, 1_048_576];

export const ALERTS = ["command_p95", "patch_p95", "event_loop_lag", "state_size", "error_rate"] as const;
export type AlertName = (typeof ALERTS)[number];

/**
 * Process-level metrics are collected once per process (they hold an event-loop monitor and a GC
 * observer that cannot be released); each server's registry merges them with its own.
 */
let processMetrics: Registry | undefined;
function defaultMetrics(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    // prom-client's own event-loop monitor samples every 10 ms by default: as costly as ours (telemetry.ts)
    collectDefaultMetrics({ register: processMetrics, eventLoopMonitoringPrecision: LOOP_RESOLUTION_MS });
  }
  return processMetrics;
}

/** Figures read at every scrape from the parts of the server that own them (set by src/app.config.ts). */
export interface LiveSources {
  lockouts(): Record<string, number>;
  atCapacity(): boolean;
}

export function createMetrics(processLabel: string) {
  const own = new Registry();
  const r = [own];
  const live: Partial<LiveSources> = {};

  const m = {
    connections: new Gauge({ name: "traveller_connections", help: "Client connections open now (dropped clients waiting to reconnect included)", registers: r }),
    connectionsPeak: new Gauge({ name: "traveller_connections_peak", help: "Most connections open at once since start", registers: r }),
    connectionsTotal: new Counter({ name: "traveller_connections_total", help: "Clients that joined a battle", registers: r }),
    drops: new Counter({ name: "traveller_connection_drops_total", help: "Connections lost without a consented leave", registers: r }),
    reconnections: new Counter({ name: "traveller_reconnections_total", help: "Dropped clients that came back within the grace period", registers: r }),
    battles: new Gauge({ name: "traveller_battles", help: "Battles open now in this process", registers: r }),
    battlesPeak: new Gauge({ name: "traveller_battles_peak", help: "Most battles open at once since start", registers: r }),
    battlesTotal: new Counter({ name: "traveller_battles_created_total", help: "Battles created", registers: r }),
    commands: new Counter({
      name: "traveller_commands_total", help: "Client commands by message type and outcome (accepted, rejected, rate_limited)",
      labelNames: ["type", "outcome"] as const, registers: r,
    }),
    rejections: new Counter({ name: "traveller_command_rejections_total", help: "Rejected commands by error code", labelNames: ["reason"] as const, registers: r }),
    securityEvents: new Counter({
      name: "traveller_security_events_total",
      help: "Security events (docs/security.md): strikes, rate limits, kicks, blocked joins, protocol kicks, HTTP rate limits, wrong secrets, lock-outs, refused caps, join timeouts, oversized bodies",
      labelNames: ["kind"] as const, registers: r,
    }),
    authLockouts: new Gauge({
      name: "traveller_auth_lockouts_active", help: "Subjects locked out for wrong secrets now, by scope (battle_ip, ip, operator_ip)",
      labelNames: ["scope"] as const, registers: r,
      collect() { for (const [scope, n] of Object.entries(live.lockouts?.() ?? {})) this.labels(scope).set(n); },
    }),
    atCapacity: new Gauge({
      name: "traveller_at_capacity", help: "1 while this process is at MAX_BATTLES or MAX_CONNECTIONS (/ready answers 503)", registers: r,
      collect() { this.set(live.atCapacity?.() ? 1 : 0); },
    }),
    commandDuration: new Histogram({
      name: "traveller_command_duration_seconds", help: "Time to apply an accepted command (engine, state sync, views)", buckets: LATENCY_BUCKETS, registers: r,
    }),
    patchLatency: new Histogram({
      name: "traveller_command_patch_latency_seconds", help: "Command receipt to its state patch sent", buckets: LATENCY_BUCKETS, registers: r,
    }),
    patches: new Counter({ name: "traveller_state_patches_total", help: "State patches broadcast by battles", registers: r }),
    patchBytes: new Counter({ name: "traveller_state_patch_bytes_total", help: "Bytes of state-patch frames sent to clients (summed over clients)", registers: r }),
    stateBytes: new Histogram({ name: "traveller_battle_state_bytes", help: "Sampled encoded full-state size of each battle (largest view)", buckets: STATE_BUCKETS, registers: r }),
    stateMaxBytes: new Gauge({ name: "traveller_battle_state_max_bytes", help: "Largest encoded state among open battles at the last sample", registers: r }),
    stateOversize: new Gauge({ name: "traveller_battles_state_oversize", help: "Open battles whose last sampled state exceeded ALERT_STATE_BYTES", registers: r }),
    stateOverflows: new Counter({
      name: "traveller_state_buffer_overflows_total", help: "Full states larger than the buffer sized for the worst case the limits allow (sent whole, but a bug)", registers: r,
    }),
    stateOversizeSamples: new Counter({ name: "traveller_battle_state_oversize_samples_total", help: "State samples above ALERT_STATE_BYTES", registers: r }),
    // The figures the in-process alerts compare with their thresholds, over the last sample interval.
    loopLag: new Gauge({ name: "traveller_event_loop_lag_p99_seconds", help: "Event-loop delay p99 over the last sample interval, timer resolution removed", registers: r }),
    commandP95: new Gauge({ name: "traveller_command_duration_p95_seconds", help: "Command processing p95 over the last sample interval (0 when idle)", registers: r }),
    patchP95: new Gauge({ name: "traveller_command_patch_latency_p95_seconds", help: "Command -> patch p95 over the last sample interval (0 when idle)", registers: r }),
    errorsPerMin: new Gauge({ name: "traveller_errors_per_minute", help: "Error-level log lines over the last minute", registers: r }),
    errors: new Counter({ name: "traveller_errors_total", help: "Error-level log lines (uncaught room errors, failed observers, ...)", registers: r }),
    redisRtt: new Histogram({
      name: "traveller_redis_rtt_seconds", help: "Redis PING round trip (only when REDIS_URL is set)", buckets: LATENCY_BUCKETS, registers: r,
    }),
    alertActive: new Gauge({ name: "traveller_alert_active", help: "1 while an alert threshold is crossed", labelNames: ["alert"] as const, registers: r }),
    alertsRaised: new Counter({ name: "traveller_alerts_total", help: "Times an alert became active", labelNames: ["alert"] as const, registers: r }),
  };
  // Series that exist from the start read 0 instead of being absent (rate() and alerts need them).
  for (const a of ALERTS) { m.alertActive.labels(a).set(0); m.alertsRaised.labels(a).inc(0); }
  for (const k of ["authFailed", "lockedOut", "authLocked", "capRefused"]) m.securityEvents.labels(k).inc(0);
  for (const s of ["battle_ip", "ip", "operator_ip"]) m.authLockouts.labels(s).set(0);
  const registry = Registry.merge([defaultMetrics(), own]);
  registry.setDefaultLabels({ process: processLabel });
  return { ...m, registry, live };
}

export type Metrics = ReturnType<typeof createMetrics>;
