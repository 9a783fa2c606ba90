// Configuration from the environment, validated once at start-up with a clear error.
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const baseSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["error", "warn", "info", "http", "verbose", "debug", "silly"]).default("info"),
  /** A battle with no accepted command for this long ends and is disposed. */
  IDLE_TIMEOUT_SEC: z.coerce.number().int().min(5).max(86_400).default(300),
  /** How long a dropped client keeps its seat while it reconnects. */
  RECONNECT_GRACE_SEC: z.coerce.number().int().min(0).max(3600).default(60),
  /** A player gone past RECONNECT_GRACE_SEC loses the seat this much later, for a new player to take the ship (0: when the grace ends). */
  SEAT_RELEASE_SEC: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Safety-net patch interval: every change is pushed at once (a command, or a seat connecting); a long interval keeps idle battles cheap. */
  PATCH_RATE_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Largest client message accepted by the WebSocket transport. */
  MAX_PAYLOAD_BYTES: z.coerce.number().int().min(512).max(1_048_576).default(4096),
  /**
   * WebSocket heartbeat: a connection missing PING_MAX_RETRIES pings in a row is closed. Defaults:
   * a dead link is noticed within 10 s (5 s × (1 + 1)); a ping and its pong cost the server
   * ~23 µs per client (`npm run bench -- --cpu-only --server-env PING_INTERVAL_MS=1000`), so every
   * 5 s rather than 3 s is 4.6 µs per idle client per second, not 7.7 (docs/performance.md).
   */
  PING_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  PING_MAX_RETRIES: z.coerce.number().int().min(1).max(10).default(1),
  /** A connection that has not completed its HTTP/WebSocket handshake, or a WebSocket its join handshake (JOIN acknowledged), by then is closed. */
  HANDSHAKE_TIMEOUT_SEC: z.coerce.number().int().min(1).max(300).default(30),
  /** Serve the built web client from public/ (off for headless deployments). */
  SERVE_CLIENT: bool.default(true),
  /** Redis for presence and matchmaking across processes; unset: the embedded in-memory defaults. */
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, "a redis:// or rediss:// URL").optional(),
  /** host:port clients reach this process at, when several processes share Redis (defaults to HOST:PORT). */
  PUBLIC_ADDRESS: z.string().regex(/^[\w.-]+(:\d+)?(\/\S*)?$/, "host[:port][/path]").optional(),

  // ---- observability (docs/operations.md) ----
  /** User name for /colyseus and /dev/dashboard (HTTP Basic). */
  ADMIN_USER: z.string().regex(/^[\w.@-]{1,64}$/, "1-64 letters, digits, . _ @ -").default("admin"),
  /** Password for /colyseus and /dev/dashboard; unset: generated and logged in development, pages off in production. */
  ADMIN_PASSWORD: z.string().min(12, "at least 12 characters").max(256).optional(),
  /** Bearer token required by /metrics; unset: /metrics open in development, off in production. */
  METRICS_TOKEN: z.string().min(16, "at least 16 characters").max(256).regex(/^[\x21-\x7e]+$/, "printable ASCII, no spaces").optional(),
  /** How often battles' state sizes are sampled, alerts evaluated and a history point recorded. */
  METRICS_SAMPLE_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Alert thresholds: a threshold crossed raises a throttled warning log line and traveller_alert_active{alert}. */
  ALERT_COMMAND_P95_MS: z.coerce.number().positive().default(50),
  ALERT_PATCH_P95_MS: z.coerce.number().positive().default(100),
  ALERT_EVENT_LOOP_LAG_MS: z.coerce.number().positive().default(100),
  ALERT_STATE_BYTES: z.coerce.number().int().min(256).default(102_400),
  ALERT_ERRORS_PER_MIN: z.coerce.number().positive().default(10),
  /** The same alert (or the same oversized battle) is logged at most once per this interval. */
  ALERT_LOG_INTERVAL_SEC: z.coerce.number().int().min(1).max(86_400).default(300),

  // ---- durability and scale-out (docs/scaling.md) ----
  /** Durable battles: every accepted command is logged (Redis with REDIS_URL, else DATA_DIR) before it is acknowledged. */
  PERSIST: bool.default(true),
  /** Where a process without Redis keeps battle snapshots and command logs. */
  DATA_DIR: z.string().min(1).default("data"),
  /** How often a process refreshes its liveness key in Redis, and how long the key lives. */
  HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  HEARTBEAT_TTL_MS: z.coerce.number().int().min(300).max(300_000).default(3000),
  /** SIGTERM: battles are handed over and the process exits within this deadline. */
  DRAIN_TIMEOUT_SEC: z.coerce.number().int().min(1).max(600).default(20),

  // ---- security (docs/security.md) ----
  /** Origins allowed to call the HTTP API from a browser on another origin, comma-separated; empty: same origin only. */
  CORS_ORIGINS: z.string().default("").transform((s) => s.split(",").map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^\s/,]+$/, "an origin like https://example.org"))),
  /** HTTP requests per client IP per minute: matchmaking (create, join, reconnect) and /api/*. */
  RATE_HTTP_MATCHMAKE_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(60),
  RATE_HTTP_API_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /** Per-seat token buckets: sustained rate per second and burst. Combat = space:* from a player. */
  RATE_COMBAT_PER_SEC: z.coerce.number().min(0.1).max(100_000).default(2),
  RATE_COMBAT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(8),
  RATE_GM_PER_SEC: z.coerce.number().min(0.1).max(100_000).default(10),
  RATE_GM_BURST: z.coerce.number().int().min(1).max(1_000_000).default(30),
  RATE_CHAT_PER_SEC: z.coerce.number().min(0.1).max(100_000).default(1),
  RATE_CHAT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(5),
  RATE_OTHER_PER_SEC: z.coerce.number().min(0.1).max(100_000).default(2),
  RATE_OTHER_BURST: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Hard ceiling on frames per second per connection; above it Colyseus closes the connection (4002). */
  MAX_MESSAGES_PER_SEC: z.coerce.number().int().min(1).max(1_000_000).default(40),
  /** Intrusion detection: this many refusals (invalid, forbidden, notSeated, rateLimited) within the window kick and block. */
  IDS_MAX_STRIKES: z.coerce.number().int().min(1).max(1_000_000).default(30),
  IDS_WINDOW_SEC: z.coerce.number().int().min(1).max(86_400).default(60),
  IDS_BLOCK_SEC: z.coerce.number().int().min(1).max(604_800).default(600),
  /** Block the offender's IP address too (not only its seat key). Off behind a NAT shared by honest players. */
  IDS_BLOCK_IP: bool.default(true),
  /** Largest HTTP request body on any route (matchmaking included); larger ones get 413 before they are read. */
  MAX_HTTP_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  /**
   * Guessed secrets (battle password, seat key, GM key): failures from one IP against one battle
   * within AUTH_FAILURE_WINDOW_SEC before that IP is locked out of that battle's secrets ...
   */
  AUTH_FAILURES_PER_IP_BATTLE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** ... failures from one IP against all battles before it is locked out of every battle's secrets ... */
  AUTH_FAILURES_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** ... failures against one battle from all IPs before it counts as under attack (then each failing IP is locked out at once). */
  AUTH_FAILURES_PER_BATTLE: z.coerce.number().int().min(1).max(1_000_000).default(50),
  /** Operator credentials (Basic on /colyseus and /dev/dashboard, bearer on /metrics): failures from one IP before a lock-out. */
  AUTH_FAILURES_PER_IP_ADMIN: z.coerce.number().int().min(1).max(1_000_000).default(10),
  AUTH_FAILURE_WINDOW_SEC: z.coerce.number().int().min(1).max(86_400).default(900),
  /** First lock-out; each further one of the same subject lasts twice as long, up to AUTH_LOCKOUT_MAX_SEC. */
  AUTH_LOCKOUT_SEC: z.coerce.number().int().min(1).max(86_400).default(60),
  AUTH_LOCKOUT_MAX_SEC: z.coerce.number().int().min(1).max(604_800).default(3600),
  /** Resource caps: battles open per creator IP and in this process; WebSocket connections per IP and in this process. */
  MAX_BATTLES_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(10),
  MAX_BATTLES: z.coerce.number().int().min(1).max(1_000_000).default(300),
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(64),
  MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  /** Retry-After (seconds) sent with a 503 when this process is at one of its caps. */
  CAPACITY_RETRY_AFTER_SEC: z.coerce.number().int().min(1).max(3600).default(30),
  /** Audit trail of every accepted and refused command: a JSON-lines file ("" = none) ... */
  AUDIT_LOG_FILE: z.string().default("data/audit.log"),
  /** ... and, when REDIS_URL is set, a Redis stream capped at AUDIT_STREAM_MAXLEN entries ("" = none). */
  AUDIT_REDIS_STREAM: z.string().regex(/^[\w:.-]*$/).default("traveller:audit"),
  AUDIT_STREAM_MAXLEN: z.coerce.number().int().min(100).max(100_000_000).default(100_000),
});

// A process must beat at least twice per TTL, or a slow beat would look like a death.
const envSchema = baseSchema.refine((c) => c.HEARTBEAT_TTL_MS >= 2 * c.HEARTBEAT_MS, {
  path: ["HEARTBEAT_TTL_MS"], message: "must be at least twice HEARTBEAT_MS",
}).refine((c) => c.AUTH_LOCKOUT_MAX_SEC >= c.AUTH_LOCKOUT_SEC, {
  path: ["AUTH_LOCKOUT_MAX_SEC"], message: "must be at least AUTH_LOCKOUT_SEC",
});

export type Config = z.infer<typeof envSchema>;

/**
 * Limits for bots that play at machine speed (tests, load runner, benchmarks): a scripted GM acts
 * for ten ships in milliseconds, which the human-scale defaults would rightly refuse. Never for
 * production; the security tests run with the defaults.
 */
export const MACHINE_SPEED_LIMITS: Record<string, string> = {
  RATE_HTTP_MATCHMAKE_PER_MIN: "1000000", RATE_HTTP_API_PER_MIN: "1000000",
  RATE_COMBAT_PER_SEC: "100000", RATE_COMBAT_BURST: "100000", RATE_GM_PER_SEC: "100000", RATE_GM_BURST: "100000",
  RATE_CHAT_PER_SEC: "100000", RATE_CHAT_BURST: "100000", RATE_OTHER_PER_SEC: "100000", RATE_OTHER_BURST: "100000",
  MAX_MESSAGES_PER_SEC: "1000000", IDS_MAX_STRIKES: "1000000",
  // hundreds of battles and thousands of connections from one loopback address
  MAX_BATTLES_PER_IP: "1000000", MAX_BATTLES: "1000000", MAX_CONNECTIONS_PER_IP: "1000000", MAX_CONNECTIONS: "1000000",
  AUTH_FAILURES_PER_IP_BATTLE: "1000000", AUTH_FAILURES_PER_IP: "1000000", AUTH_FAILURES_PER_BATTLE: "1000000", AUTH_FAILURES_PER_IP_ADMIN: "1000000",
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
