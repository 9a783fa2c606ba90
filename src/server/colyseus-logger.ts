// Colyseus' own log lines, routed into our winston JSON log. Errors a client can provoke at will
// (an oversized frame, an undecodable message) are logged as one-line warnings without a stack
// trace: an attacker must not be able to fill the error log or read our paths in it.
import { logger } from "./logger";

const CLIENT_CAUSED = /Max payload size exceeded|msgpackr|end of buffer|Unexpected end of|MessagePack|Unknown extension type|Invalid (opcode|WebSocket frame)|RSV[123] must be clear|too many messages|couldn't decode message/i;

function text(args: unknown[]): string {
  return args.map((a) => (a instanceof Error ? a.stack ?? a.message : typeof a === "string" ? a : JSON.stringify(a))).join(" ");
}

export const colyseusLogger = {
  debug: (...args: unknown[]) => logger.debug(text(args), { source: "colyseus" }),
  trace: (...args: unknown[]) => logger.debug(text(args), { source: "colyseus" }),
  info: (...args: unknown[]) => logger.info(text(args), { source: "colyseus" }),
  warn: (...args: unknown[]) => logger.warn(text(args), { source: "colyseus" }),
  error: (...args: unknown[]) => {
    const message = text(args);
    if (CLIENT_CAUSED.test(message)) logger.warn(message.split("\n")[0]!.slice(0, 200), { source: "colyseus", clientCaused: true });
    else logger.error(message, { source: "colyseus" });
  },
};
