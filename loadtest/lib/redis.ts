// A real redis-server child on a free loopback port, for multi-process load runs.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../test/support/ports";

export interface RedisProcess { port: number; url: string; pid: number; stop(): Promise<void> }

/** Answers true once the server replies +PONG to an inline PING. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(500, () => done(false));
    sock.once("error", () => done(false));
    sock.once("data", (b) => done(b.toString().startsWith("+PONG")));
    sock.once("connect", () => sock.write("PING\r\n"));
  });
}

export async function startRedis(opts: { bin?: string } = {}): Promise<RedisProcess> {
  const bin = opts.bin ?? "redis-server";
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tb-redis-"));
  const child: ChildProcess = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let exited = false;
  child.once("exit", () => { exited = true; });
  child.once("error", () => { exited = true; });
  process.on("exit", () => { if (!exited) child.kill("SIGKILL"); });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (exited || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on 127.0.0.1:${port} (is it installed? npm test installs it)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port, url: `redis://127.0.0.1:${port}`, pid: child.pid!,
    stop: async () => {
      if (!exited) {
        const gone = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (!exited) child.kill("SIGKILL");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
