// winston JSON logs on stdout; one logger for the process, children per battle.
import winston from "winston";

export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
  defaultMeta: { service: "traveller-battles", pid: process.pid },
  transports: [new winston.transports.Console()],
});

export type Logger = winston.Logger;
