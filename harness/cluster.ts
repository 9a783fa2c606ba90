// Shared by the scale tests: server processes on one Redis (or one data directory), a battle
// played turn by turn, and the battle's engine state rebuilt from the GM's export for comparison.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ColyseusSDK } from "@colyseus/sdk";
import { startServerProcess, type ServerProcess } from "./server-process";
import { freePort } from "./ports";
import { SeatClient, type Reply } from "./seat-client";
import { playTurn, firstEnemy } from "./play";
import { ALL_ROLES } from "./battles";
import { replay } from "../src/engine";
import type { Battle } from "../src/rules/model";

/** Short heartbeats so a dead process is noticed quickly in tests. */
export const FAST_FAILOVER = { HEARTBEAT_MS: "200", HEARTBEAT_TTL_MS: "1000", DRAIN_TIMEOUT_SEC: "15", IDLE_TIMEOUT_SEC: "600" };

export interface Node { proc: ServerProcess; port: number; sdk(): ColyseusSDK }

export async function startNode(env: Record<string, string>, port?: number): Promise<Node> {
  const p = port ?? await freePort();
  const proc = await startServerProcess({ port: p, env: { ...FAST_FAILOVER, LOG_LEVEL: process.env.SCALE_LOG_LEVEL ?? "warn", PUBLIC_ADDRESS: `127.0.0.1:${p}`, ...env } });
  return { proc, port: p, sdk: () => new ColyseusSDK(`ws://127.0.0.1:${p}`) };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function readiness(node: Node): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`http://127.0.0.1:${node.port}/ready`, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.json() };
  } catch (err) {
    return { status: 0, body: { error: (err as Error).message } };
  }
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The process whose /ready lists the battle among those it hosts. */
export async function ownerOf(roomId: string, nodes: Node[]): Promise<Node | undefined> {
  for (const n of nodes) {
    if (n.proc.exited) continue;
    const r = await readiness(n);
    if (Array.isArray(r.body.hosted) && r.body.hosted.includes(roomId)) return n;
  }
  return undefined;
}

export const BATTLE = {
  name: "Scale", ruleset: "ce", startingRange: "short", turnTimeoutSec: 120,
  ships: [
    { side: "players", name: "Beowulf", className: "freeTrader" },
    { side: "players", name: "Kestrel", className: "freeTrader" },
    { side: "npc", name: "Corsair One", className: "corsair" },
  ],
};

/** A GM created through `create`, two players joined through `join` (any process). */
export async function openBattle(create: Node, join: Node) {
  const gm = new SeatClient(await create.sdk().create("battle", BATTLE), "gm");
  await gm.seated();
  const p1 = new SeatClient(await join.sdk().joinById(gm.room.roomId, { name: "Ann", shipId: "p1", positions: ALL_ROLES }), "p1");
  const p2 = new SeatClient(await join.sdk().joinById(gm.room.roomId, { name: "Bo", shipId: "p2", positions: ALL_ROLES }), "p2");
  await Promise.all([p1.seated(), p2.seated()]);
  await gm.until((s) => s.crew.size === 3, 5000, "three seats");
  return { gm, p1, p2, roomId: gm.room.roomId, clients: [gm, p1, p2] };
}

/** Plays the active ship's turn with the right client; resolves once every client saw it. */
export async function playOneTurn(clients: SeatClient[]): Promise<void> {
  const [gm] = clients as [SeatClient];
  const s = gm.state;
  const active = s.ships.get(s.activeShipId);
  if (!active) throw new Error("no active ship");
  const crew = active.side === "npc" ? gm : clients.find((c) => c.seat?.shipId === active.id)!;
  await playTurn(crew, active.id, active.side === "npc");
  await allAtVersion(clients, highestAck(clients));
}

export function highestAck(clients: SeatClient[]): number {
  return Math.max(0, ...clients.flatMap((c) => c.acks.map((a) => a.version)));
}

export async function allAtVersion(clients: SeatClient[], version: number, timeoutMs = 5000) {
  await Promise.all(clients.map((c) => c.until((s) => s.version >= version, timeoutMs, `version ${version}`)));
}

/** The battle rebuilt from the GM's export (seed + accepted commands), as the server holds it. */
export async function serverBattle(node: Node, roomId: string, gmKey: string): Promise<{ battle: Battle; commands: number; phase: string }> {
  const res = await fetch(`http://127.0.0.1:${node.port}/api/battles/${roomId}/log`, { headers: { authorization: `Bearer ${gmKey}` } });
  if (!res.ok) throw new Error(`export: HTTP ${res.status}`);
  const out = await res.json() as { phase: string; replay: { seed: number; setup: any; commands: any[] } };
  return { battle: replay(out.replay.setup, out.replay.seed, out.replay.commands), commands: out.replay.commands.length, phase: out.phase };
}

/**
 * Sends, for the active ship, commands that do not end its turn (evade, sensor lock, coordinate,
 * fire) until one is not refused (whether a ship can evade depends on the dice so far). Resolves
 * once one was accepted or is still unanswered after a second (e.g. waiting for Redis), with its reply.
 */
export async function midTurnCommand(clients: SeatClient[], timeoutMs = 5000): Promise<{ crew: SeatClient; type: string; payload: Record<string, unknown>; reply: Promise<Reply> }> {
  const [gm] = clients as [SeatClient];
  const s = gm.state;
  const active = s.ships.get(s.activeShipId);
  const npc = active.side === "npc";
  const crew = npc ? gm : clients.find((c) => c.seat?.shipId === active.id)!;
  const target = firstEnemy(s, active.side);
  const turret = [...(crew.state.ships.get(active.id).turrets ?? [])].find((t: any) => t.weapon !== "sandcaster" && t.weapon !== "missileRack");
  const candidates: Record<string, unknown>[] = [
    { type: "evade", mode: "evasive" }, { type: "sensorLock", targetId: target }, { type: "coordinate", mode: "initiative" },
    ...(turret ? [{ type: "fire", turretId: turret.id, targetId: target }] : []),
  ];
  const refusals: string[] = [];
  for (const c of candidates) {
    const { type, ...fields } = c as { type: string };
    const [msg, payload] = npc ? ["gm:act", { shipId: active.id, command: c }] : [`space:${type}`, fields];
    const reply = crew.command(msg, payload, timeoutMs);
    const first = await Promise.race([reply, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000))]);
    if (first?.kind === "error") { refusals.push(`${type}: ${first.error.code}`); continue; }
    return { crew, type: msg, payload, reply };
  }
  throw new Error(`every mid-turn command was refused: ${refusals.join(", ")}`);
}

/** The active ship's crew ending its turn: always accepted in that turn. */
export function endTurn(clients: SeatClient[], timeoutMs = 5000): Promise<Reply> {
  const [gm] = clients as [SeatClient];
  const s = gm.state;
  const active = s.ships.get(s.activeShipId);
  if (active.side === "npc") return gm.command("gm:act", { shipId: active.id, command: { type: "endTurn" } }, timeoutMs);
  return clients.find((c) => c.seat?.shipId === active.id)!.command("space:endTurn", {}, timeoutMs);
}
