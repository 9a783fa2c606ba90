// Pinning the server under test and the load generator to separate cores with `taskset`
// (util-linux), so the server's CPU figures are not mixed with the bots' and the bots cannot
// steal the server's core. Used by the load runner's --server-cpu and by `npm run bench`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** The refusal given to the user as is (the runner maps it to exit code 2). */
export class PinningError extends Error {}

export interface Pinning {
  /** Cores the server process(es) run on. */
  server: number[];
  /** Every other core this process may use: the runner, its bot workers and redis-server. */
  bots: number[];
}

/** "0", "0,2", "0-3,6": the taskset list format. Throws PinningError on anything else. */
export function parseCoreList(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^\s*(\d{1,4})(?:\s*-\s*(\d{1,4}))?\s*$/.exec(part);
    if (!m) throw new PinningError(`--server-cpu: '${text}' is not a core list (e.g. 0 or 0,1 or 0-1)`);
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a) throw new PinningError(`--server-cpu: '${part.trim()}' is an empty range`);
    for (let c = a; c <= b; c++) out.add(c);
  }
  return [...out].sort((x, y) => x - y);
}

export const formatCores = (cores: number[]) => cores.join(",");

function taskset(args: string[]): string {
  try {
    return execFileSync("taskset", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new PinningError("--server-cpu needs taskset (util-linux), which is not installed here");
    throw new PinningError(`taskset ${args.join(" ")} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** The cores a process may run on now (`taskset -p -c`). */
export function affinityOf(pid: number): number[] {
  const out = taskset(["-p", "-c", String(pid)]);
  const m = /list:\s*(.+)\s*$/.exec(out.trim());
  if (!m) throw new PinningError(`cannot read the affinity list from taskset: '${out.trim()}'`);
  return parseCoreList(m[1]!);
}

/**
 * The cores that exist: the machine's online cores (/sys/devices/system/cpu/online), or this
 * process's affinity list where that file cannot be read. Not the affinity alone: once the runner
 * has pinned itself to the bots' cores, the server's core must still count as existing.
 */
export function onlineCores(): number[] {
  if (process.platform !== "linux") throw new PinningError(`--server-cpu uses taskset, which is Linux only (this is ${process.platform})`);
  let online: string | undefined;
  try { online = fs.readFileSync("/sys/devices/system/cpu/online", "utf8").trim(); } catch { /* not mounted */ }
  // taskset is checked either way: without it nothing can be pinned
  const fallback = affinityOf(process.pid);
  return online ? parseCoreList(online) : fallback;
}

/**
 * Checks a requested server core list against the cores this process may use: every core must
 * exist (be allowed), and at least one must be left for the bots. Throws PinningError, saying why.
 */
export function planPinning(serverCores: number[], allowed = onlineCores()): Pinning {
  if (serverCores.length === 0) throw new PinningError("--server-cpu: no core given");
  const missing = serverCores.filter((c) => !allowed.includes(c));
  if (missing.length) {
    throw new PinningError(`--server-cpu: core ${formatCores(missing)} does not exist or is not available to this process (available: ${formatCores(allowed)})`);
  }
  const bots = allowed.filter((c) => !serverCores.includes(c));
  if (bots.length === 0) {
    throw new PinningError(`--server-cpu: ${formatCores(serverCores)} leaves no core for the load generator (available: ${formatCores(allowed)})`);
  }
  return { server: serverCores, bots };
}

/**
 * Pins every thread of this process to `cores`. Processes forked or spawned afterwards (bot
 * workers, redis-server) inherit the affinity; the server is spawned through `taskset -c` instead.
 */
export function pinThisProcess(cores: number[]) {
  taskset(["-a", "-p", "-c", formatCores(cores), String(process.pid)]);
}

/** The command line that starts `file args` on `cores` (taskset execs it: the pid stays the same). */
export function pinnedCommand(cores: number[] | undefined, file: string, args: string[]): { file: string; args: string[] } {
  return cores ? { file: "taskset", args: ["-c", formatCores(cores), file, ...args] } : { file, args };
}
