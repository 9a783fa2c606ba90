// Captures the process logger's lines during a test (the console transport is silenced meanwhile).
import { Writable } from "node:stream";
import winston from "winston";
import { logger } from "../../src/server/logger";

export interface Captured { lines: Record<string, unknown>[]; stop(): void }

export function captureLogs(): Captured {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ objectMode: true, write(info: Record<string, unknown>, _enc, done) { lines.push({ ...info }); done(); } });
  const transport = new winston.transports.Stream({ stream: sink });
  const silenced = logger.transports.filter((t) => t instanceof winston.transports.Console && !t.silent);
  silenced.forEach((t) => { t.silent = true; });
  logger.add(transport);
  return {
    lines,
    stop: () => {
      logger.remove(transport);
      silenced.forEach((t) => { t.silent = false; });
    },
  };
}
