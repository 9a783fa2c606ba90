// The baseline checks an OWASP ZAP scan would make, as tests: security headers on every route,
// no framework or version banner, error bodies without stack traces, unsupported methods refused,
// the CORS allow-list, and HTTP rate limits.
import assert from "node:assert/strict";
import http from "node:http";
import { gmAndPlayer } from "../../harness/battles";
import { useServer } from "../support/use-server";

interface Res { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { data += c; });
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const JSON_HEADERS = { "content-type": "application/json" };
/** A stack frame, a file path, or a version number of ours or a framework's. */
const LEAK = /\bat\s+\S+\s+\(|node_modules|\.ts:\d+|\.js:\d+|colyseus\s*\d|express|0\.18\.\d|\b0\.1\.0\b|stack/i;

describe("HTTP hardening (every route)", function () {
  this.timeout(30_000);
  const server = useServer({ SERVE_CLIENT: "true", CORS_ORIGINS: "https://table.example" });
  let routes: [string, string, Record<string, string>, string | undefined][];
  before(async () => {
    const { roomId } = await gmAndPlayer(server());
    routes = [
      ["GET", "/", {}, undefined],
      ["GET", "/index.html", {}, undefined],
      ["GET", "/app.js", {}, undefined],
      ["GET", "/styles.css", {}, undefined],
      ["GET", "/health", {}, undefined],
      ["GET", "/__healthcheck", {}, undefined],
      ["GET", "/api/catalogue", {}, undefined],
      ["GET", "/api/battles", {}, undefined],
      ["GET", `/api/battles/${roomId}/log`, { authorization: "Bearer wrong-key-wrong-key" }, undefined],
      ["GET", `/api/battles/${roomId}/log`, {}, undefined],
      ["GET", "/api/battles/nosuchroom/log", { authorization: "Bearer x" }, undefined],
      ["GET", "/no/such/page", {}, undefined],
      ["GET", "/%E0%A4%A", {}, undefined],
      ["POST", "/matchmake/create/battle", JSON_HEADERS, "{not json"],
      ["POST", "/matchmake/create/battle", JSON_HEADERS, JSON.stringify({ name: 42 })],
      ["POST", "/matchmake/create/nosuchroom", JSON_HEADERS, "{}"],
      ["POST", `/matchmake/joinById/${roomId}`, JSON_HEADERS, JSON.stringify({ seatKey: "x".repeat(40) })],
      ["POST", "/matchmake/joinById/nosuchroom", JSON_HEADERS, "{}"],
      ["POST", "/matchmake/evilMethod/battle", JSON_HEADERS, "{}"],
    ];
  });

  it("sends helmet's headers and a strict CSP on every route, and no x-powered-by or server banner", async () => {
    for (const [method, path, headers, body] of routes) {
      const res = await request(server().port, method, path, headers, body);
      const what = `${method} ${path} (${res.status})`;
      const csp = String(res.headers["content-security-policy"] ?? "");
      assert.match(csp, /default-src 'self'/, `${what}: CSP`);
      assert.match(csp, /script-src 'self'(;|$)/, `${what}: script-src self only`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${what}: no inline script or eval`);
      assert.match(csp, /object-src 'none'/, what);
      assert.match(csp, /frame-ancestors 'none'/, what);
      assert.equal(res.headers["x-content-type-options"], "nosniff", what);
      assert.ok(res.headers["x-frame-options"], `${what}: x-frame-options`);
      assert.equal(res.headers["referrer-policy"], "no-referrer", what);
      assert.ok(res.headers["strict-transport-security"], `${what}: HSTS`);
      assert.equal(res.headers["x-powered-by"], undefined, `${what}: x-powered-by`);
      assert.equal(res.headers.server, undefined, `${what}: server banner`);
      assert.equal(res.headers["access-control-allow-origin"], undefined, `${what}: no CORS without an allowed Origin`);
    }
  });

  it("answers errors with short JSON bodies that leak no stack trace, path or version", async () => {
    for (const [method, path, headers, body] of routes) {
      const res = await request(server().port, method, path, headers, body);
      if (res.status < 400) continue;
      assert.match(String(res.headers["content-type"]), /json/, `${method} ${path}: JSON error body`);
      assert.doesNotMatch(res.body, LEAK, `${method} ${path} leaks: ${res.body}`);
      assert.ok(res.body.length < 400, `${method} ${path}: short body`);
    }
    const root = await request(server().port, "GET", "/");
    assert.doesNotMatch(root.body, /colyseus/i, "no framework banner at /");
  });

  it("answers client mistakes on matchmaking with 4xx and short JSON bodies, never Colyseus' 52x", async () => {
    const { roomId } = await gmAndPlayer(server());
    const cases: [string, string, number, RegExp][] = [
      ["/matchmake/joinById/nosuchroom", "{}", 404, /room "nosuchroom" not found/],
      ["/matchmake/evilMethod/battle", "{}", 404, /invalid method/],
      ["/matchmake/create/nosuchroom", "{}", 404, /not defined/],
      ["/matchmake/join/battle", "{}", 400, /joined by its id/],
      ["/matchmake/joinOrCreate/battle", "{}", 400, /joined by its id/],
      ["/matchmake/reconnect/nosuchroom", JSON.stringify({ reconnectionToken: "x" }), 404, /disposed/],
      [`/matchmake/reconnect/${roomId}`, "{}", 400, /reconnectionToken/],
      [`/matchmake/reconnect/${roomId}`, JSON.stringify({ reconnectionToken: "not-a-token" }), 410, /invalid or expired/],
      [`/matchmake/joinById/${roomId}`, JSON.stringify({ seatKey: "x".repeat(40) }), 403, /unknown seat key/],
    ];
    for (const [path, body, status, error] of cases) {
      const res = await request(server().port, "POST", path, JSON_HEADERS, body);
      assert.equal(res.status, status, `${path}: ${res.body}`);
      const json = JSON.parse(res.body);
      assert.equal(json.code, status, path);
      assert.match(json.error, error, path);
      assert.ok(res.body.length < 200, `${path}: short body`);
    }
    for (const [method, path, headers, body] of routes) {
      const res = await request(server().port, method, path, headers, body);
      assert.ok(res.status < 520 || res.status > 529, `${method} ${path}: ${res.status}`);
    }
  });

  it("refuses unsupported methods on every route with 405 and an Allow header", async () => {
    for (const [, path] of routes) {
      for (const method of ["PUT", "DELETE", "PATCH", "TRACE"]) {
        const res = await request(server().port, method, path);
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.allow, "GET, HEAD, POST, OPTIONS");
        assert.doesNotMatch(res.body, LEAK);
      }
    }
  });

  it("allows cross-origin calls only from CORS_ORIGINS, without credentials", async () => {
    const good = await request(server().port, "GET", "/api/battles", { origin: "https://table.example" });
    assert.equal(good.headers["access-control-allow-origin"], "https://table.example");
    assert.equal(good.headers["access-control-allow-credentials"], undefined);
    const evil = await request(server().port, "GET", "/api/battles", { origin: "https://evil.example" });
    assert.equal(evil.headers["access-control-allow-origin"], undefined);
    for (const origin of ["https://table.example", "https://evil.example", "null"]) {
      const pre = await request(server().port, "OPTIONS", "/matchmake/create/battle", { origin, "access-control-request-method": "POST" });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers["access-control-allow-origin"], origin === "https://table.example" ? origin : undefined, `preflight from ${origin}`);
      assert.equal(pre.headers["access-control-allow-credentials"], undefined);
    }
  });
});

describe("HTTP rate limits", function () {
  this.timeout(30_000);
  const server = useServer({ RATE_HTTP_API_PER_MIN: "5", RATE_HTTP_MATCHMAKE_PER_MIN: "3" }, { humanLimits: true });

  it("answers /api/* over RATE_HTTP_API_PER_MIN with 429 and leaves other routes alone", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await request(server().port, "GET", "/api/catalogue")).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const limited = await request(server().port, "GET", "/api/battles");
    assert.equal(limited.status, 429);
    assert.deepEqual(JSON.parse(limited.body), { error: "too many requests; try again later" });
    assert.ok(limited.headers.ratelimit, "standard RateLimit header");
    assert.equal((await request(server().port, "GET", "/health")).status, 200);
  });

  it("answers matchmaking over RATE_HTTP_MATCHMAKE_PER_MIN with 429, so joins and creates are throttled too", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(server().port, "POST", "/matchmake/joinById/nosuchroom", JSON_HEADERS, "{}")).status);
    assert.deepEqual(statuses.map((s) => s === 429), [false, false, false, true, true]);
    await assert.rejects(server().sdk().create("battle", { name: "x" }), /too many requests/);
  });
});
