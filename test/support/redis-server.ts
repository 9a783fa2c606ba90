// A real redis-server on a free loopback port, for tests that need Redis. No persistence, no
// config file; stopped (and its process reaped) by stop().
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { freePort } from "./ports";

export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server";

export interface RedisServer { port: number; url: string; stop(): Promise<void> }

export async function startRedis(timeoutMs = 10_000): Promise<RedisServer> {
  if (!fs.existsSync(REDIS_SERVER_PATH)) throw new Error(`${REDIS_SERVER_PATH} not found: run scripts/ensure-system-deps.sh`);
  const port = await freePort();
  const proc: ChildProcess = spawn(REDIS_SERVER_PATH, [
    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => { stderr += d.toString(); });
  const until = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (proc.exitCode !== null || Date.now() > until) {
      proc.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port, url: `redis://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    }),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}
