// A scenario for @colyseus/loadtest (interactive TUI, for humans; without --duration it never
// exits — press q).
//
//   npx tsx loadtest/battle-bot.ts --endpoint ws://127.0.0.1:2567 --room battle --numClients 6 --output x.log
//        [--players 5] [--npc 10] [--think-ms 250] [--ruleset ce|mgt2e] [--delay 50] [--duration 20]
//
// --duration S: S seconds after every client has joined (or failed to), the bots stop issuing
// commands, wait (at most GRACE_MS) for the replies still in flight, log one `result {json}` line
// (seated clients, command counts) and end the tool as SIGTERM does, so its --output file ends
// with the summary. The CI test (test/load/battle-bot.test.ts) runs it this way and reads that file.
//
// Start a server first (`npm start`, or PORT=2567 LOG_LEVEL=warn IDLE_TIMEOUT_SEC=3600 npx tsx src/index.ts).
// `--room battle` is required by the tool (it refuses to start without --room or --roomId).
// Clients are grouped in tables of (1 + players): client 0 of each table is the GM, who opens
// a battle, waits for the players, starts it and acts for every NPC ship; clients 1..players
// take ships p1..pN with every position. Everyone pauses a think time before each command.
// When a battle ends the GM opens the next one and the players follow. --numClients should be a
// multiple of the table size (6 by default; 2 with --players 2 --npc 0, the 1v1 mode).
// For measured, bounded, headless runs use loadtest/run.ts (npm run loadtest) instead.
import "../src/server/polyfills";
import { cli, type Options } from "@colyseus/loadtest";
import { DEFAULT_PLAN, shipsFor, validatePlan, type BattlePlan } from "./lib/plan";
import { Gate } from "./lib/gate";
import { Group } from "./lib/table";
import { Metrics } from "./lib/metrics";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const plan: BattlePlan = {
  ...DEFAULT_PLAN,
  players: Number(flag("players") ?? DEFAULT_PLAN.players),
  npc: Number(flag("npc") ?? DEFAULT_PLAN.npc),
  thinkMs: Number(flag("think-ms") ?? DEFAULT_PLAN.thinkMs),
  ruleset: (flag("ruleset") as BattlePlan["ruleset"]) ?? DEFAULT_PLAN.ruleset,
};
const invalid = validatePlan(plan);
if (invalid) {
  console.error(invalid);
  process.exit(2);
}
const tableSize = shipsFor(plan).seatedPlayers + 1;
const metrics = new Metrics();
const gate = new Gate(64);
const groups = new Map<number, Group>();
let reporter: NodeJS.Timeout | undefined;
let stopping = false;
let seated = 0;
let settled = 0;
const durationSec = flag("duration") === undefined ? undefined : Number(flag("duration"));
if (durationSec !== undefined && !(durationSec > 0)) {
  console.error("--duration must be a positive number of seconds");
  process.exit(2);
}
/** After the stop, how long replies still in flight may take before they count as unanswered. */
const GRACE_MS = 10_000;

function groupFor(index: number, endpoint: string): Group {
  let g = groups.get(index);
  if (!g) {
    g = new Group(index + 1, { endpoint, plan, metrics, gate, stopped: () => stopping });
    groups.set(index, g);
  }
  return g;
}

async function main(options: Options): Promise<void> {
  const table = Math.floor(options.clientId / tableSize);
  const seat = options.clientId % tableSize;
  const group = groupFor(table, options.endpoint);
  reporter ??= setInterval(() => {
    const l = metrics.latency.summary();
    console.log(`battles ${metrics.battles.active} active, ${metrics.battles.ended} ended | cmds ${metrics.cmds.sent} sent / ${metrics.cmds.acked} acked / ${metrics.cmds.refused} refused | command→patch p50 ${l.p50} p95 ${l.p95} p99 ${l.p99} ms`);
  }, 5000);
  // resolve once this client holds its first seat, so the tool moves on to the next client
  try {
    await new Promise<void>((resolve, reject) => {
      const first = (ok: boolean) => (ok ? resolve() : reject(new Error(`client ${options.clientId}: could not take a seat`)));
      const loop = seat === 0 ? group.gmLoop(first) : group.playerLoop(seat, first);
      loop.catch((err) => console.error(`client ${options.clientId}: ${(err as Error).message}`));
    });
  } finally {
    // The bounded run plays for --duration once all clients are in, however slow the joins were.
    if (++settled === options.numClients && durationSec !== undefined) setTimeout(() => { void finish(); }, durationSec * 1000);
  }
  seated++;
  console.log(`client ${options.clientId}: seated as ${seat === 0 ? "GM" : `player on p${seat}`} of table ${table + 1}`);
}

/** The bounded mode: stop, let the replies in flight arrive, log the result, end the tool. */
async function finish(): Promise<void> {
  stopping = true;
  for (const g of groups.values()) g.wake();
  const graceEnd = Date.now() + GRACE_MS;
  while (metrics.outstanding.size > 0 && Date.now() < graceEnd) await new Promise((r) => setTimeout(r, 100));
  const l = metrics.latency.summary();
  console.log(`result ${JSON.stringify({
    seated, battles: metrics.battles, cmds: metrics.cmds, unanswered: metrics.outstanding.size,
    refusedByCode: metrics.refusedByCode, disconnects: metrics.disconnects, otherErrors: metrics.otherErrors,
    commandToPatchMs: { p50: l.p50, p95: l.p95, p99: l.p99, count: l.count },
  })}`);
  // The tool writes its --output summary (with every logged line) on SIGTERM, then exits.
  process.kill(process.pid, "SIGTERM");
}

cli(main);
