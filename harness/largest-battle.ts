// The largest battle the limits allow, played through real SDK clients: 5 player ships and 10 NPC
// ships (custom, with 40-character unbroken names), the GM, 5 players and 10 spectators, 10 rounds
// of combat (every ship damaged, sensor locks, smart missiles in flight) and 50 chat lines. Every
// join, reconnect, relocate and inspect test runs on it; `assertSameAsGm` compares what a client
// decoded with the GM's state, field by field.
import assert from "node:assert/strict";
import type { ColyseusSDK } from "@colyseus/sdk";
import { LIMITS, turnStamp } from "../src/commands";
import { SeatClient } from "./seat-client";
import { ALL_ROLES } from "./battles";

/** Unbroken names of exactly `length` characters, in 3-byte characters every other time. */
export function longName(i: number, length: number = LIMITS.name): string {
  const base = i % 2 === 0 ? `Unbroken${i}Name` : `長い名前の船${i}号`;
  return base.repeat(Math.ceil(length / base.length)).slice(0, length);
}

/** 50 characters of 3 bytes each: the bulk of a chat line. */
const WIDE_LINE = "砲手は準備完了、全砲門開け。".repeat(4).slice(0, 50);

/** Every ship can fire, launch smart missiles and cast sand; a hull no 10 rounds can break. */
const TURRETS = [
  { mount: "triple", weapon: "beamLaser" },
  { mount: "triple", weapon: "missileRack", smartMissiles: 60 },
  { mount: "triple", weapon: "sandcaster", sand: 60 },
];

export function largestBattleOptions() {
  const ship = (side: "players" | "npc", i: number) => ({
    side, name: longName(i), className: "custom",
    custom: { tons: 2000, armour: 0, thrust: 6, hull: 2000, structure: 2000, turrets: TURRETS },
  });
  return {
    name: longName(99, LIMITS.battleName), gmName: longName(98), ruleset: "ce", startingRange: "medium",
    turnTimeoutSec: LIMITS.turnTimeoutSec.max, maxPlayers: LIMITS.maxPlayers, allowSpectators: true,
    ships: [
      ...Array.from({ length: LIMITS.maxPlayerShips }, (_, i) => ship("players", i)),
      ...Array.from({ length: LIMITS.maxNpcShips }, (_, i) => ship("npc", 10 + i)),
    ],
  };
}

export interface LargestBattle {
  roomId: string;
  gm: SeatClient;
  players: SeatClient[];
  spectators: SeatClient[];
  /** GM and players: the clients that hold seats (and follow the battle when it moves). */
  seated(): SeatClient[];
  all(): SeatClient[];
}

/** GM, 5 players (one per player ship, every position) and 10 spectators. */
export async function openLargestBattle(create: () => ColyseusSDK, join: () => ColyseusSDK): Promise<LargestBattle> {
  const gm = new SeatClient(await create().create("battle", largestBattleOptions()), "gm");
  await gm.seated();
  const roomId = gm.room.roomId;
  const players = await Promise.all(Array.from({ length: LIMITS.maxPlayers }, async (_, i) => {
    const c = new SeatClient(await join().joinById(roomId, { name: longName(20 + i), shipId: `p${i + 1}`, positions: ALL_ROLES }), `p${i + 1}`);
    await c.seated();
    return c;
  }));
  const spectators: SeatClient[] = [];
  for (let i = 0; i < LIMITS.maxSpectators; i++) spectators.push(await joinSpectator(join, roomId, i));
  const b: LargestBattle = {
    roomId, gm, players, spectators,
    seated: () => [b.gm, ...b.players],
    all: () => [b.gm, ...b.players, ...b.spectators],
  };
  await gm.until((s) => s.crew.size === 1 + LIMITS.maxPlayers, 5000, "every seat taken");
  return b;
}

export async function joinSpectator(join: () => ColyseusSDK, roomId: string, i: number): Promise<SeatClient> {
  const c = new SeatClient(await join().joinById(roomId, { spectator: true, name: longName(40 + i) }), `spectator${i}`);
  await c.seated();
  return c;
}

/**
 * Plays the active ship's turn: a sensor lock on its target (once), a beam-laser volley, a smart
 * missile volley (while the battle has room for missiles) and the end of its turn. Targets rotate
 * so that every enemy is hit. Refusals that depend on the dice so far (range, ammunition) are fine.
 */
export async function playTurn(b: LargestBattle): Promise<void> {
  const s = b.gm.state;
  const active = s.ships.get(s.activeShipId);
  if (!active) throw new Error("no active ship");
  const npc = active.side === "npc";
  const crew = npc ? b.gm : b.players.find((p) => p.seat?.shipId === active.id)!;
  const enemies = [...s.ships.values()].filter((x: any) => x.side !== active.side && !x.destroyed && !x.escaped);
  // Undamaged enemies first: the dice decide what hits, and the battle must end up with every ship damaged.
  const intact = enemies.filter((x: any) => x.condition === "intact");
  const pool = (intact.length > 0 ? intact : enemies).map((x: any) => x.id as string);
  const target = pool[(s.round * 3 + Number(active.id.slice(1))) % pool.length]!;
  const v = turnStamp(s);
  const send = (type: string, fields: Record<string, unknown>) =>
    npc ? crew.command("gm:act", { shipId: active.id, v, command: { type, ...fields } }) : crew.command(`space:${type}`, { ...fields, v });
  const own = crew.state.ships.get(active.id);
  if (!own.lockedOn.includes(target)) await send("sensorLock", { targetId: target });
  await send("fire", { turretId: "t1", targetId: target });
  await send("launchMissile", { turretId: "t2", targetId: target, missile: "smart" });
  // The ack follows the patch: the crew's state already shows whether the turn has passed (a ship
  // whose every position acted ends its turn by itself).
  if (turnStamp(crew.state) !== v) return;
  const ended = await send("endTurn", {});
  if (ended.kind !== "ack") throw new Error(`end of turn refused: ${ended.error.code} ${ended.error.message}`);
}

export async function playRound(b: LargestBattle): Promise<void> {
  const round = b.gm.state.round;
  while (b.gm.state.round === round && b.gm.state.phase === "combat") await playTurn(b);
}

/** Resolves once every client decoded the GM's latest version and holds the GM's newest combat-log entry. */
export async function inStep(clients: SeatClient[], gm: SeatClient, timeoutMs = 10_000): Promise<void> {
  const version = gm.state.version;
  const seq = gm.log.at(-1)?.seq ?? 0;
  await Promise.all(clients.map((c) => c.until((s) => s.version >= version && (c.log.at(-1)?.seq ?? 0) >= seq, timeoutMs, `version ${version}, log entry ${seq}`)));
}

/** Opens the largest battle and plays it to its full size: 10 rounds of combat and 50 chat lines. */
export async function buildLargestBattle(create: () => ColyseusSDK, join: () => ColyseusSDK): Promise<LargestBattle> {
  const b = await openLargestBattle(create, join);
  const start = await b.gm.command("gm:start");
  assert.equal(start.kind, "ack");
  let line = 0;
  for (let r = 0; r < 10; r++) {
    await playRound(b);
    for (let i = 0; i < 5; i++, line++) {
      const from = [b.gm, ...b.players][line % 6]!;
      // Lines as long as 50 of them fit the chat's byte bound (schema/wire-budget.ts): mostly 3-byte characters.
      const text = line % 10 === 0 ? longName(line, 120) : `Round ${b.gm.state.round}, line ${line}: ${WIDE_LINE}`;
      const sent = await from.command("chat", { text });
      if (sent.kind !== "ack") throw new Error(`chat refused: ${sent.error.code} ${sent.error.message}`);
    }
  }
  // A last volley so that smart missiles are in flight whatever the dice did, and turns until a
  // sensor lock holds and every ship is damaged: a lock lasts the round it was made in, each
  // turn's attempt may fail, and after 10 rounds many ships' sensors are disabled; a ship the dice
  // spared so far is every shooter's target (playTurn). This may take up to four more rounds.
  const held = () => [...b.gm.state.ships.values()].some((x: any) => x.lockedOn.length > 0);
  const spared = () => [...b.gm.state.ships.values()].some((x: any) => x.condition === "intact");
  for (let turns = 0; turns === 0 || ((!held() || spared()) && turns < 60); turns++) await playTurn(b);
  await inStep(b.all(), b.gm);
  const s = b.gm.state;
  assert.ok(s.round >= 10, `10 rounds played (round ${s.round})`);
  assert.equal(s.chat.length, 50, "50 chat lines on the wire");
  assert.ok(s.missiles.size > 0, "missiles in flight");
  assert.ok([...s.ships.values()].every((x: any) => x.condition !== "intact"), "every ship damaged");
  assert.ok([...s.ships.values()].some((x: any) => x.lockedOn.length > 0), "sensor locks held");
  return b;
}

const PUBLIC_SHIP = ["id", "name", "side", "className", "tons", "thrust", "condition", "destroyed", "escaped", "initiative", "evasive"] as const;
const DETAIL_SHIP = ["armour", "hull", "maxHull", "structure", "maxStructure", "reactionsLeft", "dodgeReady", "coordinationPool"] as const;
const TURRET = ["id", "mount", "weapon", "damage", "missiles", "smartMissiles", "sand", "usedRound", "ready"] as const;
// The packed lists (dice, modifiers, damage, hits) compare as the strings they travel as; a field
// without a value is absent on both sides.
const LOG = ["seq", "round", "actor", "action", "target", "dice", "modifiers", "total", "need", "effect", "volley",
  "damageDice", "damageModifiers", "damageTotal", "hits", "result"] as const;
const CHAT = ["seq", "from", "fromName", "text", "at"] as const;
const MISSILE = ["id", "kind", "fromShipId", "targetId", "launchRound", "arriveRound"] as const;
const TOP = ["name", "ruleset", "phase", "round", "turnIndex", "activeShipId", "turnEndsAt", "turnTimeoutSec", "version"] as const;

/**
 * What `client` decoded equals the GM's state, field by field: every public field of the battle,
 * ships, ranges, missiles, crew, combat log and chat; the details the client is entitled to (its
 * own fleet, ships its side has locked; everything for the GM) equal the GM's, and no other ship's
 * details reach it.
 */
export function assertSameAsGm(client: SeatClient, gm: SeatClient): void {
  const who = client.label;
  const [c, g] = [client.state, gm.state];
  for (const f of TOP) assert.equal(c[f], g[f], `${who}: ${f}`);
  assert.deepEqual([...c.order], [...g.order], `${who}: order`);
  assert.deepEqual([c.result.winner, c.result.reason], [g.result.winner, g.result.reason], `${who}: result`);
  assert.deepEqual(new Map(c.ranges.entries()), new Map(g.ranges.entries()), `${who}: ranges`);

  const role = client.seat?.role;
  const lockedByPlayers = new Set([...g.ships.values()].filter((x: any) => x.side === "players" && !x.destroyed).flatMap((x: any) => [...x.lockedOn]));
  const entitled = (shipId: string) => role === "gm" || (role === "player" && (g.ships.get(shipId)?.side === "players" || lockedByPlayers.has(shipId)));
  assert.deepEqual([...c.ships.keys()].sort(), [...g.ships.keys()].sort(), `${who}: ships`);
  for (const [id, gs] of g.ships.entries()) {
    const cs = c.ships.get(id);
    for (const f of PUBLIC_SHIP) assert.equal(cs[f], gs[f], `${who}: ${id}.${f}`);
    if (entitled(id)) {
      for (const f of DETAIL_SHIP) assert.equal(cs[f], gs[f], `${who}: ${id}.${f}`);
      assert.deepEqual(new Map(cs.systems.entries()), new Map(gs.systems.entries()), `${who}: ${id}.systems`);
      assert.deepEqual([...cs.lockedOn], [...gs.lockedOn], `${who}: ${id}.lockedOn`);
      assert.deepEqual([...cs.actedThisTurn], [...gs.actedThisTurn], `${who}: ${id}.actedThisTurn`);
      assert.equal(cs.turrets.length, gs.turrets.length, `${who}: ${id}.turrets`);
      gs.turrets.forEach((gt: any, i: number) => { for (const f of TURRET) assert.equal(cs.turrets[i][f], gt[f], `${who}: ${id}.turrets[${i}].${f}`); });
    } else {
      // Hidden fields never reach the client: they decode as absent.
      assert.ok(!cs.hull && !cs.maxHull && !cs.armour, `${who}: ${id} hull and armour hidden`);
      assert.equal(cs.turrets?.length ?? 0, 0, `${who}: ${id}.turrets hidden`);
    }
  }

  assert.deepEqual([...c.missiles.keys()].sort(), [...g.missiles.keys()].sort(), `${who}: missiles in flight`);
  for (const [id, gm2] of g.missiles.entries()) for (const f of MISSILE) assert.equal(c.missiles.get(id)[f], gm2[f], `${who}: missile ${id}.${f}`);

  assert.deepEqual([...c.crew.keys()].sort(), [...g.crew.keys()].sort(), `${who}: crew`);
  for (const [id, gc] of g.crew.entries()) {
    const cc = c.crew.get(id);
    for (const f of ["name", "role", "shipId", "connected"] as const) assert.equal(cc[f], gc[f], `${who}: crew ${id}.${f}`);
    assert.deepEqual([...cc.positions], [...gc.positions], `${who}: crew ${id}.positions`);
  }

  // The combat log (not state: its `log` messages) holds the same entries, as the client may read them.
  const [cl, gl] = [client.log, gm.log];
  assert.equal(cl.length, gl.length, `${who}: log entries`);
  gl.forEach((ge, i) => {
    const ce = cl[i]!;
    for (const f of LOG) assert.equal(ce[f], ge[f], `${who}: log[${i}].${f}`);
    if (ge.detail && entitled(ge.target ?? "")) assert.equal(ce.detail, ge.detail, `${who}: log[${i}].detail`);
    if (ce.detail) {
      assert.equal(ce.detail, ge.detail, `${who}: log[${i}].detail`);
      assert.equal(ce.detailModifiers, ge.detailModifiers, `${who}: log[${i}].detailModifiers`);
      assert.equal(ce.detailDamageTotal, ge.detailDamageTotal, `${who}: log[${i}].detailDamageTotal`);
    } else {
      // Hidden fields never reach the client: they decode as absent.
      assert.ok(!ce.detailDamageTotal && !ce.detailModifiers, `${who}: log[${i}] damage detail hidden`);
    }
  });

  assert.equal(c.chat.length, g.chat.length, `${who}: chat lines`);
  g.chat.forEach((gl: any, i: number) => { for (const f of CHAT) assert.equal(c.chat[i][f], gl[f], `${who}: chat[${i}].${f}`); });
}
