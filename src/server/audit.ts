// The audit trail: one JSON record for every accepted and refused client command, and for every
// kick, block, wrong secret, lock-out and refused cap, written to durable sinks: a JSON-lines file (winston) by default, and a capped
// Redis stream (XADD ... MAXLEN ~ n) when Redis is configured. Attached as a battle observer,
// so the room knows nothing of it.
import fs from "node:fs";
import path from "node:path";
import winston from "winston";
import Redis from "ioredis";
import { addObserver, type BattleObserver, type SeatInfo, type SecurityEventKind } from "./observers";
import type { Config } from "./config";
import { logger } from "./logger";

export interface AuditRecord {
  time: string;
  battle: string;
  seat: string;
  role: string;
  command: string;
  cid?: string;
  result: "accepted" | "rejected" | Exclude<SecurityEventKind, "strike" | "rateLimited">;
  reason?: string;
  ip?: string;
}

export interface AuditSink {
  write(record: AuditRecord): void;
  close(): Promise<void>;
}

/** Appends one JSON object per line; the directory is created if needed. */
export function fileSink(file: string): AuditSink {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Bounded on disk: rotated at 50 MB, the newest 20 files kept (audit.log, audit1.log, ...).
  const transport = new winston.transports.File({ filename: file, maxsize: 50 * 1024 * 1024, maxFiles: 20, tailable: true });
  const out = winston.createLogger({ level: "info", format: winston.format.json(), transports: [transport] });
  return {
    write: (r) => out.info("audit", r),
    close: () => new Promise<void>((resolve) => {
      out.on("finish", () => resolve());
      out.end();
      setTimeout(resolve, 2000).unref();
    }),
  };
}

/** XADD to a stream capped near `maxLen` entries (approximate trimming keeps it O(1)). */
export function redisStreamSink(url: string, stream: string, maxLen: number): AuditSink {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
  let lastError = 0;
  // A Redis outage is reported by /ready and the keeper; the file sink keeps the trail meanwhile,
  // so here it is a throttled warning, not an error (which would raise the error-rate alert).
  redis.on("error", (err) => {
    if (Date.now() - lastError > 60_000) logger.warn("audit stream: Redis unreachable", { error: err.message });
    lastError = Date.now();
  });
  return {
    write: (r) => {
      const fields = Object.entries(r).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
      redis.xadd(stream, "MAXLEN", "~", String(maxLen), "*", ...fields).catch((err: Error) => {
        if (Date.now() - lastError > 60_000) logger.warn("audit stream: XADD failed, record kept only in the file trail", { error: err.message });
        lastError = Date.now();
      });
    },
    close: async () => { await redis.quit().catch(() => redis.disconnect()); },
  };
}

function who(seat: SeatInfo | undefined): { seat: string; role: string } {
  return seat ? { seat: seat.seatId, role: seat.role } : { seat: "-", role: "none" };
}

/** The observer that turns battle events into audit records for `sinks`. */
export function auditObserver(sinks: AuditSink[]): BattleObserver {
  const emit = (r: AuditRecord) => { for (const s of sinks) s.write(r); };
  const now = () => new Date().toISOString();
  return {
    commandAccepted(e) {
      const by = e.seat ? who(e.seat) : { seat: "-", role: e.actor.kind };
      emit({ time: now(), battle: e.roomId, ...by, command: e.type, cid: e.cid, result: "accepted", ip: e.ip });
    },
    messageAccepted(e) {
      emit({ time: now(), battle: e.roomId, ...who(e.seat), command: e.type, cid: e.cid, result: "accepted", ip: e.ip });
    },
    commandRejected(e) {
      emit({ time: now(), battle: e.roomId, ...who(e.seat), command: e.type, cid: e.cid, result: "rejected", reason: `${e.code}: ${e.message}`, ip: e.ip });
    },
    securityEvent(e) {
      if (e.kind === "strike" || e.kind === "rateLimited") return; // already recorded as a rejected command
      emit({ time: now(), battle: e.roomId ?? "-", ...who(e.seat), command: e.type ?? "-", result: e.kind, reason: e.reason, ip: e.ip });
    },
  };
}

/** Installs the audit trail the configuration asks for; `close` detaches it and flushes the sinks. */
export function installAudit(config: Pick<Config, "AUDIT_LOG_FILE" | "AUDIT_REDIS_STREAM" | "AUDIT_STREAM_MAXLEN" | "REDIS_URL">): { sinks: string[]; close(): Promise<void> } {
  const sinks: AuditSink[] = [];
  const names: string[] = [];
  if (config.AUDIT_LOG_FILE) {
    sinks.push(fileSink(config.AUDIT_LOG_FILE));
    names.push(`file:${config.AUDIT_LOG_FILE}`);
  }
  if (config.REDIS_URL && config.AUDIT_REDIS_STREAM) {
    sinks.push(redisStreamSink(config.REDIS_URL, config.AUDIT_REDIS_STREAM, config.AUDIT_STREAM_MAXLEN));
    names.push(`redis-stream:${config.AUDIT_REDIS_STREAM}`);
  }
  const detach = sinks.length ? addObserver(auditObserver(sinks)) : () => undefined;
  return {
    sinks: names,
    close: async () => {
      detach();
      await Promise.all(sinks.map((s) => s.close()));
    },
  };
}
