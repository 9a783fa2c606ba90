// Credentials for the operator pages (/colyseus, /dev/dashboard) and the /metrics endpoint.
// Policy (docs/operations.md, "Access"):
// - ADMIN_USER / ADMIN_PASSWORD guard the operator pages with HTTP Basic. Production without a
//   password: the pages are not mounted (404). Development/test without one: a random password is
//   generated at start-up and logged once, so `npm start` users can open the dashboard.
// - METRICS_TOKEN guards /metrics with `Authorization: Bearer <token>`. Unset: /metrics is open in
//   development/test and not mounted in production.
// Every comparison hashes both sides first and compares digests in constant time, so neither the
// content nor the length of a secret leaks through timing. Failures are counted per IP by the
// CredentialGuard: after AUTH_FAILURES_PER_IP_ADMIN of them the IP is locked out (429 with
// Retry-After, even with the right credentials), and every failure is audited.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { Config } from "./config";
import type { CredentialGuard, SecretKind } from "./credential-guard";
import { normaliseIp } from "./blocklist";

export interface AdminCredentials { user: string; password: string; generated: boolean }

/** The operator credentials in force, or undefined when the operator pages must stay off. */
export function adminCredentials(config: Pick<Config, "NODE_ENV" | "ADMIN_USER" | "ADMIN_PASSWORD">): AdminCredentials | undefined {
  if (config.ADMIN_PASSWORD) return { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD, generated: false };
  if (config.NODE_ENV === "production") return undefined;
  return { user: config.ADMIN_USER, password: randomBytes(18).toString("base64url"), generated: true };
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s, "utf8").digest();
}

export function secretEquals(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

/** Parses `Authorization: Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]{1,1024})$/.exec(header ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** HTTP Basic guard: 401 with a challenge unless both user and password match. */
export function requireAdmin(creds: AdminCredentials, guard: CredentialGuard): RequestHandler {
  return (req, res, next) => {
    if (lockedOut(req, res, guard, "operator password")) return;
    const given = parseBasic(req.get("authorization"));
    // Both comparisons always run, so a right user name with a wrong password takes as long as neither.
    const userOk = secretEquals(creds.user, given?.user ?? "");
    const passOk = secretEquals(creds.password, given?.password ?? "");
    if (given && userOk && passOk) return next();
    // A request without credentials is a browser asking for the prompt, not a guess.
    if (given) guard.operatorFailed(peer(req), "operator password");
    res.set("WWW-Authenticate", 'Basic realm="traveller-battles operators", charset="UTF-8"');
    res.status(401).type("text/plain").send("authentication required");
  };
}

/** Bearer guard for /metrics: 401 unless `Authorization: Bearer <token>` matches. */
export function requireBearer(token: string, guard: CredentialGuard): RequestHandler {
  return (req, res, next) => {
    if (lockedOut(req, res, guard, "metrics token")) return;
    const header = req.get("authorization");
    const given = /^Bearer (\S{1,512})$/.exec(header ?? "")?.[1];
    if (given !== undefined && secretEquals(token, given)) return next();
    if (header !== undefined) guard.operatorFailed(peer(req), "metrics token");
    res.set("WWW-Authenticate", 'Bearer realm="metrics"');
    res.status(401).type("text/plain").send("bearer token required");
  };
}

/** Answers 429 while the caller's IP is locked out; the credentials are not even compared. */
function lockedOut(req: Request, res: Response, guard: CredentialGuard, what: SecretKind): boolean {
  const locked = guard.operatorLocked(peer(req), what);
  if (!locked) return false;
  res.set("Retry-After", String(locked.retryAfterSec));
  res.status(429).type("text/plain").send(locked.message);
  return true;
}

function peer(req: Request): string | undefined {
  return normaliseIp(req.socket.remoteAddress);
}
