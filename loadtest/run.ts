// Headless load runner. Spawns the server on loopback, drives N battles of bots, reports.
//
//   npm run loadtest -- --battles 10 --players 5 --npc 10 --duration 60 [--think-ms 250]
//                       [--latency 500 --jitter 50 --loss 5] [--ruleset ce|mgt2e] [--name NAME] [--port P]
//                       [--fail-on-loss] [--fail-on-join-failure] [--max-p99 MS] [--cpu-prof]
//   npm run loadtest -- --players 2 --npc 0 ...            1v1: one player vs one GM-acted ship
//   npm run loadtest -- --capacity 10,50,100,250,500,1000 --duration 30 --name capacity
//   npm run loadtest -- --battles 100 --processes 2 --redis     two processes on one real Redis
//   npm run loadtest -- --battles 50 --server-cpu 0 --bot-workers 2   server on core 0, bots on the rest
//   npm run loadtest -- --battles 50 --server-cpu 0 --decode-sample 0.1   only 1 battle in 10 decodes at every client
//   npm run loadtest -- --battles 50 --server-cpu 0 --server-node-args=--single-threaded-gc   flags for the server process
//
// Writes loadtest/results/<name>.{json,md,svg}. Exit 0 when the pass criteria held, 1 otherwise,
// 2 on bad arguments. The server child is always killed on exit.
import "../src/server/polyfills";
import fs from "node:fs";
import path from "node:path";
import { runLoadtest, DEFAULT_RUN, type RunOptions, type RunResult } from "./lib/runner";
import { DEFAULT_PLAN, validatePlan, type BattlePlan } from "./lib/plan";
import { writeReports, commandLine, cpuPerCommandLine } from "./lib/report";
import { parseCoreList, planPinning, PinningError } from "../harness/cpu-pinning";

const USAGE = `usage: npm run loadtest -- [options]
  --battles N            concurrent battles (tables), default 10
  --players N            seated players per battle, 1..5 (default 5); with --npc 0: must be 2 (1v1 mode)
  --npc N                NPC ships per battle acted by the GM, 0..10 (default 10; 0 = 1v1 mode)
  --duration S           seconds of load (default 60)
  --think-ms MS          mean pause before each command (default 250; ±50 %)
  --ruleset ce|mgt2e     (default ce)
  --player-ships a,b     player ship classes, cycled (default patrolCorvette)
  --npc-ships a,b        NPC ship classes, cycled (default fighter,fighter,corsair)
  --max-rounds N         the GM ends a battle as a draw after N rounds and opens a new one (default 40)
  --latency MS --jitter MS --loss PCT   route clients through the netsim proxy (harness/netsim.ts)
  --name NAME            report name (default loadtest)
  --port P               server port (default: a free one)
  --grace S              seconds for in-flight commands to be answered after the stop (default 5)
  --join-concurrency N   concurrent create/join requests while ramping up (default 16)
  --fail-on-loss         exit 1 if any command was never answered
  --fail-on-join-failure exit 1 if any join failed
  --max-p99 MS           exit 1 if the command→patch p99 exceeds MS
  --cpu-prof             run the server with --cpu-prof (profile in loadtest/results/<name>.cpuprofile/)
  --capacity a,b,c       capacity mode: one run per battle count (each --duration s, fresh server),
                         stopping once p99 > --capacity-p99 (default 100 ms) or a join fails
  --quiet                no progress lines
  --redis                start a real redis-server (free loopback port) and give every server REDIS_URL
  --bot-workers N        run the bots in N forked worker processes (default 1: in the runner itself);
                         a battle's clients stay in one process, so latency is measured on one clock
  --processes N          N server processes sharing that Redis (needs --redis); each new client enters
                         through the next process, so the matchmaker routes GM and players across them
  --server-cpu LIST      pin the server process(es) to these cores (taskset list: 0 or 0,1 or 0-1) and
                         the runner, its bot workers and redis-server to every other core; refused
                         where taskset is missing, a core does not exist or no core is left for the bots.
                         The report gives server CPU per acked command (and the bots' beside it)
  --heap-every S         every S seconds, each server's live heap after a forced full GC (the soak's flat-heap
                         check; each sample pauses the server for the collection); 0 = never (default)
  --server-node-args=F   Node/V8 flags for the server process(es), comma-separated (e.g.
                         --server-node-args=--single-threaded-gc,--max-semi-space-size=32)
  --decode-sample F      fraction of battles (0 < F <= 1, default 1) whose every client decodes the state with the
                         SDK; in the others only the GM decodes and the players receive and count every frame
                         undecoded, deciding from their GM's state (a cheaper load generator; see docs/performance.md)`;

type Args = Record<string, string | true>;

export function parseArgs(argv: string[]): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) throw new UsageError(`unexpected argument '${a}'`);
    const eq = a.indexOf("=");
    if (eq > 0) { out[a.slice(2, eq)] = a.slice(eq + 1); continue; }
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) { out[key] = next; i++; } else out[key] = true;
  }
  return out;
}

class UsageError extends Error {}

/** One Node/V8 flag, optionally with a plain value: nothing a shell or a second argument could hide in. */
const NODE_FLAG = /^--[a-z][a-z0-9-]*(=[A-Za-z0-9_.:-]+)?$/;

const KNOWN = new Set(["battles", "players", "npc", "duration", "think-ms", "ruleset", "player-ships", "npc-ships", "max-rounds", "latency", "jitter", "loss",
  "name", "port", "grace", "join-concurrency", "fail-on-loss", "fail-on-join-failure", "max-p99", "cpu-prof", "capacity", "capacity-p99", "quiet",
  "processes", "redis", "bot-workers", "help", "turn-timeout", "server-cpu", "decode-sample", "server-node-args", "heap-every"]);

function num(a: Args, key: string, def: number, min: number, max: number): number {
  const v = a[key];
  if (v === undefined) return def;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${key} must be a number in ${min}..${max}`);
  return n;
}

export function optionsFromArgs(a: Args): { run: Partial<RunOptions> & { plan: BattlePlan }; capacity?: number[]; capacityP99: number } {
  for (const k of Object.keys(a)) if (!KNOWN.has(k)) throw new UsageError(`unknown option --${k}`);
  const ruleset = (a.ruleset ?? "ce") as string;
  if (ruleset !== "ce" && ruleset !== "mgt2e") throw new UsageError("--ruleset must be ce or mgt2e");
  const list = (v: string | true | undefined, def: string[]) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : def);
  const plan: BattlePlan = {
    ...DEFAULT_PLAN,
    players: num(a, "players", DEFAULT_PLAN.players, 1, 5),
    npc: num(a, "npc", DEFAULT_PLAN.npc, 0, 10),
    thinkMs: num(a, "think-ms", DEFAULT_PLAN.thinkMs, 0, 60_000),
    ruleset,
    playerClasses: list(a["player-ships"], DEFAULT_PLAN.playerClasses),
    npcClasses: list(a["npc-ships"], DEFAULT_PLAN.npcClasses),
    maxRounds: num(a, "max-rounds", DEFAULT_PLAN.maxRounds, 1, 10_000),
    turnTimeoutSec: num(a, "turn-timeout", DEFAULT_PLAN.turnTimeoutSec, 10, 600),
  };
  const bad = validatePlan(plan);
  if (bad) throw new UsageError(bad);
  const name = typeof a.name === "string" ? a.name : DEFAULT_RUN.name;
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(name)) throw new UsageError("--name may hold letters, digits, _ . - only");
  const run: Partial<RunOptions> & { plan: BattlePlan } = {
    name, plan,
    battles: num(a, "battles", DEFAULT_RUN.battles, 1, 5000),
    durationSec: num(a, "duration", DEFAULT_RUN.durationSec, 1, 86_400),
    graceSec: num(a, "grace", DEFAULT_RUN.graceSec, 0, 600),
    latencyMs: num(a, "latency", 0, 0, 60_000),
    jitterMs: num(a, "jitter", 0, 0, 60_000),
    lossPct: num(a, "loss", 0, 0, 100),
    joinConcurrency: num(a, "join-concurrency", DEFAULT_RUN.joinConcurrency, 1, 1000),
    progress: !a.quiet,
    cpuProf: !!a["cpu-prof"],
    failOnLoss: !!a["fail-on-loss"],
    failOnJoinFailure: !!a["fail-on-join-failure"],
    maxP99Ms: a["max-p99"] !== undefined ? num(a, "max-p99", 0, 0, 1e7) : undefined,
  };
  if (a.port !== undefined) run.port = num(a, "port", 0, 1, 65535);
  run.heapEverySec = num(a, "heap-every", 0, 0, 3600);
  run.decodeSample = num(a, "decode-sample", 1, 0, 1);
  if (run.decodeSample === 0) throw new UsageError("--decode-sample must be a fraction in 0..1, above 0 (table 1 always decodes)");
  run.processes = num(a, "processes", 1, 1, 16);
  run.redis = !!a.redis || run.processes > 1;
  run.botWorkers = num(a, "bot-workers", 1, 1, 16);
  if (a["server-cpu"] !== undefined) {
    if (a["server-cpu"] === true) throw new UsageError("--server-cpu takes a core list (e.g. 0 or 0,1)");
    run.serverCpus = parseCoreList(a["server-cpu"]);
  }
  if (a["server-node-args"] !== undefined) {
    const flags = typeof a["server-node-args"] === "string" ? a["server-node-args"].split(",") : [];
    if (!flags.length || flags.some((f) => !NODE_FLAG.test(f))) throw new UsageError("--server-node-args takes Node/V8 flags, comma-separated, after an = (e.g. --server-node-args=--single-threaded-gc)");
    run.serverNodeArgs = flags;
  }
  if (run.processes > 1 && (run.latencyMs! > 0 || run.jitterMs! > 0 || run.lossPct! > 0)) throw new UsageError("--latency/--jitter/--loss route through one proxy in front of one process: use them without --processes");
  const capacity = typeof a.capacity === "string" ? a.capacity.split(",").map((s) => Number(s)) : undefined;
  if (capacity && capacity.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError("--capacity takes a comma list of battle counts");
  return { run, capacity, capacityP99: num(a, "capacity-p99", 100, 1, 1e6) };
}

function printSummary(r: RunResult) {
  const L = r.latency;
  process.stdout.write(
    `\n${r.name}: ${r.pass ? "PASS" : "FAIL"}${r.failures.length ? ` (${r.failures.join("; ")})` : ""}\n` +
    `  joins ${r.joins.ok}/${r.joins.attempted} ok, ${r.joins.failed} failed; commands sent ${r.commands.sent}, acked ${r.commands.acked}, refused ${r.commands.refused}, lost ${r.commands.lost}\n` +
    `  command→patch latency p50 ${L.p50} / p95 ${L.p95} / p99 ${L.p99} / max ${L.max} ms (${L.count} samples: ${r.latencyBy.decoded.count} in decoded state, ${r.latencyBy.frameLevel.count} frame-level ack round trips)\n` +
    `  clients: ${r.clients.decoding} connections decoded the state, ${r.clients.frameLevel} frame-level (${r.decodingBattles}/${r.config.battles} battles decoded at every client)\n` +
    `  server CPU mean ${r.server.cpuPctMean}% max ${r.server.cpuPctMax}%, RSS ${r.server.rssMbStart.toFixed(0)}→${r.server.rssMbEnd.toFixed(0)} MB; clients received ${(r.network.bytesInPerSec / 1024).toFixed(1)} KiB/s\n` +
    (r.cpuPerCommand ? `  ${cpuPerCommandLine(r.cpuPerCommand).replace(/\*\*/g, "")}\n` : ""),
  );
}

async function capacityRun(base: Partial<RunOptions> & { plan: BattlePlan }, steps: number[], p99Limit: number): Promise<boolean> {
  const name = base.name!;
  const results: RunResult[] = [];
  let stopReason = "all steps ran";
  for (const battles of steps) {
    process.stderr.write(`\n== capacity step: ${battles} battles ==\n`);
    const r = await runLoadtest({ ...base, battles, name: `${name}-${battles}` });
    writeReports(r, DEFAULT_RUN.outDir);
    printSummary(r);
    results.push(r);
    if (r.server.crashed) { stopReason = `server crashed at ${battles} battles`; break; }
    if (r.joins.failed > 0) { stopReason = `joins failed at ${battles} battles`; break; }
    if (r.latency.p99 > p99Limit) { stopReason = `p99 ${r.latency.p99} ms > ${p99Limit} ms at ${battles} battles`; break; }
  }
  const out = DEFAULT_RUN.outDir;
  const rows = results.map((r) =>
    `| ${r.config.battles} | ${r.clients.peak} | ${r.rampSec ?? "—"} s | ${r.joins.ok}/${r.joins.attempted} | ${r.commands.ackedPerSec} | ${r.latency.p50} | ${r.latency.p95} | ${r.latency.p99} | ${r.latency.max} | ${r.commands.lost} | ${r.server.cpuPctMean} % | ${r.server.rssMbMax.toFixed(0)} MB | ${r.runner.cpuPctMean} % | ${r.runner.lagP99MaxMs} ms | ${(r.network.bytesInPerSec / 1024).toFixed(1)} KiB/s | ${r.cpuPerCommand?.serverUsPerAcked ?? "—"} µs | ${r.cpuPerCommand?.botsUsPerAcked ?? "—"} µs | ${r.clients.decoding} / ${r.clients.frameLevel} |`);
  const md = [
    `# Capacity: ${name}`, ``,
    `Command per step: \`${commandLine(results[0]!).replace(/--battles \d+/, "--battles N")}\`; one fresh server process per step. Stop: ${stopReason}.`, ``,
    `> ${results[0]?.environment.sameMachine}. The load generator shares the cores with the server (${decodeNote(results[0]!)}): read "runner CPU" and "runner lag" beside "server CPU"; a runner lag spike delays the latency it measures.`, ``,
    `| battles | peak clients | ramp | joins ok | acked/s | p50 ms | p95 ms | p99 ms | max ms | lost | server CPU | server RSS max | runner CPU | runner lag p99 | bytes in | server CPU / acked | runner CPU / acked | clients decoding / frame-level |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|`,
    ...rows, ``,
    `Per-step reports: ${results.map((r) => `[${r.config.battles}](${r.name}.md)`).join(", ")}.`, ``,
    `![p99 and server CPU by step](${name}.svg)`, ``,
  ].join("\n");
  fs.writeFileSync(path.join(out, `${name}.md`), md);
  fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify({ stopReason, steps: results.map(({ timeline: _t, ...r }) => r) }, null, 2));
  fs.writeFileSync(path.join(out, `${name}.svg`), capacitySvg(results));
  process.stdout.write(`\ncapacity: ${stopReason}; report loadtest/results/${name}.md\n`);
  return results.every((r) => r.pass);
}

/** What the bots of a run decode, for the capacity report's note. */
function decodeNote(r: RunResult): string {
  if (r.config.decodeSample >= 1) return "every client decodes every patch of its battle";
  return `--decode-sample ${r.config.decodeSample}: every client of ${r.decodingBattles} of ${r.config.battles} battles decodes every patch, in the others only the GM, the players receiving and counting every frame undecoded`;
}

function capacitySvg(rs: RunResult[]): string {
  const W = 700, H = 300, L = 60, R = 60, T = 30, B = 40;
  const n = Math.max(1, rs.length - 1);
  const x = (i: number) => L + ((W - L - R) * i) / n;
  const pMax = Math.max(100, ...rs.map((r) => r.latency.p99)) * 1.1;
  const cMax = Math.max(100, ...rs.map((r) => r.server.cpuPctMean)) * 1.1;
  const yl = (v: number) => T + (H - T - B) * (1 - v / pMax);
  const yc = (v: number) => T + (H - T - B) * (1 - v / cMax);
  const s = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="white"/>`,
    `<text x="${L}" y="18" font-weight="bold">p99 latency (red, left) and server CPU % (blue, right) by battle count</text>`,
    `<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#999"/>`,
    `<line x1="${L}" x2="${W - R}" y1="${yl(100)}" y2="${yl(100)}" stroke="#d62728" stroke-dasharray="4 3"/><text x="${L + 4}" y="${yl(100) - 3}" fill="#d62728">100 ms</text>`,
    `<text x="${L - 4}" y="${T + 4}" text-anchor="end">${pMax.toFixed(0)} ms</text><text x="${L - 4}" y="${H - B}" text-anchor="end">0</text>`,
    `<text x="${W - R + 4}" y="${T + 4}">${cMax.toFixed(0)} %</text><text x="${W - R + 4}" y="${H - B}">0</text>`,
    `<polyline fill="none" stroke="#d62728" stroke-width="2" points="${rs.map((r, i) => `${x(i)},${yl(r.latency.p99)}`).join(" ")}"/>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${rs.map((r, i) => `${x(i)},${yc(r.server.cpuPctMean)}`).join(" ")}"/>`,
    ...rs.map((r, i) => `<text x="${x(i)}" y="${H - B + 14}" text-anchor="middle">${r.config.battles}</text>`),
    `</svg>`,
  ];
  return s.join("\n");
}

async function main(): Promise<number> {
  let args: Args;
  let parsed: ReturnType<typeof optionsFromArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args.help) { process.stdout.write(`${USAGE}\n`); return 0; }
    parsed = optionsFromArgs(args);
  } catch (err) {
    if (err instanceof UsageError || err instanceof PinningError) { process.stderr.write(`${err.message}\n\n${USAGE}\n`); return 2; }
    throw err;
  }
  // checked before any server starts (runLoadtest checks again), so a bad core list costs nothing
  if (parsed.run.serverCpus) {
    try { planPinning(parsed.run.serverCpus); } catch (err) {
      if (err instanceof PinningError) { process.stderr.write(`${err.message}\n`); return 2; }
      throw err;
    }
  }
  if (parsed.capacity) return (await capacityRun(parsed.run, parsed.capacity, parsed.capacityP99)) ? 0 : 1;
  const result = await runLoadtest(parsed.run);
  const files = writeReports(result, DEFAULT_RUN.outDir);
  printSummary(result);
  process.stdout.write(`  report: ${path.relative(process.cwd(), files.md)}\n`);
  return result.pass ? 0 : 1;
}

if (require.main === module) {
  // Ctrl-C / SIGTERM: exit through process.exit so the exit hook kills the server child.
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => { process.stderr.write(`\n${sig}: stopping\n`); process.exit(130); });
  main().then((code) => process.exit(code), (err) => { process.stderr.write(`loadtest failed: ${(err as Error).stack ?? err}\n`); process.exit(1); });
}
