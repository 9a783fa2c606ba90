import assert from "node:assert/strict";
import { captureLogs } from "./log-capture";
import { logger } from "../../src/server/logger";
import { parseBasic, secretEquals } from "../../src/server/admin-auth";
import { useServer } from "../support/use-server";
import { startServer, type TestServer } from "../../harness/server";

const PASSWORD = "correct-horse-battery-staple";
const TOKEN = "metrics-token-0123456789abcdef";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const OPERATOR_PATHS = ["/colyseus/", "/colyseus/api", "/dev/dashboard/", "/dev/dashboard/api/history", "/dev/dashboard/dashboard.js"];

async function status(port: number, path: string, authorization?: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: authorization ? { authorization } : {} });
  await res.arrayBuffer();
  return res.status;
}

describe("access to the operator pages and /metrics", function () {
  this.timeout(30_000);

  describe("with ADMIN_PASSWORD and METRICS_TOKEN configured", () => {
    const server = useServer({ ADMIN_USER: "ops", ADMIN_PASSWORD: PASSWORD, METRICS_TOKEN: TOKEN });

    it("refuses unauthenticated and wrongly authenticated requests with 401 and a challenge", async () => {
      for (const path of OPERATOR_PATHS) {
        for (const auth of [undefined, basic("ops", "wrong-password-123"), basic("admin", PASSWORD), basic("ops", `${PASSWORD}x`), `Bearer ${PASSWORD}`, "Basic !!!"]) {
          assert.equal(await status(server().port, path, auth), 401, `${path} with ${auth}`);
        }
      }
      const res = await fetch(`http://127.0.0.1:${server().port}/dev/dashboard/`);
      assert.match(res.headers.get("www-authenticate") ?? "", /^Basic realm=/);
      for (const auth of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, basic("ops", PASSWORD), `bearer ${TOKEN}`]) {
        assert.equal(await status(server().port, "/metrics", auth), 401, `/metrics with ${auth}`);
      }
    });

    it("lets the right credentials in", async () => {
      for (const path of OPERATOR_PATHS.filter((p) => !p.endsWith(".js"))) assert.equal(await status(server().port, path, basic("ops", PASSWORD)), 200, path);
      assert.equal(await status(server().port, "/metrics", `Bearer ${TOKEN}`), 200);
    });
  });

  describe("in production without credentials", () => {
    const server = useServer({ NODE_ENV: "production" });

    it("does not serve /colyseus, /dev/dashboard or /metrics at all", async () => {
      for (const path of [...OPERATOR_PATHS, "/metrics"]) assert.equal(await status(server().port, path, basic("admin", "admin")), 404, path);
      assert.equal(await status(server().port, "/health"), 200);
    });
  });

  describe("in development without credentials", () => {
    // Started inside a log capture, to read the generated password from the start-up log.
    let started: TestServer;
    const server = () => started;
    let password = "";
    before(async () => {
      const logs = captureLogs();
      try {
        started = await startServer({ NODE_ENV: "development", LOG_LEVEL: "info" });
      } finally {
        logs.stop();
        logger.level = process.env.LOG_LEVEL ?? "error";
      }
      const lines = logs.lines.filter((l) => typeof l.password === "string");
      assert.equal(lines.length, 1, "logged exactly once");
      password = String(lines[0]?.password ?? "");
    });
    after(async () => { await started?.close(); });

    it("generates a password, logs it once at start-up, and requires it", async () => {
      assert.ok(password.length >= 20, "a generated password was logged");
      for (const path of OPERATOR_PATHS) assert.equal(await status(server().port, path), 401, path);
      assert.equal(await status(server().port, "/dev/dashboard/api/history", basic("admin", password)), 200);
      assert.equal(await status(server().port, "/colyseus/api", basic("admin", password)), 200);
    });

    it("serves /metrics openly when no METRICS_TOKEN is set", async () => {
      assert.equal(await status(server().port, "/metrics"), 200);
    });
  });

  it("parses Basic credentials strictly and compares secrets of any length", () => {
    assert.deepEqual(parseBasic(basic("a", "b:c")), { user: "a", password: "b:c" });
    assert.equal(parseBasic("Basic"), undefined);
    assert.equal(parseBasic(`Basic ${Buffer.from("no-colon").toString("base64")}`), undefined);
    assert.equal(parseBasic(undefined), undefined);
    assert.ok(secretEquals("same", "same"));
    assert.ok(!secretEquals("same", "sam"));
    assert.ok(!secretEquals("", "x"));
  });
});
