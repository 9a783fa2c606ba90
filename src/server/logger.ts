// winston JSON logs on stdout; one logger for the process, children per battle.
import winston from "winston";

export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  defaultMeta: { service: "traveller-battles", pid: process.pid },
  transports: [new winston.transports.Console()],
});

export type Logger = winston.Logger;

/** Colyseus' own log calls (uncaught room errors among them) routed into this logger, so they are JSON and counted. */
export function colyseusLogger(base: Logger = logger) {
  const log = base.child({ component: "colyseus" });
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === "string" ? a : safeJson(a))).join(" ");
  return {
    trace: (...args: unknown[]) => log.silly(text(args)),
    debug: (...args: unknown[]) => log.debug(text(args)),
    info: (...args: unknown[]) => log.info(text(args)),
    warn: (...args: unknown[]) => log.warn(text(args)),
    error: (...args: unknown[]) => log.error(text(args)),
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
