// winston JSON logs on stdout; one logger for the process, children per battle.
import winston from "winston";

export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  defaultMeta: { service: "traveller-battles", pid: process.pid },
  transports: [new winston.transports.Console()],
});

export type Logger = winston.Logger;

/**
 * Colyseus' own log calls (uncaught room errors among them) routed into this logger, so they are
 * JSON and counted. Errors a client can provoke at will (an oversized frame, an undecodable
 * message) become one-line warnings without a stack: an attacker must not be able to fill the
 * error log, raise the error-rate alert or read our paths in it.
 */
export function colyseusLogger(base: Logger = logger) {
  const log = base.child({ component: "colyseus" });
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === "string" ? a : safeJson(a))).join(" ");
  return {
    trace: (...args: unknown[]) => log.silly(text(args)),
    debug: (...args: unknown[]) => log.debug(text(args)),
    info: (...args: unknown[]) => log.info(text(args)),
    warn: (...args: unknown[]) => log.warn(text(args)),
    error: (...args: unknown[]) => {
      const message = text(args);
      if (CLIENT_CAUSED.test(message)) log.warn(message.split("\n")[0]!.slice(0, 200), { clientCaused: true });
      else log.error(message);
    },
  };
}

const CLIENT_CAUSED = /Max payload size exceeded|msgpackr|end of buffer|Unexpected end of|MessagePack|Unknown extension type|Invalid (opcode|WebSocket frame)|RSV[123] must be clear|too many messages|couldn't decode message/i;

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
