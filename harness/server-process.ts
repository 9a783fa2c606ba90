// The server under test: a child process on loopback, started the way `npm start` starts it
// (src/index.ts through tsx, without the client build), and sampled through /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MACHINE_SPEED_LIMITS } from "../src/server/config";
import type { MemoryQuery, MemoryReply } from "./memory-probe";
import { affinityOf, formatCores, pinnedCommand } from "./cpu-pinning";

export const ROOT = path.resolve(__dirname, "..");

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** Set when the process exited before we asked it to. */
  crashed: { code: number | null; signal: string | null } | undefined;
  exited: boolean;
  /** Last lines of its stdout/stderr (for crash reports). */
  tail(): string[];
  /**
   * Started with `memoryProbe`: asks the process (over IPC) for its memory figures, after two
   * forced full garbage collections when `gc` is true. Rejects after `timeoutMs`.
   */
  memory(opts?: { gc?: boolean; timeoutMs?: number }): Promise<MemoryReply>;
  /**
   * The server's own `process.cpuUsage()` (every thread, µs), as prom-client's default metrics
   * expose it on /metrics (process_cpu_user/system_seconds_total, read with the bearer token this
   * harness gives the process). Finer than /proc's 10-ms ticks; costs the server one scrape.
   */
  cpuUsage(): Promise<{ user: number; system: number }>;
  /** The cores it was pinned to (`taskset -c`), if any. */
  cores: number[] | undefined;
  stop(): Promise<void>;
}

const PROBE = path.join(__dirname, "memory-probe.ts");

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
/** Whatever happens to the runner, no server child outlives it. */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => { for (const c of live) { try { c.kill("SIGKILL"); } catch { /* gone */ } } });
}

export async function startServerProcess(opts: {
  port: number; env?: Record<string, string>; nodeArgs?: string[]; logFile?: string;
  /** Start with --expose-gc and ./memory-probe.ts over an IPC channel, for `memory()`. */
  memoryProbe?: boolean;
  /** Pin the process to these cores (`taskset -c`; check them first with harness/cpu-pinning.ts). */
  cores?: number[];
}): Promise<ServerProcess> {
  installExitHook();
  // Its battles are durable; keep them out of ./data (which `npm start` would resume).
  const ownDataDir = opts.env?.DATA_DIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "tb-load-"));
  const env = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(opts.port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    IDLE_TIMEOUT_SEC: "3600",
    SERVE_CLIENT: "false",
    ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}),
    // the bots play at machine speed; human-scale rate limits would refuse them (docs/security.md)
    ...MACHINE_SPEED_LIMITS,
    AUDIT_LOG_FILE: "",
    // /metrics is off in production without a token: this one lets the harness read the CPU figures
    METRICS_TOKEN: randomBytes(24).toString("hex"),
    ...opts.env,
  };
  const probeArgs = opts.memoryProbe ? ["--expose-gc", "--import", "tsx", "--import", PROBE] : ["--import", "tsx"];
  const cmd = pinnedCommand(opts.cores, process.execPath, [...(opts.nodeArgs ?? []), ...probeArgs, "src/index.ts"]);
  const child = spawn(cmd.file, cmd.args, {
    cwd: ROOT, env, stdio: opts.memoryProbe ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const lines: string[] = [];
  const log = opts.logFile ? fs.createWriteStream(opts.logFile) : undefined;
  const onData = (buf: Buffer) => {
    log?.write(buf);
    for (const l of buf.toString().split("\n")) if (l.trim()) lines.push(l);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  let stopping = false;
  let queries = 0;
  const proc: ServerProcess = {
    child, pid: child.pid!, port: opts.port, crashed: undefined, exited: false, cores: opts.cores,
    tail: () => lines.slice(-40),
    memory: ({ gc = true, timeoutMs = 30_000 } = {}) => new Promise<MemoryReply>((resolve, reject) => {
      if (!opts.memoryProbe || !child.connected) { reject(new Error("the server was not started with memoryProbe, or has exited")); return; }
      const id = ++queries;
      const onMessage = (m: MemoryReply) => { if (m?.type === "memory" && m.id === id) { done(); resolve(m); } };
      const timer = setTimeout(() => { done(); reject(new Error(`no memory reply within ${timeoutMs} ms`)); }, timeoutMs);
      const done = () => { clearTimeout(timer); child.off("message", onMessage); };
      child.on("message", onMessage);
      child.send({ type: "memory?", id, gc } satisfies MemoryQuery);
    }),
    cpuUsage: () => scrapeCpu(opts.port, env.METRICS_TOKEN),
    stop: async () => {
      stopping = true;
      if (proc.exited) return;
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
      await gone;
      clearTimeout(timer);
    },
  };
  child.once("exit", (code, signal) => {
    proc.exited = true;
    live.delete(child);
    log?.end();
    if (ownDataDir) fs.rmSync(ownDataDir, { recursive: true, force: true });
    if (!stopping) proc.crashed = { code, signal };
  });
  await waitHealthy(proc, 30_000);
  if (opts.cores) {
    // taskset exec'd node in place: the pid is the server's, and its affinity must be what was asked
    const got = affinityOf(proc.pid);
    if (formatCores(got) !== formatCores(opts.cores)) {
      await proc.stop();
      throw new Error(`the server runs on core ${formatCores(got)}, not ${formatCores(opts.cores)} as asked`);
    }
  }
  return proc;
}

async function waitHealthy(proc: ServerProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exited) throw new Error(`server exited during start-up:\n${proc.tail().join("\n")}`);
    try {
      const res = await fetch(`http://127.0.0.1:${proc.port}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  await proc.stop();
  throw new Error(`server did not answer /health within ${timeoutMs} ms:\n${proc.tail().join("\n")}`);
}

/** process_cpu_user_seconds_total and process_cpu_system_seconds_total from /metrics, in µs. */
async function scrapeCpu(port: number, token: string): Promise<{ user: number; system: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const read = (name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text);
    if (!m) throw new Error(`/metrics has no ${name}`);
    return Math.round(Number(m[1]) * 1e6);
  };
  return { user: read("process_cpu_user_seconds_total"), system: read("process_cpu_system_seconds_total") };
}

const CLK_TCK = 100; // USER_HZ on every Linux we run on (getconf CLK_TCK)

/** CPU time (ms, user+system) and RSS (MB) of a process from /proc; undefined when gone. */
export function readProc(pid: number): { cpuMs: number; rssMb: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state); utime is field 14, stime field 15
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return { cpuMs, rssMb: m ? Number(m[1]) / 1024 : 0 };
  } catch {
    return undefined;
  }
}

/** Samples CPU % (of one core) and RSS of a process: call `sample()` once a second. */
export class ProcSampler {
  private last?: { cpuMs: number; at: number };
  constructor(readonly pid: number) {
    const r = readProc(pid);
    if (r) this.last = { cpuMs: r.cpuMs, at: performance.now() };
  }
  sample(): { cpuPct: number; rssMb: number } | undefined {
    const r = readProc(this.pid);
    if (!r) return undefined;
    const now = performance.now();
    const cpuPct = this.last ? ((r.cpuMs - this.last.cpuMs) / (now - this.last.at)) * 100 : 0;
    this.last = { cpuMs: r.cpuMs, at: now };
    return { cpuPct: Math.max(0, cpuPct), rssMb: r.rssMb };
  }
}
