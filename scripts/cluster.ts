// Runs N server processes on one machine sharing one Redis: ports BASE..BASE+N-1, each with its
// own PUBLIC_ADDRESS so the matchmaker sends a client to the process that holds its battle.
//   npm run cluster -- --processes 4 [--base-port 2567] [--redis redis://127.0.0.1:6379] [--start-redis]
// --start-redis runs a local redis-server with AOF (appendfsync everysec) in data/redis.
// A process that dies is started again after a second (its battles are meanwhile restored on the
// others); SIGINT/SIGTERM drain every process and wait for them.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(__dirname, "..");
const { values } = parseArgs({
  options: {
    processes: { type: "string", default: "2" },
    "base-port": { type: "string", default: process.env.PORT ?? "2567" },
    redis: { type: "string", default: process.env.REDIS_URL },
    "start-redis": { type: "boolean", default: false },
    "redis-port": { type: "string", default: "6379" },
    "public-host": { type: "string", default: process.env.PUBLIC_HOST ?? process.env.HOST ?? "127.0.0.1" },
  },
});
const n = Number(values.processes);
const base = Number(values["base-port"]);
if (!Number.isInteger(n) || n < 1 || n > 64) fail("--processes must be an integer from 1 to 64");
if (!Number.isInteger(base) || base < 1 || base + n > 65535) fail("--base-port out of range");

let stopping = false;
const children = new Map<number, ChildProcess>();

function fail(msg: string): never {
  console.error(`cluster: ${msg}`);
  process.exit(2);
}

function prefix(tag: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) {
  let buf = "";
  stream.on("data", (b: Buffer) => {
    buf += b.toString();
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const l of lines) out.write(`[${tag}] ${l}\n`);
  });
}

async function startRedis(port: number): Promise<string> {
  const dir = path.join(ROOT, "data", "redis");
  fs.mkdirSync(dir, { recursive: true });
  const r = spawn("/usr/bin/redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "everysec"], { stdio: ["ignore", "pipe", "pipe"] });
  prefix("redis", r.stdout!, process.stdout);
  prefix("redis", r.stderr!, process.stderr);
  children.set(-1, r);
  await new Promise((res) => setTimeout(res, 500));
  if (r.exitCode !== null) fail("redis-server did not start (is the port free? is /usr/bin/redis-server installed?)");
  return `redis://127.0.0.1:${port}`;
}

function startServer(i: number, redisUrl: string) {
  const port = base + i;
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl, PUBLIC_ADDRESS: `${values["public-host"]}:${port}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  prefix(`p${i}:${port}`, child.stdout!, process.stdout);
  prefix(`p${i}:${port}`, child.stderr!, process.stderr);
  children.set(i, child);
  child.once("exit", (code, signal) => {
    children.delete(i);
    if (stopping) return;
    console.error(`[cluster] process ${i} (port ${port}) exited (${signal ?? code}); starting it again in 1 s`);
    setTimeout(() => { if (!stopping) startServer(i, redisUrl); }, 1000);
  });
}

async function main() {
  const redisUrl = values["start-redis"] ? await startRedis(Number(values["redis-port"])) : values.redis;
  if (!redisUrl) fail("set REDIS_URL, pass --redis redis://host:port, or --start-redis");
  for (let i = 0; i < n; i++) startServer(i, redisUrl);
  console.log(`[cluster] ${n} processes on ports ${base}..${base + n - 1}, Redis ${redisUrl}`);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("[cluster] draining every process…");
    const servers = [...children.entries()].filter(([i]) => i >= 0).map(([, c]) => c);
    await Promise.all(servers.map((c) => new Promise<void>((res) => { c.once("exit", () => res()); c.kill("SIGTERM"); })));
    const redis = children.get(-1);
    if (redis) await new Promise<void>((res) => { redis.once("exit", () => res()); redis.kill("SIGTERM"); });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

void main();
