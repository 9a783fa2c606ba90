// HTTP surface of observability: /metrics (Prometheus), /colyseus (@colyseus/monitor) and
// /dev/dashboard (the live performance dashboard). Access rules: src/server/admin-auth.ts.
import fs from "node:fs";
import path from "node:path";
import express, { type Application } from "express";
import { monitor } from "@colyseus/monitor";
import type { Config } from "../server/config";
import { logger } from "../server/logger";
import { adminCredentials, requireAdmin, requireBearer } from "../server/admin-auth";
import type { Telemetry } from "./telemetry";
import { DASHBOARD_DIR } from "../server/paths";
import type { CredentialGuard } from "../server/credential-guard";

const DASHBOARD_ASSETS = new Set(["dashboard.js", "dashboard.js.map", "dashboard.css", "uPlot.min.css"]);

/** Relaxed only for the monitor's own bundled panel: it injects style elements at run time. */
const MONITOR_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

export function mountObservability(app: Application, config: Config, telemetry: Telemetry, credentials: CredentialGuard): void {
  if (config.METRICS_TOKEN) {
    app.get("/metrics", requireBearer(config.METRICS_TOKEN, credentials), metricsHandler(telemetry));
  } else if (config.NODE_ENV !== "production") {
    app.get("/metrics", metricsHandler(telemetry));
  } else {
    logger.warn("/metrics is off: set METRICS_TOKEN to enable it in production");
  }

  const creds = adminCredentials(config);
  if (!creds) {
    logger.warn("/colyseus and /dev/dashboard are off: set ADMIN_PASSWORD to enable them in production");
    return;
  }
  if (creds.generated) {
    // Development convenience: printed once, at start-up, so the dashboard works with no setup.
    logger.info("operator pages: /colyseus and /dev/dashboard (generated password, set ADMIN_PASSWORD to choose one)",
      { user: creds.user, password: creds.password });
  }
  const guard = requireAdmin(creds, credentials);

  app.use("/colyseus", guard, (_req, res, next) => { res.setHeader("Content-Security-Policy", MONITOR_CSP); next(); }, monitor());

  const dashboard = express.Router();
  dashboard.use(guard);
  dashboard.get("/", (_req, res) => sendDashboardFile(res, "index.html"));
  dashboard.get("/api/history", async (req, res) => {
    const since = Number(req.query.since ?? 0);
    try {
      const points = await telemetry.history.since(Number.isFinite(since) ? since : 0);
      res.set("Cache-Control", "no-store").json({
        process: telemetry.processLabel, store: telemetry.history.kind, sampleMs: config.METRICS_SAMPLE_MS,
        thresholds: {
          commandP95Ms: config.ALERT_COMMAND_P95_MS, patchP95Ms: config.ALERT_PATCH_P95_MS,
          eventLoopLagMs: config.ALERT_EVENT_LOOP_LAG_MS, stateBytes: config.ALERT_STATE_BYTES, errorsPerMin: config.ALERT_ERRORS_PER_MIN,
        },
        points,
      });
    } catch (err) {
      res.status(503).json({ error: `history unavailable: ${String(err)}` });
    }
  });
  dashboard.get("/:file", (req, res) => {
    if (!DASHBOARD_ASSETS.has(req.params.file)) { res.status(404).end(); return; }
    sendDashboardFile(res, req.params.file);
  });
  app.use("/dev/dashboard", dashboard);
}

function metricsHandler(telemetry: Telemetry): express.RequestHandler {
  return async (_req, res) => {
    try {
      res.set("Content-Type", telemetry.metrics.registry.contentType).send(await telemetry.metrics.registry.metrics());
    } catch (err) {
      res.status(500).type("text/plain").send(String(err));
    }
  };
}

function sendDashboardFile(res: express.Response, file: string) {
  const abs = path.join(DASHBOARD_DIR, file);
  if (!fs.existsSync(abs)) {
    res.status(503).type("text/plain").send("dashboard not built: run `npm run build:client`");
    return;
  }
  res.set("Cache-Control", "no-cache").sendFile(abs);
}
