// What a battle's command log costs in memory, kept as objects (as the host did before) and packed
// (src/battle/command-tape.ts, as it does now): full battles (the load runner's classes, 5 player
// ships and 10 NPC ships) played by the engine to 10 rounds, every command decoded from
// MessagePack first so its strings and objects are fresh, as the room receives them. Live heap
// and ArrayBuffer memory after a forced GC, per command, with all the logs held. Also the cost of
// a push and of reading the whole log back (the export, an undo). Writes bench/command-log.json.
//
//   node --expose-gc --import tsx bench/command-log.ts [--battles 300]
import fs from "node:fs";
import path from "node:path";
import { pack, unpack } from "msgpackr";
import { CommandTape } from "../src/battle/command-tape";
import { createOptionsSchema } from "../src/commands";
import { activeShipId, applyWithHistory, createBattle, createHistory, type ReplayStep } from "../src/engine";
import type { Actor, BattleSetup, Command } from "../src/engine/types";
import { createDice } from "../src/rules/dice";
import type { Role } from "../src/rules/model";
import { volley } from "../harness/volley";
import { DEFAULT_PLAN, shipsFor } from "../loadtest/lib/plan";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write("run with node --expose-gc --import tsx bench/command-log.ts\n");
  process.exit(2);
}
const args = process.argv.slice(2);
const BATTLES = Number(args[args.indexOf("--battles") + 1]) || 300;
const ROLES: Role[] = ["pilot", "gunner", "engineer", "captain", "sensors"];

const options = createOptionsSchema.parse({ name: "bench", gmName: "GM", ships: shipsFor(DEFAULT_PLAN).ships, startingRange: "short" });
const setup: BattleSetup = { ruleset: options.ruleset, startingRange: options.startingRange, ships: options.ships, houseRules: options.houseRules };

type Log = ReplayStep[] | CommandTape;

/** One battle to 10 rounds; its accepted commands in `log`. */
function play(seed: number, log: Log): number {
  const battle = createBattle(setup);
  const dice = createDice(seed);
  const history = createHistory(setup, seed, log);
  let pushNs = 0n;
  const send = (actor: Actor, sent: Command) => {
    const cmd = unpack(pack(sent)) as Command;
    if (!applyWithHistory(battle, history, actor, cmd, dice).ok) return;
    const t = process.hrtime.bigint();
    log.push({ actor, cmd });
    pushNs += process.hrtime.bigint() - t;
  };
  send({ kind: "gm" }, { type: "start" });
  while (battle.phase === "combat" && battle.round <= 10) {
    const id = activeShipId(battle)!;
    const actor: Actor = battle.ships[id]!.side === "npc" ? { kind: "gm" } : { kind: "crew", shipId: id, roles: ROLES };
    for (const shot of volley(battle, id)) send(actor, shot);
    if (activeShipId(battle) === id) send(actor, { type: "endTurn", shipId: id });
  }
  return Number(pushNs);
}

function measure(kind: "objects" | "tape") {
  const logs: Log[] = [];
  gc!();
  const before = process.memoryUsage();
  let pushNs = 0;
  for (let b = 0; b < BATTLES; b++) {
    const log: Log = kind === "tape" ? new CommandTape() : [];
    pushNs += play(b + 1, log);
    logs.push(log);
  }
  gc!();
  const after = process.memoryUsage();
  const commands = logs.reduce((n, l) => n + l.length, 0);
  const t = process.hrtime.bigint();
  for (const log of logs) for (let i = 0; i < log.length; i++) log.at(i);
  const readNs = Number(process.hrtime.bigint() - t);
  return {
    kind, battles: logs.length, commands,
    heapBytesPerCommand: (after.heapUsed - before.heapUsed) / commands,
    arrayBufferBytesPerCommand: (after.arrayBuffers - before.arrayBuffers) / commands,
    packedBytesPerCommand: kind === "tape" ? logs.reduce((n, l) => n + (l as CommandTape).retainedBytes, 0) / commands : undefined,
    pushNsPerCommand: pushNs / commands,
    readNsPerCommand: readNs / commands,
  };
}

// Warm-up: the engine's and msgpackr's code compiled and their lazily made tables in place, so
// that neither measurement pays for them.
for (let b = 0; b < 20; b++) { play(10_000 + b, []); play(20_000 + b, new CommandTape()); }
const results = [measure("objects"), measure("tape")];
const out = path.join(__dirname, "command-log.json");
fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, battles: BATTLES, results }, null, 2));
for (const r of results) {
  console.log(`${r.kind.padEnd(7)} ${r.commands} commands: heap ${r.heapBytesPerCommand.toFixed(1)} B/cmd, buffers ${r.arrayBufferBytesPerCommand.toFixed(1)} B/cmd` +
    `${r.packedBytesPerCommand !== undefined ? ` (tape buffers ${r.packedBytesPerCommand.toFixed(1)} B/cmd)` : ""}, push ${(r.pushNsPerCommand / 1000).toFixed(2)} µs, read ${(r.readNsPerCommand / 1000).toFixed(2)} µs`);
}
console.log(`written ${path.relative(process.cwd(), out)}`);
