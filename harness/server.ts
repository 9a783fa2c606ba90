// Boots the real server definition (the one `npm start` uses) on a free loopback port.
import "../src/server/polyfills";
import { freePort } from "./ports";
import { ColyseusTestServer } from "@colyseus/testing";
import { ColyseusSDK } from "@colyseus/sdk";
import { createServer } from "../src/app.config";
import { loadConfig, MACHINE_SPEED_LIMITS, type Config } from "../src/server/config";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";


export interface TestServer {
  colyseus: ColyseusTestServer;
  port: number;
  url: string;
  config: Config;
  /** Durable battles: heartbeats, takeover, drain (undefined with PERSIST=false). */
  keeper: ReturnType<typeof createServer>["keeper"];
  sdk(): ColyseusSDK;
  close(): Promise<void>;
}

/**
 * Bots in tests play at machine speed, so by default the rate limits and intrusion detection are
 * lifted (MACHINE_SPEED_LIMITS) and no audit file is written; `humanLimits` keeps the production
 * defaults (the security tests).
 */
export async function startServer(env: Record<string, string> = {}, opts: { humanLimits?: boolean } = {}): Promise<TestServer> {
  const port = await freePort();
  // Battles are durable in tests too (a temporary DATA_DIR), so every room test runs the append path.
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "tb-data-"));
  const config = loadConfig({
    NODE_ENV: "test", HOST: "127.0.0.1", PORT: String(port), SERVE_CLIENT: "false", LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    DATA_DIR: dataDir, AUDIT_LOG_FILE: "", ...(opts.humanLimits ? {} : MACHINE_SPEED_LIMITS), ...env,
  });
  const server = createServer(config, { gracefulShutdown: false });
  await server.start(port, "127.0.0.1");
  const colyseus = new ColyseusTestServer(server);
  return {
    colyseus, port, config, url: `ws://127.0.0.1:${port}`, keeper: server.keeper,
    sdk: () => new ColyseusSDK(`ws://127.0.0.1:${port}`),
    close: async () => {
      await colyseus.cleanup().catch(() => undefined);
      await colyseus.shutdown().catch(() => undefined);
      await server.keeper?.close().catch(() => undefined);
      if (!env.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
