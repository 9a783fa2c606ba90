// The probes of issue 15 against a real server process with the production limits, on loopback:
// server RSS around 32 MB request bodies, and how far password and operator-credential guessing
// gets from one address. Writes bench/abuse-results.json and prints it.
// Usage: npx tsx bench/abuse.ts
import fs from "node:fs";
import path from "node:path";
import http from "node:http";
import { ColyseusSDK } from "@colyseus/sdk";
import { startServerProcess, readProc, ROOT } from "../harness/server-process";
import { freePort } from "../harness/ports";
import { MACHINE_SPEED_LIMITS, loadConfig } from "../src/server/config";
import { rawRequest, joinById } from "../harness/raw-http";
import { twoShipOptions } from "../harness/battles";

const MB = 1024 * 1024;
const ADMIN = "correct-horse-battery-staple";
const TOKEN = "metrics-token-0123456789abcdef";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The production value of every limit the load runner lifts. */
function productionLimits(): Record<string, string> {
  const defaults = loadConfig({}) as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.keys(MACHINE_SPEED_LIMITS).map((k) => [k, String(defaults[k])]));
}

function bigPost(port: number, p: string, total: number, declare: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", ...(declare ? { "content-length": String(total) } : {}) };
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    let answered = false;
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: p, headers, agent: false }, (res) => {
      answered = true;
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", (err) => { if (!answered) reject(err); });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) { req.once("drain", pump); return; }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

function tally(statuses: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

async function main() {
  const port = await freePort();
  const proc = await startServerProcess({ port, env: { ...productionLimits(), NODE_ENV: "production", ADMIN_PASSWORD: ADMIN, METRICS_TOKEN: TOKEN } });
  const rss = () => readProc(proc.pid)?.rssMb ?? 0;
  const body: Record<string, unknown> = {};
  try {
    const sdk = new ColyseusSDK(`ws://127.0.0.1:${port}`);
    const gm = await sdk.create("battle", twoShipOptions({ password: "sesame-open-1234" }));
    const roomId = gm.roomId;
    await sleep(500);

    const rssStart = rss();
    const one = await bigPost(port, `/matchmake/joinById/${roomId}`, 32 * MB, true);
    await sleep(500);
    const afterOne = rss();
    const four = await Promise.all(Array.from({ length: 4 }, () => bigPost(port, `/matchmake/joinById/${roomId}`, 32 * MB, true)));
    await sleep(500);
    const afterFour = rss();
    const chunked = await Promise.all(Array.from({ length: 4 }, () => bigPost(port, `/matchmake/joinById/${roomId}`, 32 * MB, false)));
    await sleep(500);
    const afterChunked = rss();
    body.bodies = {
      rssStartMb: +rssStart.toFixed(1),
      one32MbDeclared: { status: one, rssGrowthMb: +(afterOne - rssStart).toFixed(1) },
      four32MbDeclaredAtOnce: { statuses: tally(four), rssGrowthMb: +(afterFour - afterOne).toFixed(1) },
      four32MbChunkedAtOnce: { statuses: tally(chunked), rssGrowthMb: +(afterChunked - afterFour).toFixed(1) },
    };

    let t = performance.now();
    const guesses: number[] = [];
    for (let i = 0; i < 40; i++) guesses.push((await joinById(port, roomId, { name: "G", shipId: "p1", positions: ["gunner"], password: `guess-${i}` }, "127.0.0.2")).status);
    const guessMs = performance.now() - t;
    const rightLocked = await joinById(port, roomId, { name: "G", shipId: "p1", positions: ["gunner"], password: "sesame-open-1234" }, "127.0.0.2");
    const rightOther = await joinById(port, roomId, { name: "G", shipId: "p1", positions: ["gunner"], password: "sesame-open-1234" }, "127.0.0.3");
    body.passwordGuessing = {
      wrongPasswords: 40, ms: Math.round(guessMs), statuses: tally(guesses),
      rightPasswordSameIp: { status: rightLocked.status, retryAfter: rightLocked.headers["retry-after"] },
      rightPasswordOtherIp: rightOther.status,
    };

    const basic = (pw: string) => `Basic ${Buffer.from(`admin:${pw}`).toString("base64")}`;
    t = performance.now();
    const ops: number[] = [];
    for (let i = 0; i < 400; i++) ops.push((await rawRequest(port, "GET", i % 2 ? "/colyseus/api" : "/dev/dashboard/api/history", { from: "127.0.0.4", headers: { authorization: basic(`wrong-${i}`) } })).status);
    const opsMs = performance.now() - t;
    const bearer: number[] = [];
    for (let i = 0; i < 300; i++) bearer.push((await rawRequest(port, "GET", "/metrics", { from: "127.0.0.5", headers: { authorization: `Bearer wrong-token-${i}-0123456789` } })).status);
    body.operatorGuessing = {
      wrongBasic: 400, ms: Math.round(opsMs), statuses: tally(ops),
      rightBasicSameIp: (await rawRequest(port, "GET", "/colyseus/api", { from: "127.0.0.4", headers: { authorization: basic(ADMIN) } })).status,
      rightBasicOtherIp: (await rawRequest(port, "GET", "/colyseus/api", { from: "127.0.0.6", headers: { authorization: basic(ADMIN) } })).status,
      wrongBearer: 300, bearerStatuses: tally(bearer),
    };
    await gm.leave();
  } finally {
    await proc.stop();
  }
  return { at: new Date().toISOString(), node: process.version, ...body };
}

main().then((result) => {
  const file = path.join(ROOT, "bench", "abuse-results.json");
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}).catch((err) => { console.error(err); process.exit(1); });
