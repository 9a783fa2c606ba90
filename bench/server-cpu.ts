// Server CPU, measured where it is spent: per accepted command of full battles, and per connected
// idle client per second. The server is a child process (harness/server-process.ts, durable log on
// disk as `npm start` without Redis), pinned to its own core when taskset and a second core exist,
// the bots on the other(s); its CPU is its own `process.cpuUsage()` read from /metrics, so the
// bots' CPU is never counted as the server's (it is reported beside it).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@colyseus/sdk";
import { runLoadtest } from "../loadtest/lib/runner";
import { DEFAULT_PLAN, shipsFor } from "../loadtest/lib/plan";
import { onlineCores, pinThisProcess, planPinning, PinningError, type Pinning } from "../harness/cpu-pinning";
import { startServerProcess } from "../harness/server-process";
import { freePort } from "../harness/ports";
import { SeatClient } from "../harness/seat-client";
import { ALL_ROLES } from "../harness/battles";

export interface ServerCpuOptions {
  /** Accepted commands to measure over (after every battle is open). */
  commands: number;
  /** Concurrent full battles (GM + 5 players, 5 player ships + 10 NPC ships). */
  battles: number;
  thinkMs: number;
  /** Upper bound of the command phase, in seconds: it stops there even short of `commands`. */
  maxSec: number;
  /** Clients connected and silent in the idle phase (GM + 5 players per battle, battles started). */
  idleClients: number;
  /** Length of each idle window (the baseline with no client, then with the clients), seconds. */
  idleSec: number;
  /**
   * Seconds of quiet before each idle window, after the warm-up battles and after the joins: once
   * allocation stops V8 keeps collecting the garbage left behind for tens of seconds (the memory
   * reducer's full GCs: measured in 10-s windows after 600 joins, 14.6, 12.9, then 36.1 ms/s at
   * 20–30 s, then a steady 9–10), a cost of the joins, not of a client staying connected.
   */
  idleSettleSec: number;
  /** Server cores; undefined: the first available core when there are two or more, else unpinned. */
  serverCores?: number[];
  /** Do not pin at all. */
  noPin?: boolean;
  /** Settings for the server processes of both phases (`--server-env PING_INTERVAL_MS=1000`), as environment variables. */
  serverEnv?: Record<string, string>;
}

export const DEFAULT_SERVER_CPU: ServerCpuOptions = { commands: 10_000, battles: 50, thinkMs: 250, maxSec: 180, idleClients: 600, idleSec: 30, idleSettleSec: 45 };

export interface ServerCpuResult {
  /** Cores used (taskset), or null when not pinned (and why). */
  pinning: Pinning | null;
  pinningNote?: string;
  /** Server settings this run changed from their defaults (`--server-env`). */
  serverEnv: Record<string, string>;
  loadAverage: number[];
  perCommand: {
    battles: number; clientsPerBattle: number; shipsPerBattle: number; thinkMs: number; durableLog: "disk";
    /** false when `maxSec` ran out before `commands` were acked in the window. */
    complete: boolean;
    windowSec: number; acked: number; lost: number; joinsFailed: number;
    serverUsPerCommand: number; serverCpuPct: number;
    botsUsPerCommand: number; botsCpuPct: number;
  };
  idleClient: {
    clients: number; battles: number; windowSec: number; settleSec: number;
    baselineServerUsPerSec: number; withClientsServerUsPerSec: number;
    /** (with clients − baseline) / clients. */
    serverUsPerClientPerSec: number;
    botsUsPerSec: number;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The default pinning: server on the first available core, bots on the rest; none on one core or without taskset. */
function choosePinning(o: ServerCpuOptions): { pinning: Pinning | null; note?: string } {
  if (o.noPin) return { pinning: null, note: "not pinned (--no-pin)" };
  if (o.serverCores) return { pinning: planPinning(o.serverCores) };
  try {
    const allowed = onlineCores();
    if (allowed.length < 2) return { pinning: null, note: `not pinned: only core ${allowed.join(",")} available` };
    return { pinning: planPinning([allowed[0]!], allowed) };
  } catch (err) {
    if (err instanceof PinningError) return { pinning: null, note: `not pinned: ${err.message}` };
    throw err;
  }
}

async function commandPhase(o: ServerCpuOptions, pinning: Pinning | null): Promise<ServerCpuResult["perCommand"]> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "tb-bench-cpu-"));
  try {
    const plan = { ...DEFAULT_PLAN, thinkMs: o.thinkMs };
    const r = await runLoadtest({
      name: "bench-server-cpu", battles: o.battles, plan, durationSec: o.maxSec, stopAfterAcked: o.commands,
      serverCpus: pinning?.server, progress: false, outDir, serverEnv: o.serverEnv ?? {},
    });
    if (r.server.crashed) throw new Error(`the server crashed:\n${r.server.crash?.tail.join("\n")}`);
    const c = r.cpuPerCommand;
    if (!c) throw new Error(`the battles were not all open within ${o.maxSec} s: no CPU window`);
    const { ships } = shipsFor(plan);
    return {
      battles: o.battles, clientsPerBattle: r.config.clientsPerBattle, shipsPerBattle: ships.length, thinkMs: o.thinkMs, durableLog: "disk",
      complete: c.acked >= o.commands, windowSec: c.windowSec, acked: c.acked, lost: r.commands.lost, joinsFailed: r.joins.failed,
      serverUsPerCommand: c.serverUsPerAcked, serverCpuPct: c.serverCpuPct, botsUsPerCommand: c.botsUsPerAcked, botsCpuPct: c.botsCpuPct,
    };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/** Opens one battle (GM + 5 players seated, started) and leaves its six clients connected and silent. */
async function idleBattle(endpoint: string, n: number): Promise<SeatClient[]> {
  const sdk = new Client(endpoint);
  const { ships } = shipsFor(DEFAULT_PLAN);
  const gm = new SeatClient(await sdk.create("battle", { name: `Idle ${n}`, ruleset: "ce", startingRange: "short", turnTimeoutSec: 600, ships, gmName: `GM ${n}` }), `idle-gm-${n}`);
  await gm.seated(30_000);
  const all = [gm];
  for (let k = 1; k <= 5; k++) {
    const p = new SeatClient(await sdk.joinById(gm.room.roomId, { name: `Player ${n}.${k}`, shipId: `p${k}`, positions: ALL_ROLES }), `idle-p${n}.${k}`);
    await p.seated(30_000);
    all.push(p);
  }
  const start = await gm.command("gm:start");
  if (start.kind !== "ack") throw new Error(`gm:start refused: ${JSON.stringify(start.error)}`);
  return all;
}

async function idlePhase(o: ServerCpuOptions, pinning: Pinning | null): Promise<ServerCpuResult["idleClient"]> {
  const server = await startServerProcess({ port: await freePort(), cores: pinning?.server, env: { LOG_LEVEL: "error", ...o.serverEnv } });
  const clients: SeatClient[] = [];
  try {
    // server CPU per second over `idleSec` from now (and this process's, the bots')
    const window = async () => {
      const a = await server.cpuUsage();
      const b = process.cpuUsage();
      const t = performance.now();
      await sleep(o.idleSec * 1000);
      const a2 = await server.cpuUsage();
      const b2 = process.cpuUsage(b);
      const sec = (performance.now() - t) / 1000;
      return { sec, serverUsPerSec: (a2.user + a2.system - a.user - a.system) / sec, botsUsPerSec: (b2.user + b2.system) / sec };
    };
    const endpoint = `ws://127.0.0.1:${server.port}`;
    // Warm-up: the join and start paths compiled, as they are in a server that has run a while;
    // those battles stay open without clients in both windows (their seats are kept), so they
    // are part of the baseline, not of the clients' figure.
    const warm = (await Promise.all([1, 2, 3, 4].map((k) => idleBattle(endpoint, 1000 + k)))).flat();
    await Promise.all(warm.map((c) => c.room.leave().catch(() => undefined)));
    await sleep(o.idleSettleSec * 1000);
    const baseline = await window();
    const battles = Math.ceil(o.idleClients / 6);
    // a few battles at a time: the join path is measured by the command phase, not here
    for (let i = 0; i < battles; i += 8) {
      const opened = await Promise.all(Array.from({ length: Math.min(8, battles - i) }, (_, j) => idleBattle(endpoint, i + j + 1)));
      clients.push(...opened.flat());
    }
    await sleep(o.idleSettleSec * 1000);
    const busy = await window();
    if (server.crashed) throw new Error(`the server crashed:\n${server.tail().join("\n")}`);
    const round1 = (x: number) => Math.round(x * 10) / 10;
    return {
      clients: clients.length, battles, windowSec: round1(busy.sec), settleSec: o.idleSettleSec,
      baselineServerUsPerSec: Math.round(baseline.serverUsPerSec), withClientsServerUsPerSec: Math.round(busy.serverUsPerSec),
      serverUsPerClientPerSec: round1((busy.serverUsPerSec - baseline.serverUsPerSec) / clients.length),
      botsUsPerSec: Math.round(busy.botsUsPerSec),
    };
  } finally {
    await Promise.race([Promise.all(clients.map((c) => c.room.leave().catch(() => undefined))), sleep(10_000)]);
    await server.stop();
  }
}

export async function benchServerCpu(o: ServerCpuOptions): Promise<ServerCpuResult> {
  const { pinning, note } = choosePinning(o);
  // the command phase pins this process too (runLoadtest); the idle phase's clients live here
  if (pinning) pinThisProcess(pinning.bots);
  const perCommand = await commandPhase(o, pinning);
  const idleClient = await idlePhase(o, pinning);
  return { pinning, ...(note ? { pinningNote: note } : {}), serverEnv: o.serverEnv ?? {}, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100), perCommand, idleClient };
}
