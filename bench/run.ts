// `npm run bench`: rules throughput (attack resolution, one full round), command -> patch
// latency for one full battle over loopback, and the server's CPU per accepted command and per
// idle connected client (bench/server-cpu.ts). Writes bench/results.json and prints a table.
//
//   npm run bench [-- --persist disk|redis|off] [--engine] [--cpu-only | --skip-cpu]
//                 [--commands N] [--battles N] [--think-ms MS] [--max-sec S] [--idle-clients N] [--idle-sec S] [--idle-settle-sec S]
//                 [--server-env NAME=VALUE ...]
//                 [--server-cpu LIST | --no-pin] [--out FILE]
import "../src/server/polyfills";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createBattle, apply, activeShipId } from "../src/engine";
import type { Actor, BattleSetup, Command } from "../src/engine/types";
import type { Battle } from "../src/rules/model";
import { turnStamp } from "../src/commands";
import { createDice } from "../src/rules/dice";
import { summarise, type Summary } from "./stats";
import { startServer } from "../harness/server";
import { startRedis } from "../harness/redis-server";
import { SeatClient } from "../harness/seat-client";
import { ALL_ROLES } from "../harness/battles";
import { firstEnemy } from "../harness/play";
import { benchServerCpu, DEFAULT_SERVER_CPU, type ServerCpuOptions, type ServerCpuResult } from "./server-cpu";
import { parseCoreList, planPinning, PinningError } from "../harness/cpu-pinning";

const SETUP: BattleSetup = {
  ruleset: "ce",
  startingRange: "short",
  ships: [
    ...Array.from({ length: 5 }, (_, i) => ({ side: "players" as const, name: `P${i + 1}`, className: "patrolCorvette" })),
    ...Array.from({ length: 10 }, (_, i) => ({ side: "npc" as const, name: `N${i + 1}`, className: "corsair" })),
  ],
};

function startedBattle(seed: number): { battle: Battle; dice: ReturnType<typeof createDice> } {
  const battle = createBattle(SETUP);
  const dice = createDice(seed);
  const r = apply(battle, { kind: "gm" }, { type: "start" }, dice);
  if (!r.ok) throw new Error(`start refused: ${r.message}`);
  return { battle, dice };
}

/** The commands one ship's crew sends on its turn: every weapon at the first enemy, then end turn. */
function turnCommands(battle: Battle, shipId: string): { actor: Actor; cmd: Command }[] {
  const ship = battle.ships[shipId];
  const actor: Actor = ship.side === "npc" ? { kind: "gm" } : { kind: "crew", shipId, roles: ["pilot", "gunner", "engineer", "captain", "sensors"] };
  const target = Object.values(battle.ships).find((s) => s.side !== ship.side && !s.destroyed && !s.escaped);
  const out: { actor: Actor; cmd: Command }[] = [];
  if (target) {
    for (const t of ship.turrets) {
      if (t.weapon === "sandcaster") continue;
      out.push({ actor, cmd: t.weapon === "missileRack"
        ? { type: "launchMissile", shipId, turretId: t.id, targetId: target.id, missile: "smart" }
        : { type: "fire", shipId, turretId: t.id, targetId: target.id } });
    }
  }
  out.push({ actor, cmd: { type: "endTurn", shipId } });
  return out;
}

function benchAttacks(iterations: number): Summary {
  const { battle, dice } = startedBattle(1);
  const samples: number[] = [];
  const wall = performance.now();
  for (let i = 0; i < iterations; i++) {
    const b: Battle = structuredClone(battle);
    const shooter = activeShipId(b)!;
    const cmd = turnCommands(b, shooter).find((c) => c.cmd.type === "fire" || c.cmd.type === "launchMissile")!;
    const t0 = performance.now();
    apply(b, cmd.actor, cmd.cmd, dice);
    samples.push(performance.now() - t0);
  }
  return summarise(samples, samples.reduce((a, b) => a + b, 0) || performance.now() - wall);
}

function benchRounds(iterations: number): Summary {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const { battle, dice } = startedBattle(1000 + i);
    const round = battle.round;
    const t0 = performance.now();
    while (battle.round === round && battle.phase === "combat") {
      for (const { actor, cmd } of turnCommands(battle, activeShipId(battle)!)) apply(battle, actor, cmd, dice);
    }
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

/**
 * Where accepted commands are logged before their ack (`--persist`): `disk` (what `npm start`
 * does without Redis, the default), `redis` (a real redis-server with AOF) or `off`.
 */
type PersistMode = "disk" | "redis" | "off";
function persistMode(): PersistMode {
  const i = process.argv.indexOf("--persist");
  const v = i >= 0 ? process.argv[i + 1] : "disk";
  if (v !== "disk" && v !== "redis" && v !== "off") throw new Error("--persist must be disk, redis or off");
  return v;
}

async function benchLatency(turns: number, mode: PersistMode): Promise<Summary & { clients: number; commands: number }> {
  // --redis-fsync everysec: Redis's AOF fsync once a second instead of on every write (docs/scaling.md).
  const fsync = process.argv.includes("--redis-fsync") ? process.argv[process.argv.indexOf("--redis-fsync") + 1] : "always";
  if (fsync !== "always" && fsync !== "everysec") throw new Error("--redis-fsync must be always or everysec");
  const redis = mode === "redis" ? await startRedis({ appendfsync: fsync }) : undefined;
  const server = await startServer({ LOG_LEVEL: "error", ...(mode === "off" ? { PERSIST: "false" } : {}), ...(redis ? { REDIS_URL: redis.url } : {}) });
  try {
    const gmRoom = await server.sdk().create("battle", { name: "bench", ...SETUP, turnTimeoutSec: 600 });
    const gm = new SeatClient(gmRoom, "gm");
    await gm.seated();
    const players: SeatClient[] = [];
    for (let i = 1; i <= 5; i++) {
      const c = new SeatClient(await server.sdk().joinById(gmRoom.roomId, { name: `P${i}`, shipId: `p${i}`, positions: ALL_ROLES }), `p${i}`);
      await c.seated();
      players.push(c);
    }
    const all = [gm, ...players];
    // When each client first decodes each state version.
    const seenAt = all.map(() => new Map<number, number>());
    all.forEach((c, i) => c.room.onStateChange((s: any) => { if (!seenAt[i].has(s.version)) seenAt[i].set(s.version, performance.now()); }));
    await gm.command("gm:start");
    const samples: number[] = [];
    let commands = 0;
    for (let t = 0; t < turns && gm.state.phase === "combat"; t++) {
      const s = gm.state;
      const shipId: string = s.activeShipId;
      const ship = s.ships.get(shipId);
      const v = turnStamp(s);
      const acting = ship.side === "npc" ? gm : players[Number(shipId.slice(1)) - 1];
      const target = firstEnemy(s, ship.side);
      const cmds: [string, Record<string, unknown>][] = [];
      const turret = ship.turrets?.find((x: any) => x.weapon !== "sandcaster" && x.weapon !== "missileRack");
      if (turret && target) cmds.push(["fire", { turretId: turret.id, targetId: target }]);
      cmds.push(["endTurn", {}]);
      for (const [type, payload] of cmds) {
        const sentAt = performance.now();
        const reply = ship.side === "npc"
          ? await acting.command("gm:act", { shipId, v, command: { type, ...payload } })
          : await acting.command(`space:${type}`, { ...payload, v });
        commands++;
        if (reply.kind !== "ack") continue;
        const version = reply.ack.version;
        await Promise.all(all.map((c) => c.until((st) => st.version >= version, 5000)));
        for (const m of seenAt) {
          const at = [...m.entries()].find(([ver]) => ver >= version)?.[1];
          if (at !== undefined) samples.push(Math.max(0, at - sentAt));
        }
      }
    }
    await Promise.all(all.map((c) => c.room.leave()));
    return { ...summarise(samples), clients: all.length, commands };
  } finally {
    await server.close();
    await redis?.close();
  }
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function intFlag(name: string, def: number, min: number, max: number): number {
  const v = flag(name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}`);
  return n;
}

/** The server-CPU bench's bounds: ≥ 10,000 commands over 50 full battles, 600 idle clients, by default. */
function serverCpuOptions(): ServerCpuOptions {
  const d = DEFAULT_SERVER_CPU;
  const cores = flag("server-cpu");
  return {
    commands: intFlag("commands", d.commands, 1, 1_000_000),
    battles: intFlag("battles", d.battles, 1, 1000),
    thinkMs: intFlag("think-ms", d.thinkMs, 0, 10_000),
    maxSec: intFlag("max-sec", d.maxSec, 5, 3600),
    idleClients: intFlag("idle-clients", d.idleClients, 6, 6000),
    idleSec: intFlag("idle-sec", d.idleSec, 1, 600),
    idleSettleSec: intFlag("idle-settle-sec", d.idleSettleSec, 0, 600),
    // planPinning refuses a core that does not exist now rather than after the other parts
    serverCores: cores !== undefined ? planPinning(parseCoreList(cores)).server : undefined,
    noPin: process.argv.includes("--no-pin"),
    serverEnv: serverEnv(),
  };
}

/** `--server-env NAME=VALUE`, repeatable: a server setting (src/server/config.ts) for the measured servers. */
function serverEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  process.argv.forEach((a, i) => {
    if (a !== "--server-env") return;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(process.argv[i + 1] ?? "");
    if (!m) throw new Error("--server-env takes NAME=VALUE (a server setting, e.g. PING_INTERVAL_MS=1000)");
    env[m[1]!] = m[2]!;
  });
  return env;
}

function serverCpuReport(c: ServerCpuResult): string[] {
  const p = c.perCommand;
  const i = c.idleClient;
  const pin = c.pinning ? `server on core ${c.pinning.server.join(",")}, bots on ${c.pinning.bots.join(",")} (taskset)` : c.pinningNote ?? "not pinned";
  return [
    `Server CPU (server process's own process.cpuUsage(); ${pin}; load average ${c.loadAverage.join(" ")}${Object.keys(c.serverEnv).length ? `; server settings ${Object.entries(c.serverEnv).map(([k, v]) => `${k}=${v}`).join(" ")}` : ""}):`,
    "",
    "| figure | server | load generator (beside it) |",
    "|---|---|---|",
    `| CPU per accepted command: ${p.acked} commands in ${p.windowSec} s, ${p.battles} full battles (${p.clientsPerBattle} clients, ${p.shipsPerBattle} ships each, think ${p.thinkMs} ms, durable log on ${p.durableLog})${p.complete ? "" : " INCOMPLETE: time bound reached"} | **${p.serverUsPerCommand} µs** (${p.serverCpuPct} % of a core) | ${p.botsUsPerCommand} µs (${p.botsCpuPct} %) |`,
    `| idle connected client: ${i.clients} clients in ${i.battles} started battles, ${i.windowSec} s, no commands, ${i.settleSec} s after the joins | **${i.serverUsPerClientPerSec} µs per client per s** (${i.withClientsServerUsPerSec} µs/s with them, ${i.baselineServerUsPerSec} µs/s baseline with none) | ${i.botsUsPerSec} µs/s |`,
    "",
    ...(p.lost || p.joinsFailed ? [`WARNING: ${p.lost} command(s) lost, ${p.joinsFailed} join(s) failed in the command phase`, ""] : []),
  ];
}

async function main() {
  const out = flag("out") !== undefined ? path.resolve(flag("out")!) : path.join(__dirname, "results.json");
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version };
  // read (and refused) before anything runs, not after the engine and latency parts
  const cpuOptions = serverCpuOptions();
  // --cpu-only: the server-CPU figures alone (the bench's test runs this with tiny counts)
  if (process.argv.includes("--cpu-only")) {
    const serverCpu = await benchServerCpu(cpuOptions);
    fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine, serverCpu }, null, 2));
    console.log([...serverCpuReport(serverCpu), `written to ${path.relative(process.cwd(), out)}`].join("\n"));
    if (!serverCpu.perCommand.complete) process.exitCode = 1;
    return;
  }
  const attacks = benchAttacks(20_000);
  const rounds = benchRounds(300);
  // --engine: the two pure engine figures only (no server, no clients, nothing written).
  if (process.argv.includes("--engine")) {
    console.log(JSON.stringify({ attackResolution: attacks, fullRound: { ...rounds, ships: SETUP.ships.length } }, null, 2));
    return;
  }
  const persist = persistMode();
  const latency = await benchLatency(300, persist);
  // last: it pins this process to the bots' cores (bench/server-cpu.ts)
  const serverCpu = process.argv.includes("--skip-cpu") ? undefined : await benchServerCpu(cpuOptions);
  const results = {
    at: new Date().toISOString(),
    machine,
    attackResolution: attacks,
    fullRound: { ...rounds, ships: SETUP.ships.length },
    commandToPatchMs: { ...latency, persist },
    ...(serverCpu ? { serverCpu } : {}),
  };
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  const row = (name: string, s: Summary, unit: string) =>
    `| ${name} | ${s.n} | ${s.opsPerSec.toLocaleString("en")} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${unit} |`;
  console.log([
    `Traveller Battles benchmark (${results.machine.cpus} cores, ${results.machine.cpu}, Node ${process.version})`,
    "",
    "| benchmark | samples | ops/s | p50 | p95 | p99 | max | unit |",
    "|---|---|---|---|---|---|---|---|",
    row("attack resolution (engine apply)", attacks, "ms"),
    row(`full round (${SETUP.ships.length} ships)`, rounds, "ms"),
    `| command -> patch, ${latency.clients} clients over loopback (log: ${persist}) | ${latency.n} | – | ${latency.p50} | ${latency.p95} | ${latency.p99} | ${latency.max} | ms |`,
    "",
    ...(serverCpu ? serverCpuReport(serverCpu) : []),
    `written to ${path.relative(process.cwd(), out)}`,
  ].join("\n"));
  if (serverCpu && !serverCpu.perCommand.complete) process.exitCode = 1;
}

main().then(() => process.exit(process.exitCode ?? 0), (err) => { console.error(err instanceof PinningError ? err.message : err); process.exit(1); });
