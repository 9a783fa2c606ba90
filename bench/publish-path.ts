// The publish path of one battle without sockets: what each accepted command costs the server
// between the engine and the socket writes, step by step, on a full battle (5 player ships,
// 10 NPC ships, the load runner's classes): the engine's apply, the copy into the wire state,
// the views, the patch encodings Colyseus makes (the shared changes once, then one per distinct
// view), and the combat log's messages (one encoding per distinct message: per role when an entry
// hides a detail, else one). `--1v1`: the load runner's 1v1 battle (`--players 2 --npc 0`) instead.
// Writes bench/publish-path.json. `npx tsx bench/publish-path.ts [--commands N] [--1v1]`
import fs from "node:fs";
import path from "node:path";
import { Encoder } from "@colyseus/schema";
import { Protocol, getMessageBytes } from "@colyseus/core";
import { activeShipId, apply, createBattle } from "../src/engine";
import type { Actor, Command } from "../src/engine/types";
import { createDice } from "../src/rules/dice";
import type { Battle } from "../src/rules/model";
import { createOptionsSchema } from "../src/commands";
import { BattleState } from "../schema/BattleState";
import { showChange } from "../rooms/wire-state";
import { DetailViews } from "../rooms/views";
import { LogFeed, type FeedRole } from "../src/battle/log-feed";
import { LOG_MESSAGE } from "../src/commands/log-wire";
import { volley } from "../harness/volley";
import { DEFAULT_PLAN, shipsFor } from "../loadtest/lib/plan";

const args = process.argv.slice(2);
const COMMANDS = Number(args[args.indexOf("--commands") + 1]) || 20_000;
const ONE_VS_ONE = args.includes("--1v1");
const PLAN = ONE_VS_ONE ? { ...DEFAULT_PLAN, players: 2, npc: 0 } : DEFAULT_PLAN;

function newBattle(): Battle {
  const options = createOptionsSchema.parse({ name: "bench", gmName: "GM", ships: shipsFor(PLAN).ships, startingRange: "short" });
  return createBattle({ ruleset: options.ruleset, startingRange: options.startingRange, ships: options.ships, houseRules: options.houseRules });
}

/** The next command a crew would send: a legal shot of the active ship, else the end of its turn. */
function nextCommand(battle: Battle): { actor: Actor; cmd: Command } {
  const id = activeShipId(battle)!;
  const actor: Actor = { kind: "gm" };
  const shot = volley(battle, id)[0];
  return { actor, cmd: shot ?? { type: "endTurn", shipId: id } };
}

const steps = { apply: 0, sync: 0, views: 0, encodeShared: 0, encodeViews: 0, log: 0 };
const ROLES = new Set<FeedRole>(["gm", "player"]);
let commands = 0;
let bytes = 0;
let logBytes = 0;
const ns = () => process.hrtime.bigint();

while (commands < COMMANDS) {
  const battle = newBattle();
  const dice = createDice(commands + 1);
  const state = new BattleState();
  const views = new DetailViews();
  const feed = new LogFeed();
  const encoder = new Encoder(state);
  const change = (events: ReturnType<typeof apply> extends infer R ? R extends { ok: true; events: infer E } ? E : never : never) =>
    ({ battle, turnEndsAt: 0, events, chat: [], unseated: [] });
  apply(battle, { kind: "gm" }, { type: "start" }, dice);
  showChange(state, change([]));
  const roleViews = (["gm", "player", "spectator"] as const).map((r) => views.viewFor(r, battle, state));
  encoder.discardChanges();
  for (let round = 0; battle.phase === "combat" && battle.round < 30 && commands < COMMANDS; ) {
    const { actor, cmd } = nextCommand(battle);
    let t = ns();
    const r = apply(battle, actor, cmd, dice);
    steps.apply += Number(ns() - t);
    if (!r.ok) throw new Error(`refused: ${r.code} ${r.message}`);
    t = ns();
    showChange(state, change(r.events));
    steps.sync += Number(ns() - t);
    t = ns();
    views.refresh(battle, state);
    steps.views += Number(ns() - t);
    t = ns();
    const it = { offset: 1 };
    const shared = encoder.encode(it);
    steps.encodeShared += Number(ns() - t);
    bytes += shared.byteLength;
    t = ns();
    for (const view of roleViews) encoder.encodeView(view, it.offset, it);
    encoder.discardChanges();
    steps.encodeViews += Number(ns() - t);
    t = ns();
    for (const message of new Set(feed.publish(battle, r.events, ROLES).values())) logBytes += getMessageBytes.raw(Protocol.ROOM_DATA, LOG_MESSAGE, message).byteLength;
    steps.log += Number(ns() - t);
    commands++;
    round = battle.round;
  }
}

const perCommand = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, Math.round(v / commands / 100) / 10]));
const total = Math.round(Object.values(steps).reduce((a, b) => a + b, 0) / commands / 100) / 10;
const result = { battle: ONE_VS_ONE ? "1v1" : "full", commands, microsecondsPerCommand: { ...perCommand, total }, sharedPatchBytesMean: Math.round(bytes / commands), logMessageBytesMean: Math.round(logBytes / commands) };
console.log(JSON.stringify(result, null, 2));
fs.writeFileSync(path.join(__dirname, "publish-path.json"), JSON.stringify({ at: new Date().toISOString(), node: process.version, ...result }, null, 2));
