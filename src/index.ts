// Entry point: `npm start` and the production image run its build, dist/server/index.js
// (scripts/build-server.ts); the load runner and `npm run cluster` run it through tsx.
// Must stay first: Colyseus reconnection needs a global WebSocket (Node 20 has none).
import "./server/polyfills";
import { pm2ProbesOffOutsidePm2 } from "./server/pm2-probes";
import { loadConfig, ConfigError } from "./server/config";
import { logger } from "./server/logger";

// Before Colyseus starts (./app.config): its matchmaker imports @pm2/io, which starts an agent.
pm2ProbesOffOutsidePm2();

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const { createServer } = await import("./app.config");
  const server = createServer(config);
  // Drain deadline: whatever happens during the hand-over, the process is gone by then.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => { setTimeout(() => process.exit(1), config.DRAIN_TIMEOUT_SEC * 1000).unref(); });
  }
  await server.start(config.PORT, config.HOST);
  logger.info("listening", {
    url: `http://${config.HOST}:${config.PORT}/`, env: config.NODE_ENV,
    persistence: server.keeper ? server.keeper.store.kind : "off", publicAddress: config.REDIS_URL ? (config.PUBLIC_ADDRESS ?? `${config.HOST}:${config.PORT}`) : undefined,
  });
}

main().catch((err) => {
  logger.error("failed to start", { error: err });
  process.exit(1);
});
