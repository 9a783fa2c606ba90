// A real redis-server for tests, on a free loopback port, with its data in a temporary directory.
// AOF with appendfsync always: an acknowledged write survives even a SIGKILL of Redis itself.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { freePort } from "./ports";

export const REDIS_SERVER = "/usr/bin/redis-server";

export interface TestRedis {
  port: number;
  url: string;
  dir: string;
  /** Stops it (SIGTERM, or SIGKILL with `kill`) and keeps its data directory. */
  stop(opts?: { kill?: boolean }): Promise<void>;
  /** Starts it again on the same port and data: what was acknowledged is still there. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
}

export async function startRedis(opts: { appendfsync?: "always" | "everysec" } = {}): Promise<TestRedis> {
  if (!fs.existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: run scripts/ensure-system-deps.sh`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tb-redis-"));
  let child: ChildProcess | undefined;
  const args = () => [
    "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "",
    "--appendonly", "yes", "--appendfsync", opts.appendfsync ?? "always", "--protected-mode", "yes",
  ];
  const redis: TestRedis = {
    port, dir, url: `redis://127.0.0.1:${port}`,
    async start() {
      const c = spawn(REDIS_SERVER, args(), { stdio: ["ignore", "pipe", "pipe"] });
      child = c;
      let out = "";
      c.stdout!.on("data", (b: Buffer) => { out = (out + b.toString()).slice(-4000); });
      c.stderr!.on("data", (b: Buffer) => { out = (out + b.toString()).slice(-4000); });
      process.once("exit", () => c.kill("SIGKILL"));
      const deadline = Date.now() + 10_000;
      while (!(await answersPing(port))) {
        if (c.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(o = {}) {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise<void>((r) => c.once("exit", () => r()));
      c.kill(o.kill ? "SIGKILL" : "SIGTERM");
      await gone;
    },
    async close() {
      await redis.stop({ kill: true });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

/** A raw PING over TCP (no client library needed). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => { s.destroy(); resolve(ok); };
    s.setTimeout(500, () => done(false));
    s.once("error", () => done(false));
    s.once("connect", () => s.write("PING\r\n"));
    s.once("data", (b) => done(b.toString().startsWith("+PONG")));
  });
}
