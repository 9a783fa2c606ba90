// Guessed secrets: battle passwords, seat keys and GM keys (at the matchmaking step and in the GM's
// log export), and operator credentials. Requests come from distinct loopback addresses, so the
// server sees distinct client IPs. Lock-outs run with AUTH_LOCKOUT_SEC=2 to keep the test short.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gmAndPlayer } from "../../harness/battles";
import { joinById, rawRequest } from "../../harness/raw-http";
import { scrape, value } from "../observability/scrape";
import { Lockout } from "../../src/server/lockout";
import { useServer } from "../support/use-server";

const PASSWORD = "sesame-open-1234";
const JOIN = { name: "Guest", shipId: "p1", positions: ["gunner"] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function auditRecords(file: string, until: (records: any[]) => boolean): Promise<any[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const records = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
    if (until(records) || Date.now() > deadline) return records;
    await sleep(50);
  }
}

describe("lock-out after repeated wrong battle secrets", function () {
  this.timeout(60_000);
  let auditFile = "";
  // AUTH_FAILURES_PER_BATTLE raised: these tests add up more failures against one battle than its default.
  const server = useServer(() => {
    auditFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lockout-audit-")), "audit.log");
    return { AUTH_LOCKOUT_SEC: "2", AUTH_LOCKOUT_MAX_SEC: "8", AUTH_FAILURES_PER_BATTLE: "1000", AUDIT_LOG_FILE: auditFile };
  }, { humanLimits: true });
  let roomId: string;
  let gmKey: string;
  let seatKey: string;
  before(async () => {
    const battle = await gmAndPlayer(server(), { password: PASSWORD });
    roomId = battle.roomId;
    gmKey = (await battle.gm.seated()).key;
    seatKey = (await battle.player.seated()).key;
  });

  it("refuses an IP after 10 wrong passwords for AUTH_LOCKOUT_SEC even with the right one, lets other IPs in, then lets it in again", async () => {
    const wrong: number[] = [];
    for (let i = 0; i < 10; i++) wrong.push((await joinById(server().port, roomId, { ...JOIN, password: `guess-${i}` }, "127.0.0.2")).status);
    assert.deepEqual(wrong, Array(10).fill(403));
    const locked = await joinById(server().port, roomId, { ...JOIN, password: PASSWORD }, "127.0.0.2");
    assert.equal(locked.status, 429, locked.body);
    assert.equal(locked.headers["retry-after"], "2");
    assert.match(locked.json().error, /too many failed attempts from your address; try again in 2 s/);
    // Another address (another player's network) is not affected.
    const other = await joinById(server().port, roomId, { ...JOIN, password: PASSWORD }, "127.0.0.3");
    assert.equal(other.status, 200, other.body);
    assert.ok(other.json().sessionId, "a seat reservation");
    await sleep(2200);
    const after = await joinById(server().port, roomId, { ...JOIN, password: PASSWORD }, "127.0.0.2");
    assert.equal(after.status, 200, after.body);
  });

  it("doubles the lock-out each time the same IP is locked out again", async () => {
    for (let i = 0; i < 10; i++) await joinById(server().port, roomId, { ...JOIN, password: `again-${i}` }, "127.0.0.2");
    const locked = await joinById(server().port, roomId, { ...JOIN, password: PASSWORD }, "127.0.0.2");
    assert.equal(locked.status, 429);
    assert.equal(locked.headers["retry-after"], "4");
  });

  it("counts wrong GM keys and seat keys the same way: the right GM key is refused while its IP is locked out", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await joinById(server().port, roomId, { gmKey: `not-the-gm-key-${i}xx` }, "127.0.0.4")).status, 403);
    for (let i = 0; i < 5; i++) assert.equal((await joinById(server().port, roomId, { seatKey: `not-a-seat-key-${i}xx` }, "127.0.0.4")).status, 403);
    assert.equal((await joinById(server().port, roomId, { gmKey }, "127.0.0.4")).status, 429);
    assert.equal((await joinById(server().port, roomId, { seatKey }, "127.0.0.4")).status, 429);
    assert.equal((await joinById(server().port, roomId, { gmKey }, "127.0.0.5")).status, 200);
    assert.equal((await joinById(server().port, roomId, { seatKey }, "127.0.0.5")).status, 200);
  });

  it("does not lock out a table behind one address when one player mistypes the password a few times", async () => {
    for (let i = 0; i < 9; i++) assert.equal((await joinById(server().port, roomId, { ...JOIN, password: `typo-${i}` }, "127.0.0.6")).status, 403);
    assert.equal((await joinById(server().port, roomId, { ...JOIN, password: PASSWORD }, "127.0.0.6")).status, 200);
    assert.equal((await joinById(server().port, roomId, { seatKey }, "127.0.0.6")).status, 200);
    assert.equal((await joinById(server().port, roomId, { gmKey }, "127.0.0.6")).status, 200);
  });

  it("counts wrong GM keys on the log export too", async () => {
    const exportLog = (key: string) => rawRequest(server().port, "GET", `/api/battles/${roomId}/log`, { from: "127.0.0.7", headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 10; i++) assert.equal((await exportLog(`wrong-gm-key-${i}`)).status, 403);
    const locked = await exportLog(gmKey);
    assert.equal(locked.status, 429);
    assert.equal(locked.headers["retry-after"], "2");
  });

  it("records every wrong secret, lock-out and locked-out attempt in the audit trail, without the secrets", async () => {
    const records = await auditRecords(auditFile, (rs) => rs.some((r) => r.result === "authLocked" && r.ip === "127.0.0.7"));
    const from2 = records.filter((r) => r.ip === "127.0.0.2" && r.battle === roomId);
    assert.equal(from2.filter((r) => r.result === "authFailed" && r.reason === "wrong password").length, 20);
    assert.ok(from2.some((r) => r.result === "lockedOut" && /locked out of this battle for 2 s/.test(r.reason)), "first lock-out: 2 s");
    assert.ok(from2.some((r) => r.result === "lockedOut" && /locked out of this battle for 4 s/.test(r.reason)), "second lock-out: 4 s");
    assert.ok(from2.some((r) => r.result === "authLocked"), "the locked-out attempt");
    assert.ok(records.some((r) => r.ip === "127.0.0.4" && r.reason === "wrong GM key"));
    assert.ok(records.some((r) => r.ip === "127.0.0.4" && r.reason === "wrong seat key"));
    const text = fs.readFileSync(auditFile, "utf8");
    for (const secret of [PASSWORD, gmKey, seatKey, "guess-3"]) assert.ok(!text.includes(secret), `no ${secret} in the audit trail`);
  });

  it("counts failures, lock-outs and locked-out attempts in /metrics", async () => {
    const text = await scrape(server().port);
    assert.ok(value(text, "traveller_security_events_total", { kind: "authFailed" }) >= 49);
    assert.ok(value(text, "traveller_security_events_total", { kind: "lockedOut" }) >= 3);
    assert.ok(value(text, "traveller_security_events_total", { kind: "authLocked" }) >= 4);
  });
});

describe("lock-out across battles and for a battle under attack", function () {
  this.timeout(60_000);
  const server = useServer({ AUTH_FAILURES_PER_IP: "4", AUTH_FAILURES_PER_BATTLE: "5", AUTH_LOCKOUT_SEC: "30" }, { humanLimits: true });

  it("locks an IP guessing across battles out of every battle after AUTH_FAILURES_PER_IP failures in all", async () => {
    const a = await gmAndPlayer(server(), { password: PASSWORD });
    const b = await gmAndPlayer(server(), { password: PASSWORD });
    const c = await gmAndPlayer(server(), { password: PASSWORD });
    for (const room of [a.roomId, a.roomId, b.roomId, b.roomId]) assert.equal((await joinById(server().port, room, { ...JOIN, password: "nope-nope" }, "127.0.0.8")).status, 403);
    const locked = await joinById(server().port, c.roomId, { ...JOIN, password: PASSWORD }, "127.0.0.8");
    assert.equal(locked.status, 429);
    assert.equal((await joinById(server().port, c.roomId, { ...JOIN, password: PASSWORD }, "127.0.0.9")).status, 200);
  });

  it("locks each failing IP out at once when a battle is guessed at from many addresses, and still lets the right password in", async () => {
    const { roomId, gm } = await gmAndPlayer(server(), { password: PASSWORD });
    // Five addresses, one guess each: the battle counts as under attack.
    for (let i = 10; i < 15; i++) assert.equal((await joinById(server().port, roomId, { ...JOIN, password: "guess" }, `127.0.0.${i}`)).status, 403);
    // A sixth address guesses once and is locked out of this battle straight away.
    assert.equal((await joinById(server().port, roomId, { ...JOIN, password: "guess" }, "127.0.0.15")).status, 403);
    assert.equal((await joinById(server().port, roomId, { ...JOIN, password: PASSWORD }, "127.0.0.15")).status, 429);
    // The battle itself is never locked: the right password and the GM key still get in from elsewhere.
    assert.equal((await joinById(server().port, roomId, { ...JOIN, password: PASSWORD }, "127.0.0.16")).status, 200);
    assert.equal((await joinById(server().port, roomId, { gmKey: (await gm.seated()).key }, "127.0.0.17")).status, 200);
  });

  it("shows the IPs locked out now in /metrics, by scope", async () => {
    const text = await scrape(server().port);
    assert.equal(value(text, "traveller_auth_lockouts_active", { scope: "ip" }), 1, "127.0.0.8, out of every battle");
    // 127.0.0.14, whose guess put the battle over AUTH_FAILURES_PER_BATTLE, and 127.0.0.15 after it.
    assert.equal(value(text, "traveller_auth_lockouts_active", { scope: "battle_ip" }), 2, "two addresses out of one battle");
  });
});

describe("lock-out after repeated wrong operator credentials", function () {
  this.timeout(60_000);
  const ADMIN = "correct-horse-battery-staple";
  const TOKEN = "metrics-token-0123456789abcdef";
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  let auditFile = "";
  const server = useServer(() => {
    auditFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lockout-audit-")), "audit.log");
    return { ADMIN_USER: "ops", ADMIN_PASSWORD: ADMIN, METRICS_TOKEN: TOKEN, AUTH_FAILURES_PER_IP_ADMIN: "5", AUTH_LOCKOUT_SEC: "2", AUDIT_LOG_FILE: auditFile };
  }, { humanLimits: true });

  const get = (p: string, authorization: string, from: string) => rawRequest(server().port, "GET", p, { from, headers: { authorization } });

  it("refuses an IP after 5 wrong Basic passwords for AUTH_LOCKOUT_SEC even with the right one, and other IPs get in", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await get(i % 2 ? "/colyseus/api" : "/dev/dashboard/api/history", basic("ops", `wrong-${i}`), "127.0.0.20")).status, 401);
    const locked = await get("/colyseus/api", basic("ops", ADMIN), "127.0.0.20");
    assert.equal(locked.status, 429);
    assert.equal(locked.headers["retry-after"], "2");
    assert.equal((await get("/colyseus/api", basic("ops", ADMIN), "127.0.0.21")).status, 200);
    await sleep(2200);
    assert.equal((await get("/colyseus/api", basic("ops", ADMIN), "127.0.0.20")).status, 200);
  });

  it("refuses an IP after 5 wrong bearer tokens on /metrics, and other IPs get in", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await get("/metrics", `Bearer wrong-token-${i}-0123456789`, "127.0.0.22")).status, 401);
    assert.equal((await get("/metrics", `Bearer ${TOKEN}`, "127.0.0.22")).status, 429);
    assert.equal((await get("/metrics", `Bearer ${TOKEN}`, "127.0.0.23")).status, 200);
  });

  it("audits operator failures and lock-outs, and counts them in /metrics", async () => {
    const records = await auditRecords(auditFile, (rs) => rs.some((r) => r.result === "authLocked" && r.ip === "127.0.0.22"));
    assert.equal(records.filter((r) => r.ip === "127.0.0.20" && r.result === "authFailed" && r.reason === "wrong operator password").length, 5);
    assert.ok(records.some((r) => r.ip === "127.0.0.20" && r.result === "lockedOut" && /operator routes for 2 s/.test(r.reason)));
    assert.equal(records.filter((r) => r.ip === "127.0.0.22" && r.reason === "wrong metrics token").length, 5);
    assert.ok(!fs.readFileSync(auditFile, "utf8").includes(ADMIN));
    const text = await scrape(server().port, { authorization: `Bearer ${TOKEN}` });
    assert.ok(value(text, "traveller_security_events_total", { kind: "authFailed" }) >= 10);
    assert.ok(value(text, "traveller_security_events_total", { kind: "lockedOut" }) >= 2);
  });
});

describe("Lockout arithmetic", () => {
  it("locks a subject at its threshold, doubles each lock-out up to the maximum, and forgets after a clean spell", () => {
    let now = 0;
    const l = new Lockout({ threshold: 3, windowSec: 60, lockSec: 10, maxLockSec: 25 }, () => now);
    assert.deepEqual([l.fail("a"), l.fail("a"), l.fail("a")], [0, 0, 10_000]);
    assert.equal(l.remainingMs("a"), 10_000);
    assert.equal(l.fail("a"), 0, "attempts during a lock-out do not extend it");
    now = 10_000;
    assert.equal(l.remainingMs("a"), 0);
    assert.deepEqual([l.fail("a"), l.fail("a"), l.fail("a")], [0, 0, 20_000]);
    now = 30_000;
    assert.deepEqual([l.fail("a"), l.fail("a"), l.fail("a")], [0, 0, 25_000], "capped at maxLockSec");
    now = 55_000 + 25_000;
    assert.deepEqual([l.fail("a"), l.fail("a"), l.fail("a")], [0, 0, 10_000], "back to the first length after maxLockSec clean");
    assert.equal(l.remainingMs("b"), 0, "other subjects unaffected");
  });

  it("forgets failures older than the window", () => {
    let now = 0;
    const l = new Lockout({ threshold: 2, windowSec: 10, lockSec: 5, maxLockSec: 5 }, () => now);
    l.fail("a");
    now = 10_000;
    assert.equal(l.fail("a"), 0);
    assert.equal(l.fail("a"), 5000);
  });

  it("stays bounded in memory however many addresses fail", () => {
    const l = new Lockout({ threshold: 2, windowSec: 10, lockSec: 5, maxLockSec: 5 }, () => 0, 1000);
    for (let i = 0; i < 5000; i++) l.fail(`ip-${i}`);
    assert.ok(l.size <= 1000);
  });
});
